"""`score --csv DIR`: summary.csv, lines.csv and rejected.csv, safe to open in (Dutch) Excel and
written as one set, in one of three dialects (`--csv-dialect`):

- plain (the default, for programs): UTF-8 without a byte order mark, `,` between fields, a
  decimal point (1234.56), LF line ends;
- excel: UTF-8 with a byte order mark (so Excel reads accents as written), `,` and a decimal
  point, CRLF: opens in columns in Excel with English settings;
- excel-nl: UTF-8 with a byte order mark, `;` between fields and a decimal comma (1234,56),
  CRLF: opens in columns, with numbers as numbers, in Excel with Dutch settings, which splits on
  `;` and reads `1234.56` as text or as 123456.

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
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.i18n import Translator
from impactkit.io.atomic import write_atomic_set
from impactkit.io.xlsx_style import RISKY_START

_QUOTE = re.compile(r'[,;"\r\n\t]|^\s|\s$')
_RISKY_PART = re.compile(r"([,;])(?=[=+\-@\t\r\n])")
CSV_FILES = ("summary.csv", "lines.csv", "rejected.csv")


@dataclass(frozen=True)
class CsvDialect:
    name: str
    separator: str
    decimal: str
    encoding: str  # "utf-8-sig" writes the byte order mark Excel needs to read UTF-8 as UTF-8
    newline: str


DIALECTS = {d.name: d for d in (
    CsvDialect("plain", ",", ".", "utf-8", "\n"),
    CsvDialect("excel", ",", ".", "utf-8-sig", "\r\n"),
    CsvDialect("excel-nl", ";", ",", "utf-8-sig", "\r\n"),
)}
PLAIN = DIALECTS["plain"]


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


_HUNDREDTHS = {mark: np.asarray([f"{mark}{c:02d}" for c in range(100)], dtype=object) for mark in ".,"}


def money_column(cents, decimal: str = ".") -> np.ndarray:
    """Cents as "1234.56" (or "1234,56" with a decimal comma), each distinct amount formatted once
    (whole euros by numpy's own conversion)."""
    codes, uniques = pd.factorize(np.asarray(cents, dtype=np.int64))
    magnitude = np.abs(uniques)
    shown = (magnitude // 100).astype(str).astype(object) + _HUNDREDTHS[decimal][magnitude % 100]
    shown = np.where(uniques < 0, "-" + shown, shown)
    return np.concatenate([shown, np.asarray([""], dtype=object)])[codes]


def share_text(numerator: int, denominator: int, decimal: str = ".") -> str:
    """numerator / denominator to four decimals, rounded half-up ("1.0800"); "" when nothing is owed."""
    if denominator == 0:
        return ""
    text = str((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP))
    return text if decimal == "." else text.replace(".", decimal)


def _lines_of(header: list[str], columns: list[np.ndarray], chunk: int = 100_000, separator: str = ",",
              newline: str = "\n"):
    yield separator.join(header) + newline
    n = len(columns[0]) if columns else 0
    for start in range(0, n, chunk):
        part = [c[start:start + chunk].tolist() for c in columns]
        yield newline.join(map(separator.join, zip(*part))) + newline


def write_csv_set(folder: Path, files: dict[str, tuple[list[str], list[np.ndarray]]], inputs=(),
                  dialect: CsvDialect = PLAIN) -> list[Path]:
    """Write the files into `folder` as one set (see the module's note), with summary.csv last."""

    def writer(header: list[str], columns: list[np.ndarray]):
        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding=dialect.encoding, newline="") as fh:
                for text in _lines_of(header, columns, separator=dialect.separator, newline=dialect.newline):
                    fh.write(text)
        return write

    folder = Path(folder)
    return write_atomic_set({folder / name: writer(*content) for name, content in files.items()}, inputs=inputs,
                            folder=folder, last=folder / "summary.csv")


def write_score_csv(result, tr: Translator, folder: Path, inputs=(), explain: bool = False,
                    dialect: CsvDialect = PLAIN) -> list[Path]:
    """summary.csv, lines.csv (with each line's explanation when `explain`) and rejected.csv as one set."""
    from impactkit.report.score_files import ordered, rejection_text

    mark = dialect.decimal
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
        "obligation": money_column(obligation, mark),
        "credited": money_column(credited, mark),
        "coverage": np.asarray([share_text(c, o, mark) for o, c in zip(obligation.tolist(), credited.tolist())],
                               dtype=object),
        "met": np.where(credited >= obligation, "true", "false").astype(object),
        "shortfall": money_column(np.maximum(obligation - credited, 0), mark),
        "surplus": money_column(np.maximum(credited - obligation, 0), mark),
        "rank": np.asarray([str(b.rank) for b in bids], dtype=object),
        "lines": np.asarray([str(b.lines) for b in bids], dtype=object),
        "rejected": np.asarray([str(b.rejected) for b in bids], dtype=object),
        "incomplete": np.asarray(["true" if b.rejected else "false" for b in bids], dtype=object),
        "base": csv_column(kinds),
        "base_amount": money_column([b.base_cents for b in bids], mark),
    }
    lines = result.lines
    credit = lines["credit"].to_numpy(dtype=np.int64)
    block = lines["block_credit"].to_numpy(dtype=np.int64) if "block_credit" in lines.columns else credit
    line_columns = {name: csv_column(lines[name].to_numpy(dtype=object))
                    for name in ("source", "tender_id", "bidder", "block", "counted_as", "candidate")}
    line_columns["row"] = lines["row"].astype(str).to_numpy(dtype=object)
    line_columns["credit"] = money_column(credit, mark)
    line_columns["block_credit"] = money_column(block, mark)
    line_columns["bonus_credit"] = money_column(credit - block, mark)
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
    }, inputs, dialect)

