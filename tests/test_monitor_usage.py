"""`impactkit monitor` as a user tester found it, on both backends where the ledger matters:
contradictory review options, the same decision given twice, a period that only partly overlaps
the contract, `status --on` a date before later periods, a ledger path that does not exist, and
the width of the interactive review when its output goes to a pipe."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from impactkit.errors import ExitCode
from impactkit.monitor.periods import parse_period
from impactkit.monitor.review import review
from impactkit.monitor.store import open_store

from .conftest import EXAMPLES
from .monitor_backends import spec  # noqa: F401  (fixture)
from .monitor_files import CONTRACT, HEADER, csv_file, init, monitor, realised  # noqa: F401  (monitor: a fixture)

def lines(spec):  # noqa: F811
    return realised(spec, "id, period, status, reviewed_by, reviewed_at")


def audit_count(spec):  # noqa: F811
    with open_store(spec) as s:
        return s.one("SELECT count(*) AS n FROM audit")["n"]


def claims(monitor, spec, tmp_path, count=3):  # noqa: F811
    """A registered contract with `count` claimed lines; their ids."""
    init(monitor)
    rows = [f"{CONTRACT},2024-Q1,opleidingskosten,,,,{100 * (i + 1)},,factuur {i}" for i in range(count)]
    assert monitor("import", csv_file(tmp_path, "q1.csv", rows)).exit_code == 0
    return [r["id"] for r in lines(spec)]


# 1. contradictory options ------------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [("en", "cannot be both accepted and rejected"),
                                         ("nl", "kunnen niet tegelijk goedgekeurd en afgewezen")])
def test_accepting_and_rejecting_the_same_line_is_a_usage_error_that_changes_nothing(monitor, spec, tmp_path,  # noqa: F811
                                                                                     lang, words):
    a, b, c = claims(monitor, spec, tmp_path)
    before, logged = lines(spec), audit_count(spec)
    result = monitor("review", "--accept", a, "--reject", a, "--accept", c, "--reject", b, "--accept", b, lang=lang)
    assert result.exit_code == ExitCode.USAGE
    message = " ".join(result.stderr.split())  # the usage error may wrap
    assert words in message and f"#{a}" in message and f"#{b}" in message and f"#{c}" not in message
    assert lines(spec) == before and audit_count(spec) == logged


def test_list_with_a_decision_is_a_usage_error(monitor, spec, tmp_path):  # noqa: F811
    (a,) = claims(monitor, spec, tmp_path, count=1)
    result = monitor("review", "--list", "--accept", a)
    assert result.exit_code == ExitCode.USAGE and "--list" in result.stderr
    assert [r["status"] for r in lines(spec)] == ["claimed"]


# 2. the same decision again --------------------------------------------------------------

def test_the_same_decision_again_changes_nothing_and_says_who_made_it(monitor, spec, tmp_path):  # noqa: F811
    a, b, c = claims(monitor, spec, tmp_path)
    with open_store(spec, command="anna") as anna:
        anna.os_user = "anna"
        review(anna, {a: "accepted", b: "rejected"})
    first = {r["id"]: r for r in lines(spec)}
    logged = audit_count(spec)
    by, at = first[a]["reviewed_by"], first[a]["reviewed_at"]  # anna, and on PostgreSQL her database login
    assert by.startswith("anna")
    for lang, said in (("en", f"line #{a} was already accepted by {by} at {at}; nothing changed"),
                       ("nl", f"regel #{a} is al goedgekeurd door {by} op {at}; er is niets veranderd")):
        result = monitor("review", "--accept", a, lang=lang)
        assert result.exit_code == 0 and said in result.stderr
        assert "reviewed" not in result.stderr and "beoordeeld" not in result.stderr  # no "0 lines reviewed"
    result = monitor("review", "--reject", b)
    assert result.exit_code == 0 and f"line #{b} was already rejected by anna" in result.stderr
    assert {r["id"]: r for r in lines(spec)} == first and audit_count(spec) == logged  # nothing changed, nothing logged
    # the same decision beside a new one: the new one is made, the other is told
    result = monitor("review", "--accept", a, "--accept", c)
    assert result.exit_code == 0 and "1 line reviewed" in result.stderr and f"line #{a} was already accepted" in result.stderr
    now = {r["id"]: r for r in lines(spec)}
    assert now[c]["status"] == "accepted" and now[a] == first[a] and audit_count(spec) == logged + 1


def test_a_contrary_decision_stays_a_conflict_that_changes_nothing(monitor, spec, tmp_path):  # noqa: F811
    a, b, _ = claims(monitor, spec, tmp_path)
    with open_store(spec, command="anna") as anna:
        anna.os_user = "anna"
        review(anna, {a: "accepted"})
    before, logged = lines(spec), audit_count(spec)
    result = monitor("review", "--accept", b, "--reject", a)  # one new decision, one contrary: neither is made
    assert result.exit_code == ExitCode.INVALID and f"line #{a} was already accepted by anna" in result.stderr
    assert "this review changed nothing" in result.stderr
    assert lines(spec) == before and audit_count(spec) == logged


def test_the_same_decision_by_a_colleague_during_an_interactive_review_is_no_conflict(monitor, spec, tmp_path,  # noqa: F811
                                                                                       monkeypatch):
    a, b, c = claims(monitor, spec, tmp_path)
    from impactkit.cli import interview_prompts

    real_prompt, asked = interview_prompts.prompt, []

    def prompt(*args, **kwargs):
        asked.append(1)
        if len(asked) == 1:  # while the adviser thinks about the first claim, a colleague accepts it
            with open_store(spec, command="colleague") as colleague:
                colleague.os_user = "bram"
                review(colleague, {a: "accepted"})
        return real_prompt(*args, **kwargs)

    monkeypatch.setattr(interview_prompts, "prompt", prompt)
    result = monitor("review", input="a\nr\ns\n")
    assert result.exit_code == 0, result.output
    assert f"line #{a} was already accepted by bram" in result.stderr and "1 line reviewed" in result.stderr
    now = {r["id"]: r for r in lines(spec)}
    assert [now[i]["status"] for i in (a, b, c)] == ["accepted", "rejected", "claimed"]
    assert now[a]["reviewed_by"].startswith("bram")


# 3. a period that only partly overlaps the contract -----------------------------------------

def months_inside(period: str, start: date, end: date) -> int:
    """The calendar months of the period with at least one day within start..end (counted day by day)."""
    p = parse_period(period)
    days = (p.start.toordinal() + i for i in range((p.end - p.start).days + 1))
    return len({(d.year, d.month) for d in map(date.fromordinal, days) if start <= d <= end})


def test_months_beyond_the_part_of_a_period_inside_the_contract_are_refused(monitor, spec, tmp_path):  # noqa: F811
    start, end = date(2025, 3, 1), date(2026, 2, 28)
    init(monitor, start.isoformat(), end.isoformat())
    cases = [("2025-Q1", 3), ("2025-Q1", 2), ("2025-H1", 5), ("2026-Q1", 3), ("2025-Q1", 1), ("2025-H1", 4),
             ("2026-Q1", 2), ("2025-Q2", 3)]
    rows = [f"{CONTRACT},{p},ww,B-{i},36,{m},,," for i, (p, m) in enumerate(cases)]
    result = monitor("import", csv_file(tmp_path, "partly.csv", rows))
    assert result.exit_code == ExitCode.INVALID
    err = result.stderr
    refused = [(i, p, m) for i, (p, m) in enumerate(cases) if m > months_inside(p, start, end)]
    assert [i for i, _, _ in refused] == [0, 1, 2, 3]  # the cases are what they say
    for i, period, months in refused:
        inside = months_inside(period, start, end)
        p = parse_period(period)
        first, last = max(p.start, start), min(p.end, end)
        assert (f"partly.csv, line {i + 2}, field months: {months} months in {period}, but only {inside} "
                f"{'month' if inside == 1 else 'months'} of it ({first} to {last}) "
                f"{'lies' if inside == 1 else 'lie'} within contract {CONTRACT} ({start} to {end})") in err
        assert f"claim at most {inside} {'month' if inside == 1 else 'months'} in this row" in err
    assert f"line {len(refused) + 2}," not in err and f"{len(refused)} problems found" in err
    assert lines(spec) == []
    result = monitor("import", csv_file(tmp_path, "fits.csv", rows[len(refused):]))
    assert result.exit_code == 0 and f"{len(cases) - len(refused)} new lines imported" in result.stderr
    result = monitor("import", csv_file(tmp_path, "nl.csv", rows[:1]), lang="nl")
    assert "3 maanden in 2025-Q1, maar slechts 1 maand daarvan (2025-03-01 tot 2025-03-31) valt binnen" in result.stderr


# 4. status on a date -----------------------------------------------------------------------

def test_status_on_a_date_counts_only_the_periods_begun_before_it(monitor, spec, tmp_path):  # noqa: F811
    """A date is taken at its start, as the time passed is (0% on the contract's first day): a period
    counts once one of its days lies before the date."""
    init(monitor)
    periods = ["2024-Q1", "2024-Q2", "2024-05", "2024-Q3", "2025-Q1"]
    rows = [f"{CONTRACT},{p},opleidingskosten,,,,{1000 * (i + 1)},,factuur {i}" for i, p in enumerate(periods)]
    assert monitor("import", csv_file(tmp_path, "all.csv", rows)).exit_code == 0
    ids = [r["id"] for r in lines(spec)]
    assert monitor("review", *[a for i in ids[:3] for a in ("--accept", i)]).exit_code == 0
    everything = json.loads(monitor("status", CONTRACT, "--on", "2025-12-31", "--json").stdout)[0]
    value = {p["period"]: Decimal(p["accepted"]) + Decimal(p["claimed"]) for p in everything["periods"]}
    assert sorted(value, key=periods.index) == periods and all(value.values())
    obligation = Decimal(everything["obligation"])
    for on in (date(2023, 6, 1), date(2024, 1, 1), date(2024, 1, 2), date(2024, 4, 30), date(2024, 5, 1),
               date(2024, 5, 2), date(2024, 12, 31)):
        doc = json.loads(monitor("status", CONTRACT, "--on", on.isoformat(), "--json").stdout)[0]
        begun = [p for p in periods if parse_period(p).start < on]
        assert [p["period"] for p in doc["periods"]] == begun
        accepted = sum((Decimal(p["accepted"]) for p in doc["periods"]), Decimal(0))
        claimed = sum((Decimal(p["claimed"]) for p in doc["periods"]), Decimal(0))
        assert (Decimal(doc["accepted"]), Decimal(doc["claimed"])) == (accepted, claimed)
        assert accepted + claimed == sum((value[p] for p in begun), Decimal(0))
        assert Decimal(doc["withheld_if_ended"]) == max(Decimal(0), obligation - accepted)
        later = len(periods) - len(begun)
        assert doc["later_lines"] == later
        if on <= date(2024, 1, 1):
            assert doc["risk"] == "not_started" and doc["periods"] == [] and accepted == 0
        table = " ".join(monitor("status", CONTRACT, "--on", on.isoformat()).stdout.split())
        note = (f"{later} {'line' if later == 1 else 'lines'} of periods that begin on {on} or later "
                f"{'is' if later == 1 else 'are'} not counted on this date")
        if on <= date(2024, 1, 1):  # the contract's first day: nothing of it can have been realised
            note = (f"the contract starts on 2024-01-01; its {later} realised "
                    f"{'line is' if later == 1 else 'lines are'} not counted on {on}")
        assert (note in table) == (later > 0)
        portfolio = monitor("portfolio", "--on", on.isoformat()).stdout
        assert f"€{accepted:,.2f}" in portfolio


# 5. a ledger path that does not exist -------------------------------------------------------

READS = [("status",), ("portfolio",), ("review", "--list"), ("log",), ("migrate", "--to", "copy.sqlite")]
WRITES = [("import", EXAMPLES / "monitor" / "q1.csv"), ("review", "--accept", "5"), ("forget", "K-001")]


@pytest.mark.parametrize("args", READS + WRITES, ids=lambda a: " ".join(x for x in a[:2] if isinstance(x, str)))
def test_a_ledger_path_that_does_not_exist_is_exit_3_and_creates_nothing(invoke, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    typo = tmp_path / "ledgr.sqlite"
    result = invoke("monitor", "--db", typo, *args)
    assert result.exit_code == ExitCode.FILE
    assert f"no ledger at {typo} (create one with impactkit monitor --db {typo} init" in result.stderr
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("IMPACTKIT_DB", str(typo))
    result = invoke("--lang", "nl", "monitor", *args)
    assert result.exit_code == ExitCode.FILE and f"geen register op {typo}" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_default_ledger_that_does_not_exist_yet_is_empty_for_reading(invoke, tmp_path, monkeypatch):
    monkeypatch.delenv("IMPACTKIT_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = tmp_path / "data" / "impactkit" / "monitor.sqlite"
    for args in READS[:4]:
        result = invoke("monitor", *args)
        assert result.exit_code == 0, (args, result.output)
    assert f"the ledger {default} has no contracts yet" in invoke("monitor", "status").stderr
    for args in WRITES:  # nothing to change in a ledger that is not there
        result = invoke("monitor", *args)
        assert result.exit_code == ExitCode.FILE and f"no ledger at {default} (create one with impactkit monitor init" \
            in result.stderr
    assert not (tmp_path / "data").exists()
    result = invoke("monitor", "init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", "2024-01-01",
                    "--end", "2025-12-31")
    assert result.exit_code == 0 and default.is_file()


# 6. the interactive review into a pipe ------------------------------------------------------

def test_the_interactive_review_is_as_wide_as_other_output(invoke, tmp_path, monkeypatch):
    db = tmp_path / "ledger.sqlite"
    evidence = "loonstroken januari tot en met maart van de kandidaat getekend door de uitvoerder en de werkmakelaar"
    rows = [f"{CONTRACT},2024-Q1,opleidingskosten,,,,450,,{evidence}"]
    assert invoke("monitor", "--db", db, "init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start",
                  "2024-01-01", "--end", "2025-12-31").exit_code == 0
    assert invoke("monitor", "--db", db, "import", csv_file(tmp_path, "q1.csv", rows)).exit_code == 0
    listed = invoke("monitor", "--db", db, "review", "--list").stdout.strip()
    assert 100 < len(listed) <= 200 and "\n" not in listed
    monkeypatch.delenv("COLUMNS")  # into a pipe: 200 columns, as every other output
    result = invoke("monitor", "--db", db, "review", input="s\n")
    assert result.exit_code == 0 and listed in result.stderr.splitlines()
    result = invoke("monitor", "--db", db, "review", input="")  # the input ends: the message on one line
    assert result.exit_code == ExitCode.INTERRUPTED
    assert any(line.startswith("review stopped") and line.endswith("(run review again)")
               for line in result.stderr.splitlines())
    monkeypatch.setenv("COLUMNS", "60")  # unless COLUMNS says otherwise
    result = invoke("monitor", "--db", db, "review", input="s\n")
    assert listed not in result.stderr and max(map(len, result.stderr.splitlines())) <= 60
