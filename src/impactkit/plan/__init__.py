"""`impactkit plan`: the contractor's least-cost choice of building blocks for an obligation.

A plan file names the tender and the bid and what the contractor can offer (options, with
limits and costs); the menu values every option through the same rules as `impactkit check`
(one adapter, `impactkit.plan.valuation`), a mixed-integer program (HiGHS) finds the least-cost
combination that meets the obligation (or the most credit within a budget), and every plan
reported is checked end to end as a bid. See docs/plan.md.
"""

from impactkit.plan.load import Loaded, load_plan
from impactkit.plan.prepare import Prepared, prepare
from impactkit.plan.solve import BudgetTooSmall, Outcome, Plan, solve

__all__ = ["BudgetTooSmall", "Loaded", "Outcome", "Plan", "Prepared", "load_plan", "plan_file", "prepare", "solve"]


def plan_file(path, budget=None, alternatives: int = 3, time_limit: float = 60.0) -> tuple[Loaded, Outcome]:
    """Read a plan file and solve it: the Python API behind the command."""
    loaded = load_plan(path)
    prepared = prepare(loaded.plan, loaded.setting, loaded.lines)
    return loaded, solve(prepared, budget, alternatives, time_limit)
