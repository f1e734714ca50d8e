"""Shared helpers for writing report workbooks with openpyxl.

Text is always stored as text: a value from user input that starts with =, +, -, @, tab,
CR or LF is never written as a formula (OWASP CSV injection). Amounts are numbers with a
euro format, never formatted text.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

EURO = '"€" #,##0.00'
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MET_FILL = PatternFill("solid", fgColor="C6EFCE")
NOT_MET_FILL = PatternFill("solid", fgColor="FFC7CE")


def keep_text(cell):
    """Text stays text: openpyxl would make "=..." a formula, and a spreadsheet would on editing."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(RISKY_START):
            cell.quotePrefix = True
    return cell


def put(ws, row: int, col: int, value, number_format: str | None = None):
    """Write one cell: text stays text, Decimals become numbers with a format."""
    cell = ws.cell(row=row, column=col)
    cell.value = value  # numbers (Decimal, int), dates and None as they are
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
