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
