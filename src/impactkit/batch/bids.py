"""Bids of a batch: obligations (the rule of engine/obligation.py in integer cents), credits
and ranks within each tender."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from impactkit.batch.tenders import TenderState
from impactkit.batch.valuation import half_up
from impactkit.engine.obligation import Obligation

CENT = Decimal("0.01")


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


def _cents(value: Decimal | None) -> int:
    return -1 if value is None else int(value * 100)


def _money(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)  # exponent -2: two decimals


def score_bids(states: list[TenderState], bid_tender: np.ndarray, bidders: list[str], price: np.ndarray,
               pso: np.ndarray, credit: np.ndarray, lines: np.ndarray, rejected: np.ndarray) -> list[BidScore]:
    """One BidScore per bid. Arrays are per bid: its tender's index in `states`, its own price in
    cents (-1: none given), PSO certified, credited cents, rows scored and rows rejected."""
    n = len(bid_tender)
    if not n:
        return []
    terms = [s.terms for s in states]
    by_price = np.array([t.base == "contract_value" for t in terms], dtype=bool)[bid_tender]
    tender_base = np.array([_cents(getattr(s.info, s.terms.base)) for s in states], dtype=np.int64)[bid_tender]
    from_bid = by_price & (price >= 0)
    base = np.where(from_bid, price, tender_base)

    def per_tender(values, dtype=np.int64):
        return np.asarray(values, dtype=dtype)[bid_tender]

    rates = [Fraction(t.rate) for t in terms]
    gross = half_up(base * per_tender([r.numerator for r in rates]), per_tender([r.denominator for r in rates]))
    threshold = per_tender([_cents(t.threshold) for t in terms])
    inclusive = per_tender([t.threshold_inclusive for t in terms], bool)
    below = (threshold >= 0) & np.where(inclusive, base < threshold, base <= threshold)
    amount = np.where(below, 0, gross)
    cap = per_tender([_cents(t.cap) for t in terms])
    capped = (cap >= 0) & (amount > cap)
    amount = np.where(capped, cap, amount)
    discounts = [Fraction(t.pso_discount) if t.pso_discount else Fraction(0) for t in terms]
    pso_num, pso_den = per_tender([d.numerator for d in discounts]), per_tender([d.denominator for d in discounts])
    applies = pso & (pso_num > 0) & (amount > 0)
    discount = np.where(applies, half_up(amount * pso_num, pso_den), 0)
    amount = amount - discount

    out = []
    rows = zip(bid_tender.tolist(), bidders, base.tolist(), gross.tolist(), below.tolist(), capped.tolist(),
               applies.tolist(), discount.tolist(), amount.tolist(), from_bid.tolist(), credit.tolist(),
               lines.tolist(), rejected.tolist())
    for t, bidder, b, g, bl, cp, ap, disc, am, fb, cr, ln, rj in rows:
        state, term = states[t], terms[t]
        obligation = Obligation(
            base_kind=term.base, base=_money(b), rate=term.rate, gross=_money(g), threshold=term.threshold,
            threshold_inclusive=term.threshold_inclusive, below_threshold=bl, cap=term.cap, capped=cp,
            pso_discount=term.pso_discount if ap else None, discount=_money(disc), amount=_money(am),
        )
        out.append(BidScore(state.info.id, bidder, state.choice.menu.ref, obligation, fb, _money(cr), ln, rj))
    _rank(out, bid_tender, credit, amount)
    return out


def _rank(bids: list[BidScore], tender: np.ndarray, credit: np.ndarray, obligation: np.ndarray) -> None:
    """Rank within each tender by coverage (no obligation: fully covered), then credit; ties share."""
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(obligation > 0, credit / np.where(obligation > 0, obligation, 1), np.inf)
    order = np.lexsort((-credit, -coverage, tender))
    t, c, cr = tender[order], coverage[order], credit[order]
    new_tender = np.r_[True, t[1:] != t[:-1]]
    new_value = new_tender | np.r_[True, (c[1:] != c[:-1]) | (cr[1:] != cr[:-1])]
    position = np.arange(len(order))
    start = np.maximum.accumulate(np.where(new_tender, position, 0))
    first_equal = np.maximum.accumulate(np.where(new_value, position, 0))
    ranks = first_equal - start + 1
    for i, rank in zip(order.tolist(), ranks.tolist()):
        bids[i].rank = rank


def bid_table(bid_code: np.ndarray, ok: np.ndarray, price: np.ndarray, pso: np.ndarray, credit_codes: np.ndarray,
              credit: np.ndarray) -> pd.DataFrame:
    """Per bid code: first price given on a scored row, PSO on any scored row, counts, and the sum
    of `credit` (whose rows belong to the bids in `credit_codes`)."""
    frame = pd.DataFrame({"bid": bid_code, "ok": ok, "price": np.where(ok & (price >= 0), price, np.nan),
                          "pso": pso & ok})
    grouped = frame.groupby("bid", sort=True)
    table = pd.DataFrame({"price": grouped["price"].first(), "pso": grouped["pso"].any(),
                          "lines": grouped["ok"].sum(), "rows": grouped["ok"].size()})
    total = pd.Series(credit).groupby(credit_codes).sum()
    table["credit"] = total.reindex(table.index).fillna(0).astype(np.int64)
    return table
