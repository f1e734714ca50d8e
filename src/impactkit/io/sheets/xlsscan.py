"""An old Excel workbook (.xls) checked before calamine reads it.

An .xls file is a compound file (CFB) holding a "Workbook" stream of BIFF records. A cell record
carries its row and column (16 bits each, so a hostile file can claim column 65,535 where Excel
stops at 256); the reader allocates the rectangle up to the farthest cell. Here the stream is
found, every cell record visited for its position, and hidden rows and error cells noted.
"""

from __future__ import annotations

import struct
from pathlib import Path

from impactkit.errors import InvalidInputError, Problem
from impactkit.io.sheets import safety
from impactkit.io.sheets.xmlscan import SheetScan

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END = 0xFFFFFFFE
CELLS = {0x0006, 0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x00D6, 0x0201, 0x00BD, 0x00BE}
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}
MAX_FILE = 256 * 1024**2


class _Broken(Exception):
    pass


def check_xls(path: Path) -> dict[str, SheetScan]:
    shown = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE + 1)
    except OSError as exc:
        raise InvalidInputError(Problem("xlsx_not_a_workbook", {"reason": exc.strerror or str(exc)}, file=shown)) from None
    if len(data) > MAX_FILE:
        raise InvalidInputError(Problem("xlsx_too_large", {"size": len(data) // 1024**2}, file=shown))
    if not data.startswith(SIGNATURE):
        raise InvalidInputError(Problem("xls_not_excel", file=shown))
    try:
        stream = _workbook_stream(data)
        return _scan_biff(stream, shown)
    except (_Broken, struct.error, IndexError, UnicodeDecodeError) as exc:
        raise safety.damaged(shown, "Workbook", exc) from None


def _u32(data: bytes, offset: int) -> int:
    return struct.unpack_from("<I", data, offset)[0]


def _workbook_stream(data: bytes) -> bytes:
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise _Broken("bad sector size")
    size = 1 << shift
    sectors = max(0, len(data) - size) // size + 1

    def sector(i: int) -> bytes:
        start = (i + 1) * size  # the header fills sector -1
        if start >= len(data):
            raise _Broken(f"sector {i} outside the file")
        return data[start:start + size]

    fat_ids = [_u32(data, 0x4C + 4 * k) for k in range(109)]
    difat, seen = _u32(data, 0x44), 0
    while difat < END and seen < sectors:
        block = sector(difat)
        fat_ids += [_u32(block, 4 * k) for k in range(size // 4 - 1)]
        difat, seen = _u32(block, size - 4), seen + 1
    fat_count = _u32(data, 0x2C)
    fat_bytes = b"".join(sector(i) for i in fat_ids[:fat_count] if i < END)
    fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes)

    def chain(start: int, table, limit: int) -> list[int]:
        out: list[int] = []
        while start < END:
            if start >= len(table) or len(out) > limit:
                raise _Broken("broken sector chain")
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(i) for i in chain(_u32(data, 0x30), fat, sectors))
    entries = []
    for k in range(0, len(directory) - 127, 128):
        entry = directory[k:k + 128]
        length = struct.unpack_from("<H", entry, 0x40)[0]
        name = entry[:max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
        entries.append((name, entry[0x42], _u32(entry, 0x74), _u32(entry, 0x78)))
    if not entries:
        raise _Broken("no directory")
    found = next((e for e in entries if e[0] in ("Workbook", "Book") and e[1] == 2), None)
    if found is None:
        raise _Broken("no Workbook stream")
    _, _, start, length = found
    if length > MAX_FILE:
        raise _Broken("stream larger than the file")
    if length >= _u32(data, 0x38):
        stream = b"".join(sector(i) for i in chain(start, fat, sectors))
    else:  # small streams live in the mini stream, in 64-byte pieces
        root = entries[0]
        mini_data = b"".join(sector(i) for i in chain(root[2], fat, sectors))
        mini_fat_bytes = b"".join(sector(i) for i in chain(_u32(data, 0x3C), fat, sectors))
        mini_fat = struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes)
        stream = b"".join(mini_data[i * 64:(i + 1) * 64] for i in chain(start, mini_fat, len(mini_data) // 64 + 1))
    return stream[:length]


def _records(stream: bytes, start: int):
    position = start
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4:position + 4 + length]
        position += 4 + length


def _scan_biff(stream: bytes, shown: str) -> dict[str, SheetScan]:
    sheets: list[tuple[str, int]] = []
    for kind, body in _records(stream, 0):
        if kind == 0x0085 and len(body) >= 8:  # BOUNDSHEET: stream position and name
            length, wide = body[6], body[7] & 1
            raw = body[8:8 + length * (2 if wide else 1)]
            sheets.append((raw.decode("utf-16-le" if wide else "latin-1", "replace"), _u32(body, 0)))
        elif kind == 0x000A:  # EOF of the workbook globals
            break
    scans: dict[str, SheetScan] = {}
    for name, offset in sheets:
        scan = scans[name] = SheetScan()
        for kind, body in _records(stream, offset):
            if kind == 0x000A:
                break
            if kind in CELLS and len(body) >= 4:
                row, column = struct.unpack_from("<HH", body, 0)
                if kind in (0x00BD, 0x00BE) and len(body) >= 6:  # MULRK, MULBLANK: a run of cells
                    column = struct.unpack_from("<H", body, len(body) - 2)[0]
                scan.rows = max(scan.rows, row + 1)
                scan.columns = max(scan.columns, column + 1)
                if kind == 0x0205 and len(body) >= 8 and body[7] == 1:
                    scan.errors[(row + 1, column)] = ERRORS.get(body[6], "#?")
                elif kind == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
                    scan.errors[(row + 1, column)] = ERRORS.get(body[8], "#?")
            elif kind == 0x0208 and len(body) >= 14:  # ROW: hidden flag
                if struct.unpack_from("<H", body, 12)[0] & 0x20:
                    scan.hidden.add(struct.unpack_from("<H", body, 0)[0] + 1)
        safety.check_size(shown, name, scan.rows, scan.columns)
    return scans
