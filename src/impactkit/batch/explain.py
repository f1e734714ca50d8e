"""Explanations of scored rows: the words of `impactkit check`, built once per distinct result.

Rows with the same kernel result, facts and notes read the same, so each distinct combination
(found with one groupby) is explained once, from the kernel's typed line result, and the text is
spread over its rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit.batch.valuation import BatchValues
from impactkit.rules.catalog import BlockIndex
from impactkit.i18n import Translator
from impactkit.model.facts import NUMERIC_FACTS
from impactkit.rules.explain import explain_line, line_notes
from impactkit.rules.valuation import line_value


def explain_rows(tr: Translator, index: BlockIndex, values: BatchValues, present: dict[str, np.ndarray],
                 candidate: np.ndarray, identical_to: np.ndarray) -> np.ndarray:
    """One explanation per row. `identical_to` is the sheet row of an identical earlier row, or -1."""
    n = len(values.keys)
    if not n:
        return np.zeros(0, dtype=object)
    v, f = values.valued, values.facts
    present_bits = np.zeros(n, dtype=np.int64)
    for j, name in enumerate(NUMERIC_FACTS):
        present_bits |= present[name].astype(np.int64) << j
    # the candidate's name only matters where the text mentions months already counted for them
    named = np.where(v.already > 0, pd.factorize(candidate)[0], -1)
    key = pd.DataFrame({
        "e": values.entry, "h": f.hours_per_week, "m": f.months, "hr": f.hours, "d": f.days, "a": f.amount,
        "t": f.supplier_trede, "c": v.counted, "al": v.already, "cr": v.credit, "bc": v.block_credit,
        "b": values.basis, "bits": v.bonus_bits, "rep": v.repeat_bits, "p": present_bits,
        "hc": values.has_candidate, "cand": named, "same": identical_to,
    })
    group = key.groupby(list(key.columns), sort=False).ngroup().to_numpy()
    _, first = np.unique(group, return_index=True)
    texts = []
    for i in first.tolist():
        entry = int(values.entry[i])
        block = index.block_of_entry(entry)
        value = line_value(block, int(values.basis[i]), v, f, i)
        shown = frozenset(name for name in NUMERIC_FACTS if present[name][i])
        same = int(identical_to[i])
        notes = line_notes(value, index.entry_id[entry], shown, bool(values.has_candidate[i]),
                           identical_to=same if same >= 0 else None, identical_kind="row")
        texts.append(explain_line(value, notes, tr, candidate[i] or None))
    return np.asarray(texts, dtype=object)[group]

