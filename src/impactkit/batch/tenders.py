"""Tender rows of a batch: validated with the same model as the tender file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pydantic import ValidationError

from impactkit.io.template import EXAMPLE_ID
from impactkit.batch.reasons import cell_text
from impactkit.batch.rejections import Rejection
from impactkit.rules.terms import ObligationTerms, rate_worth_checking
from impactkit.engine.stack import tender_terms
from impactkit.errors import ImpactkitError
from impactkit.io.sheets import numbers as nb
from impactkit.io.sheets.columns import BOOL_COLUMNS, TENDER_COLUMNS
from impactkit.io.sheets.notes import Note
from impactkit.io.sheets.totals import TOTALS
from impactkit.io.validation import problems_from_validation
from impactkit.io.yamlio import LineMap
from impactkit.menus import MenuChoice, resolve_menu
from impactkit.model.tender import TenderFile, TenderInfo

NUMERIC = ("contract_value", "rate", "threshold", "cap", "wage_sum", "pso_discount", "hours_basis")
FRACTIONS = ("rate", "pso_discount")  # "5%" is allowed here


@dataclass(frozen=True)
class TenderState:
    info: TenderInfo
    choice: MenuChoice
    terms: ObligationTerms
    row: int
    source: str

    @property
    def file(self) -> TenderFile:
        return TenderFile(tender=self.info, bids=())


@dataclass(frozen=True)
class TenderRow:
    """Where a tender's fields were read: a row of a tenders sheet, or the first contribution row
    of a sheet that carries them on every row."""

    source: str
    row: int
    headers: dict
    base_dir: Path
    combined: bool = False


@dataclass(frozen=True)
class TenderFailure:
    """Why a tender could not be used: its column (canonical), cell, message key and parameters."""

    column: str | None
    value: str
    key: str
    params: dict
    where: TenderRow


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date) or value in (None, ""):
        return value or None
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return text  # the model says what is wrong with it


def _cell(name: str, value, convention: str):
    if value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip()):
        return None
    if name in NUMERIC:
        if isinstance(value, bool):
            return str(value).upper()  # a true/false cell is not a number: the model says so
        number = nb.parse_number(value, convention, name)  # "€ 500.000,-" for a contract value
        if number is not None and isinstance(value, str) and nb.form(value) == nb.PERCENT and name not in FRACTIONS:
            return value
        return number if number is not None else value
    if name in BOOL_COLUMNS:
        answer = nb.parse_yes_no(value)
        return value if answer is None else answer
    if name == "reference_date":
        return _date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if not isinstance(value, (int, float)) else str(value)


def _conventions(frame) -> dict[str, str]:
    """The reading of each number column, from all its text cells."""
    out = {}
    for name in NUMERIC:
        if name in frame.columns:
            texts = {v for v in frame[name].tolist() if isinstance(v, str)}
            out[name] = nb.decide([nb.form(t) for t in texts])[0]
    return out


_shown = cell_text  # a cell as the user typed it


def read_tender_rows(frame, where: list[TenderRow], rejections: list[Rejection], failures: dict[str, TenderFailure],
                     notes: list[Note]) -> dict[str, TenderState]:
    """Validate each tender row; a bad row gives a failure (and a rejection when it is a row of a
    tenders sheet) naming its column and reason."""
    tenders: dict[str, TenderState] = {}
    first: dict[str, tuple[TenderRow, dict]] = {}  # each tender's first row, and its cells
    choices: dict[tuple, MenuChoice] = {}
    columns = [c for c in frame.columns if c in TENDER_COLUMNS]
    conventions = _conventions(frame)
    percents: dict[tuple, tuple] = {}

    def fail(tender_id: str, column: str | None, value, key: str, params: dict, at: TenderRow) -> None:
        failure = TenderFailure(column, _shown(value), key, params, at)
        failures.setdefault(tender_id, failure)
        if not at.combined:
            rejections.append(Rejection(at.source, at.row, at.headers.get(column, column) if column else None,
                                        failure.value, key, params, "tender", tender_id))

    for at, values in zip(where, frame[columns].itertuples(index=False, name=None)):
        raw = dict(zip(columns, values))
        data = {("id" if name == "tender_id" else name): _cell(name, v, conventions.get(name, nb.DUTCH))
                for name, v in raw.items()}
        data = {k: v for k, v in data.items() if v is not None}
        shown = str(data.get("id", ""))
        if TOTALS.match(shown) and "menu" not in data:
            fail(shown, "tender_id", shown, "reject_totals_row", {}, at)
            continue
        if shown == EXAMPLE_ID:  # the template's example rows, left in: not a tender
            fail(shown, "tender_id", shown, "reject_example_row", {}, at)
            continue
        if shown in first:
            first_at, first_raw = first[shown]
            differ = [at.headers.get(n, n) for n in columns if n != "tender_id"
                      and _shown(raw.get(n)) != _shown(first_raw.get(n))]
            params = {"row": first_at.row, "source": first_at.source}
            if differ:
                fail(shown, "tender_id", shown, "reject_tender_other_values", {**params, "fields": ", ".join(differ)}, at)
            else:
                fail(shown, "tender_id", shown, "reject_tender_duplicate", params, at)
            continue
        first[shown] = (at, raw)
        for name in FRACTIONS:
            text = raw.get(name)
            if isinstance(text, str) and nb.form(text) == nb.PERCENT and isinstance(data.get(name), Decimal):
                percents.setdefault((at.source, at.headers.get(name, name), text.strip()), (at.row, data[name]))
        try:
            info = TenderInfo.model_validate(data)
        except ValidationError as exc:
            problem = problems_from_validation(exc, LineMap(at.source, {}), model=TenderInfo)[0]
            column = "tender_id" if problem.field == "id" else problem.field
            fail(shown, column, raw.get(column, problem.params.get("got", "")), problem.key, problem.params, at)
            continue
        if info.menu is None:  # a sheet has no municipality column, so the model required the menu
            raise ValueError(f"tender {info.id}: no menu")
        key = (info.menu, info.reference_date, at.base_dir)
        try:
            if key not in choices:
                choices[key] = resolve_menu(info.menu, info.reference_date, at.base_dir)
        except ImpactkitError as exc:
            problem = exc.problems[0]
            fail(info.id, "menu", info.menu, problem.key, problem.params, at)
            continue
        choice = choices[key]
        terms = tender_terms(TenderFile(tender=info), choice.menu)
        if terms.base == "wage_sum" and info.wage_sum is None:
            fail(info.id, "wage_sum", "", "reject_wage_sum_missing", {}, at)
            continue
        tenders[info.id] = TenderState(info, choice, terms, at.row, at.source)
        if terms.threshold_needs_kind:  # as check notes it: the threshold taken may not be the tender's
            by_kind = {f"{k}_eur": terms.threshold_by_kind.get(k, "-") for k in ("works", "services", "supplies")}
            said = "note_threshold_kind_sheet" if terms.threshold is not None else "note_threshold_kind_sheet_none"
            notes.append(Note(at.source, said, {"tender": info.id, "menu": choice.menu.ref, **by_kind,
                                               "threshold_eur": terms.threshold}, row=at.row))
        if info.rate is not None and rate_worth_checking(info.rate, choice.menu.obligation.rate):
            notes.append(_rate_note(info.rate, raw.get("rate"), choice, at))
    for (source, column, text), (row, value) in percents.items():  # one note per way of writing it
        notes.append(Note(source, "note_percent", {"text": text, "value": value.normalize()}, row=row, column=column))
    return tenders


def _rate_note(rate: Decimal, typed, choice: MenuChoice, at: TenderRow) -> Note:
    """A tender's rate far above its menu's: scored as given, named for checking; a rate typed as a
    number (0.5 for 50%) says how a percentage is written."""
    menu_rate = choice.menu.obligation.rate
    params = {"percent": (rate * 100).normalize(), "menu_percent": (menu_rate * 100).normalize(),
              "times": (rate / menu_rate).quantize(Decimal("0.1"), ROUND_HALF_UP).normalize(), "menu": choice.menu.ref}
    percent = isinstance(typed, str) and nb.form(typed) == nb.PERCENT
    key = "note_rate_high" if percent else "note_rate_high_number"
    if not percent:
        params["text"] = _shown(typed)
    return Note(at.source, key, params, row=at.row, column=at.headers.get("rate", "rate"))


def collect_tender_rows(tender_sheet, contributions, combined, tid):
    """The rows tenders are taken from: every row of the tenders sheets, then for a tender found
    only on contribution rows that carry the tender fields, the first such row.

    Returns (frame of tender columns, where each row is, the position in `contributions` of each
    row taken from there or -1)."""
    import numpy as np
    import pandas as pd

    from impactkit.io.sheets.values import text_column

    frames, where, positions = [], [], []
    defined: set[str] = set()
    if tender_sheet is not None:
        frame = tender_sheet.frame
        frames.append(frame[[c for c in frame.columns if c in TENDER_COLUMNS]])
        defined = set(text_column(frame["tender_id"]).tolist()) if "tender_id" in frame.columns else set()
        for i in range(len(frame)):
            table = tender_sheet.tables[tender_sheet.part[i]]
            where.append(TenderRow(table.source, int(tender_sheet.rows[i]), table.headers, table.base_dir or Path(".")))
            positions.append(-1)
    rows = combined & (tid != "")
    if rows.any():
        later = pd.Series(np.where(rows, tid, None)).duplicated().to_numpy()
        first = rows & ~later & ~pd.Series(tid).isin(defined).to_numpy()
        idx = np.flatnonzero(first)
        cf = contributions.frame
        frames.append(cf.iloc[idx][[c for c in cf.columns if c in TENDER_COLUMNS]])
        for i in idx.tolist():
            table = contributions.tables[contributions.part[i]]
            where.append(TenderRow(table.source, int(contributions.rows[i]), table.headers, table.base_dir or Path("."),
                                   combined=True))
            positions.append(int(i))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"tender_id": []}, dtype=object)
    return frame.astype(object), where, np.asarray(positions, dtype=np.int64)
