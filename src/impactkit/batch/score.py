"""Scoring a batch of tenders and bids: every row is checked and valued on columns, bids get
their obligation and rank, and every input row is either scored or rejected with its reason."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impactkit.batch.bids import BidScore, bid_obligations, bid_table, score_bids
from impactkit.batch.blocks import block_index
from impactkit.batch.explain import explain_rows, identical_rows
from impactkit.batch.reasons import Reasons
from impactkit.batch.rejections import Rejection
from impactkit.batch.shares import share_cap_excess
from impactkit.batch.tenders import TenderState, read_tender_rows
from impactkit.batch.valuation import fact_columns, value_rows
from impactkit.i18n import Translator
from impactkit.menus.registry import all_block_ids, menus_with_block
from impactkit.model.facts import FLAGS, NUMERIC_FACTS, PRICE, QUANTITIES, TREDES
from impactkit.io.sheets.columns import TENDER_COLUMNS
from impactkit.io.sheets.read import BatchInput, Sheet
from impactkit.io.sheets.values import blank, bool_column, lower_text, number_column, text_column

__all__ = ["BidScore", "ScoreResult", "score"]

# column: (lowest, highest) in hundredths (cents for amounts), from the bounds declared in model.facts
BOUNDS = {name: (int(b.low * 100), int(b.high * 100)) for name, b in {**QUANTITIES, "bid_value": PRICE}.items()}


@dataclass
class ScoreResult:
    bids: list[BidScore]
    lines: pd.DataFrame  # one row per scored input row
    rejections: list[Rejection]
    tenders: dict[str, TenderState]
    rows_in: int
    tender_rows_in: int
    ignored: list[tuple[str, str]] = field(default_factory=list)
    contribution_source: str = ""

    @property
    def rows_scored(self) -> int:
        return len(self.lines)

    @property
    def rows_rejected(self) -> int:
        return sum(1 for r in self.rejections if r.source == self.contribution_source)


def _combined_tenders(cf: pd.DataFrame, tid: np.ndarray) -> tuple[pd.DataFrame, list]:
    """Tender rows from a sheet with the tender fields on every row (the first row of a tender
    counts; a later row that differs is rejected)."""
    columns = [c for c in cf.columns if c in TENDER_COLUMNS and c != "tender_id"]
    first = ~pd.Series(tid).duplicated().to_numpy() & (tid != "")
    tenders = cf.loc[first, columns].copy()
    tenders.insert(0, "tender_id", tid[first])
    conflict: list = [None] * len(cf)
    for column in columns:
        text = text_column(cf[column])
        reference = text.groupby(tid, sort=False).transform("first")
        for i in np.flatnonzero((text != reference).to_numpy() & (tid != "")):
            conflict[i] = conflict[i] or column
    return tenders, conflict


def score(batch: BatchInput, tr: Translator, progress=None) -> ScoreResult:
    """Score every row; rows that cannot be scored are rejected with their reason."""
    step = progress or (lambda name: None)
    sheet = batch.contributions
    cf = sheet.frame
    reasons = Reasons(sheet)
    tid = text_column(cf["tender_id"]).to_numpy(dtype=object)

    step("tenders")
    conflict = None
    if batch.tenders is not None:
        tender_sheet = batch.tenders
    else:
        frame, conflict = _combined_tenders(cf, tid)
        tender_sheet = Sheet(sheet.source, frame, sheet.headers)
    tender_rejections: list[Rejection] = []
    tenders = read_tender_rows(tender_sheet.frame, tender_sheet.source, tender_sheet.headers, batch.base_dir,
                               tender_rejections)
    states = list(tenders.values())

    step("validate")
    tid_codes, tid_values = pd.factorize(tid)
    position = {t: i for i, t in enumerate(tenders)}
    tender_index = np.array([position.get(t, -1) for t in tid_values] + [-1], dtype=np.int64)[tid_codes]
    _check_tenders(reasons, batch, tid, tender_index, tender_sheet, tender_rejections, conflict)
    bidder = text_column(cf["bidder"]).to_numpy(dtype=object)
    reasons.add(bidder == "", "reject_bidder_missing", "bidder")
    block = lower_text(cf["block"])
    table, k = _check_blocks(reasons, cf, block, states, tender_index)
    facts, present = _check_facts(reasons, cf, tr)
    _check_required(reasons, table, k, block, present, facts)
    bidder_codes = pd.factorize(bidder)[0]
    bid_code = pd.factorize(tid_codes.astype(np.int64) * (bidder_codes.max(initial=0) + 2) + bidder_codes)[0]
    _check_bid_fields(reasons, cf, bid_code, facts, present)

    step("value")
    ok = reasons.ok
    idx = np.flatnonzero(ok)
    basis = np.array([int(s.terms.hours_basis * 100) for s in states] + [0], dtype=np.int64)[tender_index[idx]]
    candidate = (text_column(cf["candidate"]).to_numpy(dtype=object) if "candidate" in cf.columns
                 else np.full(reasons.n, "", dtype=object))
    entry = k[idx]
    sub = {name: arr[idx] for name, arr in facts.items()}
    values = value_rows(table, entry, fact_columns(sub, {n: present[n][idx] for n in NUMERIC_FACTS}), basis,
                        bid_code[idx], candidate[idx])
    valued = values.valued
    counted_as = np.array([b.id for b in table.blocks], dtype=object)
    lines = pd.DataFrame({
        "source": sheet.source, "row": reasons.rows[idx], "tender_id": tid[idx], "bidder": bidder[idx],
        "block": block[idx], "counted_as": counted_as[values.keys] if len(idx) else [], "candidate": candidate[idx],
        "credit": valued.credit, "block_credit": valued.block_credit,
        "bonus_credit": valued.credit - valued.block_credit,
    })

    step("explain")
    same = identical_rows(bid_code[idx], entry, candidate[idx],
                          {n: sub[n] for n in (*NUMERIC_FACTS, *FLAGS, "supplier_trede") if n in sub},
                          reasons.rows[idx])
    lines["explanation"] = explain_rows(tr, table, values, {n: present[n][idx] for n in NUMERIC_FACTS},
                                        candidate[idx], same)

    step("bids")
    named = (bidder != "") & (tender_index >= 0)
    named_idx = np.flatnonzero(named)
    per_bid = bid_table(bid_code[named_idx], ok[named_idx], np.where(present["bid_value"], facts["bid_value"], -1)[
        named_idx], facts["pso_certified"][named_idx], facts["pso_trede"][named_idx], bid_code[idx], valued.credit)
    first_row = pd.Series(np.arange(reasons.n)[named_idx]).groupby(bid_code[named_idx]).first().reindex(
        per_bid.index).to_numpy()
    bid_tender = tender_index[first_row]
    trede = per_bid["trede"].fillna(-1).to_numpy(dtype=np.int64)
    ob = bid_obligations(states, bid_tender, per_bid["price"].fillna(-1).to_numpy(dtype=np.int64),
                         per_bid["pso"].to_numpy(dtype=bool), trede)
    position = pd.Series(np.arange(len(per_bid)), index=per_bid.index)
    excess = share_cap_excess(table, states, values.keys, valued.credit, position.reindex(bid_code[idx]).to_numpy(),
                              bid_tender, np.asarray(ob.columns.amount, dtype=np.int64))
    bids = score_bids(states, bid_tender, bidder[first_row].tolist(), ob, trede,
                      per_bid["credit"].to_numpy(dtype=np.int64) - excess, per_bid["lines"].to_numpy(dtype=np.int64),
                      (per_bid["rows"] - per_bid["lines"]).to_numpy(dtype=np.int64))
    order = np.argsort(first_row, kind="stable")  # bids in the order they first appear
    bids = [bids[i] for i in order]
    rejections = (tender_rejections if batch.tenders is not None else []) + reasons.rejections()
    ignored = [(sheet.source, h) for h in sheet.ignored]
    if batch.tenders is not None:
        ignored += [(batch.tenders.source, h) for h in batch.tenders.ignored]
    return ScoreResult(bids, lines, rejections, tenders, reasons.n,
                       len(batch.tenders.frame) if batch.tenders is not None else 0, ignored, sheet.source)


def _check_tenders(reasons, batch, tid, tender_index, tender_sheet, tender_rejections, conflict) -> None:
    ids_by_row = dict(zip(tender_sheet.frame.index, text_column(tender_sheet.frame["tender_id"])))
    rejected: dict[str, Rejection] = {}
    for r in tender_rejections:
        rejected.setdefault(ids_by_row.get(r.row, ""), r)
    reasons.add(tid == "", "reject_tender_missing", "tender_id")
    failed = (tender_index < 0) & pd.Series(tid).isin(list(rejected)).to_numpy()
    if batch.tenders is not None:  # the tender's own row says why; point there
        reasons.add(failed, "reject_tender_rejected", "tender_id", tid,
                    lambda i: {"id": tid[i], "row": rejected[tid[i]].row, "sheet": batch.tenders.source})
    else:  # tender fields on every row: the row carries the tender's problem itself
        for i in np.flatnonzero(failed & reasons.ok):
            r = rejected[tid[i]]
            reasons.set(i, r.key, r.column, r.value, r.params)
    reasons.add(tender_index < 0, "reject_tender_unknown", "tender_id", tid, lambda i: {"id": tid[i]})
    if conflict is not None:
        for i in (i for i, c in enumerate(conflict) if c is not None and reasons.ok[i]):
            header = reasons.sheet.headers.get(conflict[i], conflict[i])
            reasons.set(i, "reject_tender_conflict", header, reasons.sheet.frame[conflict[i]].iat[i],
                        {"column": header})


def _check_blocks(reasons, cf, block, states, tender_index):
    """Find each row's block in its tender's menu; unknown blocks name the nearest ids. Returns the
    menus' block index and each row's entry in it (-1: none)."""
    menus = {}
    for state in states:
        menus.setdefault(state.choice.menu.ref, state.choice.menu)
    table = block_index(list(menus.values()))
    menu_of_tender = np.array([list(menus).index(s.choice.menu.ref) for s in states] + [-1])
    menu_row = menu_of_tender[tender_index]
    block_codes, block_values = pd.factorize(block)
    pairs = menu_row.astype(np.int64) * (len(block_values) + 1) + block_codes
    pair_codes, pair_values = pd.factorize(pairs)
    refs = list(menus)
    width = len(block_values) + 1

    def lookup(pair: int) -> int:
        menu, code = divmod(int(pair), width)
        if pair < 0 or menu >= len(refs) or code >= len(block_values):
            return -1
        return table.entries.get((refs[menu], block_values[code]), -1)

    k_of_pair = np.array([lookup(p) for p in pair_values] + [-1], dtype=np.int64)
    k = k_of_pair[pair_codes] if len(pair_codes) else np.zeros(0, dtype=np.int64)
    reasons.add(block == "", "reject_block_missing", "block")
    unknown = (k < 0) & reasons.ok
    if unknown.any():
        every_id = set(all_block_ids())
        hints: dict[tuple, tuple] = {}
        for i in np.flatnonzero(unknown):
            key = (refs[menu_row[i]], block[i])
            if key in hints:
                continue
            in_menu = [b.id for b in menus[key[0]].blocks]
            near = difflib.get_close_matches(key[1], in_menu, n=3, cutoff=0.5)
            if key[1] in every_id:
                hints[key] = ("reject_block_not_in_menu", {
                    "block": key[1], "menu": key[0], "hint": ", ".join(near) or "-",
                    "elsewhere": ", ".join(menus_with_block(key[1])) or "-"})
            else:
                near = near or difflib.get_close_matches(key[1], sorted(every_id), n=3, cutoff=0.5)
                hints[key] = ("reject_block_unknown", {"block": key[1], "menu": key[0], "hint": ", ".join(near) or "-"})
        unknown_idx = np.flatnonzero(unknown)
        kinds = np.full(reasons.n, "", dtype=object)
        kinds[unknown_idx] = [hints[(refs[menu_row[i]], block[i])][0] for i in unknown_idx]
        raw = cf["block"].to_numpy(dtype=object)
        for kind in ("reject_block_not_in_menu", "reject_block_unknown"):
            reasons.add(unknown & (kinds == kind), kind, "block", raw,
                        lambda i: hints[(refs[menu_row[i]], block[i])][1])
    return table, k


def _check_required(reasons, table, k, block, present, facts) -> None:
    """The facts each row's block needs (its unit's, and a supplier's trede where the menu values by it)."""
    if not len(table.entry_key):
        return
    entry = np.maximum(k, 0)
    for e, (menu_ref, block_id) in enumerate(table.entries):
        rows = (entry == e) & (k >= 0) & reasons.ok
        if not rows.any():
            continue
        compiled = table.block_of_entry(e)
        for name in table.rules[menu_ref].required_facts(block_id):
            have = present[name] if name in present else facts["supplier_trede"] >= 0
            reasons.add(rows & ~have, "reject_fact_missing", name, None,
                        lambda i, u=compiled.unit, n=name: {"block": block[i], "unit": u, "column": n})
        if compiled.factor_by_trede:
            allowed = [TREDES.index(t) for t in compiled.factor_by_trede]
            reasons.add(rows & (facts["supplier_trede"] >= 0) & ~np.isin(facts["supplier_trede"], allowed),
                        "reject_trede_not_in_menu", "supplier_pso_trede", None,
                        lambda i, b=compiled: {"block": b.id, "known": ", ".join(b.factor_by_trede)})


def _trede_column(reasons, cf, name: str) -> np.ndarray:
    """PSO tredes as positions in TREDES (-1: empty); anything else is rejected."""
    if name not in cf.columns:
        return np.full(reasons.n, -1, dtype=np.int64)
    words = text_column(cf[name]).str.lower().str.replace("trede", "", regex=False).str.strip()
    words = words.str.replace(r"\.0$", "", regex=True)
    lookup = {t: i for i, t in enumerate(TREDES)}
    codes = words.map(lambda w: lookup.get(w, -1 if w == "" else -2)).to_numpy(dtype=np.int64)
    reasons.add(codes == -2, "reject_not_trede", name, cf[name].to_numpy(dtype=object))
    return np.maximum(codes, -1)


def _check_facts(reasons, cf, tr):
    """Numbers within their bounds and yes/no values; empty cells are absent facts."""
    facts: dict[str, np.ndarray] = {}
    present: dict[str, np.ndarray] = {}
    for name, (low, high) in BOUNDS.items():
        if name not in cf.columns:
            facts[name] = np.zeros(reasons.n, dtype=np.int64)
            present[name] = np.zeros(reasons.n, dtype=bool)
            continue
        col = number_column(cf[name])
        raw = cf[name].to_numpy(dtype=object)
        reasons.add(col.present & ~col.valid, "reject_not_number", name, raw)
        reasons.add(col.valid & ((col.hundredths < low) | (col.hundredths > high)), "reject_out_of_range", name,
                    raw, {"low": _shown(low, name, tr), "high": _shown(high, name, tr)})
        if name == "age":
            reasons.add(col.valid & (col.hundredths % 100 != 0), "reject_not_whole", name, raw)
        facts[name] = np.where(col.valid, col.hundredths, 0)
        present[name] = col.valid
    for name in (*FLAGS, "pso_certified"):
        if name in cf.columns:
            value, valid = bool_column(cf[name])
            reasons.add(~valid, "reject_not_bool", name, cf[name].to_numpy(dtype=object))
            facts[name] = value & valid
        else:
            facts[name] = np.zeros(reasons.n, dtype=bool)
    facts["supplier_trede"] = _trede_column(reasons, cf, "supplier_pso_trede")
    facts["pso_trede"] = _trede_column(reasons, cf, "pso_trede")
    return facts, present


def _check_bid_fields(reasons, cf, bid_code, facts, present) -> None:
    """One price and one PSO status per bid: a later row that differs is rejected."""
    for name in ("bid_value", "pso_certified", "pso_trede"):
        if name not in cf.columns:
            continue
        given = (present[name] if name == "bid_value" else ~blank(cf[name])) & reasons.ok
        if not given.any():
            continue
        values = pd.Series(np.where(given, facts[name], -1).astype(np.int64))
        first = values.where(given).groupby(bid_code).transform("first").to_numpy()
        reasons.add(given & (values.to_numpy() != first), "reject_bid_conflict", name, cf[name].to_numpy(dtype=object))


def _shown(hundredths: int, name: str, tr: Translator) -> str:
    from decimal import Decimal

    value = Decimal(hundredths) / 100
    return tr.eur(value) if name in ("amount", "bid_value") else tr.number(value)
