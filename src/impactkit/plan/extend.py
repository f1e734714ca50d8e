"""When no plan meets the obligation: which option, extended by how much, would close it.

Starting from the plan with the most credit, each option's limits are raised one at a time just
far enough (more people, more months or hours a week per person, more hours or euros), each
step valued by the adapter; every extension offered is then checked end to end with the
extended plan, and they are listed cheapest first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from impactkit.plan.model import HOURS_LIMIT, MONTHS_LIMIT, Span
from impactkit.plan.options import (
    Choice,
    person_contribution,
    person_cost,
    quantity_contribution,
    quantity_cost,
    to_cents,
)
from impactkit.plan.prepare import PlannedLine, Prepared
from impactkit.plan.valuation import check_bid, value_line

MAX_SHOWN = 5


@dataclass(frozen=True)
class Extension:
    option: str
    field: str  # "people", "months", "hours_per_week", "hours" or "amount"
    current: Decimal
    extended: Decimal
    extra_cost: Decimal
    credited: Decimal  # the checked credit of the extended plan


def extensions(prepared: Prepared, best) -> list[Extension]:
    short = best.obligation - best.credited
    if short <= 0:
        return []
    found: list[tuple[Extension, list[PlannedLine]]] = []
    for choice in prepared.choices:
        own = [line for line in best.lines if line.option == choice.id and not line.committed]
        others = [line for line in best.lines if line not in own]
        for field_name, current, extended, lines in _candidates(prepared, choice, own, short):
            extra = sum((line.cost for line in lines), Decimal(0)) - sum((line.cost for line in own), Decimal(0))
            found.append((Extension(choice.id, field_name, current, extended, extra, Decimal(0)), others + lines))
    out: list[Extension] = []
    for extension, lines in sorted(found, key=lambda item: item[0].extra_cost):
        result = check_bid(prepared.setting, tuple(line.contribution for line in lines))
        if result.bids[0].met:
            out.append(Extension(**{**extension.__dict__, "credited": result.bids[0].credited}))
        if len(out) == MAX_SHOWN:
            break
    return out


def _fixed_cost(choice: Choice, own: list[PlannedLine]) -> Decimal:
    return Decimal(choice.fixed_cost) / 100 if not own else Decimal(0)


def _candidates(prepared: Prepared, choice: Choice, own: list[PlannedLine], short: Decimal):
    if choice.kind == "people" and choice.patterns:
        yield from _people(prepared, choice, own, short)
    elif choice.kind == "quantity" and choice.credit_per_unit > 0:
        option = choice.option
        units = math.ceil(Decimal(to_cents(short)) / Decimal(choice.credit_per_unit.numerator)
                          * choice.credit_per_unit.denominator)
        value = Decimal(choice.high + units) / choice.scale
        limit = Decimal(1_000_000) if choice.measure == "hours" else Decimal("1e9")
        if value <= limit:
            line = PlannedLine(option.id, quantity_contribution(option, {choice.measure: value}),
                               quantity_cost(option, choice.measure, value) + _fixed_cost(choice, own), False)
            yield choice.measure, Decimal(choice.high) / choice.scale, value, [line]


def _people(prepared: Prepared, choice: Choice, own: list[PlannedLine], short: Decimal):
    option = choice.option
    top = max(choice.patterns, key=lambda p: (p.credit, -p.cost))
    already = choice.already
    need = to_cents(short)
    # more people, each at the pattern worth most
    more = math.ceil(need / top.credit)
    refs = [f"{option.id}-{n}" for n in range(choice.people + 1, choice.people + more + 1)]
    if option.candidate is None and choice.people + more <= 100:
        added = [PlannedLine(option.id, person_contribution(option, top.hours_per_week, top.months, ref),
                             person_cost(option, top.hours_per_week, top.months) + _fixed_cost(choice, own), False)
                 for ref in refs]
        yield "people", Decimal(choice.people), Decimal(choice.people + more), own + added
    people = max(len(own), 1)
    # more months per person, until the counting cap stops adding credit
    months_now = option.months.max if isinstance(option.months, Span) else option.months
    hours = top.hours_per_week
    yield from _stretch(prepared, choice, own, people, need, "months", months_now, MONTHS_LIMIT,
                        lambda m: (hours, m), already)
    if choice.block.unit == "per_year":
        hours_now = option.hours_per_week.max if isinstance(option.hours_per_week, Span) else option.hours_per_week
        yield from _stretch(prepared, choice, own, people, need, "hours_per_week", hours_now,
                            HOURS_LIMIT, lambda h: (h, months_now), already)


def _stretch(prepared, choice, own, people, need, field_name, now, limit, facts, already):
    option = choice.option
    hours, months = facts(now)
    base = _credit(prepared, option, hours, months, already)
    previous = base
    step = now + 1
    while step <= limit:
        hours, months = facts(step)
        credit = _credit(prepared, option, hours, months, already)
        if credit <= previous:
            return  # a cap or the hours basis: more adds nothing
        if people * (credit - base) >= need:
            refs = list(choice.candidates[:people])
            hours, months = facts(step)
            lines = [PlannedLine(option.id, person_contribution(option, hours, months, ref),
                                 person_cost(option, hours, months), False) for ref in refs]
            lines[0] = PlannedLine(option.id, lines[0].contribution, lines[0].cost + Decimal(choice.fixed_cost) / 100, False)
            yield field_name, now, step, lines
            return
        previous = credit
        step += 1


def _credit(prepared: Prepared, option, hours, months, already) -> int:
    contribution = person_contribution(option, hours, months, option.candidate or "x", check=False)
    return to_cents(value_line(prepared.setting, contribution, already).credit)
