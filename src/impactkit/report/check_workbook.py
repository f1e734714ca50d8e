"""The archive workbook of `impactkit check`: summary, lines, menu rows, tender and chart."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from impactkit import __version__
from impactkit.io.atomic import write_atomic
from impactkit.engine.stack import TenderResult
from impactkit.i18n import Translator
from impactkit.menus.notices import secondary_notice_text
from impactkit.model.menu import Bonus
from impactkit.rules.explain import explain_obligation
from impactkit.io.xlsx_style import EURO, MET_FILL, NOT_MET_FILL, PERCENT, finish_table, header, printable, put


def check_workbook(result: TenderResult, tr: Translator, today: date | None = None) -> Workbook:
    wb = Workbook()
    _summary(wb.active, result, tr)
    _lines(wb.create_sheet(tr("sheet_lines")[:31]), result, tr)
    _menu_rows(wb.create_sheet(tr("sheet_menu")[:31]), result, tr)
    _tender(wb.create_sheet(tr("sheet_tender")[:31]), result, tr, today or date.today())
    return wb


def write_check_workbook(result: TenderResult, tr: Translator, target: Path, inputs=()) -> Path:
    wb = check_workbook(result, tr)
    return write_atomic(Path(target), printable(wb).save, inputs=inputs)


def _summary(ws, result: TenderResult, tr: Translator) -> None:
    ws.title = tr("sheet_summary")[:31]
    titles = [tr("bidder"), tr("obligation"), tr("credited"), tr("coverage"), tr("met_header"),
              tr("shortfall"), tr("surplus"), tr("explanation")]
    header(ws, titles)
    for r, bid in enumerate(result.bids, start=2):
        put(ws, r, 1, bid.bidder)
        put(ws, r, 2, bid.obligation.amount, EURO)
        put(ws, r, 3, bid.credited, EURO)
        # coverage as a stored number (a formula has no value until a spreadsheet program computes it,
        # and programs that read values, impactkit's score among them, would find the cell empty)
        put(ws, r, 4, _coverage(bid), PERCENT)
        put(ws, r, 5, tr("yes") if bid.met else tr("no"))
        for col in (1, 2, 3, 5):
            ws.cell(row=r, column=col).fill = MET_FILL if bid.met else NOT_MET_FILL
        put(ws, r, 6, bid.shortfall, EURO)
        put(ws, r, 7, bid.surplus, EURO)
        put(ws, r, 8, explain_obligation(bid.obligation, tr))
    n = len(result.bids)
    finish_table(ws, len(titles), n, {1: 28, 8: 70})
    if n:
        chart = BarChart()
        chart.type = "col"
        chart.title = tr("chart_title")
        chart.y_axis.title = "€"
        chart.y_axis.numFmt = "#,##0"
        data = Reference(ws, min_col=2, max_col=3, min_row=1, max_row=n + 1)
        cats = Reference(ws, min_col=1, min_row=2, max_row=n + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.height, chart.width = 9, 18
        ws.add_chart(chart, f"A{n + 4}")


def _coverage(bid) -> Decimal:
    """Credited / obligation (1 where the obligation is nil), to a millionth, rounded half-up."""
    if not bid.obligation.amount:
        return Decimal(1)
    share = Decimal(bid.credited) / Decimal(bid.obligation.amount)
    return share.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _lines(ws, result: TenderResult, tr: Translator) -> None:
    titles = [tr("bidder"), "#", tr("block"), tr("counted_as"), tr("candidate"), tr("credit"),
              tr("explanation"), tr("value"), tr("menu"), tr("source")]
    header(ws, titles)
    menu = result.menu
    r = 1
    for bid in result.bids:
        for line in bid.lines:
            r += 1
            block = menu.row(line.block)
            put(ws, r, 1, bid.bidder)
            put(ws, r, 2, line.index + 1)
            put(ws, r, 3, line.block)
            put(ws, r, 4, line.counted_as)
            put(ws, r, 5, line.candidate or "")
            put(ws, r, 6, line.credit, EURO)
            put(ws, r, 7, line.explanation(tr))
            if block.value is not None:
                put(ws, r, 8, block.value, EURO)
            put(ws, r, 9, menu.ref)
            put(ws, r, 10, menu.source(block.source).url)
    finish_table(ws, len(titles), r - 1, {1: 24, 2: 5, 7: 80, 10: 60})


def _menu_rows(ws, result: TenderResult, tr: Translator) -> None:
    """Every block and bonus the lines used, with value, caps, validity and source."""
    menu = result.menu
    used_blocks: list[str] = []
    used_bonuses: dict[str, Bonus] = {}  # by id, in the order first used
    for bid in result.bids:
        for line in bid.lines:
            for part in line.value.parts or ():
                if part.bonus is not None:
                    used_bonuses.setdefault(part.bonus.bonus.id, part.bonus.bonus)
            if line.counted_as not in used_blocks:
                used_blocks.append(line.counted_as)
    titles = [tr("kind"), tr("id"), tr("label"), tr("unit"), tr("value"), tr("cap_months"), tr("min_hours"),
              tr("menu"), tr("valid_from"), tr("source"), tr("url")]
    header(ws, titles)
    r = 1
    for block_id in used_blocks:
        block = menu.row(block_id)  # counted_as: the valuing block itself
        src = menu.source(block.source)
        r += 1
        row = [tr("block"), block.id, tr.label(block.label), tr("unit_" + block.row_unit), block.value,
               block.cap_months, block.min_hours_per_week, menu.ref, menu.valid_from, tr.label(src.title), src.url]
        _row(ws, r, row)
    for bonus in used_bonuses.values():
        src = menu.source(bonus.source)
        r += 1
        row = [tr("bonus"), bonus.id, tr.label(bonus.label), tr("unit_per_year"), bonus.value, None, None,
               menu.ref, menu.valid_from, tr.label(src.title), src.url]
        _row(ws, r, row)
    finish_table(ws, len(titles), r - 1, {3: 40, 10: 50, 11: 60})


def _row(ws, r: int, values: list) -> None:
    for col, value in enumerate(values, start=1):
        if value is None:
            continue
        fmt = EURO if col == 5 else ("yyyy-mm-dd" if isinstance(value, date) else None)
        put(ws, r, col, value, fmt)


def _tender(ws, result: TenderResult, tr: Translator, today: date) -> None:
    t = result.tender_file.tender
    menu = result.menu
    rows = [
        (tr("tender"), t.id),
        (tr("title"), t.title or ""),
        (tr("buyer"), t.buyer or ""),
        (tr("reference_date"), t.reference_date),
        (tr("contract_value"), t.contract_value),
        (tr("menu"), f"{menu.ref} — {tr.label(menu.name)}"),
        (tr("valid_from"), menu.valid_from or tr("unknown")),
        (tr("status"), tr(menu.status)),
        (tr("source_status"), secondary_notice_text(menu, tr) or tr("status_" + menu.source_kind)),
        (tr("rounding"), tr("rounding_rule")),
    ]
    for src in menu.sources:
        rows.append((tr("source"), f"{tr.label(src.title)} — {src.url}"))
    for text in menu.assumptions:
        rows.append((tr("assumptions"), tr.label(text)))
    rows.append(("impactkit", tr("generated", version=__version__, date=today.isoformat())))
    for r, (key, value) in enumerate(rows, start=1):
        put(ws, r, 1, key).font = Font(bold=True)
        if value is None:
            continue
        fmt = EURO if key == tr("contract_value") else ("yyyy-mm-dd" if isinstance(value, date) else None)
        put(ws, r, 2, value, fmt)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
