"""Reading a CSV file the way a spreadsheet program opens it.

The encoding (UTF-8, UTF-16 with its mark, else Windows-1252 as Dutch Excel writes), the
separator (`;` from a Dutch Excel, `,` or tab) and the header row (below titles and blank
lines) are found from the first part of the file. Cells stay text: numbers are read per
column later (`values.number_column`), so "1.5" is never 15 and "1.234" never 1.23. Blank
lines count as rows, so row numbers match what Excel or LibreOffice shows.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.errors import InputFileError, InvalidInputError, Problem
from impactkit.io.sheets.columns import ALL_LOOKUP, map_headers
from impactkit.io.sheets.safety import MAX_COLUMNS, check_size
from impactkit.io.sheets.table import FIRST, HEADER_SEARCH, CellProblem, Table, header_score

SEPARATORS = (";", ",", "\t")
SAMPLE = 1 << 16
MAX_FIELD = 1 << 20  # characters in one cell
OVERFLOW = 2  # fields past the header read to tell a row that has too many (more still: the file is refused)


def _encoding(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut off at the end of the sample
            return "cp1252"
    return "utf-8-sig"


def _records(text: str, sep: str) -> list[tuple[list[str], int]]:
    """The first records with the number of physical lines read up to the end of each."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    out = []
    try:
        for record in reader:
            out.append((record, reader.line_num))
            if len(out) >= HEADER_SEARCH:
                break
    except csv.Error:
        pass
    return out


def sniff(path: Path, lookup: dict = ALL_LOOKUP) -> tuple[str, str, int, list[str], int]:
    """(encoding, separator, header record index, header cells, lines before the body)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(SAMPLE)
    except OSError as exc:
        raise InputFileError(Problem("file_unreadable", {"reason": exc.strerror or str(exc)}, file=str(path))) from None
    encoding = _encoding(head)
    text = head.decode(encoding, errors="replace")
    best: tuple[tuple[int, int], str, int, list[tuple[list[str], int]]] | None = None  # (key, separator, index, records)
    for sep in SEPARATORS:
        records = _records(text, sep)
        for index, (record, _) in enumerate(records):
            score = header_score(record, lookup)
            key = (score, len(record))
            if score >= 2 and (best is None or key > best[0]):
                best = (key, sep, index, records)
    if best is None:  # no row with two known column names: the first non-empty line, most common separator
        first = next((line for line in text.splitlines() if line.strip()), "")
        sep = max(SEPARATORS, key=first.count)
        records = _records(text, sep)
        index = next((i for i, (r, _) in enumerate(records) if any(c.strip() for c in r)), 0)
    else:
        _, sep, index, records = best
    header = records[index][0] if records else []
    lines = records[index][1] if records else 0
    return encoding, sep, index, header, lines


_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _unreadable(exc: Exception, path: Path, skipped: int, header: int) -> Problem:
    """Why pandas could not read the file, in the reader's words where the reason is known."""
    found = _FIELDS.search(str(exc))
    if found:  # a row with more fields than the header has and OVERFLOW allows
        line = skipped + int(found.group(2))
        return Problem("csv_too_many_fields", {"line": line, "fields": int(found.group(3)), "header": header},
                       file=str(path), line=line)
    return Problem("csv_unreadable", {"reason": str(exc).strip()[:300]}, file=str(path))


def read_csv_table(path: Path, lookup: dict = ALL_LOOKUP) -> Table:
    path = Path(path)
    encoding, sep, index, header, lines = sniff(path, lookup)
    if not any(h.strip() for h in header):
        raise InvalidInputError(Problem("sheet_empty", {"sheet": path.name}, file=str(path)))
    if len(header) > MAX_COLUMNS:
        check_size(str(path), path.name, 0, len(header))
    found, ignored, duplicates = map_headers(header, lookup)
    if duplicates:
        raise InvalidInputError([Problem("column_duplicate", {"header": h, "other": o, "sheet": path.name})
                                 for h, o in duplicates])
    positions = sorted(found)
    # a few columns past the header catch rows with more fields than the header names (a decimal comma in a
    # comma-separated file splits "32,5" in two): pandas would drop the surplus without a word
    overflow = [f"x{i}" for i in range(OVERFLOW)]
    names = [f"c{i}" for i in range(len(header))] + overflow
    body = None
    for attempt in dict.fromkeys((encoding, "cp1252")):
        try:
            with warnings.catch_warnings():  # a row longer still is flagged by the overflow columns
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                body = pd.read_csv(path, sep=sep, encoding=attempt, header=None, skiprows=lines, names=names,
                                   dtype=object, keep_default_na=False, na_values=[""],
                                   skip_blank_lines=False, index_col=False, engine="c", quoting=csv.QUOTE_MINIMAL)
            break
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, ValueError, OverflowError, csv.Error) as exc:
            raise InvalidInputError(_unreadable(exc, path, lines, len(header))) from None
        except OSError as exc:
            raise InputFileError(Problem("file_unreadable", {"reason": exc.strerror or str(exc)}, file=str(path))) from None
    if body is None:
        raise InvalidInputError(Problem("file_not_utf8", {"offset": 0}, file=str(path)))
    check_size(str(path), path.name, len(body) + index + 1, len(header))
    first_row = index + 2  # the header is row index + 1 as a spreadsheet shows it
    columns = {found[p]: body[f"c{p}"] for p in positions}
    if 0 not in found and header:
        columns[FIRST] = body["c0"]
    frame = pd.DataFrame(columns)
    frame.index = pd.Index(np.arange(first_row, first_row + len(frame)), name="row")
    surplus = body[overflow].notna().to_numpy()
    problems: list[CellProblem] = [(int(first_row + i), None, "too_many_fields",
                 f"{len(header) + 1 + int(np.flatnonzero(surplus[i]).max())}{'+' if surplus[i, -1] else ''}"
                 f"/{len(header)}") for i in np.flatnonzero(surplus.any(axis=1))]
    if len(frame):
        frame = frame[frame.drop(columns=FIRST, errors="ignore").notna().any(axis=1).to_numpy()]
    table = Table(path, None, frame, {found[p]: header[p].strip() for p in positions}, index + 1, ignored,
                  problems=problems, base_dir=path.parent)
    table.details = {"encoding": "utf-8" if encoding == "utf-8-sig" else encoding, "separator": sep}
    return table
