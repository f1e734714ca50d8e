"""Totals rows: the row people add under a table ("Totaal", "Subtotaal", "Som" with a =SUM formula or
a value). `score` rejects such a row and `monitor import` skips it, each naming it; both recognise it
here, so they agree on what a totals row is."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

TOTALS = re.compile(r"^\s*(?:sub|eind|grand[\s_-]*)?tota(?:a)?l(?:en|s)?\b|^\s*(?:som|sum)\b", re.IGNORECASE)


def totals_words(distinct: Sequence[str]) -> np.ndarray:
    """For distinct texts (as pd.factorize gives them): which is a totals row's label, followed by one
    False for factorize's code -1."""
    return np.asarray([bool(TOTALS.match(u)) for u in distinct] + [False], dtype=bool)


def totals_rows(columns: Mapping[str, tuple[np.ndarray, Any]], block: str = "block") -> np.ndarray:
    """The rows that are a totals row: a label in one of their identifying text columns (the first column
    too, when it is not one of the known columns), and no block (blank, or the label itself).

    `columns` holds each identifying text column factorized, `(codes, distinct texts)` as pd.factorize
    gives them for the cells as text ("" for a blank cell); it must hold the block column."""
    codes, distinct = columns[block]
    block_blank = np.asarray([u == "" for u in distinct] + [False], dtype=bool)[codes]
    flagged = np.zeros(len(codes), dtype=bool)
    for name, (codes, distinct) in columns.items():
        label = totals_words(distinct)[codes]
        flagged |= label
        if name == block:
            block_blank = block_blank | label
    return flagged & block_blank
