"""Concrete ways to close a shortfall with a menu's blocks, least effort first.

Each suggestion closes the shortfall on its own with one block, full time at the hours basis.
They are ordered by effort: the hours of work they take (a month full time is the hours basis
times 52/12 weeks, a day a fifth of the basis week, an hour an hour), fewest first; purchases and
costs, which take money rather than work, come after them, smallest amount first. A per-person
block never asks more months of one person than its counting cap counts (12 months a person
where the menu has no cap): beyond that the suggestion spreads the months over more people.

These suggestions know nothing of the contractor's costs; `impactkit plan` finds the cheapest
way from the options a contractor can really offer (docs/plan.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from impactkit.i18n import Translator
from impactkit.model.menu import Label, Menu
from impactkit.money import cents

MAX_WORK = 3  # suggestions that take work (people, months, hours, days)
UNCAPPED_MONTHS = 12  # months a person is asked for where the menu has no counting cap
WEEKS_PER_MONTH = Fraction(52, 12)


@dataclass(frozen=True)
class Suggestion:
    """E.g. 4 full-time months of Banenafspraak, or EUR 8,000 of purchases from an SW company."""

    block: str
    label: Label
    kind: str  # "full_time_months", "people_full_time", "months", "hours", "days", "amount"
    quantity: Decimal  # months (in all), hours, days or euros
    people: int | None = None  # for people_full_time: over how many people the months are spread
    value: Decimal | None = None  # the block's value, for context
    per_person: Decimal | None = None  # for people_full_time: the most months that count for one person
    effort_hours: Fraction | None = None  # hours of work; None for amounts


def _ceil(x: Fraction) -> int:
    return math.ceil(x)


def suggestions_for(menu: Menu, shortfall: Decimal, hours_basis: Decimal | None = None) -> list[Suggestion]:
    """Ways to close `shortfall`, each on its own, least effort first."""
    need = Fraction(shortfall)
    basis = Fraction(hours_basis if hours_basis is not None else menu.hours_basis)
    month_hours = basis * WEEKS_PER_MONTH
    work: list[Suggestion] = []
    money: list[Suggestion] = []
    for block in (b for b in menu.blocks if b.alias_of is None):
        if block.unit in ("per_year", "per_month") and block.value:
            per_month = Fraction(block.value) / (12 if block.unit == "per_year" else 1)
            months = _ceil(need / per_month)
            limit = int(block.cap_months) if block.cap_months is not None else UNCAPPED_MONTHS
            if limit < 1:  # a cap under a month: no whole months to propose
                continue
            effort = months * month_hours
            if block.unit == "per_month":
                work.append(Suggestion(block.id, block.row_label, "months", Decimal(months), None, block.value,
                                       effort_hours=effort))
            elif months > limit:
                people = _ceil(Fraction(months, limit))
                work.append(Suggestion(block.id, block.row_label, "people_full_time", Decimal(months), people,
                                       block.value, Decimal(limit), effort))
            else:
                work.append(Suggestion(block.id, block.row_label, "full_time_months", Decimal(months), None,
                                       block.value, effort_hours=effort))
        elif block.unit == "per_hour" and block.value:
            hours = _ceil(need / Fraction(block.value))
            work.append(Suggestion(block.id, block.row_label, "hours", Decimal(hours), None, block.value,
                                   effort_hours=Fraction(hours)))
        elif block.unit == "per_day" and block.value:
            days = _ceil(need / Fraction(block.value))
            work.append(Suggestion(block.id, block.row_label, "days", Decimal(days), None, block.value,
                                   effort_hours=days * basis / 5))
        elif block.unit in ("invoice", "actual_cost"):
            amount = need / Fraction(block.factor)
            rounded = cents(amount)
            if Fraction(rounded) < amount:
                rounded += Decimal("0.01")
            money.append(Suggestion(block.id, block.row_label, "amount", rounded, None, None))
    work.sort(key=lambda s: (s.effort_hours, s.people or 1, -(s.value or 0)))
    money.sort(key=lambda s: s.quantity)
    return work[:MAX_WORK] + money


def explain_suggestion(s: Suggestion, tr: Translator) -> str:
    """A suggestion in words."""
    label = tr.label(s.label)
    n = tr.number
    if s.kind == "amount":
        return tr("suggest_amount", amount=tr.eur(s.quantity), label=label)
    if s.value is None:
        raise ValueError(f"a suggestion of {s.kind} names the value of block {s.block}")
    value = tr.eur(s.value)
    one = "_one" if s.quantity == 1 and s.kind != "people_full_time" else ""
    if s.kind == "full_time_months":
        return tr("suggest_full_time_months" + one, months=n(s.quantity), label=label, value=value)
    if s.kind == "people_full_time" and s.per_person is not None:  # no more months for one than the cap counts
        return tr("suggest_people", people=s.people, months=n(s.quantity), per_person=n(s.per_person), label=label,
                  value=value)
    return tr(f"suggest_{s.kind}{one}", quantity=n(s.quantity), label=label, value=value)
