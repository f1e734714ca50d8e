"""Column-wise conversion of spreadsheet cells: numbers to exact hundredths, yes/no, text.

Works on whole pandas columns. Real numbers (from .xlsx) are converted with numpy; text cells
are factorized and each distinct text is read once, in the reading its column calls for
(`numbers.decide`), so a million rows with a few thousand distinct texts stay fast.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from impactkit.io.sheets import numbers as nb
from impactkit.io.sheets.numbers import NO_WORDS, YES_WORDS, parse_text, to_hundredths

TRUE_WORDS = YES_WORDS
FALSE_WORDS = NO_WORDS | {""}  # an empty yes/no cell means no

# why a present cell is not a number (index into PROBLEMS)
FINE, NOT_NUMBER, BOOLEAN, ERROR_TEXT, AMBIGUOUS, DATE, PERCENT, TOO_LARGE, UNIT, BLANK = range(10)
PROBLEMS = ("", "reject_not_number", "reject_boolean", "reject_cell_error", "reject_number_ambiguous",
            "reject_date_in_number", "reject_percent", "reject_number_too_large", "reject_unit")
_DATES = (dt.date, dt.datetime, dt.time, dt.timedelta, pd.Timestamp)
_TEXT, _REAL, _BOOL, _OTHER = range(4)
_DIGITS = re.compile(r"[\s€+-]*\d[\d.,\s]*")
_KINDS = {str: _TEXT, float: _REAL, int: _REAL, np.float64: _REAL, np.int64: _REAL, bool: _BOOL, np.bool_: _BOOL}


@dataclass
class NumberColumn:
    hundredths: np.ndarray  # int64, 0 where missing or invalid
    present: np.ndarray  # bool: the cell is not empty
    valid: np.ndarray  # bool: present and a number
    problem: np.ndarray  # int8: why a present cell is not valid (PROBLEMS)
    reading: dict | None = None  # how ambiguous text was read: {"convention", "example", "value", "clue"}
    rounded: dict | None = None  # cells with more than two decimals, rounded half-up: {"count", "example", "value"}


def _rounded(rounded: np.ndarray, values: np.ndarray, hundredths: np.ndarray, percent: bool) -> dict | None:
    """The note's facts on the cells rounded to hundredths (`rounded`, a mask): how many, and the
    first as typed and as read. A share ("4,625%") has more decimals by nature: no note."""
    if percent or not rounded.any():
        return None
    first = int(np.argmax(rounded))
    return {"count": int(rounded.sum()), "example": str(values[first]).strip(),
            "value": Decimal(int(hundredths[first])) / 100}


def _each_distinct(series: pd.Series, fn) -> pd.Series:
    """Apply a text function once per distinct value (ids and words repeat a lot)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = np.asarray([fn(u) for u in uniques] + [fn(None)], dtype=object)
    return pd.Series(mapped[codes], index=series.index, dtype=object)


def _texts(series: pd.Series) -> bool:
    """True for columns of text or mixed cells (object or string dtype), not plain numbers."""
    return not (pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype))


def blank(series: pd.Series) -> np.ndarray:
    """Cells that are empty: missing, NaN or only spaces."""
    if not _texts(series):
        return series.isna().to_numpy()
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values)
    codes, uniques = pd.factorize(values)
    empty = np.asarray([isinstance(u, str) and not u.strip() for u in uniques] + [True], dtype=bool)
    return missing | empty[codes]


def _float_hundredths(values: np.ndarray):
    """(hundredths, regular): exact for floats with at most two decimals and far below 2**53."""
    scaled = np.rint(values * 100)
    with np.errstate(invalid="ignore"):
        regular = np.isfinite(values) & (scaled / 100 == values) & (np.abs(scaled) < 2**53)
    return np.where(regular, scaled, 0).astype(np.int64), regular


def number_column(series: pd.Series, default: str = nb.DUTCH, percent: bool = False,
                  column: str | None = None) -> NumberColumn:
    """Hundredths of a column of numbers. `percent`: "5%" is allowed (as 0.05). `column`: the
    column's name, whose unit a cell may carry after its number ("36 uur", "12 mnd", "€ 99,-")."""
    n = len(series)
    problem = np.zeros(n, dtype=np.int8)
    if not _texts(series):
        present = ~series.isna().to_numpy()
        hundredths, regular = _float_hundredths(series.to_numpy(dtype="float64", na_value=np.nan))
        slow = np.flatnonzero(present & ~regular)
        values = series.to_numpy(dtype=object)
        rounded = np.zeros(n, dtype=bool)  # cells with more than two decimals
        for i in slow:  # more than two decimals: half-up from the exact decimal
            number = nb.parse_number(float(values[i]))
            if number is not None and abs(number) < nb.LIMIT:
                hundredths[i], regular[i], rounded[i] = to_hundredths(number), True, True
        problem[present & ~regular] = NOT_NUMBER
        return NumberColumn(hundredths, present, regular & present, problem,
                            rounded=_rounded(rounded, values, hundredths, percent))

    values = series.to_numpy(dtype=object)
    hundredths = np.zeros(n, dtype=np.int64)
    valid = np.zeros(n, dtype=bool)
    all_codes = None
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):  # CSV: only text and blanks
        all_codes, all_uniques = pd.factorize(values)  # a blank cell gets code -1
        present = all_codes >= 0  # text of spaces only is found blank below
        kinds = np.where(present, _TEXT, _OTHER)
    else:
        present = ~pd.isna(values)
        type_codes, types = pd.factorize(np.fromiter(map(type, values), dtype=object, count=n))
        kinds = np.asarray([_KINDS.get(t, _OTHER) for t in types] + [_OTHER], dtype=np.int8)[type_codes]
    is_text = (kinds == _TEXT) & present
    is_bool = kinds == _BOOL
    is_real = (kinds == _REAL) & present
    rounded = np.zeros(n, dtype=bool)  # cells with more than two decimals
    if is_real.any():
        idx = np.flatnonzero(is_real)
        reals = _float_hundredths(values[idx].astype("float64"))
        hundredths[idx], valid[idx] = reals
        for j in np.flatnonzero(~reals[1]):  # more than two decimals: half-up from the exact decimal
            number = nb.parse_number(values[idx[j]])
            if number is not None and abs(number) < nb.LIMIT:
                hundredths[idx[j]], valid[idx[j]], rounded[idx[j]] = to_hundredths(number), True, True
        problem[idx[~valid[idx]]] = NOT_NUMBER
    problem[is_bool & present] = BOOLEAN
    others = present & ~is_text & ~is_real & ~is_bool
    if others.any():
        dates = np.fromiter((isinstance(v, _DATES) for v in values[others]), dtype=bool)
        problem[np.flatnonzero(others)] = np.where(dates, DATE, NOT_NUMBER)
    reading = None
    if is_text.any():
        idx = np.flatnonzero(is_text)
        if all_codes is not None:
            codes, uniques = all_codes[idx], all_uniques
        else:
            codes, uniques = pd.factorize(values[idx])
        out, ok, why, forms, fine = _read_texts(uniques, default, percent, column=column)
        convention, conflict = nb.decide(forms, default)
        if (conflict or convention != nb.DUTCH) and any(f in nb.AMBIGUOUS for f in forms):  # read again
            out, ok, why, forms, fine = _read_texts(uniques, convention, percent, conflict, column)
        rounded[idx] = (~fine & ok)[codes]  # texts with more than two decimals
        hundredths[idx], valid[idx], problem[idx] = out[codes], ok[codes], why[codes]
        present[idx[why[codes] == BLANK]] = False
        problem[idx[why[codes] == BLANK]] = FINE
        ambiguous = [j for j, f in enumerate(forms) if f in nb.AMBIGUOUS]
        if ambiguous and not conflict:
            example = uniques[ambiguous[0]]
            clue = next((u for u, f in zip(uniques, forms) if f in (nb.DOT_DECIMAL, nb.COMMA_DECIMAL, nb.DUTCH_FULL,
                                                                     nb.ENGLISH_FULL)), None)
            reading = {"convention": convention, "example": str(example).strip(),
                       "value": parse_text(example, convention), "clue": clue,
                       "count": int(np.isin(codes, ambiguous).sum())}
    return NumberColumn(hundredths, present, valid & present, problem, reading,
                        _rounded(rounded, values, hundredths, percent))


def bool_column(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(value, valid) for yes/no cells: ja/nee, yes/no, true/false, 1/0, x; empty is no."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=bool), np.ones(len(series), bool)
    words = _each_distinct(series, _word)
    value = words.isin(TRUE_WORDS).to_numpy()
    valid = value | words.isin(FALSE_WORDS).to_numpy()
    return value, valid


def _word(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    return str(v).strip().lower()


def text_column(series: pd.Series) -> pd.Series:
    """Cells as text: whole numbers without '.0', empty cells as ''."""

    def one(v):
        if v is None or (isinstance(v, float) and v != v):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    return _each_distinct(series, one)


def lower_text(series: pd.Series) -> np.ndarray:
    """Cells as lower-case text (block ids), e.g. ' Participatiewet ' -> 'participatiewet'."""
    return text_column(series).to_numpy(dtype=object) if not len(series) else _each_distinct(
        text_column(series), lambda v: "" if v is None else str(v).lower()).to_numpy(dtype=object)


def _read_texts(uniques, convention: str, percent: bool, conflict: bool = False, column: str | None = None):
    """Hundredths of distinct texts: plain numerals ("36", "12.5", "1.234") with numpy, the rest
    ("1.234,56", "€ 99,10", "5%", "36 uur") one by one. Returns (hundredths, ok, problem, forms)."""
    n = len(uniques)
    out = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    why = np.zeros(n, dtype=np.int8)
    forms = np.full(n, nb.OTHER, dtype=object)
    fine = np.ones(n, dtype=bool)  # False: a number with more than two decimals, rounded half-up
    if not n:
        return out, ok, why, forms, fine
    sizes = np.fromiter(map(len, uniques), dtype=np.int64, count=n)
    long = sizes > 64  # cannot be a number; kept out of the fixed-width array below
    for j in np.flatnonzero(long):
        why[j] = TOO_LARGE if _DIGITS.fullmatch(uniques[j]) else NOT_NUMBER
    text = np.char.strip(np.asarray(np.where(long, "", uniques), dtype=str))
    lower = np.char.lower(text)
    numbers = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    fast = np.isfinite(numbers) & (np.char.find(lower, "e") < 0) & (np.char.find(lower, "n") < 0) & (
        np.abs(numbers) < 1e13)
    dot = np.char.find(text, ".")
    length = np.char.str_len(text)
    signed = np.char.startswith(text, "-") | np.char.startswith(text, "+")
    decimals = np.where(dot >= 0, length - dot - 1, 0)
    whole = np.where(dot >= 0, dot - signed, length - signed)
    leading_zero = np.char.startswith(np.char.lstrip(text, "+-"), "0")
    groups = fast & (dot >= 0) & (decimals == 3) & (whole >= 1) & (whole <= 3) & ~leading_zero
    plain = fast & (dot < 0)
    decimal = fast & (dot >= 0) & ~groups
    forms[plain], forms[decimal], forms[groups] = nb.PLAIN, nb.DOT_DECIMAL, nb.DOT_GROUPS
    simple = (plain | decimal) & (decimals <= 2)
    scaled, regular = _float_hundredths(np.where(simple, numbers, 0.0))
    out[simple], ok[simple] = scaled[simple], regular[simple]
    if convention == nb.DUTCH and not conflict:
        thousands = np.rint(numbers * 1000)
        out[groups], ok[groups] = (thousands[groups] * 100).astype(np.int64), True
    blank_text = (length == 0) & ~long
    why[blank_text] = BLANK
    slow = np.flatnonzero(~(simple & regular) & ~(groups & ok) & ~blank_text & ~long)
    for j in slow:
        raw = nb.strip_unit(uniques[j], column)  # "36 uur" -> "36" where the column counts hours
        if raw is None:
            why[j] = UNIT
            continue
        shape = forms[j] if forms[j] != nb.OTHER else nb.form(raw)
        forms[j] = shape
        if shape == nb.ERROR:
            why[j] = ERROR_TEXT
        elif shape == nb.BOOLEAN:
            why[j] = BOOLEAN
        elif shape == nb.PERCENT and not percent:
            why[j] = PERCENT
        elif shape in nb.AMBIGUOUS and conflict:
            why[j] = AMBIGUOUS
        else:
            number = parse_text(raw, convention)
            if number is not None and abs(number) < nb.LIMIT:
                out[j], ok[j] = to_hundredths(number), True
                fine[j] = number == number.quantize(nb.HUNDREDTH)  # parse_text gives finite numbers only
            else:
                why[j] = TOO_LARGE if number is not None else NOT_NUMBER
    return out, ok, why, forms, fine
