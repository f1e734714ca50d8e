"""One table of the input, as people fill it in: a header row somewhere below titles and blank
rows, merged cells, hidden rows, error cells. Columns get their canonical names; every row
keeps the number the spreadsheet program shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.errors import InvalidInputError, Problem
from impactkit.io.sheets.columns import ALL_LOOKUP, TENDER_COLUMNS, map_headers, normalise

HEADER_SEARCH = 30  # rows looked at for the header
MAX_MERGED = 100_000
FIRST = "_first"  # the text of an unknown first column, kept to recognise a totals row


#: (row, column, key, text); the column is None for a problem of the whole row
CellProblem = tuple[int, str | None, str, str]


@dataclass
class Table:
    file: Path
    sheet: str | None  # None for a CSV file
    frame: pd.DataFrame  # canonical columns; index = the row numbers users see
    headers: dict[str, str]  # canonical name -> header as written
    header_row: int
    ignored: list[str] = field(default_factory=list)
    hidden: list[int] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # ranges filled down, e.g. "A4:A6"
    problems: list[CellProblem] = field(default_factory=list)
    base_dir: Path | None = None
    details: dict = field(default_factory=dict)  # CSV: encoding, separator

    @property
    def source(self) -> str:
        return f"{self.file.name} › {self.sheet}" if self.sheet is not None else self.file.name

    @property
    def kind(self) -> str:
        columns = set(self.frame.columns)
        if "block" in columns:
            return "combined" if "menu" in columns else "contributions"
        if "tender_id" in columns and columns & {"menu", "contract_value"}:
            return "tenders"
        return "unknown"


def header_score(cells: list, lookup: dict = ALL_LOOKUP) -> int:
    names = {lookup.get(normalise(c)) for c in cells if c is not None and str(c).strip()}
    names.discard(None)
    return len(names)


def find_header(rows: list[list], lookup: dict = ALL_LOOKUP) -> int | None:
    """The row with the most known column names among the first rows (at least two)."""
    best, best_score = None, 1
    for i, row in enumerate(rows[:HEADER_SEARCH]):
        score = header_score(row, lookup)
        if score > best_score:
            best, best_score = i, score
    return best


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def fill_merged(rows: list[list], merged: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Give every row of a merged range the value of its first cell (in the range's first column).
    Returns the ranges that were filled."""
    filled = []
    for r0, c0, r1, c1 in merged[:MAX_MERGED]:
        if r1 <= r0 or r0 < 1 or r0 > len(rows) or c0 >= len(rows[r0 - 1]):
            continue
        value = rows[r0 - 1][c0]
        if value is None or value == "":
            continue
        for r in range(r0, min(r1, len(rows))):
            if c0 < len(rows[r]) and rows[r][c0] in ("", None):
                rows[r][c0] = value
        filled.append((r0, c0, r1, c1))
    return filled


def table_from_rows(rows: list[list], file: Path, sheet: str | None, *, hidden=(), problems=None, merged=(),
                    lookup: dict = ALL_LOOKUP) -> Table | None:
    """A table from a sheet's rows (rows[i] is row i + 1); None when no header row is found."""
    filled = fill_merged(rows, list(merged)) if merged else []
    start = find_header(rows, lookup)
    if start is None:
        return None
    header = rows[start]
    found, ignored, duplicates = map_headers(header, lookup)
    source = f"{file.name} › {sheet}" if sheet is not None else file.name
    if duplicates:
        raise InvalidInputError([Problem("column_duplicate", {"header": h, "other": o, "sheet": source})
                                 for h, o in duplicates])
    body = rows[start + 1:]
    positions = sorted(found)
    width = max([len(header)] + [len(r) for r in body[:1]])
    if body and all(len(r) == width for r in (body[0], body[-1])):
        grid = np.array(body, dtype=object)
        if grid.ndim != 2:
            grid = _ragged(body, width)
    else:
        grid = _ragged(body, width)
    first_row = start + 2  # the spreadsheet's number of the first row below the header
    numbers = np.arange(first_row, first_row + len(body))
    data = {found[p]: grid[:, p] if len(body) else np.empty(0, dtype=object) for p in positions}
    if 0 not in found and width and len(body):
        data[FIRST] = grid[:, 0]
    frame = pd.DataFrame(data, index=pd.Index(numbers, name="row"), dtype=object)
    cell_problems: list[CellProblem] = []
    for (row, column), (key, text) in (problems or {}).items():
        if column in found and row >= first_row:
            cell_problems.append((row, found[column], key, text))
    keep = np.zeros(len(frame), dtype=bool)
    for name in frame.columns.drop(FIRST, errors="ignore"):
        values = frame[name].to_numpy(dtype=object)
        keep |= ~((values == "") | pd.isna(values))
    if cell_problems:
        keep |= np.isin(numbers, [p[0] for p in cell_problems])
    frame = frame[keep]
    rows_kept = set(frame.index.tolist()) if (hidden or filled) else set()
    table = Table(file, sheet, frame, {found[p]: str(header[p]).strip() for p in positions}, start + 1, ignored,
                  sorted(r for r in hidden if r in rows_kept), problems=cell_problems)
    table.merged = [f"{column_letter(c0)}{r0}:{column_letter(c1)}{r1}" for r0, c0, r1, c1 in filled
                    if r1 >= first_row and any(r in rows_kept for r in range(max(r0, first_row), r1 + 1))]
    return table


def _ragged(body: list[list], width: int) -> np.ndarray:
    grid = np.full((len(body), width), "", dtype=object)
    for i, row in enumerate(body):
        grid[i, :len(row)] = row[:width]
    return grid


def tender_columns(table: Table) -> list[str]:
    return [c for c in table.frame.columns if c in TENDER_COLUMNS]
