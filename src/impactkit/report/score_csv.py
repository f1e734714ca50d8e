"""`score --csv DIR`: summary.csv, lines.csv and rejected.csv, safe to open in (Dutch) Excel and
written as one set.

Safe: a field with a comma, semicolon, quote, tab or line break is quoted, so a spreadsheet
program splitting on either separator keeps it in one cell; a field, or a part of it after a
`,` or `;`, that a spreadsheet would run as a formula (=, +, -, @, tab, CR, LF) gets an
apostrophe first (OWASP CSV injection).

One set: the three files are written to temporary files first; then summary.csv is removed,
lines.csv and rejected.csv are put in place, and summary.csv comes last (impactkit.io.atomic's
write_atomic_set). A folder that has a summary.csv therefore holds the lines and rejections of the
same run, whenever a run was killed; a failure or Ctrl-C on the way puts the previous set back.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.i18n import Translator
from impactkit.io.atomic import write_atomic_set
from impactkit.io.xlsx_style import RISKY_START

_QUOTE = re.compile(r'[,;"\r\n\t]|^\s|\s$')
_RISKY_PART = re.compile(r"([,;])(?=[=+\-@\t\r\n])")
CSV_FILES = ("summary.csv", "lines.csv", "rejected.csv")


def csv_field(value) -> str:
    """One CSV field, safe for a spreadsheet whichever separator it splits on."""
    text = "" if value is None else str(value)
    if text.startswith(RISKY_START):
        text = "'" + text
    if "," in text or ";" in text:
        text = _RISKY_PART.sub(r"\1'", text)
    if _QUOTE.search(text):
        text = '"' + text.replace('"', '""') + '"'
    return text


def csv_column(values) -> np.ndarray:
    """A column as CSV fields: each distinct value made safe once, then spread over the rows."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return np.asarray([csv_field(u) for u in uniques] + [""], dtype=object)[codes]


_HUNDREDTHS = np.asarray([f".{c:02d}" for c in range(100)], dtype=object)


def money_column(cents) -> np.ndarray:
    """Cents as "1234.56", each distinct amount formatted once (whole euros by numpy's own conversion)."""
    codes, uniques = pd.factorize(np.asarray(cents, dtype=np.int64))
    magnitude = np.abs(uniques)
    shown = (magnitude // 100).astype(str).astype(object) + _HUNDREDTHS[magnitude % 100]
    shown = np.where(uniques < 0, "-" + shown, shown)
    return np.concatenate([shown, np.asarray([""], dtype=object)])[codes]


def _lines_of(header: list[str], columns: list[np.ndarray], chunk: int = 100_000):
    yield ",".join(header) + "\n"
    n = len(columns[0]) if columns else 0
    for start in range(0, n, chunk):
        part = [c[start:start + chunk].tolist() for c in columns]
        yield "\n".join(map(",".join, zip(*part))) + "\n"


def write_csv_set(folder: Path, files: dict[str, tuple[list[str], list[np.ndarray]]], inputs=()) -> list[Path]:
    """Write the files into `folder` as one set (see the module's note), with summary.csv last."""

    def writer(header: list[str], columns: list[np.ndarray]):
        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                for text in _lines_of(header, columns):
                    fh.write(text)
        return write

    folder = Path(folder)
    return write_atomic_set({folder / name: writer(*content) for name, content in files.items()}, inputs=inputs,
                            folder=folder, last=folder / "summary.csv")


def write_score_csv(result, tr: Translator, folder: Path, inputs=(), explain: bool = False) -> list[Path]:
    """summary.csv, lines.csv (with each line's explanation when `explain`) and rejected.csv as one set."""
    from impactkit.report.score_files import ordered, rejection_text

    positions = ordered(result)
    bids = [result.bids[i] for i in positions]
    obligation = np.asarray([b.obligation_cents for b in bids], dtype=np.int64)
    credited = np.asarray([b.credited_cents for b in bids], dtype=np.int64)
    kinds = result.bases.kind[np.asarray(positions, dtype=np.int64)] if result.bases is not None and bids else [
        result.base(i).kind for i in positions]
    summary = {
        "tender_id": csv_column([b.tender_id for b in bids]),
        "bidder": csv_column([b.bidder for b in bids]),
        "menu": csv_column([b.menu_ref for b in bids]),
        "obligation": money_column(obligation),
        "credited": money_column(credited),
        "coverage": np.asarray(["" if o == 0 else f"{Decimal(int(c)) / Decimal(int(o)):.4f}"
                                for o, c in zip(obligation.tolist(), credited.tolist())], dtype=object),
        "met": np.where(credited >= obligation, "true", "false").astype(object),
        "shortfall": money_column(np.maximum(obligation - credited, 0)),
        "surplus": money_column(np.maximum(credited - obligation, 0)),
        "rank": np.asarray([str(b.rank) for b in bids], dtype=object),
        "lines": np.asarray([str(b.lines) for b in bids], dtype=object),
        "rejected": np.asarray([str(b.rejected) for b in bids], dtype=object),
        "incomplete": np.asarray(["true" if b.rejected else "false" for b in bids], dtype=object),
        "base": csv_column(kinds),
        "base_amount": money_column([b.base_cents for b in bids]),
    }
    lines = result.lines
    credit = lines["credit"].to_numpy(dtype=np.int64)
    block = lines["block_credit"].to_numpy(dtype=np.int64) if "block_credit" in lines.columns else credit
    line_columns = {name: csv_column(lines[name].to_numpy(dtype=object))
                    for name in ("source", "tender_id", "bidder", "block", "counted_as", "candidate")}
    line_columns["row"] = lines["row"].astype(str).to_numpy(dtype=object)
    line_columns["credit"] = money_column(credit)
    line_columns["block_credit"] = money_column(block)
    line_columns["bonus_credit"] = money_column(credit - block)
    order = ["source", "row", "tender_id", "bidder", "block", "counted_as", "candidate", "credit", "block_credit",
             "bonus_credit"]
    if explain:
        line_columns["explanation"] = csv_column(result.explain()["explanation"].to_numpy(dtype=object))
        order.append("explanation")
    rejected = result.rejections
    rejected_columns = {
        "source": csv_column([r.source for r in rejected]),
        "row": np.asarray([str(r.row) for r in rejected], dtype=object),
        "column": csv_column([r.column or "" for r in rejected]),
        "value": csv_column([r.value for r in rejected]),
        "reason": csv_column([rejection_text(r, tr) for r in rejected]),
        "tender_id": csv_column([r.tender_id for r in rejected]),
        "bidder": csv_column([r.bidder for r in rejected]),
    }
    return write_csv_set(Path(folder), {
        "summary.csv": (list(summary), list(summary.values())),
        "lines.csv": (order, [line_columns[n] for n in order]),
        "rejected.csv": (list(rejected_columns), list(rejected_columns.values())),
    }, inputs)

