"""The social-return obligation of one bid (sroi.md section 3).

obligation = base x rate, rounded half-up to cents; 0 when the base does not pass the
threshold (with the menu's comparison); then the cap; then a PSO discount where the menu or
the tender states its percentage and the bidder is certified.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from impactkit.model.menu import Menu
from impactkit.money import ZERO, cents

OVERRIDABLE = ("rate", "base", "threshold", "threshold_inclusive", "cap", "pso_discount", "hours_basis")


@dataclass(frozen=True)
class ObligationTerms:
    """The rule in force for a tender: the menu's default with the tender's overrides."""

    rate: Decimal
    base: str
    threshold: Decimal | None
    threshold_inclusive: bool
    cap: Decimal | None
    pso_discount: Decimal | None
    hours_basis: Decimal
    overridden: tuple[str, ...] = ()
    assumed: bool = False  # the menu's rule is an impactkit assumption, not the source's
    hours_basis_assumed: bool = False


def terms_for(menu: Menu, **overrides) -> ObligationTerms:
    """Combine the menu's rule with overrides (None means: keep the menu's)."""
    rule = menu.obligation
    values = {
        "rate": rule.rate,
        "base": rule.base,
        "threshold": rule.threshold,
        "threshold_inclusive": rule.threshold_inclusive,
        "cap": rule.cap,
        "pso_discount": rule.pso_discount,
        "hours_basis": menu.hours_basis,
    }
    overridden = []
    for name in OVERRIDABLE:
        if overrides.get(name) is not None:
            values[name] = overrides[name]
            overridden.append(name)
    assumed = rule.assumed and "rate" not in overridden
    basis_assumed = menu.hours_basis_assumed and "hours_basis" not in overridden
    return ObligationTerms(**values, overridden=tuple(overridden), assumed=assumed, hours_basis_assumed=basis_assumed)


@dataclass(frozen=True)
class Obligation:
    base_kind: str
    base: Decimal
    rate: Decimal
    gross: Decimal  # base x rate, rounded
    threshold: Decimal | None
    threshold_inclusive: bool
    below_threshold: bool
    cap: Decimal | None
    capped: bool
    pso_discount: Decimal | None  # the percentage applied, if any
    discount: Decimal  # euros taken off for PSO
    amount: Decimal  # what the bid must deliver


def passes_threshold(base: Decimal, threshold: Decimal | None, inclusive: bool) -> bool:
    if threshold is None:
        return True
    return base >= threshold if inclusive else base > threshold


def compute_obligation(base: Decimal, terms: ObligationTerms, pso_certified: bool = False) -> Obligation:
    gross = cents(base * terms.rate)
    below = not passes_threshold(base, terms.threshold, terms.threshold_inclusive)
    amount = ZERO if below else gross
    capped = terms.cap is not None and amount > terms.cap
    if capped:
        amount = cents(terms.cap)
    pso = terms.pso_discount if (pso_certified and terms.pso_discount and amount > 0) else None
    discount = cents(amount * pso) if pso else ZERO
    return Obligation(
        base_kind=terms.base,
        base=base,
        rate=terms.rate,
        gross=gross,
        threshold=terms.threshold,
        threshold_inclusive=terms.threshold_inclusive,
        below_threshold=below,
        cap=terms.cap,
        capped=capped,
        pso_discount=pso,
        discount=discount,
        amount=amount - discount,
    )
