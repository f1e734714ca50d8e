"""The batch's rows valued by the rules kernel (the same code as `check`), on numpy columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from impactkit.batch.blocks import BlockIndex
from impactkit.model.facts import FLAGS
from impactkit.rules.columns import numpy_columns
from impactkit.rules.valuation import FactColumns, Valued, value_lines


@dataclass
class BatchValues:
    keys: np.ndarray  # each row's valuing block (position in index.blocks)
    entry: np.ndarray  # each row's (menu, block as entered)
    facts: FactColumns
    basis: np.ndarray  # hundredths of hours a week, per row
    has_candidate: np.ndarray
    valued: Valued


def person_codes(bid: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """One number per (bid, candidate); every row without a candidate is a person of its own."""
    has = candidate != ""
    codes = pd.DataFrame({"b": bid, "c": pd.factorize(candidate)[0]}).groupby(["b", "c"], sort=False).ngroup()
    return np.where(has, codes.to_numpy(), -1 - np.arange(len(bid)))


def fact_columns(facts: dict[str, np.ndarray], present: dict[str, np.ndarray]) -> FactColumns:
    """The kernel's columns from the checked sheet columns (hundredths; ages in years, -1 absent)."""
    return FactColumns(
        hours_per_week=facts["hours_per_week"], months=facts["months"], hours=facts["hours"], days=facts["days"],
        amount=facts["amount"], age=np.where(present["age"], facts["age"] // 100, -1),
        supplier_trede=facts.get("supplier_trede", np.full(len(facts["months"]), -1, dtype=np.int64)),
        **{name: facts[name] for name in FLAGS},
    )


def value_rows(index: BlockIndex, entry: np.ndarray, facts: FactColumns, basis: np.ndarray, bid: np.ndarray,
               candidate: np.ndarray) -> BatchValues:
    """Value the rows that passed every check (all arrays are of those rows)."""
    xp = numpy_columns()
    keys = np.asarray(index.entry_key, dtype=np.int64)[entry] if len(entry) else np.zeros(0, dtype=np.int64)
    person = person_codes(bid, candidate) if len(entry) else np.zeros(0, dtype=np.int64)
    valued = value_lines(index.blocks, keys, facts, person, basis, xp)
    return BatchValues(keys, entry, facts, basis, candidate != "", valued)
