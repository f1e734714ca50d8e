"""From a plan file to what the solver needs: the lines already fixed and the choices left.

Every option is checked first (plan/checks.py: its block, the fields its unit takes, its
numbers), and every problem is reported with its line and field before anything is valued.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from impactkit.engine.stack import TenderResult
from impactkit.errors import every_problem
from impactkit.io.yamlio import LineMap
from impactkit.model.tender import Contribution
from impactkit.money import ZERO
from impactkit.plan.checks import option_problems
from impactkit.plan.model import Option, PlanFile
from impactkit.plan.options import (
    PEOPLE_UNITS,
    Choice,
    ShareCap,
    build_days,
    build_people,
    build_quantity,
    days_cost,
    person_contribution,
    person_cost,
    quantity_contribution,
    quantity_cost,
    to_cents,
)
from impactkit.plan.valuation import Setting, check_bid, months_counted, share_caps


@dataclass(frozen=True)
class PlannedLine:
    """One line of the planned bid: where it comes from, the contribution and its cost."""

    option: str | None  # None: a contribution the bid already had
    contribution: Contribution
    cost: Decimal
    committed: bool


@dataclass
class Prepared:
    setting: Setting
    fixed: list[PlannedLine]  # the bid's own contributions and the committed options
    choices: list[Choice]
    caps: tuple[ShareCap, ...]
    fixed_result: TenderResult  # the checked bid with the fixed lines only
    notes: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def obligation(self) -> int:
        return to_cents(self.fixed_result.bids[0].obligation.amount)

    @property
    def fixed_credit(self) -> int:
        return to_cents(self.fixed_result.bids[0].credited)

    @property
    def fixed_cost(self) -> int:
        return sum(to_cents(line.cost) for line in self.fixed)


def committed_lines(option: Option, unit: str, candidates: list[str]) -> list[PlannedLine]:
    """The lines of a committed option, each with its cost; the option's fixed cost on the first."""
    if unit in PEOPLE_UNITS:
        hours = option.hours_per_week if unit == "per_year" else None
        months = option.required("months")
        out = [PlannedLine(option.id, person_contribution(option, hours, months, ref),
                           person_cost(option, hours, months), True) for ref in candidates]
    elif unit == "per_day":
        days, amount = option.required("days"), option.required("amount")
        out = [PlannedLine(option.id, quantity_contribution(option, {"days": days, "amount": amount}),
                           days_cost(option, days, amount), True)]
    else:
        name = "hours" if unit == "per_hour" else "amount"
        value = getattr(option, name)
        out = [PlannedLine(option.id, quantity_contribution(option, {name: value}), quantity_cost(option, name, value), True)]
    if option.cost_fixed and out:
        first = out[0]
        out[0] = PlannedLine(first.option, first.contribution, first.cost + option.cost_fixed, True)
    return out


def candidate_refs(option: Option, taken: set[str]) -> list[str]:
    """Pseudonymous references for an option's people: its own, or id-1, id-2, ... not yet taken."""
    if option.candidate is not None:
        return [option.candidate]
    refs: list[str] = []
    n = 0
    while len(refs) < (option.people or 1):
        n += 1
        ref = f"{option.id}-{n}"
        if ref not in taken:
            refs.append(ref)
    return refs


def prepare(plan: PlanFile, setting: Setting, lines: LineMap) -> Prepared:
    """The plan's fixed lines and choices; every problem of its options is told at once, by line."""
    menu = setting.menu
    error = every_problem(*option_problems(list(enumerate(plan.options)), menu, lines))
    if error is not None:
        raise error
    taken = {c.candidate for c in setting.bid.contributions if c.candidate}
    fixed = [PlannedLine(None, c, ZERO, True) for c in setting.bid.contributions]
    refs: dict[int, list[str]] = {}
    for i, option in enumerate(plan.options):
        if menu.row(option.block).unit in PEOPLE_UNITS:
            refs[i] = candidate_refs(option, taken)
            taken.update(refs[i])
    for i, option in enumerate(plan.options):
        if option.committed:
            fixed.extend(committed_lines(option, menu.row(option.block).row_unit, refs.get(i, [])))
    fixed_result = check_bid(setting, tuple(line.contribution for line in fixed))
    prepared = Prepared(setting, fixed, [], tuple(share_caps(setting)), fixed_result=fixed_result)
    for i, option in enumerate(plan.options):
        if option.committed:
            continue
        block = menu.row(option.block)
        choice = Choice(option, i, block, "people", to_cents(option.cost_fixed or ZERO))
        if block.unit in PEOPLE_UNITS:
            choice.candidates = tuple(refs[i])
            choice.people = option.people or 1
            already = ZERO
            if option.candidate is not None:  # option_problems refused a candidate named twice for a block
                already = months_counted(fixed_result, option.candidate, block.id)
            build_people(choice, setting, already)
        elif block.unit == "per_day":
            choice.kind = "days"
            build_days(choice, setting)
        else:
            choice.kind = "quantity"
            build_quantity(choice, setting)
        if not option.has_cost:
            prepared.notes.append(("plan_note_free", {"option": option.id}))
        prepared.choices.append(choice)
    return prepared

