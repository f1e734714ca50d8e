"""Tender rows of a batch: validated with the same model as the tender file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from impactkit.batch.rejections import Rejection
from impactkit.rules.terms import ObligationTerms
from impactkit.engine.stack import tender_terms
from impactkit.errors import ImpactkitError
from impactkit.menus import MenuChoice, resolve_menu
from impactkit.io.sheets.columns import BOOL_COLUMNS, TENDER_COLUMNS
from impactkit.io.sheets.numbers import parse_number, parse_yes_no
from impactkit.model.tender import TenderFile, TenderInfo
from impactkit.io.yamlio import LineMap, problems_from_validation

NUMERIC = ("contract_value", "rate", "threshold", "cap", "wage_sum", "pso_discount", "hours_basis")


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


def _cell(name: str, value):
    if value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip()):
        return None
    if name in NUMERIC:
        number = parse_number(value)
        return number if number is not None else value
    if name in BOOL_COLUMNS:
        answer = parse_yes_no(value)
        return value if answer is None else answer
    if name == "reference_date":
        return _date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if not isinstance(value, (int, float)) else str(value)


def read_tender_rows(frame, source: str, headers: dict[str, str], base_dir: Path,
                     rejections: list[Rejection]) -> dict[str, TenderState]:
    """Validate each tender row; a bad row is listed as rejected with its column and reason."""
    tenders: dict[str, TenderState] = {}
    choices: dict[tuple, MenuChoice] = {}
    columns = [c for c in frame.columns if c in TENDER_COLUMNS]
    for row, values in zip(frame.index, frame[columns].itertuples(index=False, name=None)):
        data = {("id" if name == "tender_id" else name): _cell(name, v) for name, v in zip(columns, values)}
        data = {k: v for k, v in data.items() if v is not None}
        shown = data.get("id", "")
        if shown in tenders:
            rejections.append(Rejection(source, row, headers.get("tender_id"), str(shown), "reject_tender_duplicate",
                                        {"row": tenders[shown].row}))
            continue
        try:
            info = TenderInfo.model_validate(data)
        except ValidationError as exc:
            problem = problems_from_validation(exc, LineMap(source, {}), model=TenderInfo)[0]
            name = "tender_id" if problem.field == "id" else problem.field
            rejections.append(Rejection(source, row, headers.get(name, name), problem.params.get("got", ""),
                                        problem.key, problem.params))
            continue
        key = (info.menu, info.reference_date)
        try:
            if key not in choices:
                choices[key] = resolve_menu(info.menu, info.reference_date, base_dir)
        except ImpactkitError as exc:
            problem = exc.problems[0]
            rejections.append(Rejection(source, row, headers.get("menu"), info.menu, problem.key, problem.params))
            continue
        choice = choices[key]
        terms = tender_terms(TenderFile(tender=info), choice.menu)
        if terms.base == "wage_sum" and info.wage_sum is None:
            rejections.append(Rejection(source, row, headers.get("wage_sum", "wage_sum"), "", "reject_wage_sum_missing"))
            continue
        tenders[info.id] = TenderState(info, choice, terms, row, source)
    return tenders

