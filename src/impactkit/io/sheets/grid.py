"""The cells of a workbook's sheets (.xlsx, .xlsm, .ods, .xls), read with calamine after the
file passed the safety checks, with what calamine does not say: hidden rows, error cells,
formulas without a value, merged ranges.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from impactkit.errors import InvalidInputError, Problem
from impactkit.io.sheets import safety
from impactkit.io.sheets.xmlscan import SheetScan

if TYPE_CHECKING:  # calamine is imported when a workbook is opened
    from python_calamine import CalamineWorkbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")


@dataclass
class Grid:
    """One sheet as a list of rows; rows[i] is the row the spreadsheet shows as i + 1."""

    file: Path
    sheet: str
    rows: list[list]
    hidden: set[int] = field(default_factory=set)  # row numbers
    problems: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)  # (row, column) -> (key, text)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, column, last row, column


@dataclass
class Workbook:
    file: Path
    sheets: list[str]  # worksheets that may hold data, in workbook order
    skipped: list[str]  # hidden sheets and chart sheets, not read
    _book: CalamineWorkbook
    _scans: dict[str, SheetScan] = field(default_factory=dict)

    def grid(self, name: str) -> Grid:
        """The sheet's cells. Refused before calamine allocates when its real extent is absurd."""
        shown = str(self.file)
        scan = self._scans.get(name)
        if scan is not None:
            safety.check_size(shown, name, *scan.declared)
            safety.check_size(shown, name, scan.rows, scan.columns)
        try:
            sheet = self._book.get_sheet_by_name(name)
            safety.check_size(shown, name, sheet.total_height, sheet.total_width)
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except InvalidInputError:
            raise
        except BaseException as exc:  # calamine's errors, and the panics its Rust code may raise
            if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
                raise
            raise InvalidInputError(Problem("sheet_unreadable", {"sheet": name, "reason": _reason(exc)}, file=shown)) from None
        grid = Grid(self.file, name, rows, merged=[(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in merged])
        if scan is not None:
            grid.merged = grid.merged or scan.merged
            grid.hidden = scan.hidden
            grid.problems = {**{k: ("cell_error", v) for k, v in scan.errors.items()},
                             **{k: ("cell_formula_no_value", "") for k in scan.uncached}}
        return grid


def _reason(exc: BaseException) -> str:
    return (str(exc).strip() or type(exc).__name__)[:200]


def open_workbook(path: Path) -> Workbook:
    """Check the file and open it with calamine; sheets are read on demand with `grid`."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    suffix = path.suffix.lower()
    scans: dict[str, SheetScan] = {}
    if suffix in (".xlsx", ".xlsm"):
        scans = _check_xlsx(path)
    elif suffix == ".ods":
        from impactkit.io.sheets.odsscan import check_ods

        scans = check_ods(path)
    elif suffix == ".xls":
        from impactkit.io.sheets.xlsscan import check_xls

        scans = check_xls(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        metadata = book.sheets_metadata
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise InvalidInputError(Problem("xlsx_not_a_workbook", {"reason": _reason(exc)}, file=str(path))) from None
    sheets: list[str] = []
    skipped: list[str] = []
    for meta in metadata:
        usable = str(meta.typ).endswith("WorkSheet") and str(meta.visible).endswith(".Visible")
        (sheets if usable else skipped).append(meta.name)
    return Workbook(path, sheets, skipped, book, scans)


def _check_xlsx(path: Path) -> dict[str, SheetScan]:
    """Every member unpacked once within the limits; each worksheet scanned and measured."""
    from impactkit.io.sheets.xmlscan import scan_sheet

    shown = str(path)
    members = {}
    with safety.open_archive(path) as archive:
        budget = [safety.MAX_UNCOMPRESSED]
        names = _sheet_members(archive, shown, budget)
        wanted = set(names.values())
        for info in archive.infolist():
            if info.is_dir():
                continue
            data = safety.read_member(archive, info, shown, budget)
            if info.filename.endswith((".xml", ".rels")):
                safety.check_entities(data, shown, info.filename)
            if info.filename in wanted:
                members[info.filename] = scan_sheet(data)
    return {name: members[member] for name, member in names.items() if member in members}


def _sheet_members(archive, shown: str, budget: list[int]) -> dict[str, str]:
    """Sheet name -> its member in the archive (xl/workbook.xml and its relationships)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        workbook = ElementTree.fromstring(safety.read_member(archive, archive.getinfo("xl/workbook.xml"), shown, [budget[0]]))
        rels = ElementTree.fromstring(
            safety.read_member(archive, archive.getinfo("xl/_rels/workbook.xml.rels"), shown, [budget[0]]))
    except KeyError as exc:
        raise InvalidInputError(Problem("xlsx_part_missing", {"part": exc.args[0]}, file=shown)) from None
    except DefusedXmlException:
        raise InvalidInputError(Problem("xlsx_entities", {"member": "xl/workbook.xml"}, file=shown)) from None
    except ElementTree.ParseError as exc:
        raise safety.damaged(shown, "xl/workbook.xml", exc) from None
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    out = {}
    for sheet in workbook.iter(f"{main}sheet"):
        target = targets.get(sheet.get(f"{rel_ns}id"), "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out[sheet.get("name", "")] = posixpath.normpath(member)
    return out
