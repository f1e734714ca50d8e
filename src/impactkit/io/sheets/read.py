"""Reading a batch input: any number of workbooks (.xlsx, .xlsm, .ods, .xls) and CSV files.

Each sheet or CSV file is a table of tenders, of contributions, or of contributions that carry
their tender's fields on every row ("combined"). All contribution rows of all files are scored
together; every row keeps its file, sheet and the row number the spreadsheet program shows, so
every message can point at it. The input files are only read, never written.
"""

from __future__ import annotations

import hashlib

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.errors import InputFileError, InvalidInputError, Problem
from impactkit.io.sheets.columns import (
    ALL_LOOKUP,
    REQUIRED_CONTRIBUTION,
    REQUIRED_TENDER,
    TENDER_COLUMNS,
    sheet_kind,
)
from impactkit.io.inputs import check_input
from impactkit.io.sheets.grid import WORKBOOK_SUFFIXES, open_workbook
from impactkit.io.sheets.notes import Note, rows_text
from impactkit.io.sheets.table import FIRST, Table, table_from_rows

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
SKIPPED_SHEETS = ("instruct", "lijst", "list", "toelichting", "uitleg")


@dataclass
class Sheet:
    """Rows of one kind from one or more tables; position i is one row of tables[part[i]]."""

    tables: list[Table]
    frame: pd.DataFrame  # canonical columns, positions 0..n-1
    rows: np.ndarray  # the row number users see
    part: np.ndarray  # which table each row comes from

    @classmethod
    def join(cls, tables: list[Table]) -> Sheet:
        frames = [t.frame for t in tables]
        if len(frames) == 1:
            frame = frames[0].reset_index(drop=True)
        else:
            frame = pd.concat([f.reset_index(drop=True) for f in frames], ignore_index=True).astype(object)
        rows = np.concatenate([t.frame.index.to_numpy(dtype=np.int64) for t in tables]) if tables else np.zeros(0, np.int64)
        part = np.repeat(np.arange(len(tables), dtype=np.int32), [len(f) for f in frames])
        return cls(tables, frame, rows, part)

    @property
    def source(self) -> str:
        return self.tables[0].source if len(self.tables) == 1 else ", ".join(t.source for t in self.tables)

    @cached_property
    def _sources(self) -> np.ndarray:
        return np.asarray([t.source for t in self.tables], dtype=object)

    def sources(self, positions=None) -> np.ndarray:
        part = self.part if positions is None else self.part[positions]
        return self._sources[part]

    def source_of(self, i: int) -> str:
        return self.tables[self.part[i]].source

    def header(self, i: int, column: str | None) -> str | None:
        """The header the user wrote for a canonical column, in the table of row i."""
        if column is None:
            return None
        return self.tables[self.part[i]].headers.get(column, column)

    @property
    def headers(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for table in self.tables:
            for name, header in table.headers.items():
                out.setdefault(name, header)
        return out


@dataclass
class BatchInput:
    tenders: Sheet | None  # rows of tender tables (None: the tender fields are on contribution rows)
    contributions: Sheet
    combined: np.ndarray  # per contribution row: its table carries the tender fields
    files: list[Path] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def base_dir(self) -> Path:
        return self.files[0].parent if self.files else Path(".")


def _exists(path: Path) -> None:
    check_input(path)  # missing, not a file, or not readable: exit 3, like every input


def _refuse_repeated(paths: list[Path]) -> None:
    """The same file given twice (by two names, or a copy such as "bids (1).xlsx") would count every
    bid in it twice: refused. Only files of equal size are compared, by their bytes."""
    by_size: dict[int, list[Path]] = {}
    for path in paths:
        by_size.setdefault(path.stat().st_size, []).append(path)
    problems = []
    for group in by_size.values():
        seen: dict[str, Path] = {}
        for path in group if len(group) > 1 else ():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in seen:
                same = seen[digest].resolve() == path.resolve()
                problems.append(Problem("input_given_twice" if same else "input_repeated", {"first": str(seen[digest])},
                                        file=str(path)))
            else:
                seen[digest] = path
    if problems:
        raise InvalidInputError(problems)


def _missing(table: Table, names: tuple[str, ...]) -> Problem | None:
    missing = [n for n in names if n not in table.frame.columns]
    if not missing:
        return None
    found = ", ".join(map(str, [*table.headers.values(), *table.ignored])) or "-"  # every header the sheet has
    return Problem("columns_missing", {"sheet": table.source, "missing": tuple(missing), "found": found},
                   file=str(table.file))


def _workbook_tables(path: Path, notes: list[Note]) -> list[Table]:
    book = open_workbook(path)
    kinds = {name: sheet_kind(name) for name in book.sheets}
    named = [n for n in book.sheets if kinds[n] is not None]
    candidates = named or [n for n in book.sheets if not n.strip().lower().startswith(SKIPPED_SHEETS)]
    tables, unread = [], []
    for name in candidates:
        grid = book.grid(name)
        table = table_from_rows(grid.rows, path, name, hidden=grid.hidden, problems=grid.problems, merged=grid.merged)
        if table is None or table.kind == "unknown":
            if name in named:
                raise InvalidInputError(Problem("header_not_found", {"sheet": name, "expected": BIDS_HEADER_EXAMPLE},
                                                file=str(path)))
            unread.append(name)
            continue
        table.base_dir = path.parent
        tables.append(table)
    if not tables:
        raise InvalidInputError(Problem("sheets_unclear", {"sheets": ", ".join(book.sheets) or "-"}, file=str(path)))
    others = [n for n in book.sheets if n not in candidates or n in unread] + book.skipped
    others = [n for n in others if not n.strip().lower().startswith(SKIPPED_SHEETS)]
    if others:
        notes.append(Note(path.name, "note_sheets_unread", {"sheets": ", ".join(others)}))
    return tables


def _describe(table: Table, notes: list[Note]) -> None:
    """Notes on choices made while reading a table."""
    source = table.source
    if table.header_row > 1:
        notes.append(Note(source, "note_header_row", {"row": table.header_row}, row=table.header_row))
    if table.ignored:
        notes.append(Note(source, "note_columns_ignored", {"headers": ", ".join(table.ignored)}))
    if table.hidden:
        notes.append(Note(source, "note_hidden_rows", {"rows": rows_text(table.hidden), "count": len(table.hidden)}))
    if table.merged:
        notes.append(Note(source, "note_merged", {"ranges": ", ".join(table.merged[:10]) + (", ..." if len(table.merged) > 10 else "")}))
    if table.details.get("encoding") == "cp1252" or table.details.get("separator") not in (None, ","):
        separator = {";": "';'", "\t": "tab"}.get(table.details["separator"], "','")
        notes.append(Note(source, "note_csv_read", {"encoding": table.details["encoding"], "separator": separator}))


def read_tables(paths: list[Path], notes: list[Note]) -> list[Table]:
    tables: list[Table] = []
    for path in paths:
        suffix = path.suffix.lower()
        try:
            if suffix in WORKBOOK_SUFFIXES:
                found = _workbook_tables(path, notes)
            elif suffix in CSV_SUFFIXES:
                from impactkit.io.sheets.csvread import read_csv_table

                found = [read_csv_table(path)]
            else:
                raise InvalidInputError(Problem("input_kind", {"files": str(path)}))
        except OSError as exc:
            raise InputFileError(Problem("file_unreadable", {"reason": exc.strerror or str(exc)}, file=str(path))) from None
        for table in found:
            _describe(table, notes)
        tables.extend(found)
    return tables


def read_input(paths: list[Path]) -> BatchInput:
    """Read every file: tables of tenders, of contributions, or of both on one row."""
    paths = [Path(p) for p in paths]
    for path in paths:
        _exists(path)
    _refuse_repeated(paths)
    notes: list[Note] = []
    tables = read_tables(paths, notes)
    tender_tables = [t for t in tables if t.kind == "tenders"]
    contribution_tables = [t for t in tables if t.kind in ("contributions", "combined")]
    unknown = [t for t in tables if t.kind == "unknown"]
    problems = []
    if not contribution_tables:
        table = (unknown or tender_tables or tables)[0]
        problems.append(_missing(table, REQUIRED_CONTRIBUTION) or Problem(
            "columns_missing", {"sheet": table.source, "missing": ("block",), "found": ", ".join(table.headers.values()) or "-"},
            file=str(table.file)))
    for table in contribution_tables:
        needed: tuple[str, ...] = REQUIRED_CONTRIBUTION
        if table.kind == "combined" or not (tender_tables or any(t.kind == "combined" for t in contribution_tables)):
            needed = needed + REQUIRED_TENDER[1:]
        problem = _missing(table, needed)
        if problem:
            problems.append(problem)
    for table in tender_tables:
        problem = _missing(table, REQUIRED_TENDER)
        if problem:
            problems.append(problem)
    for table in unknown:
        notes.append(Note(table.source, "note_table_unread", {}))
    if problems:
        raise InvalidInputError(problems)
    contributions = Sheet.join(contribution_tables)
    combined = np.repeat(np.array([t.kind == "combined" for t in contribution_tables], dtype=bool),
                         [len(t.frame) for t in contribution_tables])
    tenders = Sheet.join(tender_tables) if tender_tables else None
    return BatchInput(tenders, contributions, combined, paths, notes)


#: the column names a message names when a sheet of bids has no header row
BIDS_HEADER_EXAMPLE = "Aanbesteding, Inschrijver, Bouwblok"


def read_table(path: Path, lookup: dict, keep_first: bool = False, expected: str = BIDS_HEADER_EXAMPLE) -> Table:
    """One table from a .csv file or the first sheet of a workbook (the header found below titles);
    its frame's index is the row number users see. With `keep_first`, the text of a first column that
    is none of the known columns stays in the frame (column FIRST), to recognise a totals row by."""
    path = Path(path)
    _exists(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        book = open_workbook(path)
        if not book.sheets:
            raise InvalidInputError(Problem("sheet_empty", {"sheet": path.name}, file=str(path)))
        grid = book.grid(book.sheets[0])
        table = table_from_rows(grid.rows, path, grid.sheet, hidden=grid.hidden, problems=grid.problems,
                                merged=grid.merged, lookup=lookup)
        if table is None:
            raise InvalidInputError(Problem("header_not_found", {"sheet": grid.sheet, "expected": expected}, file=str(path)))
    else:
        from impactkit.io.sheets.csvread import read_csv_table

        table = read_csv_table(path, lookup)
    if not keep_first:
        table.frame = table.frame.drop(columns=FIRST, errors="ignore")
    return table


__all__ = ["ALL_LOOKUP", "BatchInput", "Sheet", "TENDER_COLUMNS", "read_input", "read_table"]
