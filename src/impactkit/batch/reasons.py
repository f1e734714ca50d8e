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
        self.rows = sheet.frame.index.to_numpy()
        self.ok = np.ones(self.n, dtype=bool)
        self.found: dict[int, tuple] = {}  # row index -> (key, header, value, params)

    def add(self, mask: np.ndarray, key: str, column: str | None, values=None, params=None) -> None:
        """Reject the rows in `mask` that have no reason yet."""
        new = np.flatnonzero(mask & self.ok)
        if not len(new):
            return
        header = self.sheet.headers.get(column, column) if column else None
        for i in new:
            value = "" if values is None else cell_text(values[i])
            self.found[int(i)] = (key, header, value, params(i) if callable(params) else (params or {}))
        self.ok[new] = False

    def set(self, i: int, key: str, header: str | None, value, params: dict) -> None:
        self.found[int(i)] = (key, header, cell_text(value), params)
        self.ok[i] = False

    def rejections(self) -> list[Rejection]:
        return [Rejection(self.sheet.source, int(self.rows[i]), header, value, key, params)
                for i, (key, header, value, params) in sorted(self.found.items())]
