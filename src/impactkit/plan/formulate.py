"""The choices of a plan as a mixed-integer model, and a solution back as lines of the bid.

Per option: a 0/1 variable `used`; per person pattern the number of people who follow it; per
quantity option the hours or the amount in cents; per day-valued option the days, the amount
and the credit (at most the amount, at most the menu's value per day). The coverage is the
credit the rules will count: where a menu caps the share of some blocks, the credit above the
cap does not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from impactkit.money import cents
from impactkit.plan.milp import Model
from impactkit.plan.options import Choice, days_cost, person_contribution, person_cost, quantity_contribution, quantity_cost
from impactkit.plan.prepare import PlannedLine, Prepared


@dataclass
class Formulation:
    model: Model
    used: dict[int, int] = field(default_factory=dict)  # choice position in prepared.choices -> variable
    people: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # choice -> [(pattern index, variable)]
    quantity: dict[int, int] = field(default_factory=dict)
    days: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # choice -> (days, amount, credit)
    credit: dict[int, dict[int, float]] = field(default_factory=dict)  # choice -> credit expression
    cost: dict[int, float] = field(default_factory=dict)  # the cost expression
    coverage: dict[int, float] = field(default_factory=dict)  # the credit that counts
    coverage_row: int | None = None
    budget_row: int | None = None
    cuts: list[int] = field(default_factory=list)


def _add(expr: dict[int, float], var: int, coefficient: float | Fraction | Decimal) -> None:
    if coefficient:
        expr[var] = expr.get(var, 0.0) + float(coefficient)


def formulate(prepared: Prepared, time_limit: float = 60.0) -> Formulation:
    form = Formulation(Model(time_limit))
    m = form.model
    for k, choice in enumerate(prepared.choices):
        credit: dict[int, float] = {}
        if choice.kind == "people":
            possible = bool(choice.patterns) and choice.people > 0
            u = form.used[k] = m.var(0, 1 if possible else 0)
            variables = []
            for p, pattern in enumerate(choice.patterns):
                v = m.var(0, choice.people)
                variables.append((p, v))
                _add(credit, v, pattern.credit)
                _add(form.cost, v, pattern.cost)
            form.people[k] = variables
            total = {v: 1.0 for _, v in variables}
            m.row({**total, u: -choice.people}, high=0)
            m.row({**total, u: -choice.people_low}, low=0)
        elif choice.kind == "quantity":
            u = form.used[k] = m.var(0, 1 if choice.high > 0 else 0)
            x = form.quantity[k] = m.var(0, choice.high)
            _add(credit, x, choice.credit_per_unit)
            _add(form.cost, x, choice.cost_per_unit)
            m.row({x: 1, u: -choice.high}, high=0)
            m.row({x: 1, u: -max(choice.low, 1)}, low=0)
        else:  # days
            possible = choice.days_high > 0 and choice.amount_high > 0
            u = form.used[k] = m.var(0, 1 if possible else 0)
            d, a, c = m.var(0, choice.days_high), m.var(0, choice.amount_high), m.var(0, choice.amount_high)
            form.days[k] = (d, a, c)
            _add(credit, c, 1)
            _add(form.cost, d, 100 * choice.option.cost_per_day if choice.option.cost_per_day else 0)
            _add(form.cost, a, choice.option.cost_per_euro or 0)
            m.row({c: 1, a: -1}, high=0)
            m.row({c: 1, d: -choice.day_value}, high=0)
            m.row({d: 1, u: -choice.days_high}, high=0)
            m.row({d: 1, u: -max(choice.days_low, 1)}, low=0)
            m.row({a: 1, u: -choice.amount_high}, high=0)
        _add(form.cost, u, choice.fixed_cost)
        form.credit[k] = credit
    _coverage(prepared, form)
    return form


def _coverage(prepared: Prepared, form: Formulation) -> None:
    grouped: dict[int, int] = {}
    for g, cap in enumerate(prepared.caps):
        for k, choice in enumerate(prepared.choices):
            if choice.block.id in cap.blocks and k not in grouped:
                grouped[k] = g
    for k, expr in form.credit.items():
        if k not in grouped:
            for v, c in expr.items():
                _add(form.coverage, v, c)
    obligation = Decimal(prepared.obligation) / 100
    fixed_lines = prepared.fixed_result.bids[0].lines
    for g, cap in enumerate(prepared.caps):
        members = [k for k, group in grouped.items() if group == g]
        if not members:
            continue
        room = int(cents(cap.share * obligation) * 100) - sum(
            int(line.credit * 100) for line in fixed_lines if line.counted_as in cap.blocks)
        y = form.model.var(0, max(room, 0))
        expr = {y: 1.0}
        for k in members:
            for v, c in form.credit[k].items():
                _add(expr, v, -c)
        form.model.row(expr, high=0)
        _add(form.coverage, y, 1)


def extract(prepared: Prepared, form: Formulation, values: tuple[int, ...]) -> tuple[list[PlannedLine], frozenset[str]]:
    """The chosen lines (in the order of the options) and the ids of the options used."""
    out: list[PlannedLine] = []
    used: set[str] = set()
    for k, choice in enumerate(prepared.choices):
        lines = _lines(choice, form, k, values)
        if lines:
            used.add(choice.id)
            first = lines[0]
            lines[0] = PlannedLine(first.option, first.contribution, first.cost + Decimal(choice.fixed_cost) / 100, False)
            out.extend(lines)
    return out, frozenset(used)


def _lines(choice: Choice, form: Formulation, k: int, values: tuple[int, ...]) -> list[PlannedLine]:
    option = choice.option
    if choice.kind == "people":
        refs = iter(choice.candidates)
        lines = []
        for p, v in form.people[k]:
            pattern = choice.patterns[p]
            for _ in range(values[v]):
                contribution = person_contribution(option, pattern.hours_per_week, pattern.months, next(refs))
                lines.append(PlannedLine(option.id, contribution, person_cost(option, pattern.hours_per_week,
                                                                             pattern.months), False))
        return lines
    if choice.kind == "quantity":
        x = values[form.quantity[k]]
        if x <= 0:
            return []
        value = Decimal(x) / choice.scale
        return [PlannedLine(option.id, quantity_contribution(option, {choice.measure: value}),
                            quantity_cost(option, choice.measure, value), False)]
    d, a, _ = form.days[k]
    if values[d] <= 0:
        return []
    days, amount = Decimal(values[d]), Decimal(values[a]) / 100
    return [PlannedLine(option.id, quantity_contribution(option, {"days": days, "amount": amount}),
                        days_cost(option, days, amount), False)]
