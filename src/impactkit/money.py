"""Exact euro arithmetic.

Amounts are ``Decimal``; ratios are ``Fraction`` so that a credit such as
40,000 x 24/36 x 6/12 is exact until it is rounded once, half-up, to cents.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_decimal(value: object) -> Decimal:
    """Build a Decimal from an int, str, Decimal or float (through its shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, (int, str)):
        try:
            return Decimal(value)
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    raise TypeError(f"cannot convert {type(value).__name__} to an amount")


def cents(value: Decimal | Fraction | int) -> Decimal:
    """Round an exact amount half-up to cents (never half-even)."""
    if isinstance(value, Fraction):
        # exact: scale to cents, round half away from zero, scale back
        scaled = value * 100
        sign = -1 if scaled < 0 else 1
        q, r = divmod(abs(scaled.numerator), scaled.denominator)
        if 2 * r >= scaled.denominator:
            q += 1
        return (Decimal(sign * q) / 100).quantize(CENT)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def as_fraction(value: Decimal | int) -> Fraction:
    return Fraction(value)


def money_str(value: Decimal) -> str:
    """Machine form of an amount: a decimal string with two decimals."""
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def quantity(value: Decimal | None) -> Decimal | None:
    """A quantity or amount as counted: rounded half-up to two decimals."""
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)
