"""Forgetting a candidate on request (the right to erasure).

Every line of that person loses the reference, the age, the flags and the evidence text (the
line says when the evidence was removed on request); the reference becomes a random token per
contract, derived from nothing, so the counting caps still hold across that person's lines. The
credit of the plan and of the accepted lines is frozen first, so the accepted total does not
change. The audit log records the request without the reference. The ledger's storage is then
cleaned: SQLite zeroes the old content (secure_delete) and truncates its write-ahead log;
PostgreSQL vacuums the lines.
"""

from __future__ import annotations

import difflib
import secrets
from dataclasses import dataclass
from datetime import date

from impactkit.errors import Problem, UnknownReferenceError
from impactkit.monitor.ledger import VALUE_COLUMNS, Contracts, _credits, valuation_order, value_rows
from impactkit.monitor.schema import FLAGS
from impactkit.monitor.store import Store

_CANDIDATE, _FROZEN = VALUE_COLUMNS.index("candidate"), VALUE_COLUMNS.index("frozen_credit_cents")
_STATUS = VALUE_COLUMNS.index("status")


@dataclass
class ForgetResult:
    lines: int
    contracts: int
    scrubbed: bool  # False: old copies may stay in the storage until other connections close


def _folded(reference: str) -> str:
    return "".join(reference.split()).casefold()


def nearest_references(store: Store, candidate: str, limit: int = 3) -> list[str]:
    """The references a mistyped one most likely meant: the same but for case and spaces, else the
    most similar (forgotten lines carry none)."""
    known = [r["candidate"] for r in store.query(
        "SELECT DISTINCT candidate FROM lines WHERE candidate IS NOT NULL AND forgotten_on IS NULL ORDER BY candidate")]
    wanted = _folded(candidate)
    same = [k for k in known if _folded(k) == wanted]
    if same:
        return same[:limit]
    folded: dict[str, list[str]] = {}
    for k in known:
        folded.setdefault(_folded(k), []).append(k)
    close = difflib.get_close_matches(wanted, list(folded), n=limit, cutoff=0.75)
    return [k for f in close for k in folded[f]][:limit]


def forget(store: Store, candidate: str) -> ForgetResult:
    """Forget the candidate whose reference is exactly `candidate` (surrounding spaces aside); a
    reference that no line carries is an error naming the nearest ones, and changes nothing."""
    candidate = candidate.strip()
    today = date.today().isoformat()
    with store.write():
        contract_ids = [r["contract_id"] for r in store.query(
            "SELECT DISTINCT contract_id FROM lines WHERE candidate = ? AND forgotten_on IS NULL ORDER BY contract_id",
            (candidate,))] if candidate else []
        if not contract_ids:
            raise UnknownReferenceError(Problem("monitor_candidate_unknown", {
                "candidate": candidate, "hint": ", ".join(nearest_references(store, candidate)) or "-"}))
        contracts = Contracts(store)
        changed = 0
        for contract_id in contract_ids:
            contract = contracts.require(contract_id)
            planned, realised = valuation_order(value_rows(store, contract_id))
            accepted = [r for r in realised if r[_STATUS] == "accepted"]  # valued before any claim
            for group in (planned, accepted):
                for row, credit in zip(group, _credits(contract, group)):
                    if row[_CANDIDATE] == candidate and row[_FROZEN] is None:
                        store.execute("UPDATE lines SET frozen_credit_cents = ? WHERE id = ?",
                                      (int(credit * 100), row[0]))
            token = "forgotten-" + secrets.token_hex(8)
            changed += store.execute(
                f"UPDATE lines SET candidate = ?, age = NULL, {', '.join(f'{f} = 0' for f in FLAGS)}, evidence = NULL,"
                " forgotten_on = ? WHERE contract_id = ? AND candidate = ?", (token, today, contract_id, candidate))
        command = store.command
        store.command = command.replace(candidate, "(reference not logged)")  # never the reference
        try:
            store.audit("forget", {"lines": changed, "contracts": len(contract_ids)})
        finally:
            store.command = command
    return ForgetResult(changed, len(contract_ids), store.scrub())
