"""A row that could not be scored: where it is, which column, and why."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rejection:
    source: str  # "bids.xlsx › Bijdragen"
    row: int  # as the user sees it in Excel or the CSV (header is row 1)
    column: str | None  # the header as the user wrote it
    value: str
    key: str  # message key
    params: dict = field(default_factory=dict)
    kind: str = "contribution"  # or "tender": a row of a tenders sheet
    tender_id: str = ""
    bidder: str = ""
