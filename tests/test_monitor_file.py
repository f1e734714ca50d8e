"""The ledger as a SQLite file: damaged, foreign, read-only or newer ledgers get documented errors;
a schema 1 ledger is upgraded; forget leaves the reference nowhere in the file or its WAL."""

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import stat
from datetime import date

import pytest

from impactkit.errors import ExitCode
from impactkit.monitor import ledger
from impactkit.monitor.forget import forget
from impactkit.monitor.imports import import_file
from impactkit.monitor.review import claimed_lines, review
from impactkit.monitor.schema import SCHEMA_VERSION, V1
from impactkit.monitor.store import open_store

from .conftest import EXAMPLES

HEADER = "contract,periode,bouwblok,kandidaat,uren_per_week,maanden,bedrag,leeftijd,status,bewijs\n"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "ledger.sqlite"
    with open_store(path) as s:
        ledger.register(s, EXAMPLES / "tender.yaml", "Aannemer A", date(2024, 1, 1), date(2025, 12, 31))
        import_file(s, EXAMPLES / "monitor" / "q1.csv")
    return path


def monitor(invoke, db, *args, **kwargs):
    return invoke("monitor", "--db", db, *args, **kwargs)


def test_damaged_ledgers_are_refused_with_exit_4(invoke, db, tmp_path):
    data = db.read_bytes()
    cases = {
        "truncated.sqlite": data[: len(data) // 3],
        "garbage.sqlite": os.urandom(8192),
        "header-then-garbage.sqlite": data[:100] + os.urandom(len(data) - 100),
        "text.sqlite": b"contract,periode\nGEM,2024-Q1\n",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        for args in (("status",), ("portfolio",), ("import", EXAMPLES / "monitor" / "q2.csv"), ("review", "--list"),
                     ("log",)):
            result = monitor(invoke, path, *args)
            assert result.exit_code == ExitCode.INVALID, (name, args, result.output)
            assert "not an impactkit ledger, or a damaged one" in result.stderr and "Traceback" not in result.output
        assert path.read_bytes() == content, name  # never changed, not even its journal mode


def test_a_ledger_without_its_digest_key_is_refused_as_damaged(invoke, db):
    """The key that recognises a file imported before is made with the ledger; a ledger that lost
    it (edited by hand) used to end `import` with exit 70 (a TypeError), now it is a damaged ledger."""
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM ledger_meta WHERE key = 'digest_key'")
    conn.close()
    for lang, words in (("en", "a damaged impactkit ledger: the key that recognises files imported before"),
                        ("nl", "een beschadigd impactkit-register: de sleutel")):
        result = invoke("--lang", lang, "monitor", "--db", db, "import", EXAMPLES / "monitor" / "q2.csv")
        assert result.exit_code == ExitCode.INVALID, result.output
        assert words in result.stderr and "digest_key" not in result.stderr and "Traceback" not in result.output
    with open_store(db) as s:  # nothing was imported
        assert [r["file_name"] for r in s.query("SELECT file_name FROM imports")] == ["q1.csv"]
    copy = db.parent / "copy.sqlite"  # nor is it copied: a copy without the key would not recognise a re-import
    result = invoke("monitor", "--db", db, "migrate", "--to", copy)
    assert result.exit_code == ExitCode.INVALID and "key that recognises" in result.stderr, result.output
    assert not copy.exists()  # the file it created is gone again


def test_a_database_that_is_not_a_ledger_is_left_alone(invoke, tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    before = other.read_bytes()
    result = monitor(invoke, other, "import", EXAMPLES / "monitor" / "q1.csv")
    assert result.exit_code == ExitCode.INVALID and "customers" in result.stderr
    assert other.read_bytes() == before


def test_a_folder_or_unreadable_path_is_exit_3(invoke, db, tmp_path):
    assert monitor(invoke, tmp_path, "status").exit_code == ExitCode.FILE
    result = monitor(invoke, db, "import", tmp_path / "missing.csv")
    assert result.exit_code == ExitCode.FILE and "missing.csv" in result.stderr
    assert monitor(invoke, db, "import", tmp_path).exit_code == ExitCode.FILE


def test_import_of_a_file_without_known_columns_is_exit_4(invoke, db, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("naam,adres\nJan,Straat 1\n", encoding="utf-8")
    result = monitor(invoke, db, "import", odd)
    assert result.exit_code == ExitCode.INVALID and "contract, periode, bouwblok" in result.stderr
    partial = tmp_path / "partial.csv"
    partial.write_text("contract,bedrag\nGEM-2024-017,450\n", encoding="utf-8")
    result = monitor(invoke, db, "import", partial)
    assert result.exit_code == ExitCode.INVALID and "periode, bouwblok" in result.stderr


def _read_only(path):
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH | (stat.S_IXUSR if path.is_dir() else 0))


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_ledger_still_answers(invoke, db, tmp_path, what):
    with open_store(db) as s:
        s.scrub()  # everything in the file itself
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "ledger.sqlite"
    shutil.copy(db, path)
    _read_only(path if what == "file" else folder)
    try:
        before = sorted(p.name for p in folder.iterdir()), path.read_bytes()
        status = monitor(invoke, path, "status", "--on", "2024-04-01", "--json")
        assert status.exit_code == 0, status.output
        assert json.loads(status.stdout)[0]["contract"] == "GEM-2024-017"
        assert monitor(invoke, path, "portfolio", "--on", "2024-04-01").exit_code == 0
        assert monitor(invoke, path, "review", "--list").exit_code == 0
        result = monitor(invoke, path, "import", EXAMPLES / "monitor" / "q2.csv")
        assert result.exit_code == ExitCode.OUTPUT and "read-only" in result.stderr
        assert monitor(invoke, path, "forget", "K-001").exit_code == ExitCode.OUTPUT
        # the ledger is unchanged (in a writable folder SQLite may add its shared-memory files beside it)
        after = sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))), path.read_bytes()
        assert after == before
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_a_newer_ledger_is_refused_before_anything_changes(invoke, tmp_path):
    path = tmp_path / "newer.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    for args in (("status",), ("import", EXAMPLES / "monitor" / "q1.csv")):
        result = monitor(invoke, path, *args)
        assert result.exit_code == ExitCode.FILE and "update impactkit" in result.stderr
    assert path.read_bytes() == before
    assert not (tmp_path / "newer.sqlite-wal").exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_status_of_a_missing_ledger_creates_nothing(invoke, tmp_path):
    result = monitor(invoke, tmp_path / "new.sqlite", "status")
    assert result.exit_code == ExitCode.FILE and f"no ledger at {tmp_path / 'new.sqlite'}" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _v1_ledger(path, tender_yaml):
    """A ledger as impactkit wrote it before schema 2 (fingerprints, facts as JSON, merged rows)."""
    conn = sqlite3.connect(path)
    conn.executescript(V1)
    conn.execute("INSERT INTO contracts VALUES ('GEM-2024-017', 'Aannemer A', NULL, NULL, 'haaglanden-zhc@2023-07', ?,"
                 " '{}', '500000.00', '24000.00', '2024-01-01', '2025-12-31', '2024-01-01')", (tender_yaml,))
    lines = [
        ("planned", None, "participatiewet", "K-001", {"hours_per_week": "24.00", "months": "12.00", "age": 56},
         "planned", None, "tender.yaml", None),
        ("realised", "2024-Q1", "participatiewet", "K-001", {"hours_per_week": "24.00", "months": "3.00", "age": 56},
         "accepted", "loonstrook", "q1.csv:2", None),
        ("realised", "2024-Q1", "opleidingskosten", None, {"amount": "450.00"}, "claimed", "factuur", "q1.csv:3", None),
        # K-003 was forgotten under schema 1: a token, no age, but the evidence and flags stayed
        ("realised", "2024-Q1", "banenafspraak", "forgotten-1a2b3c4d", {"hours_per_week": "36.00", "months": "3.00",
                                                                         "permanent_contract": True},
         "accepted", "loonstrook Piet Puk", "q1.csv:5", "4500.00"),
    ]
    for n, (kind, period, block, candidate, facts, status, evidence, source, frozen) in enumerate(lines, start=1):
        fingerprint = hashlib.sha256(f"fp-{n}".encode()).hexdigest()[:32]
        conn.execute("INSERT INTO lines (contract_id, kind, period, block, candidate, facts, status, evidence, source,"
                     " fingerprint, frozen_credit) VALUES ('GEM-2024-017', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (kind, period, block, candidate, json.dumps(facts), status, evidence, source, fingerprint, frozen))
    conn.execute("INSERT INTO audit (at, user, command, action, detail) VALUES ('2024-05-01', 'anna',"
                 " 'impactkit monitor forget K-003', 'forget', '{\"lines\": 1}')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    return [hashlib.sha256(f"fp-{n}".encode()).hexdigest()[:32] for n in range(1, 5)]


def test_a_schema_1_ledger_is_upgraded(tmp_path):
    from impactkit.menus.registry import resolve_menu, shipped_text

    path = tmp_path / "old.sqlite"
    fingerprints = _v1_ledger(path, shipped_text(resolve_menu("haaglanden-zhc@2023-07").menu))
    with open_store(path) as s:
        assert s.version() == SCHEMA_VERSION
        rows = s.query("SELECT * FROM lines ORDER BY id")
        assert [r["id"] for r in rows] == [1, 2, 3, 4]
        assert (rows[1]["hours_per_week_100"], rows[1]["months_100"], rows[1]["age"]) == (2400, 300, 56)
        assert rows[2]["amount_100"] == 45000 and rows[3]["frozen_credit_cents"] == 450000
        # the person forgotten under schema 1 loses the evidence and flags too
        assert rows[3]["evidence"] is None and rows[3]["permanent_contract"] == 0 and rows[3]["forgotten_on"]
        audit = s.query("SELECT * FROM audit ORDER BY id")
        assert "K-003" not in repr([dict(r) for r in audit]) and audit[0]["os_user"] == "anna"
        assert audit[-1]["action"] == "migrate"
        st = ledger.status(s, "GEM-2024-017", date(2024, 4, 1))
        assert st.accepted > 4500 and st.claimed == 450
        # the same schema as a new ledger
        with open_store(tmp_path / "fresh.sqlite") as fresh:
            def shape(store):
                tables = store.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE"
                                     " 'sqlite_%' ORDER BY name")
                return {t["name"]: [tuple(c) for c in store.query(f"PRAGMA index_info({t['name']})")]
                        or [tuple(c) for c in store.query(f"PRAGMA table_info({t['name']})")] for t in tables}
            assert shape(s) == shape(fresh)
    data = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                                if path.with_name(path.name + "-wal").exists() else b"")
    assert not any(fp.encode() in data for fp in fingerprints)
    assert b"Piet Puk" not in data


def test_a_file_imported_under_schema_1_is_still_recognised(tmp_path):
    from impactkit.menus.registry import resolve_menu, shipped_text

    path = tmp_path / "old.sqlite"
    _v1_ledger(path, shipped_text(resolve_menu("haaglanden-zhc@2023-07").menu))
    q1 = tmp_path / "q1.csv"
    q1.write_text(HEADER + "GEM-2024-017,2024-Q1,participatiewet,K-001,24,3,,56,goedgekeurd,loonstrook\n"
                  "GEM-2024-017,2024-Q1,opleidingskosten,,,,450,,ingediend,factuur\n"
                  "GEM-2024-017,2024-Q1,opleidingskosten,,,,450,,ingediend,factuur\n"  # merged into one by schema 1
                  "GEM-2024-017,2024-Q1,banenafspraak,K-003,36,3,,,goedgekeurd,loonstrook Piet Puk\n", encoding="utf-8")
    with open_store(path) as s:
        assert import_file(s, q1).same_file is not None
        assert import_file(s, q1).same_file is not None  # now by its digest
        assert s.one("SELECT count(*) AS n FROM lines")["n"] == 4


def test_forget_leaves_the_reference_in_no_byte_and_no_fingerprint(db, tmp_path):
    path = tmp_path / "q2.csv"
    path.write_text(HEADER + "GEM-2024-017,2024-Q2,participatiewet,K-001,24,3,,56,ingediend,loonstrook Jan Jansen\n",
                    encoding="utf-8")
    other = sqlite3.connect(db)  # another program with the ledger open (idle)
    other.execute("SELECT count(*) FROM lines").fetchone()
    with open_store(db, command="test") as s:
        import_file(s, path)
        review(s, {c.row["id"]: "accepted" for c in claimed_lines(s)})
        accepted = ledger.status(s, "GEM-2024-017").accepted
    with open_store(db, command="impactkit monitor forget K-001") as s:  # even a careless caller's command line
        assert forget(s, "K-001").scrubbed
        assert ledger.status(s, "GEM-2024-017").accepted == accepted
        stored = [dict(r) for r in s.query("SELECT * FROM lines")] + [dict(r) for r in s.query("SELECT * FROM imports")]
        key = bytes.fromhex(s.meta("digest_key"))
    other.close()
    wal = db.with_name(db.name + "-wal")
    data = db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    for secret in (b"K-001", b"Jan Jansen", b"loonstrook jan-mrt"):
        assert secret not in data, secret
    # no stored value can be recomputed from guessable data: reference x age, plain or keyed
    values = {str(v) for row in stored for v in row.values() if v is not None}
    guesses = set()
    for n in range(1000):
        for age in range(15, 101):
            for text in (f"K-{n:03d}", f"K-{n:03d}{age}", f"K-{n:03d}|{age}", json.dumps([f"K-{n:03d}", age])):
                digest = hashlib.sha256(text.encode()).hexdigest()
                guesses.update((digest, digest[:32], hmac.new(key, text.encode(), hashlib.sha256).hexdigest()))
    assert not values & guesses
    log = sqlite3.connect(db).execute("SELECT group_concat(command || detail) FROM audit WHERE action = 'forget'")
    text = log.fetchone()[0]
    assert "K-001" not in text and "reference not logged" in text


def test_files_that_cannot_be_read_are_exit_3(invoke, db, tmp_path, monkeypatch):
    # as root every file can be read, so a refusal by the system is simulated where it happens
    import pathlib

    from impactkit.monitor import store as store_module

    real_access = os.access
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: False if mode == os.R_OK else real_access(p, mode))
    result = monitor(invoke, db, "status")
    assert result.exit_code == ExitCode.FILE and "permission denied" in result.stderr
    monkeypatch.undo()

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pathlib.Path, "read_bytes", denied)
    result = monitor(invoke, db, "import", EXAMPLES / "monitor" / "q2.csv")
    assert result.exit_code == ExitCode.FILE and "q2.csv" in result.stderr and "Permission denied" in result.stderr


def test_an_empty_read_only_file_is_an_empty_ledger(invoke, tmp_path):
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    _read_only(path)
    try:
        result = monitor(invoke, path, "status")
        assert result.exit_code == 0 and "has no contracts yet" in result.stderr
        assert monitor(invoke, path, "import", EXAMPLES / "monitor" / "q1.csv").exit_code == ExitCode.OUTPUT
        assert path.read_bytes() == b""
    finally:
        path.chmod(0o644)
