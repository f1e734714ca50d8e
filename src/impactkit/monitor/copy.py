"""`monitor migrate --to`: copy a ledger into an empty one (a SQLite file into a shared PostgreSQL
database, typically) in one transaction, and verify the copy before it is committed: the same
rows in every table and every contract's status identical on both sides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from impactkit.errors import OutputError, Problem
from impactkit.monitor.ledger import CONTRACT_COLUMNS, Status, portfolio
from impactkit.monitor.lines import LINE_COLUMNS
from impactkit.monitor.dbspec import is_url
from impactkit.monitor.store import Store, open_store, removed_on_failure

COPIED = {
    "menus": ("digest", "ref", "yaml"),
    "contracts": (*CONTRACT_COLUMNS, "created_at"),
    "imports": ("id", "digest", "file_name", "rows_read", "new_lines", "at", "os_user", "db_user"),
    "lines": ("id", *LINE_COLUMNS, "frozen_credit_cents", "forgotten_on", "reviewed_at", "reviewed_by"),
    "audit": ("id", "at", "os_user", "db_user", "command", "action", "detail"),
}


@dataclass
class CopyResult:
    rows: dict[str, int]
    contracts_verified: int


def _count(store: Store, table: str) -> int:
    return int(store.one(f"SELECT count(*) AS n FROM {table}")["n"])


def summary(s: Status) -> tuple:
    """What must be identical on both sides, per contract."""
    return (s.contract.id, s.contract.bidder, s.contract.obligation, s.contract.menu.ref, s.contract.start,
            s.contract.end, s.planned, s.accepted, s.claimed, s.projected, s.risk, s.withheld_if_ended,
            tuple((p.period, p.accepted, p.claimed) for p in s.periods))


def copy_ledger(source: Store, target: Store, on: date | None = None) -> CopyResult:
    on = on or date.today()
    with target.write():
        filled = {t: n for t in COPIED if (n := _count(target, t))}
        if filled:
            raise OutputError(Problem("monitor_target_not_empty", {
                "rows": ", ".join(f"{t} {n}" for t, n in filled.items())}, file=target.where))
        with source.read():
            rows = {}
            for table, columns in COPIED.items():
                data = source.tuples(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1")
                target.insert_many(table, columns, data)
                rows[table] = len(data)
            key = source.digest_key()  # a ledger without its key is refused as damaged
            target.execute("UPDATE ledger_meta SET value = ? WHERE key = 'digest_key'", (key,))  # files stay recognised
            before = sorted(summary(s) for s in portfolio(source, on))
        for table in ("imports", "lines", "audit"):
            getattr(target, "sync_ids", lambda _t: None)(table)
        counted = {t: _count(target, t) for t in COPIED}
        after = sorted(summary(s) for s in portfolio(target, on))
        if counted != rows or after != before:
            differing = sorted({a[0] for a, b in zip(after, before) if a != b}) or ["-"]
            raise OutputError(Problem("monitor_copy_differs", {
                "contracts": ", ".join(differing[:20]), "rows": ", ".join(f"{t} {rows[t]}->{counted[t]}" for t in rows
                                                                        if rows[t] != counted[t]) or "-"},
                file=target.where))
        target.audit("migrate", {"from": source.where, "contracts": rows["contracts"], "lines": rows["lines"],
                                 "verified_on": on.isoformat()})
    return CopyResult(rows, len(after))


def migrate_ledger(source: Store, to: str, command: str, on: date | None = None) -> tuple[CopyResult, str]:
    """Copy `source` into the empty ledger `to` (a URL or a file); returns the result and where it went.

    A ledger file that this call creates is removed again when the copy fails, so a failed
    migration leaves no empty ledger behind that a later command could mistake for the copy."""
    with removed_on_failure(to if is_url(to) else Path(to)):
        with open_store(to, command=command, write=True) as target:
            return copy_ledger(source, target, on), target.where
