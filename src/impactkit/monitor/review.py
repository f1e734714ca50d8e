"""Reviewing claims: accept or reject claimed lines. A line that someone else decided in the
meantime is a conflict, reported with who decided it and when, never overwritten."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from impactkit.errors import InvalidInputError, Problem, UnknownReferenceError
from impactkit.monitor.lines import content_key
from impactkit.monitor.periods import ORDER_SQL
from impactkit.monitor.schema import FACT_COLUMNS
from impactkit.monitor.store import Store, now

CLAIM_COLUMNS = ("id", "contract_id", "period", "block", "candidate", *FACT_COLUMNS, "evidence", "line_ref",
                 "forgotten_on")


@dataclass
class Claim:
    row: object  # the line, by column name
    identical_to: list[int]  # other realised lines of the contract with the same period, block, candidate and facts


def claimed_lines(store: Store, contract_id: str | None = None) -> list[Claim]:
    """The claimed lines, each with the lines it is identical to (for the reviewer to look at)."""
    where, params = ("AND contract_id = ?", (contract_id,)) if contract_id else ("", ())
    with store.read():
        claims = store.query(f"SELECT {', '.join(CLAIM_COLUMNS)} FROM lines WHERE kind = 'realised'"
                             f" AND status = 'claimed' {where} ORDER BY contract_id, {ORDER_SQL}, id", params)
        contracts = sorted({r["contract_id"] for r in claims})
        same: dict[tuple, list[int]] = defaultdict(list)
        for cid in contracts:
            for row in store.query(f"SELECT {', '.join(CLAIM_COLUMNS)} FROM lines WHERE kind = 'realised'"
                                   " AND status != 'rejected' AND contract_id = ? ORDER BY id", (cid,)):
                same[content_key(row)].append(row["id"])
    return [Claim(r, [i for i in same[content_key(r)] if i != r["id"]]) for r in claims]


@dataclass
class Reviewed:
    changed: int  # lines decided by this review
    unchanged: list[Problem] = field(default_factory=list)  # lines that had this very decision already


def review(store: Store, decisions: dict[int, str]) -> Reviewed:
    """Accept or reject claimed lines by id, all in one transaction: every decision or none.

    A line that already has the decision asked for (given earlier, by anyone) is left as it is and
    told, with who decided it and when: the same decision twice is no conflict. A line decided the
    other way is a conflict, and then nothing is changed."""
    with store.write():
        ids = sorted(decisions)
        rows = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in store.query(f"SELECT id, kind, status, reviewed_at, reviewed_by FROM lines WHERE id IN"
                                   f" ({', '.join('?' * len(chunk))})", tuple(chunk)):
                rows[row["id"]] = row
        unknown = [i for i in ids if i not in rows or rows[i]["kind"] != "realised"]
        if unknown:
            raise UnknownReferenceError([Problem("monitor_line_unknown", {"id": i}) for i in unknown])

        def decided(key: str, row) -> Problem:
            return Problem(key, {"id": row["id"], "by": row["reviewed_by"] or "-", "at": row["reviewed_at"] or "-"})

        contrary = [rows[i] for i in ids if rows[i]["status"] not in ("claimed", decisions[i])]
        if contrary:
            raise InvalidInputError([decided(f"monitor_review_conflict_{r['status']}", r) for r in contrary])
        same = [rows[i] for i in ids if rows[i]["status"] == decisions[i]]
        at, by = now(), store.who()
        todo = [i for i in ids if rows[i]["status"] == "claimed"]
        too_many = _months_beyond(store, [i for i in todo if decisions[i] == "accepted"])
        if too_many:  # a person's accepted months in a period never exceed it
            raise InvalidInputError(too_many)
        for line_id in todo:
            # the status condition keeps the decision of whoever came first, whatever the isolation level
            changed = store.execute("UPDATE lines SET status = ?, reviewed_at = ?, reviewed_by = ? WHERE id = ?"
                                    " AND status = 'claimed'", (decisions[line_id], at, by, line_id))
            if changed != 1:  # pragma: no cover - the writer lock makes this impossible; never overwrite
                raise InvalidInputError(Problem("monitor_review_conflicts", {"count": 1}))
            store.audit("review", {"line": line_id, "from": "claimed", "to": decisions[line_id]})
    return Reviewed(len(todo), [decided(f"monitor_review_same_{r['status']}", r) for r in same])


def _months_beyond(store: Store, accepted: list[int]) -> list[Problem]:
    """Lines to accept that would give a candidate more accepted months of a block valued per person in a
    period than it has (lines imported before the importer checked this can hold such months)."""
    if not accepted:
        return []
    from impactkit.monitor.ledger import Contracts
    from impactkit.monitor.months import acceptance_problems

    lines = []
    for start in range(0, len(accepted), 500):
        chunk = accepted[start:start + 500]
        lines.extend(store.query("SELECT id, contract_id, period, block, candidate, months_100 FROM lines WHERE id IN"
                                 f" ({', '.join('?' * len(chunk))})", tuple(chunk)))
    return acceptance_problems(store, Contracts(store), lines)
