"""The first reason each input row is rejected for, kept column-wise."""

from __future__ import annotations

import numpy as np

from impactkit.batch.rejections import Rejection
from impactkit.io.sheets.read import Sheet


def cell_text(value) -> str:
    """A cell as the user typed it: 70 rather than 70.0, nothing for an empty cell."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:80]


class Reasons:
    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.n = len(sheet.frame)
        self.rows = sheet.rows
        self.ok = np.ones(self.n, dtype=bool)
        self.found: dict[int, tuple] = {}  # row index -> (key, column, value, params)

    def add(self, mask: np.ndarray, key: str, column: str | None, values=None, params=None) -> None:
        """Reject the rows in `mask` that have no reason yet."""
        new = np.flatnonzero(mask & self.ok)
        if not len(new):
            return
        for i in new:
            value = "" if values is None else cell_text(values[i])
            self.found[int(i)] = (key, column, value, params(i) if callable(params) else (params or {}))
        self.ok[new] = False

    def set(self, i: int, key: str, column: str | None, value, params: dict) -> None:
        self.found[int(i)] = (key, column, cell_text(value), params)
        self.ok[i] = False

    def rejections(self, tender_ids=None, bidders=None) -> list[Rejection]:
        out = []
        for i, (key, column, value, params) in sorted(self.found.items()):
            out.append(Rejection(self.sheet.source_of(i), int(self.rows[i]), self.sheet.header(i, column), value, key,
                                 params, "contribution", "" if tender_ids is None else str(tender_ids[i]),
                                 "" if bidders is None else str(bidders[i])))
        return out
