"""Column-wise conversion of spreadsheet cells: numbers to exact hundredths, yes/no, text.

Works on whole pandas columns; only cells that are not plain numbers (Dutch text, more than
two decimals) go through the per-value Decimal parser, so the common case stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from impactkit.io.sheets.numbers import NO_WORDS, YES_WORDS, parse_number, to_hundredths

TRUE_WORDS = YES_WORDS
FALSE_WORDS = NO_WORDS | {""}  # an empty yes/no cell means no


@dataclass
class NumberColumn:
    hundredths: np.ndarray  # int64, 0 where missing or invalid
    present: np.ndarray  # bool: the cell is not empty
    valid: np.ndarray  # bool: present and a number


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
    if _texts(series):
        stripped = series.astype("string").str.strip()
        return (stripped.isna() | (stripped == "")).to_numpy(dtype=bool)
    return series.isna().to_numpy()


def number_column(series: pd.Series) -> NumberColumn:
    present = ~blank(series)
    texts = None
    if not _texts(series):
        as_float = series.to_numpy(dtype="float64", na_value=np.nan)
    else:
        texts = series
        as_float = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan, copy=True)
        # text such as "1.234" is Dutch for 1234: numbers with exactly three decimals below 1000 that
        # came from text go to the full parser (rare, so checked one by one)
        with np.errstate(invalid="ignore"):
            thousandths = np.rint(as_float * 1000)
            suspect = np.isfinite(as_float) & (np.abs(as_float) < 1000) & (thousandths / 1000 == as_float) & (
                thousandths % 10 != 0)
        for i in np.flatnonzero(suspect):
            if isinstance(series.iat[i], str):
                as_float[i] = np.nan
    scaled = np.rint(as_float * 100)
    with np.errstate(invalid="ignore"):
        regular = np.isfinite(as_float) & (scaled / 100 == as_float) & (np.abs(scaled) < 2**53)
    hundredths = np.where(regular, scaled, 0).astype(np.int64)
    valid = regular.copy()
    slow = np.flatnonzero(present & ~regular)
    if len(slow):
        values = (texts if texts is not None else series).to_numpy(dtype=object)
        for i in slow:
            raw = values[i]
            number = parse_number(raw if not isinstance(raw, (float, np.floating)) else float(raw))
            if number is not None and abs(number) < 10**13:
                hundredths[i] = to_hundredths(number)
                valid[i] = True
    return NumberColumn(hundredths, present, valid & present)


def bool_column(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(value, valid) for yes/no cells: ja/nee, yes/no, true/false, 1/0, x; empty is no."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=bool), np.ones(len(series), bool)
    words = _each_distinct(series, lambda v: str(v).strip().lower() if v is not None and v == v else "")
    value = words.isin(TRUE_WORDS).to_numpy()
    valid = value | words.isin(FALSE_WORDS).to_numpy()
    return value, valid


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
