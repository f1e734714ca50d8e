"""Share caps in a batch: per bid, what its capped categories have above their cap (not counted)."""

from __future__ import annotations

import numpy as np

from impactkit.batch.blocks import BlockIndex
from impactkit.batch.tenders import TenderState
from impactkit.rules.columns import numpy_columns
from impactkit.rules.shares import share_excess


def share_cap_excess(index: BlockIndex, states: list[TenderState], keys: np.ndarray, credit: np.ndarray,
                     bid: np.ndarray, bid_tender: np.ndarray, obligation: np.ndarray) -> np.ndarray:
    """Cents not counted per bid. `keys`, `credit` and `bid` (the bid's position) are per scored line;
    `bid_tender` and `obligation` per bid."""
    excess = np.zeros(len(bid_tender), dtype=np.int64)
    capped = {ref: rules for ref, rules in index.rules.items() if rules.share_caps}
    if not capped or not len(keys):
        return excess
    xp = numpy_columns()
    menu_of_bid = np.array([states[t].choice.menu.ref for t in bid_tender.tolist()], dtype=object)
    for ref, rules in capped.items():
        names = list(rules.share_caps)
        category = np.array([names.index(b.category) if b.category in rules.share_caps else -1
                             for b in index.blocks], dtype=np.int64)[keys]
        lines = np.flatnonzero(menu_of_bid[bid] == ref)
        if not len(lines):
            continue
        found = share_excess(rules, category[lines], credit[lines], bid[lines], obligation[bid[lines]], xp)
        for _total, _cap, over in found.values():
            per_bid = np.zeros(len(bid_tender), dtype=np.int64)
            per_bid[bid[lines]] = over  # every line of a bid carries its bid's figure
            excess += per_bid
    return excess
