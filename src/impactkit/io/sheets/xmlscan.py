"""What calamine does not tell about an .xlsx sheet, read from its XML with a few fast scans.

- its real extent (the rectangle a reader allocates, whatever <dimension> claims): a bound
  found without visiting every cell in the usual case (rows in order, columns A-Z), exactly
  otherwise;
- hidden rows;
- error cells (#N/A, #REF!, #DIV/0!), which calamine gives as empty cells;
- formula cells without a cached value (a file written by a program that does not calculate),
  which calamine also gives as empty.

Rows are numbered as the spreadsheet shows them (1-based); columns from 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from impactkit.io.sheets.safety import MAX_CELLS, MAX_ROWS

_HAS_WIDE = re.compile(rb' r="[A-Z]{2}')
_WIDE_REF = re.compile(rb' r="([A-Z]{2,})\d')
_REF = re.compile(rb'\sr=["\']([A-Z]*)(\d+)["\']')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b([^>]*?\shidden=["\'](?:1|true)["\'][^>]*)>')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?\st=["\']e["\'][^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_FORMULA = re.compile(rb'<(?:\w+:)?f[\s>/]')
_CELL_END = re.compile(rb'</(?:\w+:)?c>')
_VALUE = re.compile(rb'<(?:\w+:)?v>([^<]*)</')
_TYPE = re.compile(rb'\st=["\'](\w+)["\']')
_ROWS = re.compile(rb'<(?:\w+:)?row\b([^>]*?)(/?)>', re.S)
_CELLS = re.compile(rb'<(?:\w+:)?c(?=[\s/>])([^>]*)>|</(?:\w+:)?row>')


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


@dataclass
class SheetScan:
    rows: int = 0  # last row of the rectangle a reader would allocate (a bound, at most 10x the real one)
    columns: int = 0
    hidden: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> "#DIV/0!"
    uncached: set[tuple[int, int]] = field(default_factory=set)  # formula cells without a value
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # where the reader does not say
    declared: tuple[int, int] = (0, 0)  # rows and columns the sheet's <dimension> claims


def column_number(letters: bytes) -> int:
    """b"A" -> 1, b"AA" -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _ref(attributes: bytes | bytearray) -> tuple[int, int] | None:
    match = _REF.search(attributes)
    if match is None or not match.group(1):
        return None
    return int(match.group(2)), column_number(match.group(1)) - 1


def scan_sheet(data: bytes | bytearray) -> SheetScan:
    scan = SheetScan()
    dimension = _DIMENSION.search(data[:4096])
    if dimension:
        last = (dimension.group(3), dimension.group(4)) if dimension.group(3) else (dimension.group(1), dimension.group(2))
        scan.declared = (int(last[1]), column_number(last[0]))
    _extent(data, scan)
    if b"hidden=" in data:
        for match in _HIDDEN_ROW.finditer(data):
            row = re.search(rb'\sr=["\'](\d+)', match.group(1))
            if row:
                scan.hidden.add(int(row.group(1)))
    if b't="e"' in data or b"t='e'" in data:
        for match in _ERROR_CELL.finditer(data):
            where = _ref(match.group(1))
            value = _VALUE.search(match.group(2))
            if where is not None:
                scan.errors[where] = value.group(1).decode("utf-8", "replace") if value else "#?"
    prefix = _prefix(data)
    if re.search(b"<" + re.escape(prefix) + b"f[ >/]", data):
        _uncached(data, scan)
    return scan


def _extent(data: bytes | bytearray, scan: SheetScan) -> None:
    """A bound on the rectangle: literal searches only, unless the file is unusual.

    In the usual file every row and cell carries its reference as ` r="A12"`; then the
    number of digits of the last row bounds every row (a row number with more digits would be
    found), and columns stay within A-Z unless a two-letter reference exists.
    """
    prefix = _prefix(data)
    start, end = data.find(b"sheetData"), data.rfind(b"sheetData")
    body = data[start:end] if 0 <= start < end else data  # inside it only <row> and <c> start so
    cells = body.count(b"<" + prefix + b"c")
    rows = body.count(b"<" + prefix + b"row")
    if data.count(b' r="') != cells + rows:  # placed by order, or written unusually: count exactly
        scan.rows, scan.columns = _exact_extent(data)
        return
    last = data.rfind(b' r="')
    digits = re.match(rb' r="[A-Z]*(\d+)', data[last:last + 24]) if last >= 0 else None
    width = len(digits.group(1)) if digits else 0
    while re.search(rb' r="[A-Z]*\d{%d}' % (width + 1), data):
        width += 1
    scan.rows = 10**width - 1 if width else 0
    if _HAS_WIDE.search(data) is None:
        scan.columns = 26 if cells else 0
    else:
        scan.columns = max(column_number(letters) for letters in set(_WIDE_REF.findall(data)))
    if scan.rows > MAX_ROWS or scan.rows * scan.columns > MAX_CELLS:  # the bound is loose: be exact
        scan.rows, scan.columns = _exact_extent(data)


def _prefix(data: bytes | bytearray) -> bytes:
    match = re.search(rb"<(\w+:)?worksheet\b", data[:4096])
    return match.group(1) or b"" if match else b""


def _exact_extent(data: bytes | bytearray) -> tuple[int, int]:
    """Rows and columns as a reader places the cells: by their reference, else after the previous one."""
    rows = columns = 0
    row = 0
    column = 0
    for match in _ROWS.finditer(data):
        attributes = match.group(1)
        number = re.search(rb'\sr=["\'](\d+)', attributes)
        row = int(number.group(1)) if number else row + 1
        if match.group(2):  # <row/> without cells
            continue
        column = 0
        for cell in _CELLS.finditer(data, match.end()):
            if cell.group(0).startswith(b"</"):
                break
            where = _ref(cell.group(1))
            if where is not None:
                rows = max(rows, where[0])
                column = where[1] + 1
            else:
                rows = max(rows, row)
                column += 1
            columns = max(columns, column)
    return rows, columns


def _uncached(data: bytes | bytearray, scan: SheetScan) -> None:
    for match in _FORMULA.finditer(data):
        start = data.rfind(b"<", 0, match.start() - 1)
        tag_end = match.start()
        if start < 0 or data[tag_end - 1:tag_end] != b">":
            continue
        attributes = data[start:tag_end]
        if not re.match(rb"<(?:\w+:)?c[\s>]", attributes):
            continue
        where = _ref(attributes)
        if where is None or where in scan.errors:
            continue
        end = _CELL_END.search(data, tag_end)
        body = data[tag_end:end.start() if end else len(data)]
        value = _VALUE.search(body)
        kind = _TYPE.search(attributes)
        if value is None or (value.group(1) == b"" and not (kind and kind.group(1) in (b"str", b"inlineStr"))):
            scan.uncached.add(where)
