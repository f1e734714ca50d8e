"""Numbers from spreadsheet cells: real numbers, and text like "1.234,56", "€ 99,10" or "5%".

A text number with a single separator can be read two ways: "1.234" is 1234 in Dutch and
1.234 in English, "1,5" is 1.5 in Dutch. What a column means is decided from all its cells
(`decide`): "12.5" or "1,234.56" in a column make it English, "12,5" or "1.234,56" Dutch. A
column without a clue is read the Dutch way (a lone "1.234" is 1234), and the report says so.

Quantities are counted to two decimals, rounded half-up when read (the same rule as the tender
file), so the batch scorer can work in exact integer hundredths.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DUTCH = "dutch"
ENGLISH = "english"

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_CURRENCY = re.compile(r"(?i)€|eur(?:o|os)?\b|eur$")
_PLAIN = re.compile(r"^[-+]?\d+$")
_DOT_GROUPS = re.compile(r"^[-+]?[1-9]\d{0,2}(\.\d{3})+$")  # 1.234 or 1.234.567 (not 0.500)
_COMMA_GROUPS = re.compile(r"^[-+]?[1-9]\d{0,2}(,\d{3})+$")
_DOT_DECIMAL = re.compile(r"^[-+]?\d*\.\d+$")
_COMMA_DECIMAL = re.compile(r"^[-+]?\d*,\d+$")
_DUTCH_FULL = re.compile(r"^[-+]?\d{1,3}(\.\d{3})*,\d+$")
_ENGLISH_FULL = re.compile(r"^[-+]?\d{1,3}(,\d{3})*\.\d+$")
ERROR_TEXTS = frozenset({"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                         "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!", "#N/B", "#DEEL/0!",
                         "#WAARDE!", "#VERW!", "#NAAM?", "#GETAL!", "#LEEG!"})
_ERR_LIBREOFFICE = re.compile(r"^Err:\d{3}$")
_SCIENTIFIC = re.compile(r"^[-+]?\d+([.,]\d+)?[eE][-+]?\d{1,4}$")
BOOL_TEXTS = frozenset({"true", "false", "waar", "onwaar"})
LIMIT = Decimal(10) ** 15  # far beyond any bound: larger numbers are refused before any arithmetic

# forms of a text cell
PLAIN, DOT_DECIMAL, COMMA_DECIMAL, DUTCH_FULL, ENGLISH_FULL = "plain", "dot", "comma", "dutch", "english"
DOT_GROUPS, COMMA_GROUPS, PERCENT, ERROR, BOOLEAN, OTHER = "dot?", "comma?", "percent", "error", "boolean", "other"
AMBIGUOUS = (DOT_GROUPS, COMMA_GROUPS)


def clean(text: str) -> str:
    return _SPACES.sub("", _CURRENCY.sub("", str(text)))


def form(text: str) -> str:
    """What a text cell looks like as a number."""
    raw = str(text).strip()
    if raw.isascii() and raw.isdigit():
        return PLAIN
    if raw.upper() in ERROR_TEXTS or _ERR_LIBREOFFICE.match(raw):
        return ERROR
    if raw.lower() in BOOL_TEXTS:
        return BOOLEAN
    t = clean(raw)
    if t.endswith("%"):
        return PERCENT if form(t[:-1]) not in (ERROR, BOOLEAN, OTHER, PERCENT) else OTHER
    if _PLAIN.match(t):
        return PLAIN
    if _DOT_GROUPS.match(t):
        return DOT_GROUPS if t.count(".") == 1 else DUTCH_FULL  # 1.234.567 can only be Dutch
    if _COMMA_GROUPS.match(t):
        return COMMA_GROUPS if t.count(",") == 1 else ENGLISH_FULL
    if _DOT_DECIMAL.match(t):
        return DOT_DECIMAL
    if _COMMA_DECIMAL.match(t):
        return COMMA_DECIMAL
    if _DUTCH_FULL.match(t):
        return DUTCH_FULL
    if _ENGLISH_FULL.match(t):
        return ENGLISH_FULL
    return OTHER


def decide(forms, default: str = DUTCH) -> tuple[str, bool]:
    """The reading of a column from the forms of its text cells: (convention, conflicting clues)."""
    english = any(f in (DOT_DECIMAL, ENGLISH_FULL) for f in forms)
    dutch = any(f in (COMMA_DECIMAL, DUTCH_FULL) for f in forms)
    if english and not dutch:
        return ENGLISH, False
    if dutch and not english:
        return DUTCH, False
    return default, english and dutch


def parse_text(text: str, convention: str = DUTCH) -> Decimal | None:
    """A number from text in the given reading; None when it is not one (or beyond any bound)."""
    plain = str(text).strip()
    if plain.isascii() and plain.isdigit() and len(plain) < 16:
        return Decimal(plain)
    shape = form(text)
    t = clean(str(text).strip())
    if shape == PERCENT:
        number = parse_text(t[:-1], convention)
        return None if number is None else number / 100
    if shape == OTHER and _SCIENTIFIC.match(t):  # 1e5, 1,23E+11 (a spreadsheet's export of a large number)
        t = t.replace(",", ".")
    elif shape in (ERROR, BOOLEAN, OTHER):
        return None
    if shape in (DUTCH_FULL, COMMA_DECIMAL) or (shape == DOT_GROUPS and convention == DUTCH):
        t = t.replace(".", "").replace(",", ".")
    elif shape in (ENGLISH_FULL, COMMA_GROUPS) and (shape != COMMA_GROUPS or convention == ENGLISH):
        t = t.replace(",", "")
    elif shape == COMMA_GROUPS:  # Dutch: "1,234" is 1.234
        t = t.replace(",", ".")
    try:
        number = Decimal(t)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_number(value: object, convention: str = DUTCH) -> Decimal | None:
    """A Decimal from a cell value, or None when it is not a number.

    Text may carry a euro sign, spaces, Dutch (1.234,56) or English (1,234.56) separators;
    with a single separator the reading decides ("1.234" is 1234 in the Dutch reading).
    A percentage is a fraction ("5%" is 0.05). True/false cells are not numbers.
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
    if not isinstance(value, str):
        return None
    return parse_text(value, convention)


YES_WORDS = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x", "1.0"})
NO_WORDS = frozenset({"nee", "n", "no", "false", "onwaar", "0", "0.0"})


def parse_yes_no(value: object) -> bool | None:
    """True or False from a cell or answer (ja/nee, yes/no, true/false, 1/0, x), None otherwise."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    return True if word in YES_WORDS else False if word in NO_WORDS else None


HUNDREDTH = Decimal("0.01")


def to_hundredths(value: Decimal) -> int:
    """The value in hundredths, rounded half-up (12.345 -> 1235)."""
    return int((value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP) * 100).to_integral_value())
