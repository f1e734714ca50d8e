"""Shared helpers for writing report workbooks with openpyxl.

Every text cell goes through here (``put``, ``keep_text``, ``cell_value``): text is always stored
as text, so a value from user input that starts with =, +, -, @, tab, CR or LF is never written
as a formula (OWASP CSV injection), and a character a workbook cannot hold (NUL, ESC, other
control characters) is shown as its visible symbol (see ``impactkit.io.text``) instead of
stopping the whole report. Amounts are numbers with a euro format, never formatted text.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from impactkit.io.ownership import CREATOR
from impactkit.io.text import RISKY_START, visible_text

EURO = '"€" #,##0.00'
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MET_FILL = PatternFill("solid", fgColor="C6EFCE")
NOT_MET_FILL = PatternFill("solid", fgColor="FFC7CE")


def cell_value(value):
    """A value as a cell may hold it: text readable and storable (see ``impactkit.io.text``),
    anything else as it is. Give every text to a cell through this or ``put``."""
    return visible_text(value) if isinstance(value, str) else value


def keep_text(cell):
    """Text stays text: openpyxl would make "=..." a formula, and a spreadsheet would on editing.

    The cell's value must have come through ``cell_value`` (``put`` does that)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(RISKY_START):
            cell.quotePrefix = True
    return cell


def text_cell(ws, value):
    """A write-only cell for a text from user input: storable, and never a formula."""
    from openpyxl.cell import WriteOnlyCell

    return keep_text(WriteOnlyCell(ws, value=cell_value(value)))


def put(ws, row: int, col: int, value, number_format: str | None = None):
    """Write one cell: text stays text, Decimals become numbers with a format."""
    cell = ws.cell(row=row, column=col)
    cell.value = cell_value(value)  # numbers (Decimal, int), dates and None as they are
    keep_text(cell)
    if number_format:
        cell.number_format = number_format
    return cell


def header(ws, titles: list[str], row: int = 1) -> None:
    for col, title in enumerate(titles, start=1):
        cell = put(ws, row, col, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def finish_table(ws, columns: int, rows: int, widths: dict[int, int] | None = None, header_row: int = 1) -> None:
    """Freeze the header, add filters and set sensible column widths."""
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    last = get_column_letter(columns)
    ws.auto_filter.ref = f"A{header_row}:{last}{max(header_row, header_row + rows)}"
    for col in range(1, columns + 1):
        ws.column_dimensions[get_column_letter(col)].width = (widths or {}).get(col, 16)


#: the column widths (in characters) an upright A4 page holds at a readable size; wider sheets print landscape
PORTRAIT_WIDTH = 100
_DEFAULT_WIDTH = 9  # a column whose width was not set


def print_setup(ws, header_rows: int | None = None, columns: int | None = None) -> None:
    """Make a sheet print as people expect: on A4, fitted to the page's width (as many pages down
    as it takes), landscape when its columns are wider than an upright page holds, and its header
    repeated on every page. `header_rows`: the rows to repeat (default: the rows frozen on screen).
    `columns`: how many columns the sheet uses (default: as far as it has cells or set widths).
    A write-only sheet must get this before its first row is written."""
    from openpyxl.utils import column_index_from_string
    from openpyxl.worksheet.properties import PageSetupProperties

    if header_rows is None:
        header_rows = _frozen_rows(ws)
    widths = {column_index_from_string(key): dim.width for key, dim in ws.column_dimensions.items() if dim.width}
    if columns is None:  # a write-only sheet knows no cells yet: the columns it set widths for
        columns = max([ws.max_column if isinstance(ws, Worksheet) else 0, *widths])
    width = sum(widths.get(c, _DEFAULT_WIDTH) for c in range(1, columns + 1))
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"


def first_sheet(workbook: Workbook, title: str) -> Worksheet:
    """The worksheet a new workbook opens with, given its title."""
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):  # a new workbook's one sheet is a worksheet
        raise TypeError(f"the workbook opens with {type(sheet).__name__}, not a worksheet")
    sheet.title = title
    return sheet


def printable(workbook, creator: str = CREATOR):
    """Every sheet of a workbook given its print setup (`print_setup`); returns the workbook, so a
    writer says `write_atomic(target, printable(wb).save, ...)`."""
    for ws in workbook.worksheets:
        print_setup(ws)
    workbook.properties.creator = creator  # io/ownership.py: an output replaces only impactkit's files
    return workbook


def _frozen_rows(ws) -> int:
    cell = ws.freeze_panes
    if not cell:
        return 0
    from openpyxl.utils.cell import coordinate_from_string

    return coordinate_from_string(cell)[1] - 1


def discard(workbook) -> None:
    """Let go of a write-only workbook that was not (completely) saved, for example because its
    target was refused: finish its sheets' streams and remove openpyxl's temporary files, instead
    of leaving both to the garbage collector (which prints a traceback for each unfinished sheet)."""
    import contextlib

    for ws in workbook.worksheets:
        if getattr(ws, "closed", True):  # saved, or not a write-only sheet
            continue
        with contextlib.suppress(Exception):
            ws.close()
        if ws._writer is not None:
            with contextlib.suppress(Exception):
                ws._writer.cleanup()
