"""The portfolio workbook: all contracts at a glance, and a chart per contract."""

from __future__ import annotations

from pathlib import Path

from impactkit.io.atomic import write_atomic
from impactkit.i18n import Translator
from impactkit.monitor.ledger import Status

MAX_CHARTS = 200  # beyond this a sheet of charts helps nobody; the table has every contract


def write_portfolio(statuses: list[Status], tr: Translator, target: Path, inputs=()) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from impactkit.io.xlsx_style import EURO, MET_FILL, NOT_MET_FILL, PERCENT, finish_table, first_sheet, header, printable, put

    wb = Workbook()
    ws = first_sheet(wb, tr("monitor_sheet_portfolio")[:31])
    titles = [tr("monitor_contract"), tr("bidder"), tr("obligation"), tr("monitor_planned"), tr("monitor_accepted"),
              tr("monitor_claimed"), tr("monitor_projected"), tr("monitor_elapsed"), tr("monitor_risk"),
              tr("monitor_withheld"), tr("monitor_end")]
    header(ws, titles)
    for r, s in enumerate(statuses, start=2):
        c = s.contract
        values = [c.id, c.bidder, c.obligation, s.planned, s.accepted, s.claimed, s.projected, s.elapsed,
                  tr("monitor_risk_" + s.risk), s.withheld_if_ended, c.end]
        formats = [None, None, EURO, EURO, EURO, EURO, EURO, PERCENT, None, EURO, "yyyy-mm-dd"]
        for col, (value, fmt) in enumerate(zip(values, formats), start=1):
            if value is not None:
                put(ws, r, col, value, fmt)
        ws.cell(row=r, column=9).fill = MET_FILL if s.risk in ("met", "on_track") else NOT_MET_FILL
    finish_table(ws, len(titles), len(statuses), {1: 18, 2: 26, 9: 16})
    charts = wb.create_sheet(tr("monitor_sheet_charts")[:31])
    for i, s in enumerate(statuses[:MAX_CHARTS]):
        row = i + 2
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"{s.contract.id} — {s.contract.bidder}"
        chart.legend = None
        data = Reference(ws, min_col=3, max_col=7, min_row=row, max_row=row)
        chart.add_data(data, from_rows=True, titles_from_data=False)
        chart.set_categories(Reference(ws, min_col=3, max_col=7, min_row=1, max_row=1))
        chart.height, chart.width = 6, 12
        charts.add_chart(chart, f"{'A' if i % 2 == 0 else 'J'}{1 + (i // 2) * 13}")
    return write_atomic(Path(target), printable(wb).save, inputs=inputs)
