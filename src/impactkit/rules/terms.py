"""The rule in force for a tender: the menu's obligation rule with the tender's overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from impactkit.model.menu import Menu

OVERRIDABLE = ("rate", "base", "threshold", "threshold_inclusive", "cap", "pso_discount", "hours_basis")

#: a rate a tender sets is worth a second look (scored as given, with a note) above this many times
#: its menu's rate, or above RATE_HIGH whatever the menu: the shipped menus ask 2% to 5%, so a 0.5
#: meant as half a percent (read as 50%) or a 50% meant as 5% would otherwise pass unseen
RATE_TIMES_MENU = 3
RATE_HIGH = Decimal("0.2")


@dataclass(frozen=True)
class ObligationTerms:
    """What the obligation and the valuation of one tender follow (sroi.md section 3)."""

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
    pso_discount_by_trede: dict[str, Decimal] = field(default_factory=dict)
    kind: str | None = None  # works, services or supplies, when the tender says
    threshold_by_kind: dict[str, Decimal] = field(default_factory=dict)  # the menu's, for the report
    penalty_rate: Decimal | None = None

    def __hash__(self) -> int:  # dict fields: hash what identifies the terms
        return hash((self.rate, self.base, self.threshold, self.threshold_inclusive, self.cap, self.pso_discount,
                     self.hours_basis, tuple(sorted(self.pso_discount_by_trede.items())), self.kind))

    @property
    def threshold_needs_kind(self) -> bool:
        """The menu's threshold differs per kind of contract and the tender does not say which."""
        return bool(self.threshold_by_kind) and self.kind is None and "threshold" not in self.overridden


def terms_for(menu: Menu, kind: str | None = None, **overrides: Any) -> ObligationTerms:
    """Combine the menu's rule with a tender's kind and overrides (None means: keep the menu's)."""
    rule = menu.obligation
    by_kind: dict[str, Decimal] = {k: v for k, v in (rule.threshold_by_kind or {}).items()}
    values: dict[str, Any] = {  # the fields of the terms, by name: an override replaces one
        "rate": rule.rate,
        "base": rule.base,
        "threshold": by_kind.get(kind, rule.threshold) if kind else rule.threshold,
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
    by_trede: dict[str, Decimal] = {} if "pso_discount" in overridden else {t: v for t, v in (rule.pso_discount_by_trede or {}).items()}
    return ObligationTerms(**values, overridden=tuple(overridden), assumed=assumed,
                           hours_basis_assumed=basis_assumed, pso_discount_by_trede=by_trede, kind=kind,
                           threshold_by_kind=by_kind, penalty_rate=rule.penalty_rate)


def rate_worth_checking(rate: Decimal, menu_rate: Decimal) -> bool:
    """A tender's own rate far above what menus ask (RATE_TIMES_MENU, RATE_HIGH)."""
    return rate > menu_rate * RATE_TIMES_MENU or rate > RATE_HIGH
