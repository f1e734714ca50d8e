"""A small mixed-integer model solved by HiGHS (highspy), kept in integer cents.

Variables and rows are added one by one; the same model is solved again after a row was added
or a bound changed (the next-best alternatives, a margin after the exact check). Coefficients
are cents or whole units, so every value HiGHS works with is an integer well inside the range
a double holds exactly; the solution is rounded to integers and checked exactly afterwards.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

INF = float("inf")
ABS_GAP = 0.5  # cents: stop when the best possible is less than half a cent better


@dataclass(frozen=True)
class Solution:
    status: str  # "optimal", "time_limit", "infeasible", "unbounded" or "error"
    values: tuple[int, ...]
    objective: float
    gap: float  # relative gap between the plan and the best possible (0 when proved optimal)

    @property
    def found(self) -> bool:
        return self.status in ("optimal", "time_limit") and bool(self.values)


def _quiet_highs():
    """A Highs object; HiGHS prints a banner on standard output when it is made, so hide that."""
    import highspy

    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    return highs


class Model:
    def __init__(self, time_limit: float = 60.0):
        import highspy
        import numpy as np

        self._hs, self._np = highspy, np
        self.highs = _quiet_highs()
        for name, value in (("mip_rel_gap", 0.0), ("mip_abs_gap", ABS_GAP), ("time_limit", float(time_limit)),
                            ("threads", 1), ("random_seed", 0)):
            self.highs.setOptionValue(name, value)
        self.count = 0
        self.rows = 0

    def var(self, low: float, high: float, integer: bool = True) -> int:
        index = self.count
        self.highs.addVar(float(low), float(high))
        if integer:
            self.highs.changeColIntegrality(index, self._hs.HighsVarType.kInteger)
        self.count += 1
        return index

    def row(self, coefficients: dict[int, float], low: float = -INF, high: float = INF) -> int:
        np = self._np
        items = [(i, float(c)) for i, c in coefficients.items() if c]
        index = np.array([i for i, _ in items], dtype=np.int32)
        value = np.array([c for _, c in items], dtype=np.float64)
        self.highs.addRow(_bound(low), _bound(high), len(items), index, value)
        self.rows += 1
        return self.rows - 1

    def bounds(self, row: int, low: float = -INF, high: float = INF) -> None:
        self.highs.changeRowBounds(row, _bound(low), _bound(high))

    def solve(self, objective: dict[int, float], maximise: bool = False) -> Solution:
        hs, np = self._hs, self._np
        costs = np.zeros(self.count)
        for i, c in objective.items():
            costs[i] += float(c)
        self.highs.changeColsCost(self.count, np.arange(self.count, dtype=np.int32), costs)
        self.highs.changeObjectiveSense(hs.ObjSense.kMaximize if maximise else hs.ObjSense.kMinimize)
        self.highs.run()
        status = self.highs.getModelStatus()
        known = {hs.HighsModelStatus.kOptimal: "optimal", hs.HighsModelStatus.kTimeLimit: "time_limit",
                 hs.HighsModelStatus.kInfeasible: "infeasible", hs.HighsModelStatus.kUnbounded: "unbounded",
                 hs.HighsModelStatus.kUnboundedOrInfeasible: "infeasible"}
        name = known.get(status, "error")
        info = self.highs.getInfo()
        values: tuple[int, ...] = ()
        if name in ("optimal", "time_limit") and info.primal_solution_status == 2:  # a feasible solution
            values = tuple(int(round(v)) for v in self.highs.getSolution().col_value)
        gap = 0.0 if name == "optimal" else float(info.mip_gap)
        return Solution(name, values, float(info.objective_function_value), gap)


def _bound(value: float) -> float:
    import highspy

    return value if abs(value) != INF else (highspy.kHighsInf if value > 0 else -highspy.kHighsInf)


def solver_name() -> str:
    from importlib.metadata import version

    return f"HiGHS (highspy {version('highspy')})"
