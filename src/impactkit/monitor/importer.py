"""Reading realisations (YAML, CSV or xlsx): every row is checked before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from impactkit.errors import InvalidInputError, Problem
from impactkit.model.facts import FLAGS, NUMERIC_FACTS
from impactkit.model.menu import REQUIRED_FACTS
from impactkit.io.sheets.columns import CONTRIBUTION_COLUMNS, normalise
from impactkit.io.sheets import numbers as nb
from impactkit.io.sheets.numbers import parse_number, parse_yes_no
from impactkit.model.tender import Contribution
from impactkit.io.validation import problems_from_validation
from impactkit.io.yamlio import load_yaml, LineMap
from impactkit.io.sheets.table import FIRST
from impactkit.monitor.months import per_person, row_problem
from impactkit.monitor.periods import parse_period
from impactkit.menus.lookup import unknown_block

# the contract column is read under the batch reader's name "tender_id", which it keeps as text
# (a contract id such as 0123 must not become the number 123)
CONTRACT = "tender_id"
MONITOR_COLUMNS = {
    **{k: v for k, v in CONTRIBUTION_COLUMNS.items() if k not in ("tender_id", "bidder", "bid_value", "pso_certified")},
    CONTRACT: ("contract", "contract_id", "opdracht", "aanbesteding", "tender_id", "kenmerk"),
    "period": ("periode", "kwartaal", "period"),
    "status": ("status",),
    "evidence": ("bewijs", "evidence"),
    "line_ref": ("regel", "regel_id", "regelnummer", "regelnr", "line_id", "line_ref", "line"),
}
FIELD_NAMES = {CONTRACT: "contract"}  # the name a message gives a column
LOOKUP = {alias: name for name, names in MONITOR_COLUMNS.items() for alias in (*names, name)}
REQUIRED = (CONTRACT, "period", "block")
STATUS_WORDS = {
    "claimed": "claimed", "ingediend": "claimed", "geclaimd": "claimed", "": "claimed",
    "accepted": "accepted", "geaccepteerd": "accepted", "goedgekeurd": "accepted",
    "rejected": "rejected", "afgewezen": "rejected",
}
NUMBERS = NUMERIC_FACTS


@dataclass
class Realisation:
    source: str
    row: int
    contract: str
    period: str
    status: str
    evidence: str | None
    contribution: Contribution
    line_ref: str | None = None
    block_id: str = ""  # the menu's block that values it (an alias followed)
    per_person: bool = False  # valued per person: its months are the candidate's time


@dataclass
class FileRows:
    """A realisations file as read: its valid rows, the rows refused (every one, by row and field) and the
    totals rows skipped (each named)."""

    source: str
    realisations: list[Realisation]
    problems: list[Problem]
    skipped: list[Problem]


#: a cell that holds no value: (column, or None for the whole row; message key; text)
CellProblem = tuple[str | None, str, str]


def _rows(path: Path) -> tuple[str, list[tuple[int, dict]], dict[int, list[CellProblem]], dict[int, str]]:
    """(source name, [(row or line number, {canonical field: value})], {row: [(column, key, text)]},
    {row: label}).

    The third part holds a workbook's cells that are no value (an error, a formula without a
    computed value), as the sheet reader found them, by the row the spreadsheet program shows; the
    last the totals rows ("Totaal" with a =SUM formula or a value), found as score finds them, with
    the text that makes them one. Neither kind of row is in the second part."""
    if path.suffix.lower() in (".yaml", ".yml"):
        data, lines = load_yaml(path)
        items = (data or {}).get("realisations") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise InvalidInputError(lines.problem("monitor_yaml_shape", (), None))
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise InvalidInputError(lines.problem("value_not_mapping", ("realisations", i), None, got=item))
            row = {LOOKUP.get(normalise(k), k): v for k, v in item.items()}
            out.append((lines.line(("realisations", i)) or lines.line((i,)) or i + 1, row))
        return path.name, out, {}, {}
    from impactkit.io.sheets.read import read_table

    sheet = read_table(path, LOOKUP, keep_first=True,
                       expected=", ".join(MONITOR_COLUMNS[name][0] for name in REQUIRED))
    missing = [name for name in REQUIRED if name not in sheet.headers]
    if missing:
        raise InvalidInputError(Problem("columns_missing", {
            "sheet": sheet.source, "missing": ", ".join(MONITOR_COLUMNS[n][0] for n in missing),
            "found": ", ".join(map(str, [*sheet.headers.values(), *sheet.ignored])) or "-"}))
    totals = _totals_rows(sheet.frame)
    frame = sheet.frame.drop(columns=FIRST, errors="ignore")
    frame = frame[~frame.index.isin(list(totals))]
    cells: dict[int, list[CellProblem]] = {}
    for number, column, key, text in sorted(sheet.problems):
        if int(number) not in totals:
            cells.setdefault(int(number), []).append((column, key, text))
    return sheet.source, [(int(r), {k: v for k, v in zip(frame.columns, values)})
                          for r, values in zip(frame.index, frame.itertuples(index=False, name=None))], cells, totals


def _totals_rows(frame) -> dict[int, str]:
    """The totals rows of a sheet, by the rule score rejects them by (io/sheets/totals.py), each with the
    text that makes it one (from the first column, the contract, block or candidate)."""
    import pandas as pd

    from impactkit.io.sheets.totals import TOTALS, totals_rows
    from impactkit.io.sheets.values import text_column

    texts = {name: text_column(frame[name]).to_numpy(dtype=object)
             for name in (FIRST, CONTRACT, "block", "candidate") if name in frame.columns}
    mask = totals_rows({name: pd.factorize(words) for name, words in texts.items()})
    rows = frame.index.to_numpy()
    return {int(rows[i]): next(str(words[i]) for words in texts.values() if TOTALS.match(str(words[i])))
            for i in mask.nonzero()[0]}


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    """A cell as text: 12.0 read from a sheet is 12."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell_problems(values: dict, cells: list[CellProblem]) -> list[tuple[str | None, str, dict]]:
    """Cells that hold no value, with score's reasons: (field, message key, params)."""
    out: list[tuple[str | None, str, dict]] = [(column, "reject_" + key, {"code": text}) for column, key, text in cells]
    flagged = {column for column, _, _ in cells}
    for column, value in values.items():
        if column not in flagged and isinstance(value, str) and nb.form(value) == nb.ERROR:  # "#DIV/0!" as text
            out.append((column, "reject_cell_error", {"code": value.strip()}))
    return [(FIELD_NAMES.get(column, column) if column is not None else None, key, params) for column, key, params in out]


def read_realisations(path: Path, contracts, with_status: bool = False) -> list[Realisation]:
    """All realisations of a file, or InvalidInputError listing every bad row (nothing stored)."""
    read = read_file(path, contracts, with_status)
    if read.problems:
        raise InvalidInputError(read.problems)
    return read.realisations


def read_file(path: Path, contracts, with_status: bool = False) -> FileRows:
    """The realisations of a file, every row checked on its own (against the ledger: monitor/imports.py).

    `contracts` answers get(id) -> Contract | None and known() -> [ids]. A row's status may only
    claim the line unless `with_status`: accepting and rejecting is the reviewer's, not the
    contractor's who sends the file. A totals row is skipped and named, never silently dropped."""
    path = Path(path)
    source, rows, cells, totals = _rows(path)
    problems: list[Problem] = []
    out: list[Realisation] = []
    skipped = [Problem("monitor_totals_row", {"file": source, "line": row, "label": label})
               for row, label in sorted(totals.items())]

    def bad(row: int, field: str | None, key: str, **params) -> None:
        problems.append(Problem(key, params, file=source, line=row, field=field))

    for row, values in rows:
        unreadable = _cell_problems(values, cells.get(row, []))
        if unreadable:
            for field, key, params in unreadable:
                bad(row, field, key, **params)
            continue
        contract_id = "" if _blank(values.get(CONTRACT)) else _text(values[CONTRACT])
        contract = contracts.get(contract_id) if contract_id else None
        if contract is None:
            bad(row, "contract", "monitor_contract_unknown", id=contract_id or "-",
                known=", ".join(contracts.known())[:200] or "-")
            continue
        period_text = "" if _blank(values.get("period")) else str(values["period"]).strip().upper()
        period = parse_period(period_text)
        if period is None:
            bad(row, "period", "monitor_period", got=period_text or "-")
            continue
        if period.outside(contract.start, contract.end):
            bad(row, "period", "monitor_period_outside", period=period.text, first=period.start, last=period.end,
                id=contract.id, start=contract.start, end=contract.end)
            continue
        status_word = "" if _blank(values.get("status")) else str(values["status"]).strip().lower()
        if status_word not in STATUS_WORDS:
            bad(row, "status", "monitor_status", got=status_word)
            continue
        if STATUS_WORDS[status_word] != "claimed" and not with_status:
            bad(row, "status", "monitor_status_needs_flag", got=str(values["status"]).strip())
            continue
        data: dict[str, object] = {"block": "" if _blank(values.get("block")) else str(values["block"]).strip().lower()}
        if not _blank(values.get("candidate")):
            data["candidate"] = _text(values["candidate"])
        for name in NUMBERS:
            if not _blank(values.get(name)):
                number = parse_number(values[name], column=name)  # "36 uur" in the hours column
                data[name] = number if number is not None else values[name]
        for name in FLAGS:
            if not _blank(values.get(name)):
                answer = parse_yes_no(values[name])
                data[name] = values[name] if answer is None else answer
        if not _blank(values.get("supplier_pso_trede")):
            data["supplier_pso_trede"] = _text(values["supplier_pso_trede"])
        try:
            contribution = Contribution.model_validate(data)
        except ValidationError as exc:
            for problem in problems_from_validation(exc, LineMap(source, {}), model=Contribution):
                bad(row, problem.field, problem.key, **problem.params)
            continue
        block = contract.menu.resolve(contribution.block)
        if block is None:
            why, params = unknown_block(contract.menu, contribution.block)
            bad(row, "block", why, **params)
            continue
        missing = [n for n in REQUIRED_FACTS[block.unit] if getattr(contribution, n) is None]
        if missing:
            bad(row, missing[0], "fact_missing", block=contribution.block, valued=block.unit)
            continue
        too_many = None if contribution.months is None else row_problem(contribution.months, period, contract)
        if too_many is not None:
            bad(row, "months", too_many[0], **too_many[1])
            continue
        evidence = None if _blank(values.get("evidence")) else _text(values["evidence"])
        line_ref = None if _blank(values.get("line_ref")) else _text(values["line_ref"])
        if line_ref is not None and len(line_ref) > 100:
            bad(row, "line_ref", "value_too_long", limit=100)
            continue
        if evidence is not None and len(evidence) > 1000:
            bad(row, "evidence", "value_too_long", limit=1000)
            continue
        out.append(Realisation(source, row, contract_id, period.text, STATUS_WORDS[status_word], evidence,
                               contribution, line_ref, block.id, per_person(block)))
    return FileRows(source, out, problems, skipped)
