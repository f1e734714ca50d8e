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

from impactkit.model.facts import NO_WORDS, YES_WORDS, yes_no  # noqa: F401 (the words are read from here too)

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


_MONEY_DASH = re.compile(r"^([-+]?\d{1,3}(?:\.\d{3})*|[-+]?\d+),-{1,2}$")  # 99,- and 1.250,-: whole euros


def clean(text: str) -> str:
    """Without currency and spaces; the Dutch "99,-" (whole euros) as "99,00"."""
    return _MONEY_DASH.sub(r"\1,00", _SPACES.sub("", _CURRENCY.sub("", str(text))))


# units a number cell may carry after its number ("36 uur", "12 mnd", "55 jaar"); EURO: € or ",-"
HOUR, HOUR_PER_WEEK, MONTH, YEAR, DAY, EURO = "hour", "hour_per_week", "month", "year", "day", "euro"
_UNIT_WORDS = {
    HOUR: ("uur", "uren", "u", "h", "hr", "hrs", "hour", "hours"),
    HOUR_PER_WEEK: ("uurperweek", "urenperweek", "uurpw", "urenpw", "upw", "uw", "uurweek", "urenweek", "hw",
                    "hpw", "hoursperweek", "hoursaweek", "hrsweek", "hrswk", "hrspw"),
    MONTH: ("mnd", "mnden", "maand", "maanden", "mth", "mths", "month", "months"),
    YEAR: ("jaar", "jr", "jaren", "yr", "yrs", "year", "years"),
    DAY: ("dag", "dagen", "d", "day", "days"),
}
UNIT_OF_WORD = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
#: column -> the units its cells may carry (the first is the one a message names)
COLUMN_UNITS = {"hours_per_week": (HOUR_PER_WEEK, HOUR), "hours": (HOUR,), "months": (MONTH,), "age": (YEAR,),
                "days": (DAY,), **{name: (EURO,) for name in ("amount", "bid_value", "contract_value", "wage_sum",
                                                             "threshold", "cap")}}
_UNIT_TAIL = re.compile(r"^(?P<number>.*?\d)\s*(?P<word>[^\W\d_][\w./ ]*)$")
_EURO_MARK = re.compile(r"€|(?i:\beur(?:o|os)?\b)|,-{1,2}\s*$")


def split_unit(text: str) -> tuple[str, str | None]:
    """("36", "hour") from "36 uur"; ("12", "month") from "12 mnd."; (text, None) without a unit;
    ("36", "?") for a word that names no unit impactkit knows ("36 stuks")."""
    raw = str(text).strip()
    if _EURO_MARK.search(raw):
        return raw, EURO
    found = _UNIT_TAIL.match(raw)
    if found is None:
        return raw, None
    word = re.sub(r"[\s./]+", "", found["word"].lower())
    return found["number"].strip(), UNIT_OF_WORD.get(word, "?")


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


def strip_unit(text: str, column: str | None) -> str | None:
    """The text of a cell without a unit its column may carry ("36 uur" -> "36" for hours, "€ 99,-"
    as it is for an amount); the text as it is when it carries no unit or the column has none;
    None when it carries a unit the column does not take ("12 mnd" for hours, "€ 36" for age)."""
    units = COLUMN_UNITS.get(column or "")
    if not units:
        return text
    number, found = split_unit(text)
    if found is None or (found == "?" and parse_text(text) is not None):  # "1e5" is a number, not 1 "e5"
        return text
    if found not in units:
        return None
    return text if found == EURO else number


def parse_number(value: object, convention: str = DUTCH, column: str | None = None) -> Decimal | None:
    """A Decimal from a cell value, or None when it is not a number.

    Text may carry a euro sign, spaces, Dutch (1.234,56) or English (1,234.56) separators;
    with a single separator the reading decides ("1.234" is 1234 in the Dutch reading).
    A percentage is a fraction ("5%" is 0.05). True/false cells are not numbers. With a `column`,
    a unit it may carry is allowed after the number ("36 uur" for hours, see `strip_unit`).
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
    text = strip_unit(value, column)
    return None if text is None else parse_text(text, convention)


parse_yes_no = yes_no  # ja/nee, yes/no, true/false, 1/0, x: declared once, in model.facts


HUNDREDTH = Decimal("0.01")


def to_hundredths(value: Decimal) -> int:
    """The value in hundredths, rounded half-up (12.345 -> 1235)."""
    return int((value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP) * 100).to_integral_value())
