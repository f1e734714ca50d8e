"""The sheet of one tender in the results workbook: its bids with a chart, ways to close each
shortfall, and its lines with their facts, block credit and bonus credit apart."""

from __future__ import annotations

import re

import numpy as np

from impactkit.i18n import Translator
from impactkit.io.fastrows import rows_xml
from impactkit.report.write_only import FACTS, Sheet, coverage_cell, line_columns, met_cell
from impactkit.io.xlsx_style import EURO

MAX_WAYS = 4  # ways to close a shortfall shown per bid
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def sheet_title(tender_id: str, taken: set[str]) -> str:
    base = _SHEET_NAME.sub("_", tender_id).strip("'") or "tender"
    title, n = base[:31], 1
    while title.lower() in {t.lower() for t in taken}:
        n += 1
        title = f"{base[:31 - len(str(n)) - 1]}~{n}"
    taken.add(title)
    return title


def tender_sheet(wb, result, tr: Translator, tender_id: str, positions: list[int], lines_at: np.ndarray,
                  taken: set[str], splices: dict) -> None:
    from openpyxl.chart import BarChart, Reference

    from impactkit.engine.suggest import explain_suggestion
    from impactkit.report.score_files import how_text, tender_title

    sheet = Sheet(wb, sheet_title(tender_id, taken))
    sheet.widths((28, 24, 7, 22, 20, 12, 9, 9, 9, 9, 13, 7, 14, 14, 14, 90))
    sheet.append([sheet.cell(tender_title(result, tender_id), bold=True, size=13)])
    state = result.tenders.get(tender_id)
    if state is not None:
        menu = state.choice.menu
        sheet.append([sheet.cell(f"{tr('menu')}: {menu.ref} — {tr.label(menu.name)}")])
    sheet.append([])
    first = sheet.header([tr("bidder"), tr("rank"), tr("met_header"), tr("coverage"), tr("credited"), tr("obligation"),
                          tr("shortfall"), tr("surplus"), tr("incomplete"), tr("how_obligation")])
    for i in positions:
        bid = result.bids[i]
        how = how_text(result, i, tr)
        sheet.append([sheet.cell(bid.bidder), bid.rank, met_cell(sheet, bid.met, tr), coverage_cell(sheet, bid),
                      sheet.cell(bid.credited, EURO), sheet.cell(bid.obligation.amount, EURO),
                      sheet.cell(bid.shortfall, EURO), sheet.cell(bid.surplus, EURO),
                      sheet.cell(tr("yes") if bid.rejected else ""), sheet.cell(how)])
    last = sheet.rows
    chart = BarChart()
    chart.type = "bar"
    chart.title = tr("chart_tender", id=tender_id)
    chart.y_axis.numFmt = "#,##0"
    chart.add_data(Reference(sheet.ws, min_col=5, max_col=6, min_row=first, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=first + 1, max_row=last))
    chart.height, chart.width = max(6, len(positions) * 1.2), 16
    sheet.ws.add_chart(chart, "R1")
    short = [i for i in positions if not result.bids[i].met]
    if short and state is not None:
        sheet.append([])
        sheet.append([sheet.cell(tr("ways_to_close"), bold=True)])
        sheet.header([tr("bidder"), tr("shortfall"), tr("way")])
        for i in short:
            bid = result.bids[i]
            ways = bid.suggestions[:MAX_WAYS]
            for n, way in enumerate(ways):
                sheet.append([sheet.cell(bid.bidder if n == 0 else None),
                              sheet.cell(bid.shortfall, EURO) if n == 0 else None,
                              sheet.cell(explain_suggestion(way, tr))])
    sheet.append([])
    titles = [tr("bidder"), tr("sheet"), tr("row"), tr("block"), tr("counted_as"), tr("candidate"),
              *(tr(f"fact_{name}") for name in FACTS), tr("block_credit"), tr("bonus_credit"), tr("credit"),
              tr("explanation")]
    header_row = sheet.header(titles)
    sheet.ws.auto_filter.ref = f"A{header_row}:P{header_row + len(lines_at)}"
    if len(lines_at):
        columns = line_columns(result, sheet, lines_at, with_facts=True)
        splices[f"xl/worksheets/sheet{sheet.number}.xml"] = (
            lambda c=columns, r=header_row + 1: rows_xml(c, r), header_row + len(lines_at), "P")
