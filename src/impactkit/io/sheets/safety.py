"""Refusing hostile or absurd workbooks before they are parsed.

An .xlsx file is a zip of XML: a zip bomb expands to gigabytes, an XML bomb to endless
entities (defusedxml guards openpyxl; calamine does not expand entities). Sheets declare their
size in a <dimension> element; more than a million rows or thousands of columns is refused.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from impactkit.errors import InvalidInputError, Problem

MAX_UNCOMPRESSED = 2 * 1024**3  # bytes, all members together
MAX_RATIO = 200  # uncompressed / compressed for one large member
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 1_000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_xlsx(path: Path) -> None:
    shown = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidInputError(Problem("xlsx_not_a_workbook", {"reason": str(exc)}, file=shown)) from None
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise InvalidInputError(Problem("xlsx_too_large", {"size": total // 1024**2}, file=shown))
        for info in infos:
            if info.file_size > 10 * 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise InvalidInputError(
                    Problem("xlsx_bomb", {"member": info.filename, "ratio": info.file_size // max(info.compress_size, 1)},
                            file=shown)
                )
        if not any(i.filename == "[Content_Types].xml" for i in infos):
            raise InvalidInputError(Problem("xlsx_not_a_workbook", {"reason": "no [Content_Types].xml"}, file=shown))
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with archive.open(info) as fh:
                    head = fh.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise InvalidInputError(Problem("xlsx_entities", {"member": info.filename}, file=shown))
                match = _DIMENSION.search(head)
                if match and match.group(3):
                    rows = int(match.group(4))
                    columns = _column_number(match.group(3))
                    check_size(shown, info.filename, rows, columns)


def check_size(file: str, sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise InvalidInputError(
            Problem("sheet_too_big", {"sheet": sheet, "rows": rows, "columns": columns,
                                      "max_rows": MAX_ROWS, "max_columns": MAX_COLUMNS}, file=file)
        )
