"""Reading a batch input: one .xlsx (a sheet of tenders and a sheet of contributions, or one
sheet with both), or .csv files (tenders and contributions, or one file with both).

Every row keeps the number the user sees in Excel (the header is row 1, or the line in the CSV
file), so every message can point at it. The input file is only read, never written.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from impactkit.errors import InputFileError, InvalidInputError, Problem
from impactkit.io.sheets.columns import (
    ALL_LOOKUP,
    CONTRIBUTION_LOOKUP,
    REQUIRED_CONTRIBUTION,
    REQUIRED_TENDER,
    TENDER_LOOKUP,
    map_headers,
    normalise,
    sheet_kind,
    TEXT_COLUMNS,
)
from impactkit.io.inputs import check_input
from impactkit.io.sheets.safety import check_size, check_xlsx


@dataclass
class Sheet:
    """One table of the input with canonical column names; index = the row number users see."""

    source: str  # "bids.xlsx › Bijdragen" or "contributions.csv"
    frame: pd.DataFrame
    headers: dict[str, str]  # canonical name -> header as written
    ignored: list[str] = field(default_factory=list)


@dataclass
class BatchInput:
    tenders: Sheet | None  # None: the tender fields are on each contribution row
    contributions: Sheet
    base_dir: Path  # where relative menu paths are taken from


def _exists(path: Path) -> None:
    check_input(path)  # missing, not a file, or not readable: exit 3, like every input


def _columns(header: list, lookup: dict, sheet: str) -> tuple[dict[int, str], list[str]]:
    """Known columns by position and the ignored headers; two headers for one field is an error."""
    found, ignored, duplicates = map_headers(header, lookup)
    if duplicates:
        raise InvalidInputError([Problem("column_duplicate", {"header": h, "other": o, "sheet": sheet})
                                 for h, o in duplicates])
    return found, ignored


def _table(rows: list[list], source: str, lookup: dict, first_row: int = 1) -> Sheet:
    """Build a sheet from rows of cells: the first non-empty row is the header."""
    start = next((i for i, row in enumerate(rows) if any(c not in (None, "") for c in row)), None)
    if start is None:
        raise InvalidInputError(Problem("sheet_empty", {"sheet": source}))
    header = rows[start]
    found, ignored = _columns(header, lookup, source)
    body = rows[start + 1:]
    positions = sorted(found)
    data = {found[p]: [row[p] if p < len(row) else None for row in body] for p in positions}
    frame = pd.DataFrame(data, index=pd.RangeIndex(first_row + start + 1, first_row + start + 1 + len(body)),
                         dtype=object)
    if len(frame):
        frame = frame[~(frame.isna() | (frame == "")).all(axis=1)]
    return Sheet(source, frame, {found[p]: str(header[p]) for p in positions}, ignored)


def _require(sheet: Sheet, names: tuple[str, ...]) -> None:
    missing = [n for n in names if n not in sheet.frame.columns]
    if missing:
        raise InvalidInputError(
            Problem("columns_missing", {"sheet": sheet.source, "missing": ", ".join(missing),
                                        "found": ", ".join(sheet.headers.values()) or "-"})
        )


def read_xlsx(path: Path) -> BatchInput:
    from python_calamine import CalamineWorkbook

    check_xlsx(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InvalidInputError(Problem("xlsx_not_a_workbook", {"reason": str(exc)}, file=str(path))) from None
    names = workbook.sheet_names
    kinds = {name: sheet_kind(name) for name in names}
    tender_name = next((n for n in names if kinds[n] == "tenders"), None)
    contribution_name = next((n for n in names if kinds[n] == "contributions"), None)

    def load(name: str, lookup: dict) -> Sheet:
        sheet = workbook.get_sheet_by_name(name)
        check_size(str(path), name, sheet.total_height, sheet.total_width)
        rows = sheet.to_python(skip_empty_area=False)
        return _table(rows, f"{path.name} › {name}", lookup)

    if contribution_name is not None:
        contributions = load(contribution_name, CONTRIBUTION_LOOKUP if tender_name else ALL_LOOKUP)
        tenders = load(tender_name, TENDER_LOOKUP) if tender_name else None
    else:
        data_sheets = [n for n in names if kinds[n] is None and not n.lower().startswith(("instruct", "lijst", "list"))]
        if len(data_sheets) != 1:
            raise InvalidInputError(Problem("sheets_unclear", {"sheets": ", ".join(names)}, file=str(path)))
        contributions = load(data_sheets[0], ALL_LOOKUP)
        tenders = None
    return _finish(tenders, contributions, path.parent)


def _finish(tenders: Sheet | None, contributions: Sheet, base_dir: Path) -> BatchInput:
    _require(contributions, REQUIRED_CONTRIBUTION + (() if tenders else REQUIRED_TENDER[1:]))
    if tenders is not None:
        _require(tenders, REQUIRED_TENDER)
    return BatchInput(tenders, contributions, base_dir)


def _sniff(path: Path) -> tuple[str, str, list[str]]:
    """Encoding, delimiter and header of a CSV file.

    A semicolon-separated file is how Dutch spreadsheet programs export: there the decimal
    separator is a comma and a dot separates thousands.
    """
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    encoding = "utf-8-sig"
    try:
        head.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut off at the end of the sample
            encoding = "cp1252"
    first = head.decode(encoding, errors="replace").splitlines()[0] if head.strip() else ""
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    sep = max(counts, key=counts.get) if any(counts.values()) else ","
    header = next(csv.reader([first], delimiter=sep)) if first.strip() else []
    return encoding, sep, header


def _csv_rows(path: Path, sniffed: tuple[str, str, list[str]], text_headers: list[str]) -> tuple[list[str], pd.DataFrame]:
    """Header and body of a CSV file; text columns stay text (leading zeros are kept)."""
    encoding, sep, header = sniffed
    if len(header) > 1000:
        check_size(str(path), path.name, 0, len(header))
    options = {"decimal": ",", "thousands": "."} if sep == ";" else {}
    for attempt in (encoding, "cp1252"):
        try:
            body = pd.read_csv(path, sep=sep, encoding=attempt, dtype={h: str for h in text_headers},
                               keep_default_na=False, na_values=[""], header=0, engine="c", **options)
            return header, body
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, ValueError) as exc:
            raise InvalidInputError(Problem("csv_unreadable", {"reason": str(exc).strip()}, file=str(path))) from None
    raise InvalidInputError(Problem("file_not_utf8", {"offset": 0}, file=str(path)))


def _csv_header(path: Path) -> list[str]:
    return [normalise(h) for h in _sniff(path)[2]]


def read_csv_sheet(path: Path, lookup: dict) -> Sheet:
    sniffed = _sniff(path)
    text_headers = [h for h in sniffed[2] if lookup.get(normalise(h)) in TEXT_COLUMNS]
    header, body = _csv_rows(path, sniffed, text_headers)
    if not header:
        raise InvalidInputError(Problem("sheet_empty", {"sheet": str(path)}))
    found, ignored = _columns(header, lookup, path.name)
    check_size(str(path), path.name, len(body) + 1, len(header))
    frame = body.iloc[:, sorted(found)].copy()
    frame.columns = [found[p] for p in sorted(found)]
    frame.index = pd.RangeIndex(2, 2 + len(frame))  # header is line 1
    if len(frame):
        frame = frame[~frame.isna().all(axis=1)]
    return Sheet(path.name, frame, {found[p]: header[p] for p in sorted(found)}, ignored)


def read_input(paths: list[Path]) -> BatchInput:
    """Read one .xlsx, one .csv with tender fields on every row, or two .csv files."""
    paths = [Path(p) for p in paths]
    for path in paths:
        _exists(path)
    suffixes = [p.suffix.lower() for p in paths]
    try:
        if len(paths) == 1 and suffixes[0] in (".xlsx", ".xlsm"):
            return read_xlsx(paths[0])
        if all(s in (".csv", ".txt") for s in suffixes) and len(paths) in (1, 2):
            if len(paths) == 1:
                return _finish(None, read_csv_sheet(paths[0], ALL_LOOKUP), paths[0].parent)
            has_block = [any(CONTRIBUTION_LOOKUP.get(h) == "block" for h in _csv_header(p)) for p in paths]
            if sum(has_block) != 1:
                raise InvalidInputError(Problem("csv_pair_unclear", {"files": ", ".join(p.name for p in paths)}))
            index = has_block.index(True)
            contributions = read_csv_sheet(paths[index], CONTRIBUTION_LOOKUP)
            tenders = read_csv_sheet(paths[1 - index], TENDER_LOOKUP)
            return _finish(tenders, contributions, paths[0].parent)
    except OSError as exc:
        raise InputFileError(Problem("file_unreadable", {"reason": exc.strerror or str(exc)},
                                     file=str(paths[0]))) from None
    raise InvalidInputError(Problem("input_kind", {"files": ", ".join(str(p) for p in paths)}))


def read_table(path: Path, lookup: dict) -> Sheet:
    """One table from a .csv file or the first sheet of an .xlsx file (header in the first row)."""
    path = Path(path)
    _exists(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from python_calamine import CalamineWorkbook

        check_xlsx(path)
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
        except Exception as exc:  # calamine's own error types for broken files
            raise InvalidInputError(Problem("xlsx_not_a_workbook", {"reason": str(exc)}, file=str(path))) from None
        check_size(str(path), sheet.name, sheet.total_height, sheet.total_width)
        return _table(sheet.to_python(skip_empty_area=False), f"{path.name} › {sheet.name}", lookup)
    return read_csv_sheet(path, lookup)
