"""Bidders and their prices: one bid per bidder however the name is spelled, and the base each
obligation is measured against, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impactkit.io.sheets.notes import Note
from impactkit.model.names import bidder_key


def join_bidders(bidder: np.ndarray, sources: np.ndarray, rows: np.ndarray, notes: list[Note]) -> np.ndarray:
    """Each row's bidder as first written, for every spelling of the same name. A note names the
    spellings that were joined, in each file (sheet) where a name was written otherwise: at its
    first row there, so every file whose names were changed says so, also when the name was
    first written in another file."""
    codes, uniques = pd.factorize(bidder)  # codes follow the order in which spellings first appear
    if not len(uniques):
        return bidder
    keys = [bidder_key(str(u)) if u != "" else "" for u in uniques]
    display: dict[str, int] = {}
    spellings: dict[str, list[int]] = {}
    for u, key in enumerate(keys):
        display.setdefault(key, u)
        spellings.setdefault(key, []).append(u)
    chosen = np.asarray([display[key] for key in keys], dtype=np.int64)
    if any(key and len(members) > 1 for key, members in spellings.items()):
        joined = np.asarray([bool(key) and len(spellings[key]) > 1 for key in keys] + [False])[codes]
        _joined_notes(codes, chosen, uniques, sources, rows, joined, notes)
    return np.asarray(uniques, dtype=object)[chosen[codes]]


def _joined_notes(codes: np.ndarray, chosen: np.ndarray, uniques, sources: np.ndarray, rows: np.ndarray,
                  joined: np.ndarray, notes: list[Note]) -> None:
    """Per joined name and file (sheet) where it was written otherwise than as shown, a note at its
    first row there naming the name shown and the spellings of that file."""
    at = np.flatnonzero(joined)
    frame = pd.DataFrame({"name": chosen[codes[at]], "source": pd.factorize(sources[at])[0], "spelling": codes[at],
                          "at": at})
    firsts = frame.drop_duplicates(["name", "source", "spelling"])  # each spelling where it first appears in a file
    seen = firsts.drop_duplicates("spelling")  # where each spelling first appears at all: (file, position)
    shown_at = dict(zip(seen["spelling"].tolist(), zip(seen["source"].tolist(), seen["at"].tolist())))
    for (name, source), group in firsts.groupby(["name", "source"], sort=False):
        written = group["spelling"].tolist()
        if written == [name]:  # this file writes the name only as it is shown
            continue
        head = int(group["at"].iloc[0])
        first_source, first = shown_at[name]
        if first_source == source:
            names = [name] + [w for w in written if w != name]
            notes.append(Note(str(sources[head]), "note_bidders_joined", {
                "name": str(uniques[name]), "names": ", ".join(repr(str(uniques[m])) for m in names)},
                row=int(rows[head])))
        else:  # the name as shown was first written in another file
            notes.append(Note(str(sources[head]), "note_bidders_joined_elsewhere", {
                "name": str(uniques[name]), "names": ", ".join(repr(str(uniques[m])) for m in written),
                "first": str(sources[first]), "first_row": int(rows[first])}, row=int(rows[head])))


def bids_across_files(bid_code: np.ndarray, named: np.ndarray, files: np.ndarray, tender: np.ndarray,
                      bidder: np.ndarray, sources: np.ndarray, rows: np.ndarray, notes: list[Note]) -> None:
    """A note for each bid whose rows come from more than one file: a bidder's sheet returned twice
    (re-saved, renamed) would count its contributions twice."""
    idx = np.flatnonzero(named)
    if not len(idx):
        return
    frame = pd.DataFrame({"bid": bid_code[idx], "file": files[idx], "at": idx})
    spread = frame.groupby("bid", sort=True)["file"].nunique()
    multi = spread.index[spread.to_numpy() > 1]
    for _, mine in frame[frame["bid"].isin(multi)].groupby("bid", sort=True):  # one pass over the rows
        head = int(mine["at"].iloc[0])
        names = list(dict.fromkeys(mine["file"].tolist()))
        notes.append(Note(str(sources[head]), "note_bid_in_files", {
            "bidder": str(bidder[head]), "tender": str(tender[head]), "files": ", ".join(names)}, row=int(rows[head])))


@dataclass(frozen=True)
class BidBase:
    """What a bid's obligation was measured against."""

    kind: str  # "bid_price", "contract_value" or "wage_sum"
    source: str = ""  # where the price was read, or the price cell that could not be read
    row: int = 0
    note: str = ""  # message key: why the tender's value was used, or a remark on the price's row
    cause: str = ""  # message key of the rejection behind the note
    cause_params: dict = field(default_factory=dict)


def bid_prices(bid_code: np.ndarray, named: np.ndarray, valid: np.ndarray, present: np.ndarray, price: np.ndarray,
               ok: np.ndarray) -> pd.DataFrame:
    """Per bid: the first valid price on any of its rows (also a row rejected for another reason),
    the row it is on, and the first price cell that could not be read."""
    idx = np.flatnonzero(named)
    frame = pd.DataFrame({
        "bid": bid_code[idx],
        "price": np.where(valid[idx], price[idx], np.nan),
        "at": np.where(valid[idx], idx, np.nan),
        "bad": np.where(present[idx] & ~valid[idx], idx, np.nan),
        "ok": ok[idx],
    })
    grouped = frame.groupby("bid", sort=True)
    return pd.DataFrame({"price": grouped["price"].first(), "at": grouped["at"].first(), "bad": grouped["bad"].first()})
