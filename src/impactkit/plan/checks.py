"""The checks of a plan's options, before anything is valued: one function for every caller.

`option_problems` checks options against the tender's menu (a block it has, the fields its unit
takes and needs) and on their own (ids given once, exact numbers in a committed option, bounds,
whole numbers, one candidate named once per block). `load_plan` calls it with the options that
validate even when the rest of the plan file does not (then without a menu if the tender's cannot
be found: the checks that need none still run), and `prepare` calls it before valuing anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from impactkit.errors import Problem
from impactkit.io.yamlio import LineMap
from impactkit.engine.stack import block_problem
from impactkit.model.menu import Menu
from impactkit.plan.model import Option, Span
from impactkit.plan.options import ALLOWED, LIMITS, PEOPLE_UNITS, REQUIRED

ALWAYS = {"id", "block", "note", "committed"}
QUANTITY_FIELDS = ("hours_per_week", "months", "hours", "days", "amount")


def given(option: Option) -> list[str]:
    return [name for name in type(option).model_fields
            if name not in ALWAYS and getattr(option, name) not in (None, False)]


def option_problems(options: Sequence[tuple[int, Option]], menu: Menu | None, lines: LineMap,
                    ids: Iterable[tuple[int, str]] | None = None) -> tuple[list[Problem], list[Problem]]:
    """(unknown blocks, invalid entries) of `options`, each (its position in the file, the option).
    `ids`: every option's id with its position, where some options did not validate (an id given
    twice is told also when the other option has problems of its own). Without a menu only the
    checks that need none are made."""
    unknown: list[Problem] = []
    invalid = duplicate_ids(ids if ids is not None else [(i, o.id) for i, o in options], lines)
    named: dict[tuple[str, str], int] = {}
    for i, option in options:
        path = ("options", i)
        block = menu.resolve(option.block) if menu is not None else None
        if menu is not None and block is None:
            unknown.append(block_problem(option.block, menu, lines, path))
        unit = block.unit if block is not None else None
        if unit is not None:
            for name in given(option):
                if name not in ALLOWED[unit]:
                    invalid.append(lines.problem("plan_field_not_for_unit", path, name, block=option.block, valued=unit))
            for name in REQUIRED[unit]:
                if getattr(option, name) is None:
                    invalid.append(lines.problem("plan_field_needed", path, name, block=option.block, valued=unit))
        invalid.extend(_quantity_problems(option, unit, lines, path))
        if block is not None and unit in PEOPLE_UNITS and option.candidate is not None and not option.committed:
            key = (option.candidate, block.id)
            if key in named:
                invalid.append(lines.problem("plan_candidate_twice", path, "candidate",
                                             candidate=option.candidate, first=named[key] + 1))
            named.setdefault(key, i)
    return unknown, invalid


def duplicate_ids(ids: Iterable[tuple[int, str]], lines: LineMap) -> list[Problem]:
    out = []
    seen: dict[str, int] = {}
    for i, option_id in ids:
        if option_id in seen:
            out.append(lines.problem("plan_option_duplicate", ("options", i), "id", id=option_id, first=seen[option_id] + 1))
        seen.setdefault(option_id, i)
    return out


def _quantity_problems(option: Option, unit: str | None, lines: LineMap, path: tuple) -> list[Problem]:
    """Ranges in a committed option, bounds, whole numbers: of the fields the unit takes, or of
    every quantity given where the unit is not known."""
    out = []
    for name in QUANTITY_FIELDS:
        spec = getattr(option, name)
        if spec is None or (unit is not None and name not in ALLOWED[unit]):
            continue
        if option.committed and isinstance(spec, Span):
            out.append(lines.problem("plan_committed_range", path, name))
            continue
        top = spec.max if isinstance(spec, Span) else spec
        if name in LIMITS and top > LIMITS[name]:
            out.append(lines.problem("value_max", path, name, limit=LIMITS[name], got=str(top)))
        whole = name in ("months", "hours", "days") and not option.committed
        values = [v for v in ((spec.min, spec.max) if isinstance(spec, Span) else (spec,)) if v is not None]
        if whole and any(v != int(v) for v in values):
            out.append(lines.problem("plan_whole", path, name, got=str(top)))
        if name == "hours_per_week" and top <= 0:
            out.append(lines.problem("value_above", path, name, limit=0, got=str(top)))
    if option.candidate is not None and (option.people or 1) > 1:
        out.append(lines.problem("plan_candidate_people", path, "candidate", people=option.people))
    return out
