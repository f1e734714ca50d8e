"""A ledger shared by an SR desk: several processes at once, a process killed mid-import, `migrate`
from a file into PostgreSQL and back, and credentials that never show."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date


from impactkit.errors import ExitCode
from impactkit.monitor import ledger
from impactkit.monitor.store import open_store

from .conftest import EXAMPLES, ROOT
from .monitor_backends import pg_url, require_postgres, spec, with_params  # noqa: F401  (fixtures)

HEADER = "contract,periode,bouwblok,kandidaat,uren_per_week,maanden,bedrag,status,bewijs\n"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def registered(spec):  # noqa: F811
    with open_store(spec, command="test") as s:
        ledger.register(s, EXAMPLES / "tender.yaml", "Aannemer A", date(2024, 1, 1), date(2025, 12, 31))


WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from impactkit.errors import InvalidInputError
    from impactkit.monitor.imports import import_file
    from impactkit.monitor.review import review
    from impactkit.monitor.store import open_store

    spec, n, path, shared, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
    while not go.exists():
        time.sleep(0.01)
    store = open_store(spec, command=f"worker {n}")
    store.os_user = f"adviser-{n}"
    result = import_file(store, path)
    ids = [r["id"] for r in store.query("SELECT l.id FROM lines l JOIN imports i ON l.import_id = i.id"
                                        " WHERE i.file_name = ? ORDER BY l.id", (path.name,))]
    review(store, {i: "accepted" for i in ids[::2]})
    try:
        outcome = "decided" if review(store, {shared: "rejected" if n % 2 else "accepted"}).changed else "same"
    except InvalidInputError:
        outcome = "conflict"
    print(result.new, len(ids), outcome)
""")


def test_eight_processes_importing_and_reviewing_at_once_lose_nothing(spec, tmp_path):  # noqa: F811
    registered(spec)
    shared_file = tmp_path / "shared.csv"
    shared_file.write_text(HEADER + "GEM-2024-017,2024-Q1,ww,S-1,36,3,,ingediend,\n", encoding="utf-8")
    with open_store(spec) as s:
        from impactkit.monitor.imports import import_file

        import_file(s, shared_file)
        shared = s.one("SELECT id FROM lines WHERE candidate = 'S-1'")["id"]
    go = tmp_path / "go"
    procs = []
    for n in range(8):
        path = tmp_path / f"adviser{n}.csv"
        path.write_text(HEADER + "".join(f"GEM-2024-017,2024-Q{1 + n % 4},ww,P{n}-{i},36,1,,ingediend,f{n}\n"
                                         for i in range(25)), encoding="utf-8")
        procs.append(subprocess.Popen([sys.executable, "-c", WORKER, str(spec), str(n), str(path), str(shared), str(go)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, text=True))
    go.touch()
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        new, ids, outcome = out.split()
        assert (new, ids) == ("25", "25")
        outcomes.append(outcome)
    # one decision, never overwritten: the same decision again changes nothing, a contrary one is a conflict
    assert outcomes.count("decided") == 1
    first = outcomes.index("decided") % 2
    assert [o for n, o in enumerate(outcomes) if n % 2 != first] == ["conflict"] * 4
    assert sorted(o for n, o in enumerate(outcomes) if n % 2 == first) == ["decided"] + ["same"] * 3
    with open_store(spec) as s:
        assert s.one("SELECT status FROM lines WHERE id = ?", (shared,))["status"] == ("rejected" if first else "accepted")
        assert s.one("SELECT count(*) AS n FROM lines WHERE kind = 'realised'")["n"] == 8 * 25 + 1
        assert s.one("SELECT count(*) AS n FROM lines WHERE status = 'accepted' AND candidate != 'S-1'")["n"] == 8 * 13
        assert s.one("SELECT count(*) AS n FROM imports")["n"] == 9
        reviews = s.query("SELECT os_user, detail FROM audit WHERE action = 'review'")
        assert len(reviews) == 8 * 13 + 1 and {r["os_user"] for r in reviews} == {f"adviser-{n}" for n in range(8)}


KILLED = textwrap.dedent("""
    import sys, time
    from impactkit.monitor.store import open_store
    store = open_store(sys.argv[1])
    with store.write():
        store.execute("INSERT INTO imports (digest, file_name, rows_read, new_lines, at, os_user) VALUES"
                      " ('x', 'big.csv', 1, 1, 'now', 'me')")
        store.execute("INSERT INTO lines (contract_id, kind, period, block, status) VALUES"
                      " ('GEM-2024-017', 'realised', '2024-Q1', 'ww', 'claimed')")
        print("inside", flush=True)
        time.sleep(600)  # killed here, before COMMIT
""")


def test_a_process_killed_mid_import_leaves_nothing(spec, tmp_path):  # noqa: F811
    registered(spec)
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(spec)], stdout=subprocess.PIPE, env=ENV, text=True)
    assert proc.stdout.readline().strip() == "inside"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    with open_store(spec) as s:
        from impactkit.monitor.imports import import_file

        assert s.one("SELECT count(*) AS n FROM lines WHERE kind = 'realised'")["n"] == 0
        assert s.one("SELECT count(*) AS n FROM imports")["n"] == 0
        started = time.monotonic()
        assert import_file(s, EXAMPLES / "monitor" / "q1.csv").new == 3  # the writer's lock went with it
        assert time.monotonic() - started < 30


def _status_json(invoke, db):
    result = invoke("monitor", "--db", db, "status", "--on", "2024-10-01", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_migrate_round_trips_the_docs_example_ledger(invoke, pg_url, tmp_path):  # noqa: F811
    from tests.docs_examples import run_document

    examples = run_document(ROOT / "docs" / "monitor.md", tmp_path)
    assert all(e.actual_exit == e.expected_exit for e in examples)
    source = tmp_path / "ledger.sqlite"
    before = _status_json(invoke, source)
    assert before and before[0]["contract"] == "GEM-2024-017"
    result = invoke("monitor", "--db", source, "migrate", "--to", pg_url)
    assert result.exit_code == 0 and "verified" in result.stderr, result.output
    assert _status_json(invoke, pg_url) == before
    back = tmp_path / "back.sqlite"
    assert invoke("monitor", "--db", pg_url, "migrate", "--to", back).exit_code == 0
    assert _status_json(invoke, back) == before
    with open_store(source) as a, open_store(back) as b:
        for table in ("lines", "imports", "menus", "contracts"):
            assert [tuple(r) for r in a.query(f"SELECT * FROM {table} ORDER BY 1")] == \
                   [tuple(r) for r in b.query(f"SELECT * FROM {table} ORDER BY 1")], table
        assert b.meta("digest_key") == a.meta("digest_key")
    # the copies recognise files imported before the move, and carry on numbering after the copied lines
    result = invoke("monitor", "--db", pg_url, "import", tmp_path / "examples" / "monitor" / "q1.csv")
    assert result.exit_code == 0 and "nothing added" in result.stderr
    # a target that is not empty is refused, and keeps what it had
    result = invoke("monitor", "--db", source, "migrate", "--to", pg_url)
    assert result.exit_code == ExitCode.OUTPUT and "not empty" in result.stderr
    assert _status_json(invoke, pg_url) == before


def test_credentials_never_show(invoke, pg_url, tmp_path, monkeypatch):  # noqa: F811
    from urllib.parse import urlsplit, urlunsplit

    secret = "s3cr3t-Pw"
    parts = urlsplit(pg_url)
    with_password = urlunsplit((parts.scheme, f"impactkit:{secret}@{parts.netloc.rpartition('@')[2]}", parts.path,
                                parts.query, ""))
    outputs = []

    def run(*args, db=with_password):
        result = invoke("monitor", "--db", db, *args)
        outputs.append(result.output)
        return result

    assert run("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", "2024-01-01",
               "--end", "2025-12-31").exit_code == 0
    assert run("import", EXAMPLES / "monitor" / "q1.csv").exit_code == 0
    assert run("status").exit_code == 0 and run("log").exit_code == 0
    sqlite = tmp_path / "l.sqlite"
    open_store(sqlite).close()  # an empty ledger file
    assert run("migrate", "--to", with_password, db=sqlite).exit_code == ExitCode.OUTPUT  # not empty: says where
    wrong_db = with_params(with_password.replace(parts.path, "/no_such_database"))
    result = run("status", db=wrong_db)
    assert result.exit_code == ExitCode.FILE and "no_such_database" in result.stderr
    monkeypatch.setenv("IMPACTKIT_DB", with_password)
    result = invoke("monitor", "review", "--list")
    outputs.append(result.output)
    assert result.exit_code == 0
    # PGPASSWORD is how a password should travel (libpq reads it; the URL then has none)
    monkeypatch.delenv("IMPACTKIT_DB")
    monkeypatch.setenv("PGPASSWORD", secret)
    assert run("status", db=pg_url).exit_code == 0
    assert not [o for o in outputs if secret in o]
    with open_store(pg_url) as s:
        audit = [dict(r) for r in s.query("SELECT * FROM audit")]
    assert audit and secret not in repr(audit)
    assert {r["db_user"] for r in audit} == {"impactkit"} and all(r["os_user"] for r in audit)
