"""Scoring a batch of tenders and bids: every row is checked and valued on columns, bids get
their obligation and rank, and every input row is either scored or rejected with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impactkit.batch import checks
from impactkit.batch.bidders import BidBase, bid_prices, join_bidders
from impactkit.batch.bids import BidScore, bid_table, score_bids
from impactkit.batch.explain import explain_rows
from impactkit.batch.reasons import Reasons
from impactkit.batch.rejections import Rejection
from impactkit.batch.tenders import TenderFailure, TenderState, collect_tender_rows, read_tender_rows
from impactkit.batch.valuation import UNITS, value_rows
from impactkit.i18n import Translator
from impactkit.io.sheets.notes import Note
from impactkit.io.sheets.read import BatchInput
from impactkit.io.sheets.values import lower_text, text_column
from impactkit.model.menu import REQUIRED_FACTS

__all__ = ["BidScore", "ScoreResult", "score"]

BOUNDS = checks.BOUNDS
NUMERIC_FACTS = ("hours_per_week", "months", "hours", "days", "amount", "age")


@dataclass
class ScoreResult:
    bids: list[BidScore]
    lines: pd.DataFrame  # one row per scored input row
    rejections: list[Rejection]
    tenders: dict[str, TenderState]
    rows_in: int
    tender_rows_in: int
    ignored: list[tuple[str, str]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    bases: dict[tuple[str, str], BidBase] = field(default_factory=dict)  # (tender id, bidder) -> base

    @property
    def rows_scored(self) -> int:
        return len(self.lines)

    @property
    def rows_rejected(self) -> int:
        return sum(1 for r in self.rejections if r.kind == "contribution")

    def base(self, bid: BidScore) -> BidBase:
        return self.bases.get((bid.tender_id, bid.bidder)) or BidBase("bid_price" if bid.base_from_bid else bid.terms.base)


def score(batch: BatchInput, tr: Translator, progress=None) -> ScoreResult:
    """Score every row; rows that cannot be scored are rejected with their reason."""
    step = progress or (lambda name: None)
    sheet = batch.contributions
    cf = sheet.frame
    reasons = Reasons(sheet)
    notes: list[Note] = list(batch.notes)
    tid = text_column(cf["tender_id"]).to_numpy(dtype=object)

    step("tenders")
    tender_frame, where, _ = collect_tender_rows(batch.tenders, sheet, batch.combined, tid)
    tender_rejections: list[Rejection] = []
    failures: dict[str, TenderFailure] = {}
    tenders = read_tender_rows(tender_frame, where, tender_rejections, failures, notes)
    states = list(tenders.values())
    conflict = checks.tender_conflicts(cf, tid, batch.combined, _references(tender_frame)) if batch.combined.any() else {}

    step("validate")
    tid_codes, tid_values = pd.factorize(tid)
    position = {t: i for i, t in enumerate(tenders)}
    tender_index = np.array([position.get(t, -1) for t in tid_values] + [-1], dtype=np.int64)[tid_codes]
    block = lower_text(cf["block"])
    checks.check_cells(reasons, sheet, block == "")
    checks.check_tenders(reasons, tid, tender_index, batch.combined, failures, conflict)
    bidder = join_bidders(text_column(cf["bidder"]).to_numpy(dtype=object), sheet.sources(), sheet.rows, notes)
    reasons.add(bidder == "", "reject_bidder_missing", "bidder")
    table, k = checks.check_blocks(reasons, cf, block, states, tender_index)
    facts, present, cells = checks.check_facts(reasons, sheet, tr, notes)
    unit = np.where(k >= 0, table.unit[np.maximum(k, 0)], -1) if len(table.unit) else np.full(reasons.n, -1)
    for code, unit_name in enumerate(UNITS):
        rows = (unit == code) & (k >= 0)
        for name in REQUIRED_FACTS[unit_name]:
            reasons.add(rows & ~present[name], "reject_fact_missing", name, None,
                        lambda i, u=unit_name, n=name: {"block": block[i], "unit": u, "column": n})
    bidder_codes = pd.factorize(bidder)[0]
    bid_code = pd.factorize(tid_codes.astype(np.int64) * (bidder_codes.max(initial=0) + 2) + bidder_codes)[0]
    checks.check_bid_fields(reasons, cf, bid_code, facts, present)

    step("value")
    ok = reasons.ok
    idx = np.flatnonzero(ok)
    basis = np.array([int(s.terms.hours_basis * 100) for s in states] + [0], dtype=np.int64)[tender_index[idx]]
    candidate = (text_column(cf["candidate"]).to_numpy(dtype=object) if "candidate" in cf.columns
                 else np.full(reasons.n, "", dtype=object))
    kk = k[idx]
    counted_as = np.array([b.id for b in table.blocks], dtype=object)
    group = None
    if len(idx):  # number each (bid, candidate, valuing block) so months accumulate within it
        keys = pd.DataFrame({"b": bid_code[idx], "c": pd.factorize(candidate[idx])[0],
                             "k": pd.factorize(counted_as[kk])[0]})
        group = keys.groupby(["b", "c", "k"], sort=False).ngroup().to_numpy()
        group = np.where(candidate[idx] == "", -1, group)
    sub = {name: arr[idx] for name, arr in facts.items()}
    valued = value_rows(table, kk, sub, basis, group)
    lines = pd.DataFrame({
        "source": sheet.sources(idx), "row": reasons.rows[idx], "tender_id": tid[idx], "bidder": bidder[idx],
        "block": block[idx], "counted_as": counted_as[kk] if len(kk) else [], "candidate": candidate[idx],
        "credit": valued.credit,
    })

    step("explain")
    lines["explanation"] = explain_rows(tr, table, kk, sub, {n: present[n][idx] for n in NUMERIC_FACTS}, basis,
                                        valued, candidate[idx]) if len(idx) else []

    step("bids")
    named = (bidder != "") & (tender_index >= 0)
    named_idx = np.flatnonzero(named)
    per_bid = bid_table(bid_code[named_idx], ok[named_idx], np.where(present["bid_value"], facts["bid_value"], -1)[
        named_idx], facts["pso_certified"][named_idx], bid_code[idx], valued.credit)
    unreadable = np.zeros(reasons.n, dtype=bool)  # price cells rejected as errors, formulas or text
    unreadable[[i for i, found in reasons.found.items() if found[1] == "bid_value"]] = True
    prices = bid_prices(bid_code, named, present["bid_value"], cells["bid_value"] | unreadable, facts["bid_value"], ok)
    per_bid["price"] = prices["price"].reindex(per_bid.index)  # a price counts on a row rejected for another reason
    first_row = pd.Series(np.arange(reasons.n)[named_idx]).groupby(bid_code[named_idx]).first().reindex(
        per_bid.index).to_numpy()
    bids = score_bids(states, tender_index[first_row], bidder[first_row].tolist(),
                      per_bid["price"].fillna(-1).to_numpy(dtype=np.int64), per_bid["pso"].to_numpy(dtype=bool),
                      per_bid["credit"].to_numpy(dtype=np.int64), per_bid["lines"].to_numpy(dtype=np.int64),
                      (per_bid["rows"] - per_bid["lines"]).to_numpy(dtype=np.int64))
    order = np.argsort(first_row, kind="stable")  # bids in the order they first appear
    bids = [bids[i] for i in order]
    bases = _bases(bids, prices.reindex(per_bid.index).iloc[order], sheet, reasons)
    rejections = tender_rejections + reasons.rejections(tid, bidder)
    ignored = [(t.source, h) for t in sheet.tables + (batch.tenders.tables if batch.tenders else []) for h in t.ignored]
    return ScoreResult(bids, lines, rejections, tenders, reasons.n,
                       len(batch.tenders.frame) if batch.tenders is not None else 0, ignored, notes, bases)


def _references(frame: pd.DataFrame) -> dict[str, dict]:
    """Per tender id, the values of the row it was taken from (the first), compared as values."""
    ids = text_column(frame["tender_id"]).tolist()
    columns = {c: checks._canonical(frame[c], c) for c in frame.columns if c != "tender_id"}
    out: dict[str, dict] = {}
    for j, tender_id in enumerate(ids):
        if tender_id not in out:
            out[tender_id] = {c: v[j] for c, v in columns.items() if v[j] != ""}
    return out


def _bases(bids: list[BidScore], prices: pd.DataFrame, sheet, reasons: Reasons) -> dict[tuple[str, str], BidBase]:
    """What each bid's obligation was measured against, and why."""
    out = {}
    for bid, at, bad in zip(bids, prices["at"].tolist(), prices["bad"].tolist()):
        kind = bid.terms.base
        if kind == "wage_sum":
            out[(bid.tender_id, bid.bidder)] = BidBase("wage_sum")
        elif bid.base_from_bid and at == at:
            i = int(at)
            rejected = reasons.found.get(i)
            out[(bid.tender_id, bid.bidder)] = BidBase(
                "bid_price", sheet.source_of(i), int(sheet.rows[i]), "score_base_price_row_rejected" if rejected else "",
                rejected[0] if rejected else "", rejected[3] if rejected else {})
        elif bad == bad:
            i = int(bad)
            found = reasons.found.get(i)
            out[(bid.tender_id, bid.bidder)] = BidBase(
                "contract_value", sheet.source_of(i), int(sheet.rows[i]), "score_base_price_unreadable",
                found[0] if found else "reject_not_number", found[3] if found else {})
        else:
            out[(bid.tender_id, bid.bidder)] = BidBase("contract_value", note="score_base_no_price")
    return out

