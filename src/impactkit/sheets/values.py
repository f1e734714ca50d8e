"""Column-wise conversion of spreadsheet cells: numbers to exact hundredths, yes/no, text.

Works on whole pandas columns; only cells that are not plain numbers (Dutch text, more than
two decimals) go through the per-value Decimal parser, so the common case stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from impactkit.sheets.numbers import parse_number, to_hundredths

TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x", "1.0"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0", "0.0", ""}
_THOUSANDS = r"-?\d{1,3}(?:\.\d{3})+"


@dataclass
class NumberColumn:
    hundredths: np.ndarray  # int64, 0 where missing or invalid
    present: np.ndarray  # bool: the cell is not empty
    valid: np.ndarray  # bool: present and a number


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
    if not _texts(series):
        as_float = series.to_numpy(dtype="float64", na_value=np.nan)
        texts = None
    else:
        texts = series
        as_float = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan, copy=True)
        # "1.234" is Dutch for 1234: leave such text to the full parser
        strings = series.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool) if len(series) else np.zeros(0, bool)
        if strings.any():
            dotted = series[strings].astype(str).str.strip().str.fullmatch(_THOUSANDS).to_numpy(dtype=bool)
            idx = np.flatnonzero(strings)[dotted]
            as_float[idx] = np.nan
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
    words = series.map(lambda v: str(v).strip().lower() if v is not None and v == v else "")
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

    if len(series) and pd.api.types.is_string_dtype(series.dtype) and not series.isna().any():
        return series.astype(object).str.strip()
    return series.map(one).astype(object)
