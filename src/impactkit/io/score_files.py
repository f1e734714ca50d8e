"""Outputs of `impactkit score`: the results workbook, CSV files and the JSON document.

The workbook is written with openpyxl: a formatted summary (colours, filter, frozen header,
chart) in normal mode would force every line into memory, so the large sheets (lines, rejected)
are streamed in write-only mode and the whole file is written atomically.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit import __version__
from impactkit.io.atomic import write_atomic, write_text_atomic
from impactkit.batch.score import ScoreResult
from impactkit.i18n import Translator
from impactkit.money import money_str
from impactkit.i18n.problems import message_text
from impactkit.io.fastrows import euro_cells, number_cells, rows_xml, splice_rows, text_cells
from impactkit.io.xlsx_style import EURO, HEADER_FILL, HEADER_FONT, MET_FILL, NOT_MET_FILL, PERCENT, RISKY_START, keep_text


def rejection_text(rejection, tr: Translator) -> str:
    return message_text(rejection.key, rejection.params, tr)


def summary_rows(result: ScoreResult, tr: Translator) -> list[dict]:
    rows = []
    for bid in result.bids:
        rows.append({
            "tender_id": bid.tender_id,
            "bidder": bid.bidder,
            "menu": bid.menu_ref,
            "obligation": bid.obligation.amount,
            "credited": bid.credited,
            "coverage": bid.coverage,
            "met": bid.met,
            "shortfall": bid.shortfall,
            "surplus": bid.surplus,
            "rank": bid.rank,
            "lines": bid.lines,
            "rejected": bid.rejected,
        })
    return rows


def _headers(tr: Translator) -> dict[str, str]:
    return {
        "tender_id": tr("tender"), "bidder": tr("bidder"), "menu": tr("menu"), "obligation": tr("obligation"),
        "credited": tr("credited"), "coverage": tr("coverage"), "met": tr("met_header"),
        "shortfall": tr("shortfall"), "surplus": tr("surplus"), "rank": tr("rank"), "lines": tr("lines_scored"),
        "rejected": tr("rows_rejected"), "source": tr("sheet"), "row": tr("row"), "block": tr("block"),
        "counted_as": tr("counted_as"), "candidate": tr("candidate"), "credit": tr("credit"),
        "explanation": tr("explanation"), "column": tr("column"), "value": tr("value"), "reason": tr("reason"),
    }


# --- workbook -----------------------------------------------------------------------------

def _cell(ws, value, number_format=None, fill=None, bold=False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = keep_text(WriteOnlyCell(ws, value=value))  # never a formula, whatever the bidder typed
    if number_format:
        cell.number_format = number_format
    if fill is not None:
        cell.fill = fill
    if bold:
        cell.font = Font(bold=True)
    return cell


def _plain_text(ws, value):
    """Input text as a plain value, or as a text cell when a spreadsheet would run it as a formula."""
    return _cell(ws, value) if isinstance(value, str) and value.startswith(RISKY_START) else value


def _header_row(ws, titles):
    from openpyxl.cell import WriteOnlyCell

    row = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.data_type = "s"
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        row.append(cell)
    ws.append(row)


def write_score_workbook(result: ScoreResult, tr: Translator, target: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    h = _headers(tr)
    wb = Workbook(write_only=True)

    # summary
    ws = wb.create_sheet(tr("sheet_summary")[:31])
    keys = ["tender_id", "bidder", "menu", "obligation", "credited", "coverage", "met", "shortfall", "rank", "lines",
            "rejected"]
    widths = {"tender_id": 16, "bidder": 28, "menu": 30}
    for i, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(key, 14)
    ws.freeze_panes = "A2"
    _header_row(ws, [h[k] for k in keys])
    rows = summary_rows(result, tr)
    met_cells = {True: _cell(ws, tr("yes"), fill=MET_FILL), False: _cell(ws, tr("no"), fill=NOT_MET_FILL)}
    for row in rows:
        ws.append([
            _plain_text(ws, row["tender_id"]), _plain_text(ws, row["bidder"]), row["menu"],
            _cell(ws, row["obligation"], EURO), _cell(ws, row["credited"], EURO),
            _cell(ws, row["coverage"], PERCENT) if row["coverage"] is not None else None,
            met_cells[row["met"]], _cell(ws, row["shortfall"], EURO), row["rank"], row["lines"], row["rejected"],
        ])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(rows) + 1}"
    if rows:
        chart = BarChart()
        chart.type = "bar"
        chart.title = tr("chart_title")
        chart.x_axis.title = tr("bidder")
        chart.y_axis.numFmt = "#,##0"
        shown = min(len(rows), 60)  # a chart of thousands of bars helps nobody
        chart.add_data(Reference(ws, min_col=4, max_col=5, min_row=1, max_row=shown + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=2, max_row=shown + 1))
        chart.height, chart.width = max(8, shown * 0.5), 20
        ws.add_chart(chart, f"{get_column_letter(len(keys) + 2)}2")

    # lines, streamed
    ws = wb.create_sheet(tr("sheet_lines")[:31])
    keys = ["source", "row", "tender_id", "bidder", "block", "counted_as", "candidate", "credit", "explanation"]
    for i, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(i)].width = {"source": 24, "explanation": 90}.get(key, 16)
    ws.freeze_panes = "A2"
    _header_row(ws, [h[k] for k in keys])
    lines = result.lines
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(lines) + 1}"
    lines_sheet = len(wb.worksheets)  # its number among the sheets: xl/worksheets/sheetN.xml
    euro_style = _cell(ws, Decimal(0), EURO).style_id
    quote_style = _quoted_style(ws)

    # rejected
    ws = wb.create_sheet(tr("sheet_rejected")[:31])
    keys = ["source", "row", "column", "value", "reason"]
    for i, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(i)].width = {"source": 28, "reason": 90}.get(key, 16)
    ws.freeze_panes = "A2"
    _header_row(ws, [h[k] for k in keys])
    for r in result.rejections:
        ws.append([_cell(ws, r.source), r.row, _cell(ws, r.column or ""), _cell(ws, r.value),
                   _cell(ws, rejection_text(r, tr))])
    ws.auto_filter.ref = f"A1:E{len(result.rejections) + 1}"

    # menus used
    ws = wb.create_sheet(tr("sheet_menus")[:31])
    _header_row(ws, [tr("menu"), tr("name"), tr("valid_from"), tr("status"), tr("source"), tr("url")])
    seen = set()
    for state in result.tenders.values():
        menu = state.choice.menu
        if menu.ref in seen:
            continue
        seen.add(menu.ref)
        for src in menu.sources:
            ws.append([_cell(ws, menu.ref), _cell(ws, menu.name),
                       _cell(ws, menu.valid_from.isoformat() if menu.valid_from else tr("unknown")),
                       _cell(ws, tr(menu.status)), _cell(ws, src.title), _cell(ws, src.url)])
    ws.append([])
    ws.append([_cell(ws, tr("rounding")), _cell(ws, tr("rounding_rule"))])
    ws.append([_cell(ws, "impactkit"), _cell(ws, tr("generated", version=__version__, date=date.today().isoformat()))])
    for i, width in enumerate((30, 40, 14, 12, 50, 70), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    def save(tmp: Path) -> None:
        wb.save(tmp)
        columns = [("A", text_cells(lines["source"].to_numpy(dtype=object), quote_style)),
                   ("B", number_cells(lines["row"].tolist()))]
        for letter, name in zip("CDEFG", ("tender_id", "bidder", "block", "counted_as", "candidate")):
            columns.append((letter, text_cells(lines[name].to_numpy(dtype=object), quote_style)))
        columns.append(("H", euro_cells(lines["credit"].tolist(), euro_style)))
        columns.append(("I", text_cells(lines["explanation"].to_numpy(dtype=object), quote_style)))
        splice_rows(Path(tmp), f"xl/worksheets/sheet{lines_sheet}.xml", rows_xml(columns, 2), len(lines) + 1, "I")

    return write_atomic(Path(target), save)


def _quoted_style(ws) -> int:
    """The style of text cells that a spreadsheet must keep as text when edited (quotePrefix)."""
    cell = _cell(ws, "=")
    return cell.style_id


# --- CSV and JSON ---------------------------------------------------------------------------

def _csv_column(values, neutralise: bool = True) -> np.ndarray:
    """A column as CSV fields: each distinct value quoted once (text that a spreadsheet would run
    as a formula gets a leading apostrophe, OWASP), then spread over the rows."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    fields = []
    for u in uniques:
        text = str(u)
        if neutralise and text.startswith(RISKY_START):
            text = "'" + text
        if any(ch in text for ch in ',"\n\r') or text != text.strip():
            text = '"' + text.replace('"', '""') + '"'
        fields.append(text)
    return np.asarray(fields + [""], dtype=object)[codes]


def _fast_csv(header: list[str], columns: list[np.ndarray]) -> str:
    """CSV text from columns of ready fields (faster than the csv module or pandas)."""
    body = "\n".join(map(",".join, zip(*(c.tolist() for c in columns))))
    return ",".join(header) + "\n" + body + ("\n" if body else "")


def _write_csv_columns(target: Path, header: list[str], columns: list[np.ndarray], chunk: int = 100_000) -> Path:
    """Write columns of ready fields in chunks, so the whole text is never in memory at once."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(header) + "\n")
            for start in range(0, len(columns[0]), chunk):
                part = [c[start:start + chunk] for c in columns]
                fh.write("\n".join(map(",".join, zip(*(c.tolist() for c in part)))) + "\n")

    return write_atomic(Path(target), write)


def write_score_csv(result: ScoreResult, tr: Translator, folder: Path) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    bids = result.bids
    obligation = [b.obligation_cents for b in bids]
    credited = [b.credited_cents for b in bids]
    money = lambda values: np.asarray([f"{v // 100}.{v % 100:02d}" for v in values], dtype=object)  # noqa: E731
    columns = {
        "tender_id": _csv_column([b.tender_id for b in bids]),
        "bidder": _csv_column([b.bidder for b in bids]),
        "menu": _csv_column([b.menu_ref for b in bids]),
        "obligation": money(obligation),
        "credited": money(credited),
        "coverage": np.asarray(["" if o == 0 else f"{Decimal(c) / Decimal(o):.4f}" for o, c in zip(obligation, credited)],
                               dtype=object),
        "met": np.asarray(["true" if c >= o else "false" for o, c in zip(obligation, credited)], dtype=object),
        "shortfall": money(max(o - c, 0) for o, c in zip(obligation, credited)),
        "surplus": money(max(c - o, 0) for o, c in zip(obligation, credited)),
        "rank": np.asarray([str(b.rank) for b in bids], dtype=object),
        "lines": np.asarray([str(b.lines) for b in bids], dtype=object),
        "rejected": np.asarray([str(b.rejected) for b in bids], dtype=object),
    }
    written = [write_text_atomic(folder / "summary.csv", _fast_csv(list(columns), list(columns.values())))]
    lines = result.lines
    credit = lines["credit"].to_numpy()
    euros = pd.Series(credit // 100).astype(str).to_numpy(dtype=object)
    cents = pd.Series(credit % 100).astype(str).str.zfill(2).to_numpy(dtype=object)
    columns = ["source", "row", "tender_id", "bidder", "block", "counted_as", "candidate", "credit", "explanation"]
    values = [_csv_column(lines[c].to_numpy(dtype=object)) if c not in ("row", "credit") else None for c in columns]
    values[1] = lines["row"].astype(str).to_numpy(dtype=object)
    values[7] = euros + "." + cents
    written.append(_write_csv_columns(folder / "lines.csv", columns, values))
    rejected = result.rejections
    written.append(write_text_atomic(folder / "rejected.csv", _fast_csv(
        ["source", "row", "column", "value", "reason"],
        [_csv_column([r.source for r in rejected]), np.asarray([str(r.row) for r in rejected], dtype=object),
         _csv_column([r.column or "" for r in rejected]), _csv_column([r.value for r in rejected]),
         _csv_column([rejection_text(r, tr) for r in rejected])])))
    return written


def score_document(result: ScoreResult, tr: Translator, include_lines: bool = True) -> dict:
    def json_value(value):
        if isinstance(value, Decimal):
            return money_str(value)
        return value

    doc = {
        "impactkit": __version__,
        "schema": 1,
        "language": tr.lang,
        "counts": counts(result),
        "bids": [{k: json_value(v) for k, v in row.items()} | {
            "coverage": None if row["coverage"] is None else str(row["coverage"].quantize(Decimal("0.0001")))}
            for row in summary_rows(result, tr)],
        "rejected": [{"source": r.source, "row": r.row, "column": r.column, "value": r.value, "reason": r.key,
                      "message": rejection_text(r, tr)} for r in result.rejections],
        "menus": sorted({s.choice.menu.ref for s in result.tenders.values()}),
        "rounding": tr("rounding_rule"),
    }
    if include_lines:
        lines = result.lines
        doc["lines"] = [
            {"source": s, "row": r, "tender_id": t, "bidder": b, "block": k, "counted_as": c, "candidate": cand,
             "credit": f"{cr // 100}.{cr % 100:02d}", "explanation": e}
            for s, r, t, b, k, c, cand, cr, e in zip(
                lines["source"], lines["row"].tolist(), lines["tender_id"], lines["bidder"], lines["block"],
                lines["counted_as"], lines["candidate"], lines["credit"].tolist(), lines["explanation"])
        ]
    return doc


def counts(result: ScoreResult) -> dict:
    tender_rejected = sum(1 for r in result.rejections if r.kind == "tender")
    return {
        "rows_in": result.rows_in,
        "rows_scored": result.rows_scored,
        "rows_rejected": result.rows_rejected,
        "tender_rows_in": result.tender_rows_in,
        "tender_rows_rejected": tender_rejected,
        "bids": len(result.bids),
    }
