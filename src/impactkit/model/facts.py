"""The facts of a contribution, declared once: names, the units that need them, and their bounds.

Every reader (the tender file, spreadsheets, the monitor's imports, plans) validates against
these bounds, and the rules kernel relies on them: within them every credit is exact in 64-bit
integers (quantities in hundredths, amounts in cents).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

UNITS = ("per_year", "per_month", "per_hour", "per_day", "invoice", "actual_cost", "by_agreement")
#: units whose credit comes from a value in the menu (the others take the amount given)
VALUED_UNITS = ("per_year", "per_month", "per_hour", "per_day")
#: units that value a person's time: their counting caps accumulate per candidate
PERSON_UNITS = ("per_year", "per_month")

#: the facts each unit needs
REQUIRED_FACTS: dict[str, tuple[str, ...]] = {
    "per_year": ("hours_per_week", "months"),
    "per_month": ("months",),
    "per_hour": ("hours",),
    "per_day": ("days", "amount"),
    "invoice": ("amount",),
    "actual_cost": ("amount",),
    "by_agreement": ("amount",),
}

#: yes/no facts a bonus can ask for
FLAGS = ("permanent_contract", "statushouder", "work_limitation", "hired_after_internship")

#: PSO tredes (Prestatieladder Socialer Ondernemen): trede 1, 2, 3 and 30+
TREDES = ("1", "2", "3", "30+")

#: yes and no as people write them, in Dutch or English, in a spreadsheet cell or a YAML file
YES_WORDS = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x", "1.0"})
NO_WORDS = frozenset({"nee", "n", "no", "false", "onwaar", "0", "0.0"})


def yes_no(value: object) -> bool | None:
    """True or False from ja/nee, j/n, yes/no, true/false, 1/0 or x; None for anything else."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    return True if word in YES_WORDS else False if word in NO_WORDS else None


def trede_text(value: object) -> object:
    """A PSO trede as people write it (2, "2", "trede 2", "Trede 30+") as one of TREDES; other
    values are returned as they are."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, Decimal)) and value == int(value):
        return str(int(value))
    return str(value).strip().lower().removeprefix("trede").strip()


def names_a_trede(value: object) -> bool:
    """A yes/no answer that is a PSO trede instead ("trede 2", "30+"): it belongs in the trede's field."""
    return yes_no(value) is None and trede_text(value) in TREDES


@dataclass(frozen=True)
class Bound:
    """The range a number may take, and how many decimals count (half-up beyond them)."""

    low: Decimal
    high: Decimal
    places: int  # 2: hundredths (quantities) or cents (amounts); 0: whole

    @property
    def scale(self) -> int:
        return 10**self.places


#: numeric facts and their bounds, in the order reports list them
QUANTITIES: dict[str, Bound] = {
    "hours_per_week": Bound(Decimal(0), Decimal(60), 2),
    "months": Bound(Decimal(0), Decimal(120), 2),
    "hours": Bound(Decimal(0), Decimal(1_000_000), 2),
    "days": Bound(Decimal(0), Decimal(3660), 2),
    "amount": Bound(Decimal(0), Decimal(10**12), 2),
    "age": Bound(Decimal(15), Decimal(100), 0),
}
NUMERIC_FACTS = tuple(QUANTITIES)

#: a bid's own price or wage sum: the same bound as an amount
PRICE = QUANTITIES["amount"]

#: the largest block or bonus value (euros a year, a month, an hour or a day) a menu may state;
#: with the bounds above it keeps every exact credit within 64-bit integers
MAX_MENU_VALUE = Decimal(10_000_000)


def facts_used(unit: str) -> set[str]:
    """The numeric facts a unit reads (age only for the bonuses of per-year blocks)."""
    return set(REQUIRED_FACTS[unit]) | ({"age"} if unit == "per_year" else set())


def looks_like_bsn(reference: str) -> bool:
    """Nine digits (spaces, dots and dashes aside) that pass the eleven-test of a Dutch BSN.

    SR files carry pseudonymous candidate references, never a citizen service number.
    """
    digits = "".join(ch for ch in str(reference) if ch not in " .-")
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def ambiguous_thousands(value: object) -> bool:
    """A number written like "500.000" or "1.400": a Dutch reader means thousands, YAML reads
    decimals. Three decimals after one to three leading digits (not "0.125") is taken as ambiguous."""
    if isinstance(value, bool) or not isinstance(value, (str, Decimal)):
        return False
    text = str(value).strip()
    head, point, tail = text.partition(".")
    return bool(point) and len(tail) == 3 and tail.isdigit() and head.isdigit() and 1 <= len(head) <= 3 \
        and head[0] != "0"


def flags_of(item: object) -> dict[str, bool]:
    """The yes/no facts of a contribution (or of anything with those fields), by name."""
    return {name: bool(getattr(item, name)) for name in FLAGS}
