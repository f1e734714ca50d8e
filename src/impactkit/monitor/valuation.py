"""The ledger's lines valued by the rules kernel: every group of lines (a contract's plan, or its
realised lines) is one bid, so counting caps and one-off bonuses hold over a contract's life.

All groups of all contracts go through the kernel in one call, on numpy columns built straight
from the ledger's integer fact columns (no Decimal, no Contribution per line).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactkit.engine.stack import tender_terms
from impactkit.model.facts import FLAGS, TREDES
from impactkit.monitor.lines import VALUE_COLUMNS
from impactkit.monitor.periods import ORDER_SQL
from impactkit.rules.catalog import block_index
from impactkit.rules.columns import numpy_columns
from impactkit.rules.valuation import FactColumns, value_lines

if TYPE_CHECKING:
    from impactkit.monitor.ledger import Contract

_AT = {name: i for i, name in enumerate(VALUE_COLUMNS)}
_TREDE = {t: i for i, t in enumerate(TREDES)}
#: the order lines are valued in: per contract its plan (by id), then the realised lines, accepted
#: ones first and the claims as if accepted after them, each by period (start date, then length) and id
VALUATION_ORDER = ("ORDER BY contract_id, kind, CASE status WHEN 'accepted' THEN 0 WHEN 'claimed' THEN 1 ELSE 2 END,"
                   f" {ORDER_SQL}, id")


def _integers(values: Sequence, missing: int = 0) -> np.ndarray:
    as_float = np.array(values, dtype=np.float64)  # None -> nan; every stored number is below 2**53
    return np.where(np.isnan(as_float), missing, as_float).astype(np.int64)


def value_sorted(contracts: dict[str, Contract], columns: Sequence[Sequence]) -> np.ndarray:
    """Credits in cents of lines given as columns of VALUE_COLUMNS, sorted in VALUATION_ORDER: each run
    of lines of one contract and kind is one bid. A forgotten candidate's line keeps its frozen credit."""
    if not columns or not len(columns[0]):
        return np.zeros(0, dtype=np.int64)
    rows = columns[0]
    contract_code, contract_ids = pd.factorize(np.array(columns[_AT["contract_id"]], dtype=object))
    kind = np.array(columns[_AT["kind"]], dtype=object) == "planned"
    group = np.cumsum(np.r_[True, (contract_code[1:] != contract_code[:-1]) | (kind[1:] != kind[:-1])]) - 1
    chosen = [contracts[c] for c in contract_ids]
    index = block_index([c.menu for c in chosen])
    positions = {id(m): i for i, m in enumerate(index.menus)}
    menu_of = np.array([positions[id(c.menu)] for c in chosen], dtype=np.int64)[contract_code]
    basis = np.array([int(tender_terms(c.tender_file(), c.menu).hours_basis * 100) for c in chosen],
                     dtype=np.int64)[contract_code]
    block_code, blocks = pd.factorize(np.array(columns[_AT["block"]], dtype=object))
    width = len(blocks) + 1
    pair_code, pairs = pd.factorize(menu_of * width + block_code)
    entry_of_pair = np.array([index.entries[(p // width, blocks[p % width])] for p in pairs.tolist()], dtype=np.int64)
    keys = np.asarray(index.entry_key, dtype=np.int64)[entry_of_pair[pair_code]]
    candidate_code, _ = pd.factorize(np.array(columns[_AT["candidate"]], dtype=object))  # None -> -1
    person = np.where(candidate_code >= 0, group * (candidate_code.max(initial=0) + 1) + candidate_code,
                      -1 - np.arange(len(rows)))
    trede = columns[_AT["supplier_pso_trede"]]
    facts = FactColumns(
        hours_per_week=_integers(columns[_AT["hours_per_week_100"]]), months=_integers(columns[_AT["months_100"]]),
        hours=_integers(columns[_AT["hours_100"]]), days=_integers(columns[_AT["days_100"]]),
        amount=_integers(columns[_AT["amount_100"]]), age=_integers(columns[_AT["age"]], -1),
        supplier_trede=np.array([_TREDE.get(t, -1) for t in trede], dtype=np.int64),
        **{flag: np.array(columns[_AT[flag]], dtype=bool) for flag in FLAGS},
    )
    credit = value_lines(index.blocks, keys, facts, person, basis, numpy_columns()).credit
    frozen = _integers(columns[_AT["frozen_credit_cents"]], -1)
    return np.where(frozen >= 0, frozen, credit)


def value_groups(groups: Sequence[tuple[Contract, Sequence[tuple]]]) -> list[list[int]]:
    """Credits in cents of each group's rows (rows of VALUE_COLUMNS, in valuation order), each group
    one bid (the groups may be of one contract, e.g. its plan and its realised lines)."""
    renamed: list[tuple] = []
    contracts: dict[str, Contract] = {}
    for g, (contract, group) in enumerate(groups):
        key = f"{g}\x00{contract.id}"  # one run per group, whatever its kind
        contracts[key] = contract
        renamed.extend((row[0], key, *row[2:]) for row in group)
    credits = value_sorted(contracts, list(zip(*renamed))).tolist()
    out, start = [], 0
    for _, group in groups:
        out.append(credits[start:start + len(group)])
        start += len(group)
    return out
