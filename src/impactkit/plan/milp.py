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
        self.time_limit = float(time_limit)
        self.count = 0
        self.rows = 0
        self._cols: list[tuple[float, float, bool]] = []  # waiting to be passed to HiGHS in one call
        self._rows: list[tuple[dict[int, float], float, float]] = []
        self._passed = False

    def var(self, low: float, high: float, integer: bool = True) -> int:
        if self._passed:
            raise RuntimeError("variables are added before the first solve")
        self._cols.append((float(low), float(high), integer))
        self.count += 1
        return self.count - 1

    def row(self, coefficients: dict[int, float], low: float = -INF, high: float = INF) -> int:
        items = {i: float(c) for i, c in coefficients.items() if c}
        if self._passed:
            np = self._np
            index = np.array(list(items), dtype=np.int32)
            value = np.array(list(items.values()), dtype=np.float64)
            self.highs.addRow(_bound(low), _bound(high), len(items), index, value)
        else:
            self._rows.append((items, low, high))
        self.rows += 1
        return self.rows - 1

    def bounds(self, row: int, low: float = -INF, high: float = INF) -> None:
        self._pass()
        self.highs.changeRowBounds(row, _bound(low), _bound(high))

    def _pass(self) -> None:
        """Hand the variables and rows gathered so far to HiGHS, each kind in one call."""
        if self._passed:
            return
        np, hs = self._np, self._hs
        self._passed = True
        n = len(self._cols)
        if n:
            self.highs.addVars(n, np.array([c[0] for c in self._cols]), np.array([c[1] for c in self._cols]))
            integer = [i for i, c in enumerate(self._cols) if c[2]]
            if integer:
                self.highs.changeColsIntegrality(len(integer), np.array(integer, dtype=np.int32),
                                                 np.array([hs.HighsVarType.kInteger] * len(integer)))
        if self._rows:
            starts: list[int] = []
            index: list[int] = []
            value: list[float] = []
            for items, _, _ in self._rows:
                starts.append(len(index))
                index.extend(items)
                value.extend(items.values())
            self.highs.addRows(len(self._rows), np.array([_bound(r[1]) for r in self._rows]),
                               np.array([_bound(r[2]) for r in self._rows]), len(index),
                               np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
                               np.array(value, dtype=np.float64))
        self._cols, self._rows = [], []

    def solve(self, objective: dict[int, float], maximise: bool = False, time_limit: float | None = None) -> Solution:
        hs, np = self._hs, self._np
        self._pass()
        self.highs.setOptionValue("time_limit", max(float(self.time_limit if time_limit is None else time_limit), 0.01))
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
