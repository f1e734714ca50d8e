"""Scoring a batch of tenders and bids: validation on columns, valuation on columns,
obligations with the engine's own code, one row of explanation per scored line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from impactkit.batch.explain import explain_rows
from impactkit.batch.rejections import Rejection
from impactkit.batch.tenders import TenderState, read_tender_rows
from impactkit.batch.valuation import UNITS, block_table, value_rows
from impactkit.engine.obligation import Obligation, compute_obligation
from impactkit.i18n import Translator
from impactkit.menus.model import REQUIRED_FACTS
from impactkit.menus.registry import all_block_ids, menus_with_block
from impactkit.sheets.columns import BOOL_COLUMNS, TENDER_COLUMNS
from impactkit.sheets.read import BatchInput, Sheet
from impactkit.sheets.values import blank, bool_column, number_column, text_column

# column: (lowest, highest) in hundredths (cents for amounts)
BOUNDS = {
    "hours_per_week": (0, 60_00),
    "months": (0, 120_00),
    "hours": (0, 1_000_000_00),
    "days": (0, 3660_00),
    "amount": (0, 10**14),
    "age": (15_00, 100_00),
    "bid_value": (0, 10**14),
}
FLAGS = ("permanent_contract", "statushouder", "work_limitation", "hired_after_internship")
NUMERIC_FACTS = ("hours_per_week", "months", "hours", "days", "amount", "age")


@dataclass
class BidScore:
    tender_id: str
    bidder: str
    menu_ref: str
    obligation: Obligation
    base_from_bid: bool
    credited: Decimal
    lines: int
    rejected: int
    rank: int = 0

    @property
    def met(self) -> bool:
        return self.credited >= self.obligation.amount

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal(0), self.obligation.amount - self.credited)

    @property
    def surplus(self) -> Decimal:
        return max(Decimal(0), self.credited - self.obligation.amount)

    @property
    def coverage(self) -> Decimal | None:
        if self.obligation.amount == 0:
            return None
        return self.credited / self.obligation.amount


@dataclass
class ScoreResult:
    bids: list[BidScore]
    lines: pd.DataFrame  # one row per scored input row
    rejections: list[Rejection]
    tenders: dict[str, TenderState]
    rows_in: int
    tender_rows_in: int
    ignored: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows_scored(self) -> int:
        return len(self.lines)

    @property
    def rows_rejected(self) -> int:
        return sum(1 for r in self.rejections if r.source == self.contribution_source)

    contribution_source: str = ""


class _Reasons:
    """The first reason each row is rejected for."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.n = len(sheet.frame)
        self.rows = sheet.frame.index.to_numpy()
        self.key = np.full(self.n, None, dtype=object)
        self.column: dict[int, tuple] = {}

    @property
    def ok(self) -> np.ndarray:
        return self.key == None  # noqa: E711 (elementwise)

    def add(self, mask: np.ndarray, key: str, column: str | None, values=None, params=None) -> None:
        new = np.flatnonzero(mask & self.ok)
        header = self.sheet.headers.get(column, column) if column else None
        for i in new:
            self.key[i] = key
            value = "" if values is None else values[i]
            p = params(i) if callable(params) else (params or {})
            self.column[i] = (header, _cell_text(value), p)

    def set(self, i: int, key: str, header: str | None, value, params: dict, replace: bool = False) -> None:
        if self.key[i] is None or replace:
            self.key[i] = key
            self.column[i] = (header, "" if value is None else str(value)[:80], params)

    def rejections(self) -> list[Rejection]:
        out = []
        for i in np.flatnonzero(~self.ok):
            header, value, params = self.column[i]
            out.append(Rejection(self.sheet.source, int(self.rows[i]), header, value, self.key[i], params))
        return out


def _cell_text(value) -> str:
    """A cell as the user typed it: 70 rather than 70.0, nothing for an empty cell."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:80]


def _combined_tenders(cf: pd.DataFrame, tid: pd.Series) -> tuple[pd.DataFrame, np.ndarray]:
    """Tender rows from a sheet that carries the tender fields on every row (first row wins)."""
    columns = [c for c in cf.columns if c in TENDER_COLUMNS and c != "tender_id"]
    first = ~tid.duplicated() & (tid != "")
    tenders = cf.loc[first.to_numpy(), columns].copy()
    tenders.insert(0, "tender_id", tid[first].to_numpy())
    conflict = np.zeros(len(cf), dtype=object)
    conflict[:] = None
    for column in columns:
        text = text_column(cf[column])
        reference = text.groupby(tid.to_numpy(), sort=False).transform("first")
        differs = (text != reference).to_numpy() & (tid != "").to_numpy()
        for i in np.flatnonzero(differs):
            if conflict[i] is None:
                conflict[i] = column
    return tenders, conflict


def score(batch: BatchInput, tr: Translator, progress=None) -> ScoreResult:
    """Score every row; rows that cannot be scored are rejected with their reason."""
    step = progress or (lambda name: None)
    sheet = batch.contributions
    cf = sheet.frame
    rejections: list[Rejection] = []
    reasons = _Reasons(sheet)
    tid = text_column(cf["tender_id"]) if len(cf) else pd.Series([], dtype=object)

    step("tenders")
    conflict = None
    if batch.tenders is not None:
        tender_sheet = batch.tenders
        tender_frame = tender_sheet.frame
        tender_rows_in = len(tender_frame)
    else:
        tender_frame, conflict = _combined_tenders(cf, tid)
        tender_sheet = Sheet(sheet.source, tender_frame, sheet.headers)
        tender_rows_in = 0
    tender_rejections: list[Rejection] = []
    tenders = read_tender_rows(tender_frame, tender_sheet.source, tender_sheet.headers, batch.base_dir,
                               tender_rejections)
    ids_by_row = dict(zip(tender_frame.index, text_column(tender_frame["tender_id"])))
    rejected_ids: dict[str, Rejection] = {}
    for r in tender_rejections:
        rejected_ids.setdefault(ids_by_row.get(r.row, ""), r)
    if batch.tenders is not None:
        rejections.extend(tender_rejections)

    step("validate")
    tid_arr = tid.to_numpy(dtype=object)
    reasons.add(tid_arr == "", "reject_tender_missing", "tender_id")
    known = tid.isin(list(tenders)).to_numpy()
    failed = ~known & tid.isin(list(rejected_ids)).to_numpy()
    if batch.tenders is not None:  # the tender's own row says why; point there
        reasons.add(failed, "reject_tender_rejected", "tender_id", tid_arr,
                    lambda i: {"id": tid_arr[i], "row": rejected_ids[tid_arr[i]].row, "sheet": batch.tenders.source})
    else:  # tender fields on every row: the row carries the tender's problem itself
        for i in np.flatnonzero(failed & reasons.ok):
            r = rejected_ids[tid_arr[i]]
            reasons.set(i, r.key, r.column, r.value, r.params)
    reasons.add(~known, "reject_tender_unknown", "tender_id", tid_arr, lambda i: {"id": tid_arr[i]})
    if conflict is not None:
        has_conflict = np.array([c is not None for c in conflict], dtype=bool)
        reasons.add(has_conflict, "reject_tender_conflict", None, None,
                    lambda i: {"column": sheet.headers.get(conflict[i], conflict[i])})
        for i in np.flatnonzero(has_conflict):
            if reasons.key[i] == "reject_tender_conflict":
                reasons.set(i, "reject_tender_conflict", sheet.headers.get(conflict[i]), str(cf[conflict[i]].iloc[i]),
                            {"column": sheet.headers.get(conflict[i], conflict[i])}, replace=True)

    bidder = text_column(cf["bidder"]).to_numpy(dtype=object)
    reasons.add(bidder == "", "reject_bidder_missing", "bidder")

    # blocks: look each (menu, block) pair up in one table for all menus in use
    menus = {}
    for state in tenders.values():
        menus.setdefault(state.choice.menu.ref, state.choice.menu)
    table = block_table(list(menus.values()))
    menu_ref = tid.map({t: s.choice.menu.ref for t, s in tenders.items()}).fillna("").to_numpy(dtype=object)
    block = text_column(cf["block"]).str.lower().to_numpy(dtype=object)
    lookup = {f"{m}\x1f{b}": i for (m, b), i in table.keys.items()}
    k_series = pd.Series(menu_ref + "\x1f" + block).map(lookup)
    k_known = k_series.notna().to_numpy()
    k = np.where(k_known, k_series.fillna(0).to_numpy(), 0).astype(np.int64)
    reasons.add(block == "", "reject_block_missing", "block")
    unknown = ~k_known & reasons.ok
    if unknown.any():
        every_id = set(all_block_ids())
        hints: dict[tuple[str, str], dict] = {}
        for i in np.flatnonzero(unknown):
            key = (menu_ref[i], block[i])
            if key not in hints:
                menu = menus[key[0]]
                in_menu = [b.id for b in menu.blocks]
                near = difflib.get_close_matches(key[1], in_menu, n=3, cutoff=0.5)
                if key[1] in every_id:
                    hints[key] = ("reject_block_not_in_menu",
                                  {"block": key[1], "menu": key[0], "hint": ", ".join(near) or "-",
                                   "elsewhere": ", ".join(menus_with_block(key[1])) or "-"})
                else:
                    near = near or difflib.get_close_matches(key[1], sorted(every_id), n=3, cutoff=0.5)
                    hints[key] = ("reject_block_unknown", {"block": key[1], "menu": key[0],
                                                           "hint": ", ".join(near) or "-"})
        for kind in ("reject_block_not_in_menu", "reject_block_unknown"):
            mask = unknown & np.array([hints.get((menu_ref[i], block[i]), ("",))[0] == kind
                                       if unknown[i] else False for i in range(reasons.n)], dtype=bool)
            reasons.add(mask, kind, "block", cf["block"].to_numpy(dtype=object),
                        lambda i: hints[(menu_ref[i], block[i])][1])

    # numbers and yes/no
    facts: dict[str, np.ndarray] = {}
    present: dict[str, np.ndarray] = {}
    for name, (low, high) in BOUNDS.items():
        if name in cf.columns:
            col = number_column(cf[name])
            raw = cf[name].to_numpy(dtype=object)
            reasons.add(col.present & ~col.valid, "reject_not_number", name, raw)
            out_of_range = col.valid & ((col.hundredths < low) | (col.hundredths > high))
            reasons.add(out_of_range, "reject_out_of_range", name, raw,
                        {"low": _shown(low, name, tr), "high": _shown(high, name, tr)})
            if name == "age":
                reasons.add(col.valid & (col.hundredths % 100 != 0), "reject_not_whole", name, raw)
            facts[name] = np.where(col.valid, col.hundredths, 0)
            present[name] = col.valid
        else:
            facts[name] = np.zeros(reasons.n, dtype=np.int64)
            present[name] = np.zeros(reasons.n, dtype=bool)
    for name in (*FLAGS, "pso_certified"):
        if name in cf.columns:
            value, valid = bool_column(cf[name])
            reasons.add(~valid, "reject_not_bool", name, cf[name].to_numpy(dtype=object))
            facts[name] = value & valid
        else:
            facts[name] = np.zeros(reasons.n, dtype=bool)
    facts["age_present"] = present["age"]

    # the facts each unit needs
    unit = np.where(k_known, table.unit[k], -1)
    for code, unit_name in enumerate(UNITS):
        rows = unit == code
        for name in REQUIRED_FACTS[unit_name]:
            reasons.add(rows & ~present[name], "reject_fact_missing", name, None,
                        lambda i, u=unit_name, n=name: {"block": block[i], "unit": u, "column": n})

    # one price and one PSO status per bid
    bid_key = pd.Series(tid_arr + "\x1f" + bidder)
    for name in ("bid_value", "pso_certified"):
        if name not in cf.columns:
            continue
        given = (present[name] if name == "bid_value" else ~blank(cf[name])) & reasons.ok
        if not given.any():
            continue
        values = pd.Series(np.where(given, facts[name], -1))
        first = values.where(given).groupby(bid_key).transform("first")
        differs = given & (values != first).to_numpy()
        reasons.add(differs, "reject_bid_conflict", name, cf[name].to_numpy(dtype=object))

    step("value")
    ok = reasons.ok
    idx = np.flatnonzero(ok)
    basis_by_tender = {t: int(s.terms.hours_basis * 100) for t, s in tenders.items()}
    basis = tid.iloc[idx].map(basis_by_tender).to_numpy(dtype=np.int64) if len(idx) else np.zeros(0, np.int64)
    candidate = text_column(cf["candidate"]).to_numpy(dtype=object) if "candidate" in cf.columns else np.full(
        reasons.n, "", dtype=object)
    kk = k[idx]
    counted_as = np.array([table.blocks[x].id for x in range(len(table.blocks))], dtype=object)
    group = None
    if len(idx):
        keys = pd.DataFrame({"t": tid_arr[idx], "b": bidder[idx], "c": candidate[idx], "k": counted_as[kk]})
        group = keys.groupby(["t", "b", "c", "k"], sort=False).ngroup().to_numpy()
        group = np.where(candidate[idx] == "", -1, group)
    sub = {name: arr[idx] for name, arr in facts.items()}
    valued = value_rows(table, kk, sub, basis, group)

    lines = pd.DataFrame({
        "source": sheet.source,
        "row": reasons.rows[idx],
        "tender_id": tid_arr[idx],
        "bidder": bidder[idx],
        "block": block[idx],
        "counted_as": counted_as[kk],
        "candidate": candidate[idx],
        "credit": valued.credit,
    })
    step("explain")
    lines["explanation"] = explain_rows(tr, table, kk, sub, {n: present[n][idx] for n in NUMERIC_FACTS},
                                        basis, valued, candidate[idx]) if len(idx) else []

    step("bids")
    rejections.extend(reasons.rejections())
    bids = _bids(tenders, tid_arr, bidder, ok, lines, facts, present, reasons)
    return ScoreResult(bids, lines, rejections, tenders, reasons.n, tender_rows_in,
                       [(sheet.source, h) for h in sheet.ignored] + (
                           [(batch.tenders.source, h) for h in batch.tenders.ignored] if batch.tenders else []),
                       contribution_source=sheet.source)


def _shown(hundredths: int, name: str, tr: Translator) -> str:
    value = Decimal(hundredths) / 100
    return tr.eur(value) if name in ("amount", "bid_value") else tr.number(value)


def _bids(tenders, tid_arr, bidder, ok, lines, facts, present, reasons) -> list[BidScore]:
    """One score per (tender, bidder) that named a known tender, even if all its rows failed."""
    named = (bidder != "") & pd.Series(tid_arr).isin(list(tenders)).to_numpy()
    frame = pd.DataFrame({"t": tid_arr[named], "b": bidder[named], "ok": ok[named],
                          "price": np.where(present["bid_value"], facts["bid_value"], -1)[named],
                          "pso": facts["pso_certified"][named]})
    credited = lines.groupby(["tender_id", "bidder"], sort=False)["credit"].sum()
    out: list[BidScore] = []
    for (t, b), rows in frame.groupby(["t", "b"], sort=False):
        state = tenders[t]
        good = rows[rows["ok"]]
        price = good["price"][good["price"] >= 0]
        pso = bool(good["pso"].any())
        if state.terms.base == "contract_value" and len(price):
            base, from_bid = Decimal(int(price.iloc[0])) / 100, True
        else:
            base, from_bid = getattr(state.info, state.terms.base), False
        obligation = compute_obligation(base, state.terms, pso)
        total = Decimal(int(credited.get((t, b), 0))) / 100
        out.append(BidScore(t, b, state.choice.menu.ref, obligation, from_bid, total.quantize(Decimal("0.01")),
                            int(rows["ok"].sum()), int((~rows["ok"]).sum())))
    _rank(out)
    return out


def _rank(bids: list[BidScore]) -> None:
    """Rank within each tender: by coverage (no obligation counts as fully covered), then credit."""
    by_tender: dict[str, list[BidScore]] = {}
    for bid in bids:
        by_tender.setdefault(bid.tender_id, []).append(bid)
    for group in by_tender.values():
        def key(b: BidScore):
            coverage = b.coverage if b.coverage is not None else Decimal("Infinity")
            return (-coverage, -b.credited)

        ordered = sorted(group, key=key)
        for position, bid in enumerate(ordered, start=1):
            previous = ordered[position - 2] if position > 1 else None
            bid.rank = previous.rank if previous is not None and key(previous) == key(bid) else position
