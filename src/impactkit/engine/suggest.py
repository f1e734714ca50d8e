"""Concrete ways to close a shortfall with a menu's blocks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from impactkit.i18n import Translator
from impactkit.model.menu import Label, Menu
from impactkit.money import cents

MAX_YEARLY = 3  # the most valuable per-year blocks to propose


@dataclass(frozen=True)
class Suggestion:
    """E.g. 4 full-time months of Banenafspraak, or EUR 8,000 of purchases from an SW company."""

    block: str
    label: Label
    kind: str  # "full_time_months", "people_full_time", "months", "hours", "days", "amount"
    quantity: Decimal  # months, hours, days or euros
    people: int | None = None  # for people_full_time: how many people, each for `quantity` months
    value: Decimal | None = None  # the block's value, for context


def _ceil(x: Fraction) -> int:
    return math.ceil(x)


def suggestions_for(menu: Menu, shortfall: Decimal, hours_basis: Decimal | None = None) -> list[Suggestion]:
    """Ways to close `shortfall`, each on its own; full time means the menu's hours basis."""
    need = Fraction(shortfall)
    out: list[Suggestion] = []
    blocks = [b for b in menu.blocks if b.alias_of is None]
    yearly = sorted((b for b in blocks if b.unit == "per_year" and b.value), key=lambda b: -b.value)
    for block in yearly[:MAX_YEARLY]:
        months = _ceil(need * 12 / Fraction(block.value))
        if block.cap_months is not None and months > block.cap_months:
            per_person = int(block.cap_months)
            if per_person < 1:  # a cap under a month: no whole months to propose
                continue
            people = _ceil(Fraction(months, per_person))
            out.append(Suggestion(block.id, block.label, "people_full_time", Decimal(per_person), people, block.value))
        else:
            out.append(Suggestion(block.id, block.label, "full_time_months", Decimal(months), None, block.value))
    for block in blocks:
        if block.unit == "per_month" and block.value:
            out.append(Suggestion(block.id, block.label, "months", Decimal(_ceil(need / Fraction(block.value))),
                                  None, block.value))
        elif block.unit == "per_hour" and block.value:
            out.append(Suggestion(block.id, block.label, "hours", Decimal(_ceil(need / Fraction(block.value))),
                                  None, block.value))
        elif block.unit == "per_day" and block.value:
            out.append(Suggestion(block.id, block.label, "days", Decimal(_ceil(need / Fraction(block.value))),
                                  None, block.value))
        elif block.unit in ("invoice", "actual_cost"):
            amount = need / Fraction(block.factor)
            rounded = cents(amount)
            if Fraction(rounded) < amount:
                rounded += Decimal("0.01")
            out.append(Suggestion(block.id, block.label, "amount", rounded, None, None))
    return out


def explain_suggestion(s: Suggestion, tr: Translator) -> str:
    """A suggestion in words."""
    label = tr.label(s.label)
    n = tr.number
    one = "_one" if s.quantity == 1 and s.kind != "people_full_time" else ""
    if s.kind == "full_time_months":
        return tr("suggest_full_time_months" + one, months=n(s.quantity), label=label, value=tr.eur(s.value))
    if s.kind == "people_full_time":
        return tr("suggest_people", people=s.people, months=n(s.quantity), label=label, value=tr.eur(s.value))
    if s.kind == "amount":
        return tr("suggest_amount", amount=tr.eur(s.quantity), label=label)
    return tr(f"suggest_{s.kind}{one}", quantity=n(s.quantity), label=label, value=tr.eur(s.value))
