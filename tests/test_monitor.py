"""`impactkit monitor`: the life of a contract, imports that are all or nothing, concurrency,
crashes, migrations and forgetting a candidate."""

import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal

import pytest

from impactkit.engine.stack import evaluate_bid, tender_terms
from impactkit.errors import ExitCode, InvalidInputError
from impactkit.monitor import ledger
from impactkit.monitor.store import SCHEMA_VERSION, Store
from impactkit.model.tender import Bid, Contribution

from .conftest import EXAMPLES

HEADER = "contract,periode,bouwblok,kandidaat,uren_per_week,maanden,bedrag,leeftijd,status,bewijs\n"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "ledger.sqlite", command="test")
    ledger.register(s, EXAMPLES / "tender.yaml", "Aannemer A", date(2024, 1, 1), date(2025, 12, 31))
    yield s
    s.close()


def write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def claimed_ids(store):
    return [r["id"] for r in ledger.claimed_lines(store)]


def test_the_life_of_a_contract(store, tmp_path):
    obligation = ledger.load_contract(store, "GEM-2024-017").obligation
    assert obligation == Decimal("24000.00")
    q1 = write(tmp_path, "q1.csv", ["GEM-2024-017,2024-Q1,participatiewet,K-001,24,3,,56,ingediend,loonstrook",
                                    "GEM-2024-017,2024-Q1,ww,K-009,36,3,,,ingediend,"])
    assert ledger.import_file(store, q1) == (2, 0)
    first, second = claimed_ids(store)
    ledger.review(store, {first: "accepted", second: "rejected"})
    q2 = write(tmp_path, "q2.csv", ["GEM-2024-017,2024-Q2,participatiewet,K-001,24,3,,56,ingediend,loonstrook"])
    ledger.import_file(store, q2)
    ledger.review(store, {i: "accepted" for i in claimed_ids(store)})
    q3 = tmp_path / "q3.yaml"
    q3.write_text("realisations:\n  - {contract: GEM-2024-017, period: 2024-Q3, block: participatiewet, "
                  "candidate: K-001, hours_per_week: 24, months: 3, age: 56}\n", encoding="utf-8")
    ledger.import_file(store, q3)

    mid = ledger.status(store, "GEM-2024-017", date(2024, 10, 1))
    assert [p.period for p in mid.periods] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    # the same valuation as check: three quarters of 24 h with the 55+ bonus, capped at 24 months
    contract = ledger.load_contract(store, "GEM-2024-017")
    quarter = Contribution(block="participatiewet", candidate="K-001", hours_per_week=24, months=3, age=56)
    terms = tender_terms(contract.tender_file(), contract.menu)

    def credited(n):
        bid = Bid(bidder="A", contributions=(quarter,) * n)
        return evaluate_bid(bid, contract.tender_file(), contract.menu, terms).credited

    assert mid.accepted == credited(2)
    assert mid.claimed == credited(3) - credited(2)
    assert mid.planned == Decimal("118166.67")
    assert mid.projected == (mid.accepted / mid.elapsed).quantize(Decimal("0.01"))
    assert mid.projected > obligation and mid.risk == "on_track"
    assert mid.planned_to_date == (mid.planned * mid.elapsed).quantize(Decimal("0.01"))
    # later, at the same pace, the projection falls short of the obligation
    late = ledger.status(store, "GEM-2024-017", date(2025, 6, 30))
    assert late.projected < obligation and late.risk == "at_risk"
    # the final check on the end date, the Q3 claim still not accepted: the rest is withheld
    final = ledger.status(store, "GEM-2024-017", date(2025, 12, 31))
    assert final.elapsed == 1 and final.risk in ("at_risk", "high_risk")
    assert final.withheld_if_ended == obligation - mid.accepted
    # the audit log says who did what with which command
    actions = [r["action"] for r in store.db.execute("SELECT action FROM audit ORDER BY id")]
    assert actions[0] == "init" and actions.count("import") == 3 and "review" in actions
    assert {r["command"] for r in store.db.execute("SELECT command FROM audit")} == {"test"}


def test_import_is_all_or_nothing_and_lists_every_bad_row(store, tmp_path):
    path = write(tmp_path, "bad.csv", [
        "GEM-2024-017,2024-Q1,participatiewet,K-1,24,3,,,ingediend,",
        "GEM-9999,2024-Q1,participatiewet,K-1,24,3,,,ingediend,",
        "GEM-2024-017,2024-Q5,ww,K-2,36,3,,,ingediend,",
        "GEM-2024-017,2024-Q1,ww,K-2,70,3,,,ingediend,",
        "GEM-2024-017,2024-Q1,ww,K-2,36,,,,ingediend,",
        "GEM-2024-017,2024-Q1,ww,K-2,36,3,,,misschien,",
    ])
    before = store.db.execute("SELECT COUNT(*) FROM lines").fetchone()[0]
    with pytest.raises(InvalidInputError) as err:
        ledger.import_file(store, path)
    found = [(p.line, p.field, p.key) for p in err.value.problems]
    assert found == [(3, "contract", "monitor_contract_unknown"), (4, "period", "monitor_period"),
                     (5, "hours_per_week", "value_max"), (6, "months", "fact_missing"),
                     (7, "status", "monitor_status")]
    assert store.db.execute("SELECT COUNT(*) FROM lines").fetchone()[0] == before


def test_reimport_does_not_double_count(store, tmp_path):
    path = write(tmp_path, "q1.csv", ["GEM-2024-017,2024-Q1,participatiewet,K-1,24,3,,,ingediend,"])
    assert ledger.import_file(store, path) == (1, 0)
    assert ledger.import_file(store, path) == (0, 1)
    assert len(claimed_ids(store)) == 1


def test_a_crash_mid_import_leaves_the_ledger_as_it_was(store, tmp_path, monkeypatch):
    path = write(tmp_path, "q1.csv", [f"GEM-2024-017,2024-Q1,ww,K-{i},36,1,,,ingediend," for i in range(5)])
    before = store.db.execute("SELECT COUNT(*) FROM lines").fetchone()[0]
    real, calls = ledger._insert, []

    def crash_after_two(*args):
        calls.append(1)
        if len(calls) > 2:
            raise RuntimeError("power failure")
        return real(*args)

    monkeypatch.setattr(ledger, "_insert", crash_after_two)
    with pytest.raises(RuntimeError):
        ledger.import_file(store, path)
    assert store.db.execute("SELECT COUNT(*) FROM lines").fetchone()[0] == before


def test_a_killed_process_leaves_no_half_import(store, tmp_path):
    code = textwrap.dedent(f"""
        import os
        from impactkit.monitor.store import Store
        s = Store({str(store.path)!r})
        s.db.execute("BEGIN IMMEDIATE")
        s.db.execute("INSERT INTO lines (contract_id, kind, period, block, facts, status, fingerprint) "
                     "VALUES ('GEM-2024-017', 'realised', '2024-Q1', 'ww', '{{}}', 'claimed', 'x')")
        os._exit(9)  # killed before COMMIT
    """)
    before = store.db.execute("SELECT COUNT(*) FROM lines").fetchone()[0]
    assert subprocess.run([sys.executable, "-c", code]).returncode == 9
    assert store.db.execute("SELECT COUNT(*) FROM lines").fetchone()[0] == before
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_processes_importing_at_once(store, tmp_path):
    files = [write(tmp_path, f"p{n}.csv", [f"GEM-2024-017,2024-Q{n},ww,P{n}-{i},36,1,,,ingediend,"
                                           for i in range(200)]) for n in (1, 2)]
    procs = [subprocess.Popen([sys.executable, "-m", "impactkit", "monitor", "--db", str(store.path), "import", str(f)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for f in files]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    assert len(claimed_ids(store)) == 400
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_migrations_from_an_empty_database(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    s = Store(empty)
    assert s.version() == SCHEMA_VERSION
    tables = {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"contracts", "lines", "audit"} <= tables
    assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    s.close()
    again = Store(empty)  # opening again migrates nothing and keeps the data
    assert again.version() == SCHEMA_VERSION
    again.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    again.close()
    with pytest.raises(Exception) as err:
        Store(empty)
    assert err.value.problems[0].key == "monitor_db_newer"


def test_foreign_keys_hold(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("INSERT INTO lines (contract_id, kind, block, facts, status, fingerprint) "
                         "VALUES ('nope', 'realised', 'ww', '{}', 'claimed', 'y')")


def test_forget_keeps_the_accepted_credit(store, tmp_path):
    path = write(tmp_path, "q1.csv", ["GEM-2024-017,2024-Q1,participatiewet,K-77,24,6,,58,ingediend,loonstrook"])
    ledger.import_file(store, path)
    ledger.review(store, {i: "accepted" for i in claimed_ids(store)})
    before = ledger.status(store, "GEM-2024-017", date(2024, 7, 1)).accepted
    assert ledger.forget(store, "K-77") == 1
    rows = store.db.execute("SELECT candidate, facts FROM lines WHERE kind = 'realised'").fetchall()
    assert all(r["candidate"] != "K-77" and "age" not in json.loads(r["facts"]) for r in rows)
    assert "K-77" not in json.dumps([dict(r) for r in store.db.execute("SELECT * FROM audit")])
    assert ledger.status(store, "GEM-2024-017", date(2024, 7, 1)).accepted == before == Decimal("16666.67")


def test_cli_life_and_errors(invoke, tmp_path):
    db = tmp_path / "cli.sqlite"
    def run(*args, **kwargs):
        return invoke("monitor", "--db", db, *args, **kwargs)

    assert run("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", "2024-01-01",
               "--end", "2025-12-31").exit_code == 0
    assert run("init", EXAMPLES / "tender.yaml", "--bid", "Nobody", "--start", "2024-01-01",
               "--end", "2025-12-31").exit_code == ExitCode.UNKNOWN
    result = run("import", EXAMPLES / "monitor" / "q1.csv")
    assert result.exit_code == 0 and "3 new line(s)" in result.stderr
    assert "0 new line(s) imported; 3 already" in run("import", EXAMPLES / "monitor" / "q1.csv").stderr
    result = run("review", input="a\nr\ns\n")
    assert result.exit_code == 0 and "2 line(s) reviewed" in result.stderr
    doc = json.loads(run("status", "GEM-2024-017", "--on", "2024-04-01", "--json").stdout)[0]
    assert doc["periods"][0]["period"] == "2024-Q1" and Decimal(doc["accepted"]) > 0
    book = tmp_path / "portfolio.xlsx"
    result = run("portfolio", "--on", "2024-04-01", "--xlsx", book)
    assert result.exit_code == 0 and "GEM-2024-017" in result.stdout
    import openpyxl

    wb = openpyxl.load_workbook(book)
    assert wb["Portfolio"]["A2"].value == "GEM-2024-017" and len(wb["Charts"]._charts) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "GEM-1,2024-Q1,ww,K,36,3,,,ingediend,\n", encoding="utf-8")
    result = run("import", bad)
    assert result.exit_code == ExitCode.INVALID and "bad.csv, line 2, field contract: unknown contract" in result.stderr
    assert run("status", "NOPE").exit_code == ExitCode.UNKNOWN


def test_import_from_a_workbook(store, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Contract", "Periode", "Bouwblok", "Kandidaat", "Uren per week", "Maanden", "Status", "Bewijs"])
    ws.append(["GEM-2024-017", "2024-Q1", "Banenafspraak", "K-5", 36, "2,5", "goedgekeurd", "contract"])
    wb.save(tmp_path / "q1.xlsx")
    assert ledger.import_file(store, tmp_path / "q1.xlsx") == (1, 0)
    row = store.db.execute("SELECT * FROM lines WHERE kind = 'realised'").fetchone()
    assert (row["block"], row["status"], json.loads(row["facts"])["months"]) == ("banenafspraak", "accepted", "2.50")


def test_an_empty_ledger_says_so(invoke, tmp_path):
    result = invoke("monitor", "--db", tmp_path / "new.sqlite", "status")
    assert result.exit_code == 0 and "has no contracts yet" in result.stderr
