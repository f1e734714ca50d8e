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

from impactkit.menus.model import Block, Menu

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
    bonus_credits: list[tuple[int, np.ndarray, np.ndarray]]  # (bonus index, mask, credit cents)
    bonuses: list  # Bonus objects by index


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
    counted = np.where(cap == NONE, effective, np.minimum(effective, np.where(cap == NONE, 0, cap)))
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
            already[idx] = before

    credit = np.zeros(n, dtype=np.int64)
    hours_used = np.minimum(hours, basis)
    safe_basis = np.where(basis > 0, basis, 1)
    yearly = (unit == 0) & ~below
    big = value.max(initial=0) > 10**9  # guard against int64 overflow for huge menu values
    if big:
        value_o, hours_o, counted_o = value.astype(object), hours_used.astype(object), counted.astype(object)
    else:
        value_o, hours_o, counted_o = value, hours_used, counted
    per_year = half_up(value_o * hours_o * counted_o, safe_basis * 1200)
    credit = np.where(yearly, per_year, credit)
    credit = np.where(unit == 1, half_up(value_o * counted_o, 100), credit)
    credit = np.where(unit == 2, half_up(value * facts["hours"], 100), credit)
    ceiling_x100 = value * facts["days"]  # value x days, in hundredths of cents
    credit = np.where(unit == 3, np.where(amount * 100 <= ceiling_x100, amount, half_up(ceiling_x100, 100)), credit)
    credit = np.where(unit == 4, half_up(amount * table.factor_num[k], table.factor_den[k]), credit)
    credit = np.where((unit == 5) | (unit == 6), amount, credit)
    block_credit = credit.astype(np.int64)

    bonus_credits, bonus_list = _bonuses(table, k, facts, yearly, hours_o, counted_o, safe_basis, big)
    total = block_credit.copy()
    for _, mask, amounts in bonus_credits:
        total += np.where(mask, amounts, 0)
    return Valued(total, block_credit, np.where(monthly, counted, 0), already, below, bonus_credits, bonus_list)


def _bonuses(table, k, facts, yearly, hours_o, counted_o, basis, big):
    """Bonuses per row: conditions from the facts, exclusive groups keep the highest."""
    out, bonus_list = [], []
    index: dict[int, int] = {}
    ages = facts["age"]
    has_age = facts["age_present"]
    used_k = np.unique(k[yearly])
    for kk in used_k:
        block = table.blocks[kk]
        if not block.bonuses:
            continue
        menu = table.menus[kk]
        rows = yearly & (k == kk)
        candidates = [(pos, menu.bonus(b)) for pos, b in enumerate(block.bonuses) if menu.bonus(b) is not None]
        taken: dict[str, np.ndarray] = {}
        for pos, bonus in sorted(candidates, key=lambda pb: (-pb[1].value, pb[0])):
            when = bonus.when
            if when.age_min is not None:
                applies = rows & has_age & (ages >= when.age_min * 100)
            else:
                applies = rows & facts[when.flag]
            if bonus.group is not None:
                already = taken.get(bonus.group, np.zeros(len(k), bool))
                applies = applies & ~already
                taken[bonus.group] = already | applies
            if not applies.any():
                continue
            value = cents(bonus.value)
            if bonus.one_off:
                amounts = np.full(len(k), value, dtype=np.int64)
            else:
                v = value if not big else int(value)
                amounts = half_up(v * hours_o * counted_o, basis * 1200).astype(np.int64)
            key = id(bonus)
            if key not in index:
                index[key] = len(bonus_list)
                bonus_list.append(bonus)
            out.append((index[key], applies, amounts, pos))
    # keep the block's own order of bonuses per row, as the single path does
    out.sort(key=lambda item: item[3])
    return [(i, m, a) for i, m, a, _ in out], bonus_list
