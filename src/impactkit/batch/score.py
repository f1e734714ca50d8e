"""Scoring a batch of tenders and bids: every row is checked and valued on columns, bids get
their obligation and rank, and every input row is either scored or rejected with its reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from impactkit.batch import checks
from impactkit.batch.bidders import BidBase, bid_prices, bids_across_files, join_bidders
from impactkit.batch.bids import BidScore, bid_obligations, bid_table, score_bids
from impactkit.batch.explain import explain_rows
from impactkit.batch.identical import identical_first, identical_notes, identical_rows
from impactkit.batch.reasons import Reasons
from impactkit.batch.rejections import Rejection
from impactkit.batch.shares import share_cap_excess
from impactkit.batch.tenders import TenderFailure, TenderState, collect_tender_rows, read_tender_rows
from impactkit.batch.valuation import fact_columns, value_rows
from impactkit.i18n import Translator
from impactkit.io.sheets.notes import Note
from impactkit.io.sheets.read import BatchInput
from impactkit.io.sheets.values import lower_text, text_column
from impactkit.model.facts import FLAGS, NUMERIC_FACTS

__all__ = ["BidScore", "ScoreResult", "score"]

BOUNDS = checks.BOUNDS
LINE_FACTS_TENDERS = 25  # the results workbook has a sheet with the lines and their facts per tender up to this


@dataclass
class BaseTable:
    kind: np.ndarray  # "bid_price", "contract_value", "wage_sum"
    source: np.ndarray  # where the price (or the unreadable price cell) is
    row: np.ndarray
    note: np.ndarray  # message key or ""
    causes: dict  # bid position -> (rejection key, params) behind its note

    def get(self, i: int) -> BidBase:
        cause = self.causes.get(i, ("", {}))
        return BidBase(str(self.kind[i]), str(self.source[i]), int(self.row[i]), str(self.note[i]), cause[0], cause[1])


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
    bases: BaseTable | None = None  # per bid (in the order of `bids`): what its obligation was measured against
    hidden: list[tuple[str, list[int]]] = field(default_factory=list)  # hidden rows per sheet (they were scored)
    files: list[str] = field(default_factory=list)
    line_facts: dict | None = None  # fact -> (hundredths, given) per line; kept for a few tenders only
    explainer: Callable[[], np.ndarray] | None = field(default=None, repr=False)

    def explain(self) -> pd.DataFrame:
        """The lines with their explanations: built on demand (once), since a million rows' texts cost
        more than valuing them; the workbook and JSON ask for them, CSV output only with --explain."""
        if "explanation" not in self.lines.columns:
            self.lines["explanation"] = self.explainer() if self.explainer is not None and len(self.lines) else \
                np.zeros(len(self.lines), dtype=object)
        return self.lines

    @property
    def rows_scored(self) -> int:
        return len(self.lines)

    @property
    def rows_rejected(self) -> int:
        return sum(1 for r in self.rejections if r.kind == "contribution")

    def noted_bases(self) -> list[int]:
        """Positions of the bids whose base needs a word (a price from a rejected row, an unreadable price)."""
        if self.bases is None:
            return []
        notes = self.bases.note
        return np.flatnonzero((notes != "") & (notes != "score_base_no_price")).tolist()

    def base(self, i: int) -> BidBase:
        """What the obligation of bids[i] was measured against."""
        if self.bases is None:
            bid = self.bids[i]
            return BidBase("bid_price" if bid.base_from_bid else bid.terms.base)
        return self.bases.get(i)


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
    tender_position = {t: i for i, t in enumerate(tenders)}
    tender_index = np.array([tender_position.get(t, -1) for t in tid_values] + [-1], dtype=np.int64)[tid_codes]
    block = lower_text(cf["block"])
    bidder = text_column(cf["bidder"]).to_numpy(dtype=object)
    candidate = (text_column(cf["candidate"]).to_numpy(dtype=object) if "candidate" in cf.columns
                 else np.full(reasons.n, "", dtype=object))
    checks.check_cells(reasons, sheet, {"tender_id": tid, "bidder": bidder, "block": block, "candidate": candidate})
    checks.check_tenders(reasons, tid, tender_index, batch.combined, failures, conflict, known=list(tenders))
    bidder = join_bidders(bidder, sheet.sources(), sheet.rows, notes)
    reasons.add(bidder == "", "reject_bidder_missing", "bidder")
    table, k = checks.check_blocks(reasons, cf, block, states, tender_index)
    block = np.where(k >= 0, np.asarray(table.entry_id + [""], dtype=object)[k], block)  # "Label [id]" -> id
    facts, present, cells = checks.check_facts(reasons, sheet, tr, notes)
    checks.check_required(reasons, table, k, block, present, facts)
    bidder_codes = pd.factorize(bidder)[0]
    bid_code = pd.factorize(tid_codes.astype(np.int64) * (bidder_codes.max(initial=0) + 2) + bidder_codes)[0]
    checks.check_bid_fields(reasons, cf, bid_code, facts, present)

    step("value")
    ok = reasons.ok
    idx = np.flatnonzero(ok)
    basis = np.array([int(s.terms.hours_basis * 100) for s in states] + [0], dtype=np.int64)[tender_index[idx]]
    entry = k[idx]
    sub = {name: arr[idx] for name, arr in facts.items()}
    given = {n: present[n][idx] for n in NUMERIC_FACTS}
    values = value_rows(table, entry, fact_columns(sub, given), basis, bid_code[idx], candidate[idx])
    valued = values.valued
    counted_as = np.array([b.id for b in table.blocks], dtype=object)
    lines = pd.DataFrame({
        "source": sheet.sources(idx), "row": reasons.rows[idx], "tender_id": tid[idx], "bidder": bidder[idx],
        "block": block[idx], "counted_as": counted_as[values.keys] if len(idx) else [], "candidate": candidate[idx],
        "credit": valued.credit, "block_credit": valued.block_credit,
        "bonus_credit": valued.credit - valued.block_credit,
    })

    first = identical_first(bid_code[idx], entry, candidate[idx],
                            {n: sub[n] for n in (*NUMERIC_FACTS, *FLAGS, "supplier_trede") if n in sub})
    identical_notes(first, sheet.sources(idx), reasons.rows[idx], tid[idx], bidder[idx], notes)

    def explainer() -> np.ndarray:
        return explain_rows(tr, table, values, given, candidate[idx], identical_rows(first, reasons.rows[idx]))

    step("bids")
    named = (bidder != "") & (tender_index >= 0)
    named_idx = np.flatnonzero(named)
    if len(sheet.tables) > 1:
        files = np.asarray([str(t.file) for t in sheet.tables], dtype=object)[sheet.part]
        bids_across_files(bid_code, named, files, tid, bidder, sheet.sources(), sheet.rows, notes)
    per_bid = bid_table(bid_code[named_idx], ok[named_idx], np.where(present["bid_value"], facts["bid_value"], -1)[
        named_idx], facts["pso_certified"][named_idx], facts["pso_trede"][named_idx], bid_code[idx], valued.credit)
    unreadable = np.zeros(reasons.n, dtype=bool)  # price cells rejected as errors, formulas or text
    unreadable[[i for i, found in reasons.found.items() if found[1] == "bid_value"]] = True
    prices = bid_prices(bid_code, named, present["bid_value"], cells["bid_value"] | unreadable, facts["bid_value"], ok)
    per_bid["price"] = prices["price"].reindex(per_bid.index)  # a price counts on a row rejected for another reason
    first_row = pd.Series(np.arange(reasons.n)[named_idx]).groupby(bid_code[named_idx]).first().reindex(
        per_bid.index).to_numpy()
    bid_tender = tender_index[first_row]
    trede = per_bid["trede"].fillna(-1).to_numpy(dtype=np.int64)
    bids: list[BidScore] = []
    if len(per_bid):  # no bid at all when every row's tender was rejected
        ob = bid_obligations(states, bid_tender, per_bid["price"].fillna(-1).to_numpy(dtype=np.int64),
                             per_bid["pso"].to_numpy(dtype=bool), trede)
        position = pd.Series(np.arange(len(per_bid)), index=per_bid.index)
        excess = share_cap_excess(table, states, values.keys, valued.credit,
                                  position.reindex(bid_code[idx]).to_numpy(), bid_tender,
                                  np.asarray(ob.columns.amount, dtype=np.int64))
        bids = score_bids(states, bid_tender, bidder[first_row].tolist(), ob, trede,
                          per_bid["credit"].to_numpy(dtype=np.int64) - excess,
                          per_bid["lines"].to_numpy(dtype=np.int64),
                          (per_bid["rows"] - per_bid["lines"]).to_numpy(dtype=np.int64))
    order = np.argsort(first_row, kind="stable")  # bids in the order they first appear
    bids = [bids[i] for i in order]
    bases = _bases(bids, prices.reindex(per_bid.index).iloc[order], sheet, reasons)
    rejections = tender_rejections + reasons.rejections(tid, bidder)
    tables = sheet.tables + (batch.tenders.tables if batch.tenders else [])
    ignored = [(t.source, h) for t in tables for h in t.ignored]
    hidden = [(t.source, t.hidden) for t in tables if t.hidden]
    facts_kept = {n: (sub[n], given[n]) for n in NUMERIC_FACTS} if len(tenders) <= LINE_FACTS_TENDERS else None
    return ScoreResult(bids, lines, rejections, tenders, reasons.n,
                       len(batch.tenders.frame) if batch.tenders is not None else 0, ignored, notes, bases, hidden,
                       [p.name for p in batch.files], facts_kept, explainer)


def _references(frame: pd.DataFrame) -> dict[str, dict]:
    """Per tender id, the values of the row it was taken from (the first), compared as values."""
    ids = text_column(frame["tender_id"]).tolist()
    columns = {c: checks._canonical(frame[c], c) for c in frame.columns if c != "tender_id"}
    out: dict[str, dict] = {}
    for j, tender_id in enumerate(ids):
        if tender_id not in out:
            out[tender_id] = {c: v[j] for c, v in columns.items() if v[j] != ""}
    return out


#: a bid price below a tenth or above ten times the tender's contract value is most likely a typing
#: slip ("1.250,00" for 1,250,000): scored as given, and named under "bases worth checking"
FAR = 10


def _far_reason(price_cents: int, value_cents: int) -> dict:
    percent = (Decimal(price_cents) * 100 / Decimal(value_cents)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return {"price_eur": Decimal(price_cents) / 100, "value_eur": Decimal(value_cents) / 100, "percent": percent}


def _bases(bids: list[BidScore], prices: pd.DataFrame, sheet, reasons: Reasons) -> BaseTable:
    """What each bid's obligation was measured against, and why (column-wise; BidBase on demand)."""
    n = len(bids)
    kind = np.asarray([b.terms.base for b in bids], dtype=object)
    from_bid = np.fromiter((b.base_from_bid for b in bids), dtype=bool, count=n)
    at = prices["at"].to_numpy(dtype="float64")
    bad = prices["bad"].to_numpy(dtype="float64")
    use_at = from_bid & ~np.isnan(at)
    use_bad = (kind == "contract_value") & ~from_bid & ~np.isnan(bad)
    position = np.where(use_at, at, np.where(use_bad, bad, -1)).astype(np.int64)
    kind = np.where(use_at, "bid_price", kind)
    note = np.where(use_bad, "score_base_price_unreadable",
                    np.where((kind == "contract_value") & ~use_bad, "score_base_no_price", "")).astype(object)
    causes = {}
    for j in np.flatnonzero(position >= 0):
        found = reasons.found.get(int(position[j]))
        if found is not None:
            causes[int(j)] = (found[0], found[3])
            if use_at[j]:
                note[j] = "score_base_price_row_rejected"
        elif use_bad[j]:
            causes[int(j)] = ("reject_not_number", {})
    price = np.fromiter((b.base_cents for b in bids), dtype=np.int64, count=n)
    value_of = {id(s): int(s.info.contract_value * 100) for s in {id(b.state): b.state for b in bids}.values()
                if s.info.contract_value}
    value = np.fromiter((value_of.get(id(b.state), 0) for b in bids), dtype=np.int64, count=n)
    far = use_at & np.isin(note, ["", "score_base_price_row_rejected"]) & (value > 0) & (price > 0) & (
        (price * FAR < value) | (price > value * FAR))
    for j in np.flatnonzero(far):  # a rejected row's price far off: both said, the far price with its figures
        note[j] = "score_base_price_far" if note[j] == "" else "score_base_price_row_rejected_far"
        causes[int(j)] = ("score_base_far_reason", _far_reason(int(price[j]), int(value[j])))
    where = np.maximum(position, 0)
    sources = np.where(position >= 0, sheet.sources(where) if n else np.zeros(0, dtype=object), "")
    rows = np.where(position >= 0, sheet.rows[where] if n else 0, 0)
    return BaseTable(kind, sources.astype(object), rows.astype(np.int64), note, causes)
