"""Bids of a batch: obligations by the rules kernel (one row per bid), credits and ranks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import numpy as np
import pandas as pd

from impactkit.batch.tenders import TenderState
from impactkit.engine.suggest import Suggestion, suggestions_for
from impactkit.rules.compile import CompiledObligation, compile_obligation
from impactkit.rules.columns import numpy_columns
from impactkit.rules.obligation import Obligation, ObligationColumns, obligations, one_obligation
from impactkit.rules.terms import ObligationTerms


def _money(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)  # exponent -2: two decimals


@dataclass
class BidScore:
    """One bid's result. Amounts are kept in cents; the Decimal views are built on demand, so a
    batch of 100,000 bids does not create half a million Decimal objects it may never show."""

    tender_id: str
    bidder: str
    menu_ref: str
    state: TenderState
    columns: ObligationColumns
    row: int  # this bid's row in the obligation columns
    base_cents: int
    base_source: str
    scope_cents: int
    trede: int
    credited_cents: int  # after share caps
    lines: int
    rejected: int
    rank: int = 0

    @property
    def terms(self) -> ObligationTerms:
        return self.state.terms

    @property
    def obligation_cents(self) -> int:
        return int(self.columns.amount[self.row])

    @cached_property
    def obligation(self) -> Obligation:
        return one_obligation(self.columns, self.row, base_kind=self.terms.base, base=_money(self.base_cents),
                              base_source=self.base_source, scope_value=_money(self.scope_cents), terms=self.terms,
                              trede=self.trede)

    @property
    def base_from_bid(self) -> bool:
        return self.base_source.startswith("bid")

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

    @cached_property
    def suggestions(self) -> tuple[Suggestion, ...]:
        """Ways to close the shortfall (built when a report asks)."""
        if self.met:
            return ()
        return tuple(suggestions_for(self.state.choice.menu, self.shortfall, self.terms.hours_basis))


def _per_bid_rules(states: list[TenderState], bid_tender: np.ndarray) -> CompiledObligation:
    """Each bid's tender's obligation rule, as columns."""
    compiled = [compile_obligation(s.terms) for s in states]

    def column(get):
        return np.asarray([get(c) for c in compiled], dtype=np.int64)[bid_tender]

    return CompiledObligation(
        rate_num=column(lambda c: c.rate_num), rate_den=column(lambda c: c.rate_den),
        threshold=column(lambda c: c.threshold), inclusive=column(lambda c: c.inclusive).astype(bool),
        cap=column(lambda c: c.cap), flat_num=column(lambda c: c.flat_num), flat_den=column(lambda c: c.flat_den),
        trede_num=tuple(column(lambda c, t=t: c.trede_num[t]) for t in range(len(compiled[0].trede_num))),
        trede_den=tuple(column(lambda c, t=t: c.trede_den[t]) for t in range(len(compiled[0].trede_den))),
    )


def _cents(value: Decimal | None) -> int:
    return -1 if value is None else int(value * 100)


@dataclass
class BidObligations:
    """The obligation of every bid (one row per bid) and what it was measured on."""

    columns: ObligationColumns
    base: np.ndarray  # cents
    scope: np.ndarray  # cents: what the threshold tested
    from_bid: np.ndarray  # bool: the bid's own price


def bid_obligations(states: list[TenderState], bid_tender: np.ndarray, price: np.ndarray, pso: np.ndarray,
                    trede: np.ndarray) -> BidObligations:
    """Arrays are per bid: its tender's index in `states`, its own price in cents (-1: none given),
    PSO certified, PSO trede (-1: none)."""
    by_price = np.array([s.terms.base == "contract_value" for s in states], dtype=bool)[bid_tender]
    tender_base = np.array([_cents(getattr(s.info, s.terms.base)) for s in states], dtype=np.int64)[bid_tender]
    scope = np.array([_cents(s.info.contract_value) for s in states], dtype=np.int64)[bid_tender]
    from_bid = by_price & (price >= 0)
    base = np.where(from_bid, price, tender_base)
    scope = np.where(scope >= 0, scope, base)  # only a tender without a contract value tests the bid's price
    columns = obligations(_per_bid_rules(states, bid_tender), base, scope, pso, trede, numpy_columns())
    return BidObligations(columns, base, scope, from_bid)


def score_bids(states: list[TenderState], bid_tender: np.ndarray, bidders: list[str], ob: BidObligations,
               trede: np.ndarray, credit: np.ndarray, lines: np.ndarray, rejected: np.ndarray) -> list[BidScore]:
    """One BidScore per bid, ranked within its tender. `credit` is per bid, after share caps."""
    if not len(bid_tender):
        return []
    out = []
    for row, (t, bidder, fb, b, sc, td, cr, ln, rj) in enumerate(zip(
            bid_tender.tolist(), bidders, ob.from_bid.tolist(), ob.base.tolist(), ob.scope.tolist(),
            trede.tolist(), credit.tolist(), lines.tolist(), rejected.tolist())):
        state = states[t]
        source = ("bid_price" if fb else "tender_value") if state.terms.base == "contract_value" else "tender_wage_sum"
        out.append(BidScore(state.info.id, bidder, state.choice.menu.ref, state, ob.columns, row, b, source, sc, td,
                            cr, ln, rj))
    _rank(out, bid_tender, credit, np.asarray(ob.columns.amount, dtype=np.int64))
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


def bid_table(bid_code: np.ndarray, ok: np.ndarray, price: np.ndarray, pso: np.ndarray, trede: np.ndarray,
              credit_codes: np.ndarray, credit: np.ndarray) -> pd.DataFrame:
    """Per bid code: first price given on a scored row, PSO on any scored row, the first trede given,
    counts, and the sum of `credit` (whose rows belong to the bids in `credit_codes`)."""
    frame = pd.DataFrame({"bid": bid_code, "ok": ok, "price": np.where(ok & (price >= 0), price, np.nan),
                          "pso": pso & ok, "trede": np.where(ok & (trede >= 0), trede, np.nan)})
    grouped = frame.groupby("bid", sort=True)
    table = pd.DataFrame({"price": grouped["price"].first(), "pso": grouped["pso"].any(),
                          "trede": grouped["trede"].first(), "lines": grouped["ok"].sum(),
                          "rows": grouped["ok"].size()})
    total = pd.Series(credit).groupby(credit_codes).sum()
    table["credit"] = total.reindex(table.index).fillna(0).astype(np.int64)
    return table
