"""Notes on how an input was read: where a reading was a choice, the report says which."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    source: str  # "bids.xlsx › Bijdragen" or "bids.csv"
    key: str  # message key
    params: dict = field(default_factory=dict)
    row: int | None = None
    column: str | None = None  # the header as written


def rows_text(rows: list[int], shown: int = 12) -> str:
    """[4, 5, 6, 9] -> "4-6, 9"; long lists end with "..."."""
    parts: list[str] = []
    start = prev = None
    for r in sorted(rows):
        if prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = r
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ", ".join(parts[:shown]) + (", ..." if len(parts) > shown else "")
