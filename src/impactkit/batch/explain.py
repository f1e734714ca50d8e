"""Explanations for scored rows, in the same words as `impactkit check` (shared text builders).

Rows with the same inputs get the same words, so the text is built once per distinct
combination of inputs (found with one groupby) and then spread over the rows.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from impactkit.batch.valuation import BlockTable, Valued
from impactkit.i18n import Translator
from impactkit.model.menu import REQUIRED_FACTS
from impactkit.rules.explain import months_note, per_year_text, simple_text
from impactkit.i18n.problems import message_text

NUMERIC_FACTS = ("hours_per_week", "months", "hours", "days", "amount", "age")


def _used(unit: str) -> set[str]:
    return set(REQUIRED_FACTS[unit]) | ({"age"} if unit == "per_year" else set())


def explain_rows(tr: Translator, table: BlockTable, k: np.ndarray, facts: dict, present: dict,
                 basis: np.ndarray, valued: Valued, candidate: np.ndarray) -> np.ndarray:
    n = len(k)
    bits = np.zeros(n, dtype=np.int64)
    bonus_amount: dict[int, np.ndarray] = {}
    for bonus_index, rows, amounts in valued.bonus_rows:
        bits[rows] |= 1 << bonus_index
        column = bonus_amount.setdefault(bonus_index, np.zeros(n, dtype=np.int64))
        column[rows] = amounts
    present_bits = np.zeros(n, dtype=np.int64)
    for j, name in enumerate(NUMERIC_FACTS):
        present_bits |= present[name].astype(np.int64) << j
    candidate_code = np.where(valued.already > 0, pd.factorize(candidate)[0], -1)
    key = pd.DataFrame({
        "k": k, "h": facts["hours_per_week"], "m": facts["months"], "hr": facts["hours"], "d": facts["days"],
        "a": facts["amount"], "c": valued.counted, "al": valued.already, "cand": candidate_code,
        "cr": valued.block_credit, "b": basis, "p": present_bits, "bits": bits,
    })
    group = key.groupby(list(key.columns), sort=False).ngroup().to_numpy()
    _, first = np.unique(group, return_index=True)
    index_of = {id(b): i for i, b in enumerate(valued.bonuses)}
    d = _hundredths()
    texts = [_one(tr, table, int(i), k, facts, present, basis, valued, candidate, bits, bonus_amount, index_of, d)
             for i in first]
    return np.asarray(texts, dtype=object)[group]


def _one(tr, table, i, k, facts, present, basis, valued, candidate, bits, bonus_amount, index_of, d) -> str:
    kk = int(k[i])
    block = table.blocks[kk]
    unit = block.unit
    credit = d(valued.block_credit[i])
    months = d(facts["months"][i])
    if unit == "per_year":
        hours = d(facts["hours_per_week"][i])
        if valued.below_min[i]:
            text = tr("explain_below_minimum", hours=tr.number(hours), minimum=tr.number(block.min_hours_per_week))
        else:
            base, counted = d(basis[i]), d(valued.counted[i])
            text = per_year_text(tr, block.value, hours, base, counted, credit)
            text += months_note(tr, months, counted, block.cap_months, d(valued.already[i]), candidate[i])
            menu = table.menus[kk]
            for bonus_id in block.bonuses:
                bonus = menu.bonus(bonus_id)
                position = index_of.get(id(bonus))
                if position is None or not (bits[i] >> position) & 1:
                    continue
                amount = d(bonus_amount[position][i])
                if bonus.one_off:
                    part = tr("explain_one_off", value=tr.number(bonus.value), credit=tr.number(amount, 2))
                else:
                    part = per_year_text(tr, bonus.value, hours, base, counted, amount)
                text += f"; + {tr.label(bonus.label)}: {part}"
    elif unit == "per_month":
        counted = d(valued.counted[i])
        text = simple_text(tr, unit, credit, value=block.value, months=counted) + months_note(
            tr, months, counted, block.cap_months, d(valued.already[i]), None)
    else:
        text = simple_text(tr, unit, credit, value=block.value, hours=d(facts["hours"][i]),
                           days=d(facts["days"][i]), amount=d(facts["amount"][i]), factor=block.factor)
    notes = []
    if table.entered[kk] != block.id:
        notes.append(message_text("note_alias", {"entered": table.entered[kk], "block": block.id}, tr))
    used = _used(unit)
    for name in NUMERIC_FACTS:
        if present[name][i] and name not in used:
            notes.append(message_text("note_field_ignored", {"field": name, "unit": unit}, tr))
    if unit == "by_agreement":
        notes.append(tr("note_by_agreement"))
    return "; ".join([text, *notes])


def _hundredths():
    cache: dict[int, Decimal] = {}

    def d(value) -> Decimal:
        value = int(value)
        found = cache.get(value)
        if found is None:
            found = cache[value] = Decimal(value) / 100
        return found

    return d
