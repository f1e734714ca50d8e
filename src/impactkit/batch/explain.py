"""Explanations for scored rows, in the same words as `impactkit check` (shared text builders)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from impactkit.batch.valuation import BlockTable, Valued
from impactkit.i18n import Translator
from impactkit.menus.model import REQUIRED_FACTS
from impactkit.report.explain import months_note, note_text, per_year_text, simple_text

NUMERIC_FACTS = ("hours_per_week", "months", "hours", "days", "amount", "age")


def _used(unit: str) -> set[str]:
    return set(REQUIRED_FACTS[unit]) | ({"age"} if unit == "per_year" else set())


def explain_rows(tr: Translator, table: BlockTable, k: np.ndarray, facts: dict, present: dict,
                 basis: np.ndarray, valued: Valued, candidate: np.ndarray) -> list[str]:
    d = _hundredths()
    bonus_rows: dict[int, list] = {}
    for bonus_index, mask, amounts in valued.bonus_credits:
        for i in np.flatnonzero(mask):
            bonus_rows.setdefault(int(i), []).append((valued.bonuses[bonus_index], int(amounts[i])))
    h, m = facts["hours_per_week"].tolist(), facts["months"].tolist()
    hrs, days, amount = facts["hours"].tolist(), facts["days"].tolist(), facts["amount"].tolist()
    counted, already = valued.counted.tolist(), valued.already.tolist()
    block_credit, below = valued.block_credit.tolist(), valued.below_min.tolist()
    basis_l = basis.tolist()
    present_rows = {name: present[name].tolist() for name in NUMERIC_FACTS}
    out = []
    for i, kk in enumerate(k.tolist()):
        block = table.blocks[kk]
        unit = block.unit
        credit = d(block_credit[i])
        if unit == "per_year":
            if below[i]:
                text = tr("explain_below_minimum", hours=tr.number(d(h[i])), minimum=tr.number(block.min_hours_per_week))
            else:
                hours, base, cnt = d(h[i]), d(basis_l[i]), d(counted[i])
                text = per_year_text(tr, block.value, hours, base, cnt, credit)
                text += months_note(tr, d(m[i]), cnt, block.cap_months, d(already[i]), candidate[i])
                for bonus, cents in bonus_rows.get(i, ()):
                    if bonus.one_off:
                        part = tr("explain_one_off", value=tr.number(bonus.value), credit=tr.number(d(cents), 2))
                    else:
                        part = per_year_text(tr, bonus.value, hours, base, cnt, d(cents))
                    text += f"; + {tr.label(bonus.label)}: {part}"
        elif unit == "per_month":
            cnt = d(counted[i])
            text = simple_text(tr, unit, credit, value=block.value, months=cnt) + months_note(
                tr, d(m[i]), cnt, block.cap_months, d(already[i]), None)
        else:
            text = simple_text(tr, unit, credit, value=block.value, hours=d(hrs[i]), days=d(days[i]),
                               amount=d(amount[i]), factor=block.factor)
        notes = []
        if table.entered[kk] != block.id:
            notes.append(note_text("note_alias", {"entered": table.entered[kk], "block": block.id}, tr))
        used = _used(unit)
        for name in NUMERIC_FACTS:
            if present_rows[name][i] and name not in used:
                notes.append(note_text("note_field_ignored", {"field": name, "unit": unit}, tr))
        if unit == "by_agreement":
            notes.append(tr("note_by_agreement"))
        out.append("; ".join([text, *notes]))
    return out


def _hundredths():
    cache: dict[int, Decimal] = {}

    def d(value: int) -> Decimal:
        found = cache.get(value)
        if found is None:
            found = cache[value] = Decimal(value) / 100
        return found

    return d



