"""The results workbook of `impactkit score`, the one a consultant sends a client.

- Overview: what a client reads in a minute: per tender the bids ranked, met or not, coverage,
  shortfall and how the obligation is computed ("5% × €1,250,000.00 bid price = €62,500.00");
- Summary: one row per bid by tender and rank, with surplus, base and an "incomplete" flag;
- one sheet per tender (up to MAX_TENDER_SHEETS): its bids with a chart, ways to close each
  shortfall, and its lines (facts, block credit and bonus credit apart, explanation);
- Lines (every scored row), Rejected (with tender and bidder, to send back), Reading notes
  (header rows, ignored columns, hidden rows, merged cells, readings of numbers, joined names)
  and Menus (with their sources).

Every sheet is written in openpyxl's write-only mode; the many rows of lines are spliced in as
XML (`fastrows`), and the whole file is compressed and written atomically.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit import __version__
from impactkit.i18n import Translator
from impactkit.io.atomic import write_atomic
from impactkit.io.ownership import CREATOR
from impactkit.io.fastrows import euro_cells, number_cells, rows_xml, splice_rows, text_cells
from impactkit.report.score_tender_sheet import tender_sheet
from impactkit.report.write_only import Sheet, coverage_cell, line_columns, met_cell
from impactkit.io.xlsx_style import EURO, PERCENT, discard

MAX_OVERVIEW_BIDS = 300  # the first sheet stays readable: whole tenders up to this many bids
MAX_TENDER_SHEETS = 25  # a sheet per tender up to this many tenders (the lines of all are on Lines)


def _by_tender(result, order: list[int]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i in order:
        out.setdefault(result.bids[i].tender_id, []).append(i)
    return out


def write_score_workbook(result, tr: Translator, target: Path, inputs=()) -> Path:
    from openpyxl import Workbook

    from impactkit.report.score_files import ordered

    result.explain()  # the lines sheets show each line's explanation
    wb = Workbook(write_only=True)
    wb.properties.creator = CREATOR  # io/ownership.py: an output replaces only impactkit's files
    order = ordered(result)
    by_tender = _by_tender(result, order)
    names = {key: tr(key)[:31] for key in ("sheet_overview", "sheet_summary", "sheet_lines", "sheet_rejected",
                                           "sheet_notes", "sheet_menus")}
    splices: dict[str, tuple] = {}
    _overview(wb, result, tr, names)
    _summary(wb, result, tr, order, splices)
    if len(by_tender) <= MAX_TENDER_SHEETS:
        taken = set(names.values())
        groups = pd.Series(np.arange(len(result.lines))).groupby(result.lines["tender_id"].to_numpy()).indices if len(
            result.lines) else {}
        for tender_id, positions in by_tender.items():
            at = np.asarray(groups.get(tender_id, np.zeros(0, np.int64)))  # GroupBy.indices: arrays of positions
            tender_sheet(wb, result, tr, tender_id, positions, at, taken, splices)
    _lines(wb, result, tr, names["sheet_lines"], splices)
    _rejected(wb, result, tr, names["sheet_rejected"])
    _notes(wb, result, tr, names["sheet_notes"])
    _menus(wb, result, tr, names["sheet_menus"])

    def save(tmp: Path) -> None:
        wb.save(tmp)
        splice_rows(Path(tmp), {member: (make(), last_row, last_column)
                                for member, (make, last_row, last_column) in splices.items()})

    try:
        return write_atomic(Path(target), save, inputs=inputs)
    except BaseException:
        discard(wb)  # an unsaved write-only workbook: close its streams instead of a traceback per sheet
        raise


# --- overview -------------------------------------------------------------------------------

def _overview(wb, result, tr: Translator, names: dict) -> None:
    from impactkit.report.score_files import counts, overview

    sheet = Sheet(wb, names["sheet_overview"])
    sheet.widths((7, 30, 8, 11, 15, 15, 15, 12, 80))
    bids = result.bids
    tenders, left = overview(result, tr, MAX_OVERVIEW_BIDS)
    met = sum(1 for b in bids if b.met)
    sheet.append([sheet.cell(tr("overview_title", bids=len(bids), tenders=len(tenders) + left), bold=True, size=14)])
    sheet.append([sheet.cell(tr("overview_met", met=met, bids=len(bids)))])
    sheet.append([sheet.cell(tr("score_counts", **counts(result)))])
    if result.files:
        sheet.append([sheet.cell(tr("overview_files", files=", ".join(result.files)))])
    sheet.append([sheet.cell(tr("overview_rank"))])
    sheet.append([sheet.cell(tr("overview_incomplete", sheet=names["sheet_rejected"]))])
    if result.notes:
        sheet.append([sheet.cell(tr("overview_notes", count=len(result.notes), sheet=names["sheet_notes"]))])
    sheet.append([])
    titles = [tr("rank"), tr("bidder"), tr("met_header"), tr("coverage"), tr("credited"), tr("obligation"),
              tr("shortfall"), tr("incomplete"), tr("how_obligation")]
    for tender in tenders:
        sheet.append([sheet.cell(tender["title"], bold=True, size=12)])
        sheet.header(titles)
        for item in tender["bids"]:
            bid = item["bid"]
            sheet.append([bid.rank, sheet.cell(bid.bidder), met_cell(sheet, bid.met, tr), coverage_cell(sheet, bid),
                          sheet.cell(bid.credited, EURO), sheet.cell(bid.obligation.amount, EURO),
                          sheet.cell(bid.shortfall, EURO), sheet.cell(tr("yes") if bid.rejected else ""),
                          sheet.cell(item["how"])])
        sheet.append([])
    if left:
        sheet.append([sheet.cell(tr("overview_more", count=left, sheet=names["sheet_summary"]))])


# --- summary --------------------------------------------------------------------------------

def _summary(wb, result, tr: Translator, order: list[int], splices: dict) -> None:
    """One row per bid; the rows are spliced in as XML (a run can have a hundred thousand bids)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    from impactkit.report.score_files import base_label, base_text

    sheet = Sheet(wb, tr("sheet_summary"))
    titles = [tr("tender"), tr("bidder"), tr("rank"), tr("met_header"), tr("coverage"), tr("obligation"), tr("credited"),
              tr("shortfall"), tr("surplus"), tr("incomplete"), tr("rows_rejected"), tr("lines_scored"), tr("score_base"),
              tr("base_amount"), tr("menu"), tr("note_header")]
    sheet.widths((16, 28, 7, 7, 10, 14, 14, 14, 14, 11, 10, 10, 18, 15, 26, 60))
    sheet.ws.freeze_panes = "C2"
    sheet.header(titles, {tr("rank"): tr("overview_rank")})
    n = len(order)
    sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{n + 1}"
    if not n:
        return
    bids = [result.bids[i] for i in order]
    euro = sheet.cell(Decimal(0), EURO).style_id
    percent = sheet.cell(0.5, PERCENT).style_id
    quoted = sheet.cell("=").style_id
    yes, no = met_cell(sheet, True, tr).style_id, met_cell(sheet, False, tr).style_id
    met_xml = {True: f' s="{yes}" t="inlineStr"><is><t>{tr("yes")}</t></is></c>',
               False: f' s="{no}" t="inlineStr"><is><t>{tr("no")}</t></is></c>'}
    obligation = np.asarray([b.obligation_cents for b in bids], dtype=np.int64)
    credited = np.asarray([b.credited_cents for b in bids], dtype=np.int64)
    rejected = [b.rejected for b in bids]
    kinds = result.bases.kind[np.asarray(order)] if result.bases is not None else [result.base(i).kind for i in order]
    labels = {kind: base_label(kind, tr) for kind in ("bid_price", "contract_value", "wage_sum")}
    notes = [""] * n
    if result.bases is None or (result.bases.note != "").any():
        for j, i in enumerate(order):
            base = result.base(i)
            notes[j] = base_text(base, tr) if base.note else ""
    coverage = [f' s="{percent}"><v>{c / o!r}</v></c>' if o else "/>" for o, c in zip(obligation.tolist(),
                                                                                     credited.tolist())]
    columns = [("A", text_cells([b.tender_id for b in bids], quoted)), ("B", text_cells([b.bidder for b in bids], quoted)),
               ("C", number_cells([b.rank for b in bids])), ("D", [met_xml[bool(m)] for m in credited >= obligation]),
               ("E", coverage), ("F", euro_cells(obligation.tolist(), euro)), ("G", euro_cells(credited.tolist(), euro)),
               ("H", euro_cells(np.maximum(obligation - credited, 0).tolist(), euro)),
               ("I", euro_cells(np.maximum(credited - obligation, 0).tolist(), euro)),
               ("J", text_cells([tr("yes") if r else tr("no") for r in rejected], quoted)), ("K", number_cells(rejected)),
               ("L", number_cells([b.lines for b in bids])), ("M", text_cells([labels.get(k, k) for k in kinds], quoted)),
               ("N", euro_cells([b.base_cents for b in bids], euro)), ("O", text_cells([b.menu_ref for b in bids], quoted)),
               ("P", text_cells(notes, quoted))]
    splices[f"xl/worksheets/sheet{sheet.number}.xml"] = (lambda c=columns: rows_xml(c, 2), n + 1, "P")
    chart = BarChart()
    chart.type = "bar"
    chart.title = tr("chart_title")
    chart.y_axis.numFmt = "#,##0"
    shown = min(n, 60)  # a chart of thousands of bars helps nobody
    chart.add_data(Reference(sheet.ws, min_col=6, max_col=7, min_row=1, max_row=shown + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet.ws, min_col=2, min_row=2, max_row=shown + 1))
    chart.height, chart.width = max(8, shown * 0.5), 20
    sheet.ws.add_chart(chart, f"{get_column_letter(len(titles) + 2)}2")


# --- lines, rejected, notes, menus ------------------------------------------------------------

def _lines(wb, result, tr: Translator, title: str, splices: dict) -> None:
    sheet = Sheet(wb, title)
    titles = [tr("sheet"), tr("row"), tr("tender"), tr("bidder"), tr("block"), tr("counted_as"), tr("candidate"),
              tr("credit"), tr("block_credit"), tr("bonus_credit"), tr("explanation")]
    sheet.widths((24, 7, 16, 24, 22, 22, 12, 14, 14, 14, 90))
    sheet.ws.freeze_panes = "A2"
    sheet.header(titles)
    n = len(result.lines)
    sheet.ws.auto_filter.ref = f"A1:K{n + 1}"
    if n:
        columns = line_columns(result, sheet, np.arange(n), with_facts=False)
        splices[f"xl/worksheets/sheet{sheet.number}.xml"] = (lambda c=columns: rows_xml(c, 2), n + 1, "K")


def _rejected(wb, result, tr: Translator, title: str) -> None:
    from impactkit.report.score_files import rejection_text

    sheet = Sheet(wb, title)
    sheet.widths((28, 7, 16, 24, 16, 16, 90))
    sheet.ws.freeze_panes = "A2"
    sheet.header([tr("sheet"), tr("row"), tr("tender"), tr("bidder"), tr("column"), tr("value"), tr("reason")])
    for r in result.rejections:
        sheet.append([sheet.cell(r.source), r.row, sheet.cell(r.tender_id), sheet.cell(r.bidder),
                      sheet.cell(r.column or ""), sheet.cell(r.value), sheet.cell(rejection_text(r, tr))])
    sheet.ws.auto_filter.ref = f"A1:G{len(result.rejections) + 1}"


def _notes(wb, result, tr: Translator, title: str) -> None:
    from impactkit.report.score_files import note_text

    sheet = Sheet(wb, title)
    sheet.widths((32, 7, 18, 100))
    sheet.ws.freeze_panes = "A2"
    sheet.header([tr("sheet"), tr("row"), tr("column"), tr("note_header")])
    for note in result.notes:
        sheet.append([sheet.cell(note.source), note.row, sheet.cell(note.column or ""), sheet.cell(note_text(note, tr))])
    sheet.ws.auto_filter.ref = f"A1:D{len(result.notes) + 1}"


def _menus(wb, result, tr: Translator, title: str) -> None:
    from impactkit.report.score_files import secondary_notices

    sheet = Sheet(wb, title)
    sheet.widths((30, 40, 14, 12, 50, 70, 14))  # before the first row: a write-only sheet writes its widths first
    sheet.header([tr("menu"), tr("name"), tr("valid_from"), tr("status"), tr("source"), tr("url"), tr("source_status")])
    seen = set()
    for state in result.tenders.values():
        menu = state.choice.menu
        if menu.ref in seen:
            continue
        seen.add(menu.ref)
        for src in menu.sources:
            sheet.append([sheet.cell(menu.ref), sheet.cell(tr.label(menu.name)),
                          sheet.cell(menu.valid_from.isoformat() if menu.valid_from else tr("unknown")),
                          sheet.cell(tr(menu.status)), sheet.cell(tr.label(src.title)), sheet.cell(src.url),
                          sheet.cell(tr("status_" + src.status))])
    sheet.append([])
    for notice in secondary_notices(result, tr):
        sheet.append([sheet.cell(tr("source_status")), sheet.cell(notice)])
    sheet.append([sheet.cell(tr("rounding")), sheet.cell(tr("rounding_rule"))])
    sheet.append([sheet.cell("impactkit"), sheet.cell(tr("generated", version=__version__, date=date.today().isoformat()))])
