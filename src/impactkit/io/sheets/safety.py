"""Refusing hostile, damaged or absurd workbooks before a reader parses them.

An .xlsx or .ods file is a zip of XML. A zip bomb expands to gigabytes, sometimes behind
sizes that lie; an XML bomb to endless entities (defusedxml guards openpyxl; calamine does not
expand entities); a single cell far away (ALL1048576) makes a reader allocate the whole
rectangle up to it. So every member is unpacked here first, counting the bytes it really
gives and checking its checksum, and each sheet's real extent is measured (`xmlscan`) before
calamine is asked for it.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from impactkit.errors import InvalidInputError, Problem

MAX_UNCOMPRESSED = 2 * 1024**3  # bytes, all members together
MAX_RATIO = 200  # uncompressed / compressed for one large member
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 1_000
MAX_CELLS = 40_000_000  # rows x columns of a sheet's used rectangle (a reader allocates each)
_CHUNK = 1 << 20


def damaged(file: str, member: str, reason) -> InvalidInputError:
    text = str(reason).strip() or type(reason).__name__
    return InvalidInputError(Problem("xlsx_damaged", {"member": member, "reason": text[:200]}, file=file))


def open_archive(path: Path) -> zipfile.ZipFile:
    """The workbook's zip archive, after the sizes it declares were checked."""
    shown = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidInputError(Problem("xlsx_not_zip", file=shown)) from None
    try:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise InvalidInputError(Problem("xlsx_too_large", {"size": total // 1024**2}, file=shown))
        for info in infos:
            if info.file_size > 10 * 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise InvalidInputError(Problem("xlsx_bomb", {"member": info.filename, "ratio": _ratio(info)}, file=shown))
            if info.flag_bits & 0x1:
                raise InvalidInputError(Problem("xlsx_encrypted", {"member": info.filename}, file=shown))
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names and "content.xml" not in names:
            raise InvalidInputError(Problem("xlsx_part_missing", {"part": "[Content_Types].xml"}, file=shown))
    except BaseException:
        archive.close()
        raise
    return archive


def _ratio(info: zipfile.ZipInfo) -> int:
    return info.file_size // max(info.compress_size, 1)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str, budget: list[int]) -> bytearray:
    """A member's bytes, unpacked in pieces: refused when it gives more than its declared size,
    more than the budget left for the whole archive, or a wrong checksum."""
    data = bytearray()  # grown in place: no second copy of a large sheet
    got = 0
    try:
        with archive.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                got += len(chunk)
                if got > budget[0]:
                    raise InvalidInputError(Problem("xlsx_too_large", {"size": (MAX_UNCOMPRESSED - budget[0] + got) // 1024**2},
                                                    file=file))
                if got > 10 * 1024**2 and got > MAX_RATIO * max(info.compress_size, 1):
                    raise InvalidInputError(Problem("xlsx_bomb", {"member": info.filename, "ratio": got // max(info.compress_size, 1)},
                                                    file=file))
                data += chunk
    except InvalidInputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise damaged(file, info.filename, exc) from None
    if got != info.file_size:
        raise damaged(file, info.filename, f"unpacks to {got} bytes, declares {info.file_size}")
    budget[0] -= got
    return data


def check_entities(data: bytes | bytearray, file: str, member: str) -> None:
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise InvalidInputError(Problem("xlsx_entities", {"member": member}, file=file))


def check_size(file: str, sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise InvalidInputError(
            Problem("sheet_too_big", {"sheet": sheet, "rows": rows, "columns": columns, "max_rows": MAX_ROWS,
                                      "max_columns": MAX_COLUMNS, "max_cells": MAX_CELLS}, file=file)
        )
