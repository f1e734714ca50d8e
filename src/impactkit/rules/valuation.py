"""The value of contributions (sroi.md section 4), one implementation for check, score and monitor.

Works on columns (see `rules.columns`): quantities are integer hundredths (hours, months, days),
amounts and values integer cents, ages whole years. Each line's credit is computed exactly (its
block plus all its bonuses over one common denominator) and rounded half-up to cents once.

Counting caps accumulate per person and valuing block: the caller numbers the persons (the
lines of one bid or contract with the same candidate share a number; a line without a candidate
is a person of its own). One-off bonuses count once per person and block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from fractions import Fraction

from impactkit.model.facts import FLAGS, TREDES
from impactkit.rules.columns import Backend, Column, half_up
from impactkit.rules.compile import CompiledBlock, CompiledBonus

YEAR = 1200  # a year in hundredths of months


@dataclass
class FactColumns:
    """The facts of many lines, one column each (0 where a fact is absent; age -1, trede -1)."""

    hours_per_week: Column
    months: Column
    hours: Column
    days: Column
    amount: Column
    age: Column
    permanent_contract: Column
    statushouder: Column
    work_limitation: Column
    hired_after_internship: Column
    supplier_trede: Column  # position in TREDES

    def take(self, xp: Backend, index: Column) -> FactColumns:
        return FactColumns(**{name: xp.take(getattr(self, name), index) for name in _FACT_FIELDS})

    def flag(self, name: str) -> Column:
        assert name in FLAGS
        return getattr(self, name)


@dataclass
class Valued:
    """The kernel's result, one column each, in the order of the lines given."""

    credit: Column  # cents: the line, rounded once
    block_credit: Column  # cents: the block's part alone, rounded (for reports that show it apart)
    counted: Column  # hundredths of months counted for this line
    already: Column  # hundredths of months counted before for the same person and block
    below_minimum: Column  # bool: under the block's minimum hours a week
    limited: Column  # bool: a per-day amount limited to value x days
    bonus_bits: Column  # bit b set: the block's bonus at position b counts on this line
    repeat_bits: Column  # bit b set: a one-off bonus that already counted on an earlier line


_FACT_FIELDS = tuple(f.name for f in fields(FactColumns))
_VALUED_FIELDS = tuple(f.name for f in fields(Valued))


def _empty(n: int, xp: Backend) -> Valued:
    return Valued(*(xp.full(n, False) if name in ("below_minimum", "limited") else xp.full(n, 0)
                    for name in _VALUED_FIELDS))


def value_lines(blocks: Sequence[CompiledBlock], keys: Column, facts: FactColumns, person: Column, basis: Column,
                xp: Backend) -> Valued:
    """Value every line. `keys` are positions in `blocks` (each line's valuing block); `basis` is the
    full-time hours a week in hundredths, one number or one per line (a tender may override it)."""
    out = _empty(len(keys), xp)
    per_line = not isinstance(basis, int)
    for key, index in xp.partition(keys):
        block = blocks[key]
        part = _value_block(block, facts.take(xp, index), xp.take(person, index),
                            xp.take(basis, index) if per_line else basis, xp)
        for name in _VALUED_FIELDS:
            xp.put(getattr(out, name), index, getattr(part, name))
    return out


def _counting(block: CompiledBlock, months: Column, person: Column, xp: Backend) -> tuple[Column, Column]:
    """Months counted: within the block's cap, after what the same person already counted."""
    before = xp.exclusive_cumsum(months, person)
    if block.cap is None:
        return months, before * 0
    already = xp.minimum(before, block.cap)
    counted = xp.maximum(xp.minimum(before + months, block.cap) - already, 0)
    return counted, already


def _value_block(block: CompiledBlock, f: FactColumns, person: Column, basis: Column, xp: Backend) -> Valued:
    n = len(person)
    v = _empty(n, xp)
    unit = block.unit
    if unit == "per_year":
        _per_year(block, f, person, basis, xp, v)
    elif unit == "per_month":
        v.counted, v.already = _counting(block, f.months, person, xp)
        v.credit = v.block_credit = half_up(block.value * v.counted, 100)
    elif unit == "per_hour":
        v.credit = v.block_credit = half_up(block.value * f.hours, 100)
    elif unit == "per_day":
        ceiling = block.value * f.days  # cents x hundredths of days
        v.limited = f.amount * 100 > ceiling
        v.credit = v.block_credit = xp.where(v.limited, half_up(ceiling, 100), f.amount)
    elif unit == "invoice":
        num, den = _invoice_factor(block, f.supplier_trede, xp)
        v.credit = v.block_credit = half_up(f.amount * num, den)
    else:  # actual_cost, by_agreement: the amount as evidenced or agreed
        v.credit = v.block_credit = f.amount + 0
    return v


def _invoice_factor(block: CompiledBlock, trede: Column, xp: Backend) -> tuple[Column, Column]:
    """The share of an invoice that counts: by the supplier's PSO trede where the menu says so."""
    default = block.factor or (0, 1)
    num, den = xp.full(len(trede), default[0]), xp.full(len(trede), default[1])
    for position, name in enumerate(TREDES):
        share = block.factor_by_trede.get(name)
        if share is not None:
            hit = trede == position
            num, den = xp.where(hit, share[0], num), xp.where(hit, share[1], den)
    return num, den


def _per_year(block: CompiledBlock, f: FactColumns, person: Column, basis: Column, xp: Backend, v: Valued) -> None:
    below = f.hours_per_week < block.min_hours if block.min_hours is not None else xp.full(len(person), False)
    months = xp.where(below, 0, f.months)  # a line below the minimum counts no months
    v.counted, v.already = _counting(block, months, person, xp)
    hours_used = xp.minimum(f.hours_per_week, basis)
    denominator = basis * YEAR
    yearly = xp.full(len(person), block.value)  # the block's value plus the pro-rated bonuses that apply
    one_off = xp.full(len(person), 0)
    taken: dict[str, Column] = {}
    for bonus in block.bonuses:
        applies = _condition(bonus, f, xp) & ~below
        if bonus.group is not None:
            before = taken.get(bonus.group)
            if before is not None:
                applies = applies & ~before
                taken[bonus.group] = before | applies
            else:
                taken[bonus.group] = applies
        bit = 1 << bonus.position
        if bonus.one_off:
            earlier = xp.exclusive_cumsum(xp.where(applies, 1, 0), person)
            first = applies & (earlier == 0)
            one_off = one_off + xp.where(first, bonus.value, 0)
            v.repeat_bits = v.repeat_bits + xp.where(applies & ~first, bit, 0)
            applies = first
        else:
            yearly = yearly + xp.where(applies, bonus.value, 0)
        v.bonus_bits = v.bonus_bits + xp.where(applies, bit, 0)
    v.below_minimum = below
    v.block_credit = half_up(block.value * hours_used * v.counted, denominator)
    v.credit = half_up(yearly * hours_used * v.counted + one_off * denominator, denominator)


def _condition(bonus: CompiledBonus, f: FactColumns, xp: Backend) -> Column:
    if bonus.flag is not None:  # a bonus's condition is its flag or its minimum age (exactly one)
        return f.flag(bonus.flag) == True  # noqa: E712  # element-wise on columns
    return (f.age >= bonus.age_min) & (f.age >= 0)


# the typed result of one line ---------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """The block or one bonus of a line, with its exact value before the line's one rounding."""

    kind: str  # "block" or "bonus"
    bonus: CompiledBonus | None
    exact: Fraction  # euros
    repeat: bool = False  # a one-off bonus that already counted on an earlier line (worth 0 here)


@dataclass(frozen=True)
class LineValue:
    """One line's valuation: what the explanation, the JSON document and the workbooks show."""

    block: CompiledBlock
    credit: int  # cents, rounded once
    block_credit: int  # cents
    basis: int  # hundredths of hours a week
    hours_per_week: int
    months: int
    counted: int
    already: int
    hours: int
    days: int
    amount: int
    below_minimum: bool
    limited: bool
    factor: tuple[int, int] | None  # the invoice share that counted
    trede: str | None
    parts: tuple[Part, ...]

    @property
    def bonus_credit(self) -> int:
        return self.credit - self.block_credit


def line_value(block: CompiledBlock, basis: int, valued: Valued, facts: FactColumns, i: int) -> LineValue:
    """The typed result of line `i` (columns from `value_lines`; `basis` in hundredths of hours)."""
    get = int
    hours_pw, months = get(facts.hours_per_week[i]), get(facts.months[i])
    counted, bits, repeat = get(valued.counted[i]), get(valued.bonus_bits[i]), get(valued.repeat_bits[i])
    trede_position = get(facts.supplier_trede[i])
    trede = TREDES[trede_position] if trede_position >= 0 else None
    parts: list[Part] = []
    factor = None
    if block.unit == "per_year":
        used = min(hours_pw, basis)
        share = Fraction(used * counted, basis * YEAR)
        parts.append(Part("block", None, Fraction(block.value, 100) * share))
        for bonus in sorted(block.bonuses, key=lambda b: b.position):
            if bits >> bonus.position & 1:
                exact = Fraction(bonus.value, 100) * (1 if bonus.one_off else share)
                parts.append(Part("bonus", bonus, exact))
            elif repeat >> bonus.position & 1:
                parts.append(Part("bonus", bonus, Fraction(0), repeat=True))
    elif block.unit == "invoice":
        factor = block.factor_by_trede.get(trede) if trede else None
        factor = factor or block.factor
    return LineValue(block, get(valued.credit[i]), get(valued.block_credit[i]), get(basis), hours_pw, months,
                     counted, get(valued.already[i]), get(facts.hours[i]), get(facts.days[i]), get(facts.amount[i]),
                     bool(valued.below_minimum[i]), bool(valued.limited[i]), factor, trede, tuple(parts))
