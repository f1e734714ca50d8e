"""The social-return obligation (sroi.md section 3), one implementation for check, score and monitor.

The threshold decides whether the contract is in scope: it is tested against the tender's
contract value. Each bid's obligation is its base (its own price, else the tender's contract
value; or the wage sum) x rate, rounded half-up to cents; 0 out of scope; then the cap; then a
PSO discount where the menu or the tender states its percentage (per trede or for any
certified contractor). Works on columns (one row per bid), like the valuation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from impactkit.model.facts import TREDES
from impactkit.rules.columns import Backend, Column, half_up
from impactkit.rules.compile import CompiledObligation
from impactkit.rules.terms import ObligationTerms

# how a bid's PSO claim was treated
PSO_NONE = 0  # no claim
PSO_FLAT = 1  # the percentage for any certified contractor
PSO_TREDE = 2  # the percentage for the bid's trede
PSO_UNKNOWN = 3  # claimed, but the menu and tender state no percentage (for that trede): no discount


@dataclass
class ObligationColumns:
    gross: Column  # cents: base x rate, rounded
    below_threshold: Column  # bool
    capped: Column  # bool
    pso: Column  # one of PSO_*
    discount: Column  # cents
    amount: Column  # cents: what the bid must deliver


def obligations(rule: CompiledObligation, base: Column, scope_value: Column, certified: Column, trede: Column,
                xp: Backend) -> ObligationColumns:
    """Per bid: `base` and `scope_value` (what the threshold tests) in cents, `certified` (bool) and
    `trede` (position in TREDES, -1 for none). The rule's fields are numbers or columns per bid."""
    gross = half_up(base * rule.rate_num, rule.rate_den)
    below = (rule.threshold >= 0) & xp.where(rule.inclusive, scope_value < rule.threshold,
                                              scope_value <= rule.threshold)
    amount = xp.where(below, 0, gross)
    capped = (rule.cap >= 0) & (amount > rule.cap)
    amount = xp.where(capped, rule.cap, amount)
    claim = certified | (trede >= 0)
    flat = claim & (rule.flat_num >= 0)
    num, den = xp.where(flat, rule.flat_num, 0), xp.where(flat, rule.flat_den, 1)
    how = xp.where(flat, PSO_FLAT, xp.where(claim, PSO_UNKNOWN, PSO_NONE))
    for position in range(len(TREDES)):
        hit = (trede == position) & (rule.trede_num[position] >= 0)
        num = xp.where(hit, rule.trede_num[position], num)
        den = xp.where(hit, rule.trede_den[position], den)
        how = xp.where(hit, PSO_TREDE, how)
    discount = half_up(amount * num, den)
    return ObligationColumns(gross, below, capped, how, discount, amount - discount)


@dataclass(frozen=True)
class Obligation:
    """One bid's obligation, for reports: amounts in euros, and how each step was decided."""

    base_kind: str  # contract_value or wage_sum
    base: Decimal
    base_source: str  # bid_price, tender_value, bid_wage_sum, tender_wage_sum
    scope_value: Decimal  # what the threshold was tested against (the tender's contract value)
    rate: Decimal
    gross: Decimal
    threshold: Decimal | None
    threshold_inclusive: bool
    below_threshold: bool
    cap: Decimal | None
    capped: bool
    pso: int  # PSO_*
    pso_trede: str | None
    pso_discount: Decimal | None  # the percentage applied
    discount: Decimal
    amount: Decimal
    kind: str | None = None  # works, services or supplies, when the threshold depended on it


def one_obligation(columns: ObligationColumns, i: int, *, base_kind: str, base: Decimal, base_source: str,
                   scope_value: Decimal, terms: ObligationTerms, trede: int) -> Obligation:
    """Row `i` of the columns as a typed result (the terms supply the rule's own figures)."""
    how = int(columns.pso[i])
    trede_name = TREDES[trede] if trede >= 0 else None
    pct: Decimal | None = None
    if how == PSO_TREDE and trede_name is not None:  # PSO_TREDE: the bid's own trede has a percentage
        pct = terms.pso_discount_by_trede[trede_name]
    elif how == PSO_FLAT:
        pct = terms.pso_discount
    return Obligation(
        base_kind=base_kind, base=base, base_source=base_source, scope_value=scope_value, rate=terms.rate,
        gross=cents_to_euros(columns.gross[i]), threshold=terms.threshold,
        threshold_inclusive=terms.threshold_inclusive, below_threshold=bool(columns.below_threshold[i]),
        cap=terms.cap, capped=bool(columns.capped[i]), pso=how, pso_trede=trede_name, pso_discount=pct,
        discount=cents_to_euros(columns.discount[i]), amount=cents_to_euros(columns.amount[i]), kind=terms.kind,
    )


def cents_to_euros(cents: Column) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)
