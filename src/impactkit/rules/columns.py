"""Columns of integers for the rules kernel, in plain Python or numpy.

The kernel is written once, over columns: `check` and `monitor` value a bid's few lines with
plain Python lists (no numpy to import), `score` values a million rows with numpy arrays. A
backend only supplies element-wise arithmetic and a few group operations; it holds no rule.
Numbers are Python ints or int64: every value the kernel meets stays far below 2**63 by the
bounds of `impactkit.model.facts`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

#: A column: a Col (plain Python) or a numpy array, or one number that stands for every row. The
#: kernel uses only the operators and backend functions both share; a Protocol over both would have
#: to restate numpy's overloads, so a column is typed Any (and the backends are tested alike).
Column = Any


class Col:
    """A column of Python ints or bools with element-wise operators (a tiny numpy for a few rows)."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = list(items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __getitem__(self, i: int) -> Any:
        return self.items[i]

    def __repr__(self) -> str:
        return f"Col({self.items!r})"

    def tolist(self) -> list[Any]:
        return list(self.items)

    def _zip(self, other: object, fn: Callable[[Any, Any], Any]) -> Col:
        if isinstance(other, Col):
            return Col(fn(a, b) for a, b in zip(self.items, other.items, strict=True))
        return Col(fn(a, other) for a in self.items)

    def _rzip(self, other: object, fn: Callable[[Any, Any], Any]) -> Col:
        return Col(fn(other, a) for a in self.items)

    def __add__(self, o: object) -> Col:
        return self._zip(o, operator.add)

    def __radd__(self, o: object) -> Col:
        return self._rzip(o, operator.add)

    def __sub__(self, o: object) -> Col:
        return self._zip(o, operator.sub)

    def __rsub__(self, o: object) -> Col:
        return self._rzip(o, operator.sub)

    def __mul__(self, o: object) -> Col:
        return self._zip(o, operator.mul)

    def __rmul__(self, o: object) -> Col:
        return self._rzip(o, operator.mul)

    def __floordiv__(self, o: object) -> Col:
        return self._zip(o, operator.floordiv)

    def __mod__(self, o: object) -> Col:
        return self._zip(o, operator.mod)

    def __lt__(self, o: object) -> Col:
        return self._zip(o, operator.lt)

    def __le__(self, o: object) -> Col:
        return self._zip(o, operator.le)

    def __gt__(self, o: object) -> Col:
        return self._zip(o, operator.gt)

    def __ge__(self, o: object) -> Col:
        return self._zip(o, operator.ge)

    def __eq__(self, o: object) -> Col:  # type: ignore[override]  # element-wise, as numpy's
        return self._zip(o, operator.eq)

    def __ne__(self, o: object) -> Col:  # type: ignore[override]  # element-wise, as numpy's
        return self._zip(o, operator.ne)

    def __and__(self, o: object) -> Col:
        return self._zip(o, lambda a, b: bool(a) and bool(b))

    def __or__(self, o: object) -> Col:
        return self._zip(o, lambda a, b: bool(a) or bool(b))

    __rand__ = __and__
    __ror__ = __or__

    def __invert__(self) -> Col:
        return Col(not a for a in self.items)

    __hash__ = None  # type: ignore[assignment]  # mutable and compared element-wise


class PythonColumns:
    """Plain-Python backend: for a tender's or a contract's lines."""

    name = "python"

    @staticmethod
    def col(values: Iterable[Any]) -> Col:
        return Col(values)

    @staticmethod
    def full(n: int, value: object) -> Col:
        return Col([value] * n)

    @staticmethod
    def where(cond: Column, a: Column, b: Column) -> Col:
        n = next(len(x) for x in (cond, a, b) if isinstance(x, Col))
        c_items, a_items, b_items = (x.items if isinstance(x, Col) else [x] * n for x in (cond, a, b))
        return Col(x if c else y for c, x, y in zip(c_items, a_items, b_items, strict=True))

    @staticmethod
    def minimum(a: Column, b: Column) -> Col:
        return a._zip(b, min) if isinstance(a, Col) else b._zip(a, min)

    @staticmethod
    def maximum(a: Column, b: Column) -> Col:
        return a._zip(b, max) if isinstance(a, Col) else b._zip(a, max)

    @staticmethod
    def take(column: Col, index: Sequence[int]) -> Col:
        items = column.items
        return Col(items[i] for i in index)

    @staticmethod
    def put(column: Col, index: Sequence[int], values: Column) -> None:
        items = column.items
        for i, v in zip(index, values.items if isinstance(values, Col) else [values] * len(index), strict=True):
            items[i] = v

    @staticmethod
    def partition(codes: Col) -> list[tuple[Any, list[int]]]:
        """Row indexes per distinct code, in the order codes first appear; rows keep their order."""
        groups: dict[Any, list[int]] = {}
        for i, code in enumerate(codes.items):
            groups.setdefault(code, []).append(i)
        return list(groups.items())

    @staticmethod
    def exclusive_cumsum(values: Col, groups: Col) -> Col:
        """Per row: the sum of `values` over the earlier rows of its group."""
        running: dict[Any, int] = {}
        out = []
        for v, g in zip(values.items, groups.items, strict=True):
            before = running.get(g, 0)
            out.append(before)
            running[g] = before + v
        return Col(out)

    @staticmethod
    def group_sum(values: Col, groups: Col) -> Col:
        """Per row: the sum of `values` over all rows of its group."""
        total: dict[Any, int] = {}
        for v, g in zip(values.items, groups.items, strict=True):
            total[g] = total.get(g, 0) + v
        return Col(total[g] for g in groups.items)

    @staticmethod
    def any(column: Col) -> bool:
        return any(column.items)


class NumpyColumns:
    """numpy backend: for a batch of many tenders (imported only by the batch scorer and the monitor)."""

    name = "numpy"

    def __init__(self) -> None:
        import numpy as np

        self.np = np

    def col(self, values: Iterable[Any]) -> Column:
        return self.np.asarray(values)

    def full(self, n: int, value: object) -> Column:
        return self.np.full(n, value, dtype=bool if isinstance(value, bool) else self.np.int64)

    def where(self, cond: Column, a: Column, b: Column) -> Column:
        return self.np.where(cond, a, b)

    def minimum(self, a: Column, b: Column) -> Column:
        return self.np.minimum(a, b)

    def maximum(self, a: Column, b: Column) -> Column:
        return self.np.maximum(a, b)

    def take(self, column: Column, index: Column) -> Column:
        return column[index]

    def put(self, column: Column, index: Column, values: Column) -> None:
        column[index] = values

    def partition(self, codes: Column) -> list[tuple[Any, Column]]:
        np = self.np
        order = np.argsort(codes, kind="stable")
        values, starts = np.unique(codes[order], return_index=True)
        ends = [*starts[1:].tolist(), len(order)]
        first = [int(order[s]) for s in starts]
        parts = [(v.item(), order[a:b]) for v, a, b in zip(values, starts.tolist(), ends)]
        return [p for _, p in sorted(zip(first, parts), key=lambda fp: fp[0])]

    def exclusive_cumsum(self, values: Column, groups: Column) -> Column:
        np = self.np
        if not len(values):
            return np.zeros(0, dtype=np.int64)
        order = np.argsort(groups, kind="stable")
        v = values[order].astype(np.int64)
        g = groups[order]
        running = np.cumsum(v)
        start = np.r_[True, g[1:] != g[:-1]]
        offset = np.maximum.accumulate(np.where(start, np.arange(len(v)), 0))
        before_group = np.where(offset > 0, running[np.maximum(offset - 1, 0)], 0)
        out = np.empty_like(v)
        out[order] = running - v - before_group
        return out

    def group_sum(self, values: Column, groups: Column) -> Column:
        np = self.np
        if not len(values):
            return np.zeros(0, dtype=np.int64)
        order = np.argsort(groups, kind="stable")
        g = groups[order]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        totals = np.add.reduceat(values[order].astype(np.int64), starts)
        out = np.empty(len(values), dtype=np.int64)
        out[order] = np.repeat(totals, np.diff(np.r_[starts, len(g)]))
        return out

    def any(self, column: Column) -> bool:
        return bool(self.np.any(column))


#: a backend: the kernel's functions take one as `xp` and use only what both offer
Backend = PythonColumns | NumpyColumns

PYTHON = PythonColumns()
_numpy: NumpyColumns | None = None


def numpy_columns() -> NumpyColumns:
    global _numpy
    if _numpy is None:
        _numpy = NumpyColumns()
    return _numpy


def half_up(numerator: Column, denominator: Column) -> Column:
    """A non-negative fraction rounded half-up to an integer (for ints and columns alike)."""
    return (2 * numerator + denominator) // (2 * denominator)
