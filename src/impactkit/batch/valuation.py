"""Column-wise valuation: the rules of engine/valuation.py in exact integer arithmetic.

Quantities are integer hundredths (hours, months, days), amounts and values integer cents. A
credit a/b is rounded half-up as (2a + b) // (2b). Tests check with hypothesis that every
credit equals the one the Decimal path (`impactkit check`) computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from impactkit.model.menu import Block, Menu

UNITS = ("per_year", "per_month", "per_hour", "per_day", "invoice", "actual_cost", "by_agreement")
UNIT_CODE = {u: i for i, u in enumerate(UNITS)}
NONE = -1


def half_up(numerator, denominator):
    """Round a non-negative fraction half-up to an integer, elementwise."""
    return (2 * numerator + denominator) // (2 * denominator)


def cents(value) -> int:
    return int(value * 100)


@dataclass
class BlockTable:
    """One row per (menu, block id as entered) pair; rows of the input point into it."""

    keys: dict[tuple[str, str], int]
    menus: list[Menu]
    blocks: list[Block]  # the valuing block (alias resolved)
    entered: list[str]
    unit: np.ndarray
    value: np.ndarray  # cents
    cap: np.ndarray  # hundredths of months, NONE for no cap
    min_hours: np.ndarray  # hundredths, NONE for none
    factor_num: np.ndarray
    factor_den: np.ndarray


def block_table(menus: list[Menu]) -> BlockTable:
    keys, owners, blocks, entered = {}, [], [], []
    unit, value, cap, min_hours, fnum, fden = [], [], [], [], [], []
    for menu in menus:
        for block in menu.blocks:
            target = menu.resolve(block.id)
            keys[(menu.ref, block.id)] = len(blocks)
            owners.append(menu)
            blocks.append(target)
            entered.append(block.id)
            unit.append(UNIT_CODE[target.unit])
            value.append(cents(target.value) if target.value is not None else 0)
            cap.append(int(target.cap_months * 100) if target.cap_months is not None else NONE)
            min_hours.append(int(target.min_hours_per_week * 100) if target.min_hours_per_week is not None else NONE)
            factor = Fraction(target.factor)
            fnum.append(factor.numerator)
            fden.append(factor.denominator)
    arr = lambda xs: np.asarray(xs, dtype=np.int64)  # noqa: E731
    return BlockTable(keys, owners, blocks, entered, arr(unit), arr(value), arr(cap), arr(min_hours), arr(fnum),
                      arr(fden))


@dataclass
class Valued:
    credit: np.ndarray  # cents, block + bonuses
    block_credit: np.ndarray
    counted: np.ndarray  # hundredths of months counted for this row
    already: np.ndarray  # hundredths of months counted before, for the same candidate and block
    below_min: np.ndarray  # bool
    bonus_rows: list[tuple[int, np.ndarray, np.ndarray]]  # (bonus index, row indexes, credit cents)
    bonuses: list  # Bonus objects by index


def _rows_by_block(k: np.ndarray) -> dict[int, np.ndarray]:
    """Row indexes per block-table entry, found with one sort."""
    order = np.argsort(k, kind="stable")
    values, starts = np.unique(k[order], return_index=True)
    ends = list(starts[1:]) + [len(order)]
    return {int(v): order[a:b] for v, a, b in zip(values, starts, ends)}


def value_rows(table: BlockTable, k: np.ndarray, facts: dict[str, np.ndarray], basis: np.ndarray,
               group: np.ndarray | None) -> Valued:
    """Credit every row. `k` points into the block table; `facts` hold hundredths/cents/bools;
    `basis` is each row's hours basis in hundredths; `group` numbers (tender, bid, candidate,
    block) for rows whose months accumulate, -1 for rows without a candidate."""
    n = len(k)
    unit = table.unit[k]
    value = table.value[k]
    cap = table.cap[k]
    hours = facts["hours_per_week"]
    months = facts["months"]
    amount = facts["amount"]
    minimum = table.min_hours[k]
    below = (unit == 0) & (minimum != NONE) & (hours < minimum)
    monthly = (unit == 0) | (unit == 1)
    effective = np.where(monthly & ~below, months, 0)

    # counted months: within the cap, after what the same candidate already counted
    already = np.zeros(n, dtype=np.int64)
    counted = np.where(cap == NONE, effective, np.minimum(effective, np.maximum(cap, 0)))
    if group is not None:
        grouped = group >= 0
        if grouped.any():
            idx = np.flatnonzero(grouped)
            running = pd.Series(effective[idx]).groupby(group[idx], sort=False).cumsum().to_numpy()
            before = running - effective[idx]
            c = cap[idx]
            capped = c != NONE
            lim_now = np.where(capped, np.minimum(running, c), running)
            lim_before = np.where(capped, np.minimum(before, c), before)
            counted[idx] = np.maximum(lim_now - lim_before, 0)
            already[idx] = lim_before  # months counted before, as the single path reports them

    # overflow guard: int64 holds value x hours x months for values up to EUR 10 million
    wide = value.max(initial=0) > 10**9
    hours_used = np.minimum(hours, basis)
    credit = np.zeros(n, dtype=object if wide else np.int64)

    def rows(mask):
        return np.flatnonzero(mask)

    def as_int(a):
        return a.astype(object) if wide else a

    r = rows((unit == 0) & ~below)
    credit[r] = half_up(as_int(value[r]) * hours_used[r] * counted[r], basis[r] * 1200)
    r = rows(unit == 1)
    credit[r] = half_up(as_int(value[r]) * counted[r], 100)
    r = rows(unit == 2)
    credit[r] = half_up(as_int(value[r]) * facts["hours"][r], 100)
    r = rows(unit == 3)
    ceiling = as_int(value[r]) * facts["days"][r]  # value x days, in hundredths of cents
    credit[r] = np.where(amount[r] * 100 <= ceiling, amount[r], half_up(ceiling, 100))
    r = rows(unit == 4)
    credit[r] = half_up(as_int(amount[r]) * table.factor_num[k[r]], table.factor_den[k[r]])
    r = rows((unit == 5) | (unit == 6))
    credit[r] = amount[r]
    block_credit = credit.astype(np.int64)

    bonus_rows, bonus_list = _bonuses(table, k, facts, ~below & (unit == 0), hours_used, counted, basis, wide)
    total = block_credit.copy()
    for _, idx, amounts in bonus_rows:
        total[idx] += amounts
    return Valued(total, block_credit, np.where(monthly, counted, 0), already, below, bonus_rows, bonus_list)


def _bonuses(table, k, facts, yearly, hours_used, counted, basis, wide):
    """Bonuses per row: conditions from the facts, exclusive groups keep the highest."""
    out, bonus_list = [], []
    index: dict[int, int] = {}
    ages = facts["age"]
    has_age = facts["age_present"]
    for kk, rows in _rows_by_block(k).items():
        block = table.blocks[kk]
        if not block.bonuses:
            continue
        rows = rows[yearly[rows]]
        if not len(rows):
            continue
        menu = table.menus[kk]
        candidates = [(pos, menu.bonus(b)) for pos, b in enumerate(block.bonuses) if menu.bonus(b) is not None]
        taken: dict[str, np.ndarray] = {}
        for _, bonus in sorted(candidates, key=lambda pb: (-pb[1].value, pb[0])):
            when = bonus.when
            if when.age_min is not None:
                applies = has_age[rows] & (ages[rows] >= when.age_min * 100)
            else:
                applies = facts[when.flag][rows]
            if bonus.group is not None:
                before = taken.get(bonus.group, np.zeros(len(rows), bool))
                applies = applies & ~before
                taken[bonus.group] = before | applies
            hit = rows[applies]
            if not len(hit):
                continue
            value = cents(bonus.value)
            if bonus.one_off:
                amounts = np.full(len(hit), value, dtype=np.int64)
            else:
                v = int(value) if wide else value
                h = hours_used[hit].astype(object) if wide else hours_used[hit]
                amounts = half_up(v * h * counted[hit], basis[hit] * 1200).astype(np.int64)
            key = id(bonus)
            if key not in index:
                index[key] = len(bonus_list)
                bonus_list.append(bonus)
            out.append((index[key], hit, amounts))
    return out, bonus_list
