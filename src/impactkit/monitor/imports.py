"""Importing realisations by the ledger rule (sroi.md section 6): a row is a row.

Every row of a file becomes a line of its own, two equal invoices are two lines (and are noted
for the reviewer). What adds nothing is the same import again: the same file (recognised by its
bytes, through a keyed hash whose random key lives in the ledger) or a row whose explicit line id
(`regel` / `line_id`) is already in the contract with the same facts. A known line id with other
facts is an error: the file contradicts the ledger. An import is all or nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from impactkit.errors import InputFileError, InvalidInputError, Problem
from impactkit.monitor.importer import Realisation, read_file, read_realisations
from impactkit.monitor.ledger import Contracts
from impactkit.monitor.lines import LINE_COLUMNS, content_key, fact_values
from impactkit.monitor.months import months_problems
from impactkit.monitor.schema import FACT_COLUMNS
from impactkit.monitor.store import Store, now

_KEY_COLUMNS = ("id", "contract_id", "period", "block", "candidate", *FACT_COLUMNS, "line_ref", "source_row",
                "forgotten_on")


@dataclass
class ImportResult:
    rows: int  # rows read from the file
    new: int = 0  # lines added
    known: int = 0  # rows whose line id the ledger already holds (nothing added for them)
    same_file: dict | None = None  # the earlier import of these very bytes: nothing was added
    identical: list[list[int]] = field(default_factory=list)  # groups of identical lines, each with a new one
    decided: dict[str, int] = field(default_factory=dict)  # new lines accepted / rejected by the file's status column
    skipped: list[Problem] = field(default_factory=list)  # totals rows, each named


def file_digest(key: str, data: bytes) -> str:
    """A keyed hash of the file's bytes: recognises the same file, and nothing else."""
    return hmac.new(bytes.fromhex(key), data, hashlib.sha256).hexdigest()


def read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputFileError(Problem("file_not_found", file=str(path)))
    if not path.is_file():
        raise InputFileError(Problem("file_not_a_file", file=str(path)))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(Problem("file_unreadable", {"reason": exc.strerror or str(exc)}, file=str(path))) from None


def _key(r: Realisation) -> tuple:
    c = r.contribution
    return (r.contract, r.period, c.block, c.candidate, *fact_values(c))


def _forgotten_key(key: tuple) -> tuple:
    """What survives a forget: contract, period, block and the quantities (not candidate, age, flags)."""
    return key[:3] + key[4:4 + 5]


def import_file(store: Store, path: Path, with_status: bool = False) -> ImportResult:
    """Add the realisations of a file in one transaction: every row or none.

    Lines come in as claims. A status of accepted or rejected in the file is refused (naming the
    rows) unless `with_status`: then those lines are stored as decided, by whoever imports them.
    The same file again adds nothing, whatever it holds (it is recognised before it is read)."""
    path = Path(path)
    data = read_bytes(path)
    contracts = Contracts(store)
    with store.read():
        digest = file_digest(store.digest_key(), data)
        earlier = _same_file(store, digest)
        if earlier is None and store.one("SELECT 1 AS x FROM imports WHERE digest IS NULL AND file_name = ?",
                                         (path.name,)):
            # schema 1 took a file's statuses as they came: recognise its rows whatever their status
            earlier = _legacy_import(store, path.name, read_realisations(path, contracts, with_status=True))
    if earlier is not None:
        with store.write():
            if earlier["digest"] is None:  # from now on it is known by its bytes
                store.execute("UPDATE imports SET digest = ? WHERE id = ?", (digest, earlier["id"]))
            return _again(store, path, earlier)
    read = read_file(path, contracts, with_status)
    realisations = read.realisations
    result = ImportResult(rows=len(realisations), skipped=read.skipped)
    with store.write():
        earlier = _same_file(store, digest)  # imported by someone else while this one was read
        if earlier is not None:
            return _again(store, path, earlier)
        fresh, known_problems = _new_rows(store, realisations, result)
        # every bad row in one answer: on its own, by its line id, or by the months the ledger holds already
        problems = read.problems + known_problems + months_problems(store, contracts, fresh)
        if problems:
            raise InvalidInputError(sorted(problems, key=lambda p: p.line or 0))
        import_id = store.insert(
            "INSERT INTO imports (digest, file_name, rows_read, new_lines, at, os_user, db_user) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (digest, path.name, result.rows, len(fresh), now(), store.os_user, store.db_user))
        store.insert_many("lines", LINE_COLUMNS, [
            (r.contract, "realised", r.period, r.contribution.block, r.contribution.candidate,
             *fact_values(r.contribution), r.status, r.evidence, r.line_ref, import_id, r.row) for r in fresh])
        result.new = len(fresh)
        result.decided = {state: n for state in ("accepted", "rejected") if (n := sum(r.status == state for r in fresh))}
        if result.decided:  # the file's decision, taken on by the one who imports it
            store.execute("UPDATE lines SET reviewed_at = ?, reviewed_by = ? WHERE import_id = ? AND status != 'claimed'",
                          (now(), f"{store.who()} (import #{import_id})", import_id))
        result.identical = _identical(store, import_id, {r.contract for r in fresh})
        store.audit("import", {"file": path.name, "import": import_id, "rows": result.rows, "new": result.new,
                               "known_line_ids": result.known,
                               "identical_lines": sum(len(g) for g in result.identical),
                               **({"totals_rows_skipped": len(result.skipped)} if result.skipped else {}),
                               **{f"{state}_by_file": n for state, n in result.decided.items()}})
    return result


def _same_file(store: Store, digest: str):
    return store.one("SELECT id, at, file_name, rows_read, digest FROM imports WHERE digest = ?", (digest,))


def _again(store: Store, path: Path, earlier) -> ImportResult:
    """The same file as an earlier import: nothing is added, and the audit log says so."""
    result = ImportResult(rows=int(earlier["rows_read"]), same_file=dict(earlier))
    store.audit("import", {"file": path.name, "rows": result.rows, "new": 0, "same_file_as": earlier["id"]})
    return result


def _new_rows(store: Store, realisations: list[Realisation], result: ImportResult) -> tuple[list[Realisation],
                                                                                              list[Problem]]:
    """The rows to add, and the rows refused for their line id; rows with a line id the ledger (or the file
    above them) already has with the same facts are counted as known."""
    contracts = sorted({r.contract for r in realisations if r.line_ref is not None})
    existing: dict[tuple[str, str], tuple] = {}
    for contract_id in contracts:
        for row in store.query(f"SELECT {', '.join(_KEY_COLUMNS)} FROM lines WHERE contract_id = ?"
                               " AND line_ref IS NOT NULL", (contract_id,)):
            existing[(contract_id, row["line_ref"])] = (row["id"], content_key(row), row["forgotten_on"] is not None)
    problems: list[Problem] = []
    fresh: list[Realisation] = []
    in_file: dict[tuple[str, str], tuple[int, tuple]] = {}
    for r in realisations:
        if r.line_ref is None:
            fresh.append(r)
            continue
        ref, key = (r.contract, r.line_ref), _key(r)
        if ref in in_file:
            first_row, first_key = in_file[ref]
            if first_key == key:
                result.known += 1
            else:
                problems.append(Problem("monitor_line_ref_twice", {"ref": r.line_ref, "row": first_row},
                                        file=r.source, line=r.row, field="line_ref"))
            continue
        in_file[ref] = (r.row, key)
        if ref in existing:
            line_id, old_key, forgotten = existing[ref]
            if old_key == key or (forgotten and _forgotten_key(old_key) == _forgotten_key(key)):
                result.known += 1
            else:
                problems.append(Problem("monitor_line_ref_conflict", {"ref": r.line_ref, "id": line_id},
                                        file=r.source, line=r.row, field="line_ref"))
            continue
        fresh.append(r)
    return fresh, problems


def _identical(store: Store, import_id: int, contracts: set[str]) -> list[list[int]]:
    """Groups of identical realised lines (same contract, period, block, candidate and facts) with a line of this import."""
    groups: list[list[int]] = []
    for contract_id in sorted(contracts):
        by_key: dict[tuple, list[int]] = defaultdict(list)
        new: set[tuple] = set()
        for row in store.query(f"SELECT {', '.join(_KEY_COLUMNS)}, import_id FROM lines WHERE contract_id = ?"
                               " AND kind = 'realised' ORDER BY id", (contract_id,)):
            key = content_key(row)
            by_key[key].append(row["id"])
            if row["import_id"] == import_id:
                new.add(key)
        groups.extend(ids for key, ids in by_key.items() if key in new and len(ids) > 1)
    return sorted(groups)


def _legacy_import(store: Store, name: str, realisations: list[Realisation]):
    """An import made before the ledger kept files' digests (schema 1) that holds exactly this file's rows.

    Schema 1 kept each line's file name and row; it also merged identical rows into one line, so a
    row may match another line of that import instead of its own."""
    rows = {r.row: _key(r) for r in realisations}
    for imp in store.query("SELECT id, at, file_name, rows_read, digest FROM imports WHERE digest IS NULL AND file_name = ?",
                           (name,)):
        lines = store.query(f"SELECT {', '.join(_KEY_COLUMNS)} FROM lines WHERE import_id = ?", (imp["id"],))
        by_row = {row["source_row"]: (content_key(row), row["forgotten_on"] is not None) for row in lines}
        if set(by_row) <= set(rows) and all(_same(key, by_row.get(row), by_row) for row, key in rows.items()):
            return imp
    return None


def _same(key: tuple, line: tuple | None, by_row: dict) -> bool:
    """Is a file row (key) the schema 1 line of its row number, or (merged) another line of that import?"""
    if line is not None:
        old, gone = line
        return old == key or (gone and _forgotten_key(old) == _forgotten_key(key))
    return any(_same(key, other, {}) for other in by_row.values())
