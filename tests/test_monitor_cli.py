"""`impactkit monitor` as a user types it: the commands, their messages and exit codes, the interactive
review meeting a colleague's decision, the workbook that never replaces the ledger, and what the
audit log records of the command line."""

import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import yaml

from impactkit.errors import ExitCode
from impactkit.monitor import ledger
from impactkit.monitor.imports import import_file
from impactkit.monitor.store import open_store

from .conftest import EXAMPLES, ROOT

HEADER = "contract,periode,bouwblok,kandidaat,uren_per_week,maanden,bedrag,leeftijd,status,bewijs\n"


@pytest.fixture
def db(tmp_path):
    return tmp_path / "cli.sqlite"


def test_cli_life_and_errors(invoke, db, tmp_path):
    def run(*args, **kwargs):
        return invoke("monitor", "--db", db, *args, **kwargs)

    assert run("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", "2024-01-01",
               "--end", "2025-12-31").exit_code == 0
    assert run("init", EXAMPLES / "tender.yaml", "--bid", "Nobody", "--start", "2024-01-01",
               "--end", "2025-12-31").exit_code == ExitCode.UNKNOWN
    result = run("import", EXAMPLES / "monitor" / "q1.csv")
    assert result.exit_code == 0 and "3 new lines" in result.stderr
    result = run("import", EXAMPLES / "monitor" / "q1.csv")
    assert result.exit_code == 0 and "nothing added: this file was imported before (import #1, q1.csv)" in result.stderr
    result = run("review", input="a\nr\ns\n")
    assert result.exit_code == 0 and "2 lines reviewed" in result.stderr
    doc = json.loads(run("status", "GEM-2024-017", "--on", "2024-04-01", "--json").stdout)[0]
    assert doc["periods"][0]["period"] == "2024-Q1" and Decimal(doc["accepted"]) > 0
    book = tmp_path / "portfolio.xlsx"
    result = run("portfolio", "--on", "2024-04-01", "--xlsx", book)
    assert result.exit_code == 0 and "GEM-2024-017" in result.stdout
    wb = openpyxl.load_workbook(book)
    assert wb["Portfolio"]["A2"].value == "GEM-2024-017" and len(wb["Charts"]._charts) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "GEM-1,2024-Q1,ww,K,36,3,,,ingediend,\n", encoding="utf-8")
    result = run("import", bad)
    assert result.exit_code == ExitCode.INVALID and "bad.csv, line 2, field contract: unknown contract" in result.stderr
    assert run("status", "NOPE").exit_code == ExitCode.UNKNOWN
    result = run("review", "--reject", 5)
    assert result.exit_code == ExitCode.INVALID and "line #5 was already accepted by" in result.stderr
    result = invoke("--lang", "nl", "monitor", "--db", db, "review", "--reject", 5)
    assert result.exit_code == ExitCode.INVALID and "regel #5 is al goedgekeurd door" in result.stderr


def test_import_from_a_workbook(db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Contract", "Periode", "Bouwblok", "Kandidaat", "Uren per week", "Maanden", "Status", "Bewijs", "Regel"])
    ws.append(["GEM-2024-017", "2024-Q1", "Banenafspraak", "K-5", 36, "2,5", "goedgekeurd", "contract", 1])
    wb.save(tmp_path / "q1.xlsx")
    with open_store(db) as s:
        ledger.register(s, EXAMPLES / "tender.yaml", "Aannemer A", date(2024, 1, 1), date(2025, 12, 31))
        assert import_file(s, tmp_path / "q1.xlsx", with_status=True).new == 1
        row = s.one("SELECT * FROM lines WHERE kind = 'realised'")
    assert (row["block"], row["status"], row["months_100"], row["line_ref"]) == ("banenafspraak", "accepted", 250, "1")


def test_a_contract_id_with_leading_zeros_stays_text(db, tmp_path, tender_file):
    tender = tender_file([{"block": "participatiewet", "hours_per_week": 36, "months": 12}], id="0123")
    with open_store(db) as s:
        ledger.register(s, tender, "Aannemer A", date(2024, 1, 1), date(2024, 12, 31))
        path = tmp_path / "q.csv"
        path.write_text(HEADER + "0123,2024-Q1,ww,K-1,36,3,,,ingediend,\n", encoding="utf-8")
        assert import_file(s, path).new == 1


def test_the_interactive_review_meets_a_colleagues_decision(invoke, db, monkeypatch):
    with open_store(db) as s:
        ledger.register(s, EXAMPLES / "tender.yaml", "Aannemer A", date(2024, 1, 1), date(2025, 12, 31))
        import_file(s, EXAMPLES / "monitor" / "q1.csv")
    from impactkit.cli import interview_prompts

    real_prompt, asked = interview_prompts.prompt, []

    def prompt(*args, **kwargs):
        asked.append(1)
        if len(asked) == 1:  # while the adviser thinks about the first claim, a colleague rejects it
            with open_store(db, command="colleague") as colleague:
                colleague.os_user = "bram"
                from impactkit.monitor.review import review

                review(colleague, {5: "rejected"})
        return real_prompt(*args, **kwargs)

    monkeypatch.setattr(interview_prompts, "prompt", prompt)
    result = invoke("monitor", "--db", db, "review", input="a\na\na\n")
    assert result.exit_code == ExitCode.INVALID
    assert "line #5 was already rejected by bram" in result.stderr and "2 lines reviewed" in result.stderr
    with open_store(db) as s:
        assert [r["status"] for r in s.query("SELECT status FROM lines WHERE kind = 'realised' ORDER BY id")] == [
            "rejected", "accepted", "accepted"]


def test_the_workbook_never_replaces_the_ledger_and_leaves_nothing_on_ctrl_c(invoke, db, tmp_path, monkeypatch):
    with open_store(db) as s:
        ledger.register(s, EXAMPLES / "tender.yaml", "Aannemer A", date(2024, 1, 1), date(2025, 12, 31))
    before = db.read_bytes()
    result = invoke("monitor", "--db", db, "portfolio", "--xlsx", db)
    assert result.exit_code == ExitCode.OUTPUT and db.read_bytes() == before
    from openpyxl import Workbook

    def interrupted(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"PK half a workbook")
        raise KeyboardInterrupt

    monkeypatch.setattr(Workbook, "save", interrupted)
    out = tmp_path / "out"
    out.mkdir()
    result = invoke("monitor", "--db", db, "portfolio", "--xlsx", out / "p.xlsx")
    assert result.exit_code == 130 and list(out.iterdir()) == []


def test_the_audit_log_names_the_command_without_secrets(invoke, db, tmp_path):
    assert invoke("monitor", "--db", db, "init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start",
                  "2024-01-01", "--end", "2025-12-31").exit_code == 0
    assert invoke("monitor", "--db", db, "import", EXAMPLES / "monitor" / "q1.csv").exit_code == 0
    assert invoke("monitor", "--db", db, "forget", "K-002").exit_code == 0
    copy = tmp_path / "copy.sqlite"
    assert invoke("monitor", "--db", db, "migrate", "--to", copy).exit_code == 0
    result = invoke("monitor", "--db", copy, "log", "--last", "3")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3 and "K-002" not in result.stdout
    assert "forget (lines 2, contracts 1) — impactkit monitor forget (reference not logged)" in lines[1]
    assert lines[2].endswith(f"impactkit monitor migrate --to {copy}")
    with open_store(copy) as s:
        assert s.one("SELECT command FROM audit WHERE action = 'import'")["command"] == \
            f"impactkit monitor import {EXAMPLES / 'monitor' / 'q1.csv'}"


def test_the_url_of_a_ledger_is_shown_without_its_password():
    from impactkit.monitor.dbspec import redact, scrub

    url = "postgresql://anna:p%40ss-w0rd@db.example.nl:5432/srdesk?sslmode=require&password=other-secret"
    shown = redact(url)
    assert shown == "postgresql://anna@db.example.nl:5432/srdesk?sslmode=require&password=%2A%2A%2A"
    message = scrub(f"could not connect with {url} (password p%40ss-w0rd, other-secret)", url)
    assert "w0rd" not in message and "other-secret" not in message and "anna@db.example.nl" in message
    assert redact(ROOT / "ledger.sqlite") == str(ROOT / "ledger.sqlite")


ONE_OFF_MENU_EDIT = ("    when: {flag: hired_after_internship}\n", "    when: {flag: hired_after_internship}\n    one_off: true\n")


def test_a_one_off_bonus_counts_once_over_the_contract(db, tmp_path):
    menu_text = (ROOT / "blocks" / "haaglanden-zhc@2023-07.yaml").read_text(encoding="utf-8")
    assert ONE_OFF_MENU_EDIT[0] in menu_text
    (tmp_path / "menu.yaml").write_text(menu_text.replace(*ONE_OFF_MENU_EDIT), encoding="utf-8")
    tender = tmp_path / "tender.yaml"
    tender.write_text(yaml.safe_dump({"tender": {"id": "T-9", "menu": "./menu.yaml", "contract_value": 1000000},
                                      "bids": [{"bidder": "B", "contributions": []}]}), encoding="utf-8")
    quarters = tmp_path / "q.csv"
    quarters.write_text("contract,periode,bouwblok,kandidaat,uren_per_week,maanden,in_dienst_na_stage,status\n" + "".join(
        f"T-9,2024-Q{q},nug,K-1,36,3,ja,goedgekeurd\n" for q in (1, 2, 3, 4)), encoding="utf-8")
    plain = tmp_path / "plain.csv"
    plain.write_text(quarters.read_text(encoding="utf-8").replace(",ja,", ",nee,"), encoding="utf-8")
    with open_store(db) as s:
        ledger.register(s, tender, "B", date(2024, 1, 1), date(2024, 12, 31))
        import_file(s, quarters, with_status=True)
        with_bonus = ledger.status(s, "T-9").accepted
    with open_store(tmp_path / "plain.sqlite") as s:
        ledger.register(s, tender, "B", date(2024, 1, 1), date(2024, 12, 31))
        import_file(s, plain, with_status=True)
        without = ledger.status(s, "T-9").accepted
    assert with_bonus - without == 25000  # the bonus of the menu, once for K-1 and nug over the four quarters


def test_a_large_portfolio_prints_one_row_per_contract(invoke, tmp_path, monkeypatch):
    from impactkit.cli import monitor_render

    monkeypatch.setattr(monitor_render, "COMPACT_AFTER", 0)
    ledger = tmp_path / "L.sqlite"
    tender = EXAMPLES / "tender.yaml"
    assert invoke("monitor", "--db", ledger, "init", tender, "--bid", "Aannemer A", "--start", "2024-01-01",
                  "--end", "2025-12-31").exit_code == 0
    result = invoke("monitor", "--db", ledger, "portfolio", "--on", "2024-06-30")
    assert result.exit_code == 0 and "┃" not in result.stdout
    row = next(r for r in result.stdout.splitlines() if r.startswith("GEM-2024-017"))
    assert "Aannemer A" in row and "€24,000.00" in row and "2025-12-31" in row


def test_a_second_contract_from_one_tender_gets_its_own_id(invoke, db, tmp_path):
    """A tester registering the second awarded bidder of a tender got only "already registered"."""
    tender = EXAMPLES / "tender.yaml"
    dates = ("--start", "2024-01-01", "--end", "2025-12-31")
    assert invoke("monitor", "--db", db, "init", tender, "--bid", "Aannemer A", *dates).exit_code == 0
    again = invoke("monitor", "--db", db, "init", tender, "--bid", "Groen & Co", *dates)
    assert again.exit_code == ExitCode.INVALID and "--id GEM-2024-017-2" in again.stderr
    assert invoke("monitor", "--db", db, "init", tender, "--bid", "Groen & Co", *dates, "--id", "GEM-2024-017-2").exit_code == 0
    with open_store(db) as store:
        rows = {r["id"]: r["bidder"] for r in store.query("SELECT id, bidder FROM contracts")}
    assert rows == {"GEM-2024-017": "Aannemer A", "GEM-2024-017-2": "Groen & Co"}
    status = invoke("monitor", "--db", db, "status", "GEM-2024-017-2")
    assert status.exit_code == 0 and "Groen & Co" in status.stdout
    bad = invoke("monitor", "--db", db, "init", tender, "--bid", "Groen & Co", *dates, "--id", " ")
    assert bad.exit_code == ExitCode.USAGE and "--id" in bad.output


@pytest.mark.parametrize("lang, words", [("en", "if the contract had ended on 2024-06-30"),
                                         ("nl", "als het contract op 2024-06-30 was geëindigd")])
def test_status_on_a_date_says_what_would_have_been_withheld_then(invoke, db, lang, words):
    dates = ("--start", "2024-01-01", "--end", "2025-12-31")
    assert invoke("monitor", "--db", db, "init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", *dates).exit_code == 0
    result = invoke("--lang", lang, "monitor", "--db", db, "status", "GEM-2024-017", "--on", "2024-06-30")
    assert result.exit_code == 0 and words in result.stdout.replace("\n", " ")
    today = invoke("monitor", "--db", db, "status", "GEM-2024-017")
    assert "if the contract ended today" in today.stdout.replace("\n", " ")
