"""Writing sheets in openpyxl's write-only mode: a sheet that counts its rows, cells that keep
user text as text, and the cell XML of lines spliced in afterwards (`fastrows`)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from impactkit.i18n import Translator
from impactkit.io.fastrows import euro_cells, number_cells, text_cells
from impactkit.io.xlsx_style import (EURO, HEADER_FILL, HEADER_FONT, MET_FILL, NOT_MET_FILL, PERCENT, cell_value,
                                      keep_text, print_setup)

FACTS = ("hours_per_week", "months", "hours", "days", "amount", "age")


class Sheet:
    """A write-only sheet that knows how many rows it has."""

    def __init__(self, wb, title: str):
        self.ws = wb.create_sheet(title[:31])
        self.rows = 0
        self.number = len(wb.worksheets)  # xl/worksheets/sheetN.xml

    def append(self, values) -> int:
        if not self.rows:  # before the sheet's first row is written: its widths and frozen rows are known
            print_setup(self.ws)
        self.ws.append(values)
        self.rows += 1
        return self.rows

    def cell(self, value, number_format=None, fill=None, bold=False, size=None):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        cell = keep_text(WriteOnlyCell(self.ws, value=cell_value(value)))  # storable, never a formula
        if number_format:
            cell.number_format = number_format
        if fill is not None:
            cell.fill = fill
        if bold or size:
            cell.font = Font(bold=bold, size=size)
        return cell

    def header(self, titles, comments: dict | None = None) -> int:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.comments import Comment

        row = []
        for title in titles:
            cell = WriteOnlyCell(self.ws, value=title)
            cell.data_type = "s"
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            if comments and title in comments:
                cell.comment = Comment(comments[title], "impactkit")
            row.append(cell)
        return self.append(row)

    def widths(self, widths) -> None:
        from openpyxl.utils import get_column_letter

        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width


def money(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def met_cell(sheet: Sheet, met: bool, tr: Translator):
    return sheet.cell(tr("yes") if met else tr("no"), fill=MET_FILL if met else NOT_MET_FILL)


def coverage_cell(sheet: Sheet, bid):
    return sheet.cell(bid.coverage, PERCENT) if bid.coverage is not None else None


def line_columns(result, sheet: Sheet, at: np.ndarray, with_facts: bool) -> list[tuple[str, list]]:
    """Cell XML columns of lines: on a tender's sheet with the facts, on Lines with the tender."""
    lines = result.lines
    euro = sheet.cell(Decimal(0), EURO).style_id
    quoted = sheet.cell("=").style_id  # text a spreadsheet must keep as text when edited
    credit = lines["credit"].to_numpy(dtype=np.int64)[at]
    block = lines["block_credit"].to_numpy(dtype=np.int64)[at] if "block_credit" in lines.columns else credit

    def text(name):
        return text_cells(lines[name].to_numpy(dtype=object)[at], quoted)

    if not with_facts:
        columns = [("A", text("source")), ("B", number_cells(lines["row"].to_numpy()[at].tolist())),
                   ("C", text("tender_id")), ("D", text("bidder")), ("E", text("block")), ("F", text("counted_as")),
                   ("G", text("candidate")), ("H", euro_cells(credit.tolist(), euro)),
                   ("I", euro_cells(block.tolist(), euro)), ("J", euro_cells((credit - block).tolist(), euro)),
                   ("K", text("explanation"))]
        return columns
    columns = [("A", text("bidder")), ("B", text("source")), ("C", number_cells(lines["row"].to_numpy()[at].tolist())),
               ("D", text("block")), ("E", text("counted_as")), ("F", text("candidate"))]
    facts = result.line_facts or {}
    for letter, name in zip("GHIJKL", FACTS):
        values, present = facts.get(name, (None, None))
        if values is None:
            columns.append((letter, ["/>"] * len(at)))
        elif name == "amount":
            columns.append((letter, fact_cells(values[at], present[at], euro)))
        else:
            columns.append((letter, fact_cells(values[at], present[at], None)))
    columns += [("M", euro_cells(block.tolist(), euro)), ("N", euro_cells((credit - block).tolist(), euro)),
                ("O", euro_cells(credit.tolist(), euro)), ("P", text("explanation"))]
    return columns


def fact_cells(hundredths: np.ndarray, present: np.ndarray, style: int | None) -> list[str]:
    attr = f' s="{style}"' if style is not None else ""
    shown = [f'{attr}><v>{v // 100}{"." + format(v % 100, "02d") if v % 100 else ""}</v></c>' if p else "/>"
             for v, p in zip(hundredths.tolist(), present.tolist())]
    return shown
