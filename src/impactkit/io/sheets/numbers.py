"""Numbers from spreadsheet cells: real numbers, and text like "1.234,56" or "€ 99,10".

Quantities are counted to two decimals, rounded half-up when read (the same rule as the tender
file), so the batch scorer can work in exact integer hundredths.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_DUTCH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
HUNDREDTH = Decimal("0.01")


def parse_number(value: object) -> Decimal | None:
    """A Decimal from a cell value, or None when it is not a number.

    Text may carry a euro sign, spaces, Dutch (1.234,56) or English (1,234.56) separators;
    with a single kind of separator, a comma is a decimal comma and "1.234" is Dutch for 1234.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    text = _SPACES.sub("", str(value)).replace("€", "").replace("EUR", "").replace("eur", "")
    if not text:
        return None
    if text.endswith("-") and text[:-1].replace(",", "").replace(".", "").isdigit():
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            text = text.replace(",", "")  # 1,234,567: English thousands
        else:
            text = text.replace(",", ".")
    elif _DUTCH_THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


YES_WORDS = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x", "1.0"})
NO_WORDS = frozenset({"nee", "n", "no", "false", "onwaar", "0", "0.0"})


def parse_yes_no(value: object) -> bool | None:
    """True or False from a cell or answer (ja/nee, yes/no, true/false, 1/0, x), None otherwise."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    return True if word in YES_WORDS else False if word in NO_WORDS else None


def to_hundredths(value: Decimal) -> int:
    """The value in hundredths, rounded half-up (12.345 -> 1235)."""
    return int((value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP) * 100).to_integral_value())
