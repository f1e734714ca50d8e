"""An OpenDocument spreadsheet (.ods) checked before calamine reads it: the zip within its
limits, no entities, and for each sheet its real extent (repeated rows and cells count as
many), hidden rows, merged ranges, error cells and formulas without a value."""

from __future__ import annotations

import io
from pathlib import Path

from impactkit.errors import InvalidInputError, Problem
from impactkit.io.sheets import safety
from impactkit.io.sheets.xmlscan import SheetScan

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def check_ods(path: Path) -> dict[str, SheetScan]:
    shown = str(path)
    content = None
    with safety.open_archive(path) as archive:
        budget = [safety.MAX_UNCOMPRESSED]
        for info in archive.infolist():
            if info.is_dir():
                continue
            data = safety.read_member(archive, info, shown, budget)
            if info.filename.endswith(".xml"):
                safety.check_entities(data, shown, info.filename)
            if info.filename == "content.xml":
                content = data
    if content is None:
        raise InvalidInputError(Problem("xlsx_part_missing", {"part": "content.xml"}, file=shown))
    return scan_content(content, shown)


def _count(element, name: str) -> int:
    try:
        return max(1, int(element.get(name, "1")))
    except ValueError:
        return 1


def scan_content(content: bytes | bytearray, shown: str) -> dict[str, SheetScan]:
    from lxml import etree

    scans: dict[str, SheetScan] = {}
    scan = None
    row = 0  # rows before the current one
    column = 0
    row_repeat = 1
    try:
        for event, element in etree.iterparse(io.BytesIO(content), events=("start", "end"), resolve_entities=False,
                                              no_network=True, load_dtd=False, huge_tree=False):
            tag = element.tag
            if event == "start":
                if tag == f"{TABLE}table":
                    scan = scans[element.get(f"{TABLE}name", "")] = SheetScan()
                    row = 0
                elif tag == f"{TABLE}table-row" and scan is not None:
                    row_repeat = _count(element, f"{TABLE}number-rows-repeated")
                    column = 0
                    if element.get(f"{TABLE}visibility", "visible") in ("collapse", "filter"):
                        scan.hidden.update(range(row + 1, row + 1 + min(row_repeat, safety.MAX_ROWS)))
                continue
            if scan is None:
                continue
            if tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                repeat = _count(element, f"{TABLE}number-columns-repeated")
                kind = element.get(f"{OFFICE}value-type")
                text = "".join(element.itertext())
                if kind is not None or text:
                    scan.rows = max(scan.rows, row + row_repeat)
                    scan.columns = max(scan.columns, column + repeat)
                    safety.check_size(shown, "content.xml", scan.rows, scan.columns)
                where = (row + 1, column)
                rows_spanned = _count(element, f"{TABLE}number-rows-spanned")
                columns_spanned = _count(element, f"{TABLE}number-columns-spanned")
                if rows_spanned > 1 or columns_spanned > 1:
                    scan.merged.append((row + 1, column, row + rows_spanned, column + columns_spanned - 1))
                if element.get(f"{CALCEXT}value-type") == "error":
                    scan.errors[where] = text or "#?"
                elif element.get(f"{TABLE}formula") is not None and kind is None:
                    scan.uncached.add(where)
                column += repeat
                element.clear(keep_tail=False)
            elif tag == f"{TABLE}table-row":
                row += row_repeat
                element.clear(keep_tail=False)
    except etree.XMLSyntaxError as exc:
        raise safety.damaged(shown, "content.xml", exc) from None
    return scans
