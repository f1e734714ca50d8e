"""Identical contribution rows: the same bid (tender and bidder, however its name is spelled),
block, candidate and facts. Both count, as in `check` and `monitor` (two equal invoices are
real), and the run names them, so a reviewer can see that a row was not pasted twice.

Found on columns: rows that share bid, block and candidate (one integer key) are few, and only
those are compared on every fact.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit.io.sheets.notes import Note, rows_text


def identical_first(bid: np.ndarray, entry: np.ndarray, candidate: np.ndarray,
                    facts: dict[str, np.ndarray]) -> np.ndarray:
    """Per row: the position of the first row identical to it (its own position for that first
    row), or -1 when no other row is identical."""
    n = len(bid)
    out = np.full(n, -1, dtype=np.int64)
    if n < 2:
        return out
    pair = pd.factorize(np.asarray(bid, dtype=np.int64) * (int(entry.max(initial=0)) + 2) + entry)[0].astype(np.int64)
    names, spelled = pd.factorize(candidate)
    key = pair * (len(spelled) + 1) + names
    maybe = np.flatnonzero(pd.Series(key).duplicated(keep=False).to_numpy())
    if not len(maybe):
        return out
    frame = pd.DataFrame({"key": key[maybe], **{name: np.asarray(v)[maybe] for name, v in facts.items()}})
    same = frame.duplicated(keep=False).to_numpy()
    if not same.any():
        return out
    rows = maybe[same]
    group = frame[same].groupby(list(frame.columns), sort=False).ngroup().to_numpy()
    out[rows] = pd.Series(rows).groupby(group).transform("first").to_numpy()
    return out


def identical_rows(first: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per row: the sheet row of the first identical row, for the rows after it; else -1."""
    later = (first >= 0) & (first != np.arange(len(first)))
    return np.where(later, rows[np.maximum(first, 0)], -1)


#: groups of identical rows named one by one per file (sheet); more (a sheet pasted in twice) are
#: counted in one note, as every line's explanation names the row it is identical to
SHOWN_GROUPS = 100


def identical_notes(first: np.ndarray, sources: np.ndarray, rows: np.ndarray, tenders: np.ndarray,
                    bidders: np.ndarray, notes: list[Note]) -> None:
    """One note per group of identical rows, at its first row, naming every row of the group (up to
    SHOWN_GROUPS groups per file; then one note counting the others)."""
    members = np.flatnonzero(first >= 0)
    if not len(members):
        return
    order = members[np.lexsort((members, first[members]))]  # by group (its first row), rows in the order read
    starts = np.flatnonzero(np.r_[True, first[order][1:] != first[order][:-1]])
    heads = order[starts]
    sizes = np.diff(np.r_[starts, len(order)])
    where = pd.factorize(sources[heads])[0]
    rank = pd.Series(where).groupby(where).cumcount().to_numpy()  # the how-manieth group of its file
    for g in np.flatnonzero(rank < SHOWN_GROUPS).tolist():
        group = order[starts[g]:starts[g] + sizes[g]]
        head = int(group[0])
        own = str(sources[head])
        parts: dict[str, list[int]] = {}
        for i in group.tolist():
            parts.setdefault(str(sources[i]), []).append(int(rows[i]))
        shown = "; ".join(rows_text(r) if s == own else f"{s}: {rows_text(r)}" for s, r in parts.items())
        notes.append(Note(own, "note_identical_rows", {
            "count": len(group), "rows": shown, "tender": str(tenders[head]), "bidder": str(bidders[head])},
            row=int(rows[head])))
    more = rank >= SHOWN_GROUPS
    if more.any():
        left = pd.DataFrame({"source": sources[heads[more]], "row": rows[heads[more]], "rows": sizes[more]})
        for source, part in left.groupby("source", sort=False):
            notes.append(Note(str(source), "note_identical_rows_more", {
                "groups": len(part), "count": int(part["rows"].sum()), "shown": SHOWN_GROUPS},
                row=int(part["row"].iloc[0])))
