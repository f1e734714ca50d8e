"""Finding the plan: least cost that meets the obligation, or most credit within a budget.

Every plan found is built as the bid's contributions and checked end to end (`check_bid`, the
code of `impactkit check`); the figures reported are the checked ones. Should the exact check
find a plan short of the obligation (a credit the model could only take as a fraction of a
cent per unit), the model asks for that much more and is solved again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal

from impactkit.engine.stack import BidResult, TenderResult
from impactkit.money import ZERO
from impactkit.plan.formulate import Formulation, extract, formulate
from impactkit.plan.prepare import PlannedLine, Prepared
from impactkit.plan.valuation import check_bid

MAX_RETRIES = 5
ALTERNATIVES_SECONDS = 1.0  # the search for next-best plans stops after this long
LEAST_COST, BUDGET = "least_cost", "budget"


@dataclass(frozen=True)
class Plan:
    """A checked plan: its lines (fixed ones first), their costs, and the checked bid."""

    lines: tuple[PlannedLine, ...]
    result: TenderResult
    used: frozenset[str]

    @property
    def bid(self) -> BidResult:
        return self.result.bids[0]

    @property
    def cost(self) -> Decimal:
        return sum((line.cost for line in self.lines), ZERO)

    @property
    def credited(self) -> Decimal:
        return self.bid.credited

    @property
    def obligation(self) -> Decimal:
        return self.bid.obligation.amount

    @property
    def met(self) -> bool:
        return self.bid.met

    @property
    def margin(self) -> Decimal:
        return self.credited - self.obligation


@dataclass
class Outcome:
    mode: str
    status: str  # "optimal", "time_limit" (best found, not proved), "infeasible" (no plan meets it)
    best: Plan
    gap: float = 0.0
    alternatives: list[Plan] = field(default_factory=list)
    extensions: list = field(default_factory=list)
    budget: Decimal | None = None
    alternatives_proved: bool = True  # False: the last alternatives are the best found in the time given
    notes: list[tuple[str, dict]] = field(default_factory=list)


class BudgetTooSmall(Exception):
    def __init__(self, committed: Decimal):
        self.committed = committed


def _plan(prepared: Prepared, chosen: list[PlannedLine], used: frozenset[str]) -> Plan:
    lines = tuple(prepared.fixed) + tuple(chosen)
    return Plan(lines, check_bid(prepared.setting, tuple(line.contribution for line in lines)), used)


def _solve_once(prepared: Prepared, form: Formulation, mode: str, seconds: float | None = None):
    """One optimisation in the given mode; lexicographic in budget mode (most credit, then least cost)."""
    m = form.model
    if mode == LEAST_COST:
        return m.solve(form.cost, time_limit=seconds)
    first = m.solve(form.coverage, maximise=True, time_limit=seconds)
    if not first.found:
        return first
    best = sum(form.coverage.get(i, 0) * v for i, v in enumerate(first.values))
    row = m.row(form.coverage, low=round(best))
    second = m.solve(form.cost, time_limit=seconds)
    m.bounds(row)  # free the row again: later solves are not bound by it
    return second if second.found else first


def _checked(prepared: Prepared, form: Formulation, mode: str, need: int, seconds: float | None = None):
    """Solve, check the plan exactly, and ask for a margin while the check finds it short."""
    margin = 0
    for _ in range(MAX_RETRIES):
        if mode == LEAST_COST and form.coverage_row is not None:  # least cost always has the row
            form.model.bounds(form.coverage_row, low=need + margin)
        solution = _solve_once(prepared, form, mode, seconds)
        if not solution.found:
            return solution, None
        plan = _plan(prepared, *extract(prepared, form, solution.values))
        short = int((plan.obligation - plan.credited) * 100)
        if mode != LEAST_COST or short <= 0:
            return solution, plan
        margin += short
    return solution, plan


def _cut(form: Formulation, prepared: Prepared, used: frozenset[str]) -> bool:
    """The next plan must leave out at least one option this plan used."""
    variables = [form.used[k] for k, choice in enumerate(prepared.choices) if choice.id in used]
    if not variables:
        return False
    form.cuts.append(form.model.row({v: -1.0 for v in variables}, low=1 - len(variables)))
    return True


def solve(prepared: Prepared, budget: Decimal | None = None, alternatives: int = 3, time_limit: float = 60.0) -> Outcome:
    form = formulate(prepared, time_limit)
    need = prepared.obligation - prepared.fixed_credit
    mode = LEAST_COST if budget is None else BUDGET
    if budget is not None:  # mode BUDGET
        room = int(budget * 100) - prepared.fixed_cost
        if room < 0:
            raise BudgetTooSmall(Decimal(prepared.fixed_cost) / 100)
        form.budget_row = form.model.row(form.cost, high=room)
    elif need > 0:
        form.coverage_row = form.model.row(form.coverage, low=need)
    else:  # the fixed lines meet the obligation already
        return Outcome(mode, "optimal", _plan(prepared, [], frozenset()), budget=budget, notes=list(prepared.notes))
    solution, best = _checked(prepared, form, mode, need)
    if best is None:
        if form.coverage_row is not None:  # nothing meets the obligation: the most credit there is, at least cost
            form.model.bounds(form.coverage_row)
            solution, best = _checked(prepared, form, BUDGET, need)
        if best is None:  # not even that (or no plan within the budget in time): the fixed lines alone
            best = _plan(prepared, [], frozenset())
        from impactkit.plan.extend import extensions

        outcome = Outcome(mode, "infeasible", best, budget=budget, notes=list(prepared.notes))
        outcome.extensions = extensions(prepared, best)
        return outcome
    outcome = Outcome(mode, solution.status, best, solution.gap, budget=budget, notes=list(prepared.notes))
    last = best
    deadline = time.monotonic() + ALTERNATIVES_SECONDS
    for _ in range(alternatives):
        left = deadline - time.monotonic()
        if left <= 0 or not _cut(form, prepared, last.used):
            break
        solution, plan = _checked(prepared, form, mode, need, min(left, time_limit))
        if plan is None or not plan.used or (mode == LEAST_COST and not plan.met):
            break
        outcome.alternatives.append(plan)
        if solution.status != "optimal":
            outcome.alternatives_proved = False
        last = plan
    return outcome
