"""Caps on shares of the obligation: the blocks of one category count for at most a share of it.

E.g. Rijnmond: social investment at most 25% of the obligation. The lines keep their own
credit; what a category has above its cap is not counted towards the bid's total. Works on
columns (one row per line, `bid` numbering the bids), like the rest of the kernel.
"""

from __future__ import annotations

from impactkit.rules.columns import Backend, Column, half_up
from impactkit.rules.compile import Rules


def category_codes(rules: Rules, keys: Column, xp: Backend) -> Column:
    """Per line: the position of its block's category in `rules.share_caps`, or -1."""
    names = list(rules.share_caps)
    by_key = [names.index(b.category) if b.category in rules.share_caps else -1 for b in rules.blocks]
    return xp.col([by_key[int(k)] for k in keys]) if xp.name == "python" else xp.col(by_key)[keys]


def share_excess(rules: Rules, categories: Column, credit: Column, bid: Column, obligation: Column,
                 xp: Backend) -> dict[str, tuple[Column, Column, Column]]:
    """Per capped category: (total, cap, excess) columns in cents, each line carrying its bid's figures.

    `obligation` is each line's bid obligation in cents.
    """
    out: dict[str, tuple[Column, Column, Column]] = {}
    for position, (name, (share, _source)) in enumerate(rules.share_caps.items()):
        inside = categories == position
        total = xp.group_sum(xp.where(inside, credit, 0), bid)
        cap = half_up(obligation * share[0], share[1])
        out[name] = (total, cap, xp.maximum(total - cap, 0))
    return out
