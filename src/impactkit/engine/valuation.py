"""Valuing one contribution with one menu (sroi.md section 4).

Each unit has its formula; ratios are exact fractions and every component (the block and
each bonus) is rounded half-up to cents once. A line's credit is the sum of its components.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from impactkit.model.menu import REQUIRED_FACTS, Block, Bonus, Label, Menu
from impactkit.money import ZERO, cents

NUMERIC_FACTS = ("hours_per_week", "months", "hours", "days", "amount", "age")


@dataclass(frozen=True)
class Component:
    """The block's own credit or one bonus on it, with the numbers of its formula."""

    kind: str  # "block" or "bonus"
    id: str
    label: Label
    unit: str
    credit: Decimal
    formula: dict
    source: str  # source id in the menu


@dataclass(frozen=True)
class Line:
    index: int
    block: str  # as entered
    counted_as: str  # the block that values it (after an alias)
    unit: str
    candidate: str | None
    credit: Decimal
    components: tuple[Component, ...]
    notes: tuple[tuple[str, dict], ...] = field(default=())
    months_counted: Decimal = ZERO


def missing_facts(block: Block, contribution) -> list[str]:
    """The fields this block's unit needs that the contribution lacks."""
    return [name for name in REQUIRED_FACTS[block.unit] if getattr(contribution, name) is None]


def ignored_facts(block: Block, contribution) -> list[str]:
    used = set(REQUIRED_FACTS[block.unit]) | ({"age"} if block.unit == "per_year" else set())
    return [name for name in NUMERIC_FACTS if name not in used and getattr(contribution, name) is not None]


def counted_months(months: Decimal, cap: Decimal | None, already: Decimal) -> Decimal:
    """Months that count: within the block's cap, after months already counted."""
    if cap is None:
        return months
    return max(ZERO, min(months, cap - already))


def hours_factor(hours_per_week: Decimal, basis: Decimal) -> Fraction:
    return min(Fraction(hours_per_week) / Fraction(basis), Fraction(1))


def applicable_bonuses(menu: Menu, block: Block, age: int | None, flags: dict[str, bool]) -> list[Bonus]:
    """Bonuses that apply; within an exclusive group only the highest counts."""
    found = [b for b in (menu.bonus(i) for i in block.bonuses) if b is not None and b.when.holds(age, flags)]
    best: dict[str, Bonus] = {}
    for bonus in found:
        if bonus.group is not None and (bonus.group not in best or bonus.value > best[bonus.group].value):
            best[bonus.group] = bonus
    return [b for b in found if b.group is None or best[b.group] is b]


def value_contribution(
    menu: Menu,
    contribution,
    index: int = 0,
    hours_basis: Decimal | None = None,
    already_counted: Decimal = ZERO,
) -> Line:
    """Credit one contribution. The block must exist and its facts be present."""
    entered = contribution.block
    block = menu.resolve(entered)
    if block is None:
        raise KeyError(entered)
    missing = missing_facts(block, contribution)
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    basis = hours_basis if hours_basis is not None else menu.hours_basis
    notes: list[tuple[str, dict]] = []
    if block.id != entered:
        notes.append(("note_alias", {"entered": entered, "block": block.id}))
    for name in ignored_facts(block, contribution):
        notes.append(("note_field_ignored", {"field": name, "unit": block.unit}))

    unit = block.unit
    months_now = ZERO
    if unit == "per_year":
        components, months_now = _per_year(menu, block, contribution, basis, already_counted, notes)
    elif unit == "per_month":
        months_now = counted_months(contribution.months, block.cap_months, already_counted)
        credit = cents(block.value * months_now)
        formula = {"value": block.value, "months": contribution.months, "counted": months_now,
                   "cap": block.cap_months, "already": already_counted}
        components = [_component(block, credit, formula)]
    elif unit == "per_hour":
        formula = {"value": block.value, "hours": contribution.hours}
        components = [_component(block, cents(block.value * contribution.hours), formula)]
    elif unit == "per_day":
        ceiling = block.value * contribution.days
        credit = cents(min(contribution.amount, ceiling))
        formula = {"value": block.value, "days": contribution.days, "amount": contribution.amount,
                   "ceiling": cents(ceiling), "limited": contribution.amount > ceiling}
        components = [_component(block, credit, formula)]
    elif unit == "invoice":
        formula = {"amount": contribution.amount, "factor": block.factor}
        components = [_component(block, cents(contribution.amount * block.factor), formula)]
    else:  # actual_cost, by_agreement
        if unit == "by_agreement":
            notes.append(("note_by_agreement", {}))
        components = [_component(block, cents(contribution.amount), {"amount": contribution.amount})]

    return Line(
        index=index,
        block=entered,
        counted_as=block.id,
        unit=unit,
        candidate=contribution.candidate,
        credit=sum((c.credit for c in components), ZERO),
        components=tuple(components),
        notes=tuple(notes),
        months_counted=months_now,
    )


def _component(block: Block, credit: Decimal, formula: dict) -> Component:
    return Component("block", block.id, block.label, block.unit, credit, formula, block.source)


def _per_year(menu, block, c, basis, already, notes):
    months_now = counted_months(c.months, block.cap_months, already)
    formula = {
        "value": block.value,
        "hours": c.hours_per_week,
        "basis": basis,
        "months": c.months,
        "counted": months_now,
        "cap": block.cap_months,
        "already": already,
        "candidate": c.candidate,
    }
    minimum = block.min_hours_per_week
    if minimum is not None and c.hours_per_week < minimum:
        notes.append(("note_min_hours", {"hours": c.hours_per_week, "minimum": minimum}))
        return [Component("block", block.id, block.label, "per_year", ZERO, {**formula, "below_minimum": minimum},
                          block.source)], ZERO
    factor = hours_factor(c.hours_per_week, basis) * Fraction(months_now) / 12
    components = [_component(block, cents(Fraction(block.value) * factor), formula)]
    for bonus in applicable_bonuses(menu, block, c.age, c.flags):
        if bonus.one_off:
            credit, bonus_formula = cents(bonus.value), {"value": bonus.value, "one_off": True}
        else:
            credit = cents(Fraction(bonus.value) * factor)
            bonus_formula = {**formula, "value": bonus.value}
        components.append(Component("bonus", bonus.id, bonus.label, "per_year", credit, bonus_formula, bonus.source))
    return components, months_now
