"""Bids of a batch: obligations (the rule of engine/obligation.py in integer cents), credits
and ranks within each tender."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from impactkit.batch.tenders import TenderState
from impactkit.batch.valuation import half_up
from impactkit.engine.obligation import Obligation, ObligationTerms



@dataclass
class BidScore:
    """One bid's result. Amounts are kept in cents; the Decimal views are built on demand, so a
    batch of 100,000 bids does not create half a million Decimal objects it may never show."""

    tender_id: str
    bidder: str
    menu_ref: str
    terms: ObligationTerms
    amounts: tuple  # cents: base, gross, discount, amount; flags: below, capped, pso applied
    base_from_bid: bool
    credited_cents: int
    lines: int
    rejected: int
    rank: int = 0

    @property
    def obligation_cents(self) -> int:
        return self.amounts[3]

    @cached_property
    def obligation(self) -> Obligation:
        base, gross, discount, amount, below, capped, pso = self.amounts
        t = self.terms
        return Obligation(
            base_kind=t.base, base=_money(base), rate=t.rate, gross=_money(gross), threshold=t.threshold,
            threshold_inclusive=t.threshold_inclusive, below_threshold=below, cap=t.cap, capped=capped,
            pso_discount=t.pso_discount if pso else None, discount=_money(discount), amount=_money(amount),
        )

    @property
    def credited(self) -> Decimal:
        return _money(self.credited_cents)

    @property
    def met(self) -> bool:
        return self.credited_cents >= self.obligation_cents

    @property
    def shortfall(self) -> Decimal:
        return _money(max(0, self.obligation_cents - self.credited_cents))

    @property
    def surplus(self) -> Decimal:
        return _money(max(0, self.credited_cents - self.obligation_cents))

    @property
    def coverage(self) -> Decimal | None:
        if self.obligation_cents == 0:
            return None
        return Decimal(self.credited_cents) / Decimal(self.obligation_cents)


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
    amounts = zip(base.tolist(), gross.tolist(), discount.tolist(), amount.tolist(), below.tolist(), capped.tolist(),
                  applies.tolist())
    for t, bidder, cents, fb, cr, ln, rj in zip(bid_tender.tolist(), bidders, amounts, from_bid.tolist(),
                                                credit.tolist(), lines.tolist(), rejected.tolist()):
        state = states[t]
        out.append(BidScore(state.info.id, bidder, state.choice.menu.ref, terms[t], cents, fb, cr, ln, rj))
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
