"""`impactkit monitor` as an SR desk types it, on both backends: a privacy request with a reference
that no line carries, a contractor's file that approves its own claims, periods outside the
contract or shorter than the months claimed in them, periods in calendar order, an interactive
review whose input ends, a bidder's name in other capitals, formula and error cells in a workbook,
and a projection that does not run past the plan."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from impactkit.errors import ExitCode
from impactkit.monitor import ledger
from impactkit.monitor.store import open_store

from .conftest import EXAMPLES
from .monitor_backends import spec  # noqa: F401  (fixture)
from .monitor_files import CONTRACT, HEADER, csv_file, realised  # registered from 2024-01-01 to 2025-12-31
from .test_score_reading import set_cached



@pytest.fixture
def run(invoke, spec):  # noqa: F811
    def monitor(*args, **kwargs):
        return invoke("monitor", "--db", spec, *args, **kwargs)

    return monitor


@pytest.fixture
def registered(run):
    """Aannemer A's contract in a fresh ledger; the runner of monitor commands on it."""
    result = run("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", "2024-01-01", "--end", "2025-12-31")
    assert result.exit_code == 0, result.output
    return run


# 1. forget -------------------------------------------------------------------------------

def test_forget_of_a_reference_no_line_carries_is_an_error_naming_the_nearest(registered, spec, tmp_path):  # noqa: F811
    registered("import", csv_file(tmp_path, "q1.csv", [f"{CONTRACT},2024-Q1,ww,B-02,36,3,,,loonstrook"]))
    for typed in ("b-02", "B-02 X", "b 02"):
        result = registered("forget", typed)
        assert result.exit_code == ExitCode.UNKNOWN, result.output
        assert f"no line carries the candidate reference '{typed.strip()}'; did you mean B-02?" in result.stderr
        assert "nothing was changed" in result.stderr
    result = registered("forget", "NIEMAND")
    assert result.exit_code == ExitCode.UNKNOWN and "did you mean" not in result.stderr
    assert [r["candidate"] for r in realised(spec)] == ["B-02"]  # nothing was forgotten
    with open_store(spec) as s:
        assert s.one("SELECT count(*) AS n FROM audit WHERE action = 'forget'")["n"] == 0
    # surrounding spaces are no part of a reference
    result = registered("forget", " B-02 ")
    assert result.exit_code == 0 and "1 line no longer carries" in result.stderr
    assert not any(r["candidate"] == "B-02" for r in realised(spec))
    result = registered("review", "--list")
    assert "B-02" not in result.stdout


# 2. a status in the file -----------------------------------------------------------------

def test_a_contractors_file_cannot_approve_its_own_claims(registered, spec, tmp_path):  # noqa: F811
    rows = [f"{CONTRACT},2024-Q1,ww,B-01,36,3,,goedgekeurd,loonstrook",
            f"{CONTRACT},2024-Q1,ww,B-02,36,3,,ingediend,loonstrook",
            f"{CONTRACT},2024-Q1,opleidingskosten,,,,450,afgewezen,factuur",
            f"{CONTRACT},2024-Q1,opleidingskosten,,,,300,,factuur"]
    path = csv_file(tmp_path, "q1.csv", rows)
    result = registered("import", path)
    assert result.exit_code == ExitCode.INVALID
    assert "q1.csv, line 2, field status: status 'goedgekeurd': a realisations file only claims lines" in result.stderr
    assert "q1.csv, line 4, field status: status 'afgewezen'" in result.stderr
    assert "line 3" not in result.stderr and "line 5" not in result.stderr and "--with-status" in result.stderr
    assert realised(spec) == []  # all or nothing

    result = registered("import", path, "--with-status")
    assert result.exit_code == 0, result.output
    assert "4 new lines imported; 1 accepted and 1 rejected by the file's status column (--with-status)" in result.stderr
    lines = realised(spec)
    assert [r["status"] for r in lines] == ["accepted", "claimed", "rejected", "claimed"]
    decided = [r for r in lines if r["status"] != "claimed"]
    assert all(r["reviewed_at"] and r["reviewed_by"].endswith(f"(import #{r['import_id']})") for r in decided)
    with open_store(spec) as s:
        entry = s.one("SELECT detail, command FROM audit WHERE action = 'import' ORDER BY id DESC")
    detail = json.loads(entry["detail"])
    assert (detail["accepted_by_file"], detail["rejected_by_file"], detail["new"]) == (1, 1, 4)
    assert entry["command"].endswith("--with-status")
    # the same file again adds nothing, with or without the option: it is recognised before it is read
    again = registered("import", path)
    assert again.exit_code == 0 and "nothing added: this file was imported before" in again.stderr


# 3. implausible periods ------------------------------------------------------------------

def test_periods_outside_the_contract_and_months_beyond_their_period_are_refused(registered, spec, tmp_path):  # noqa: F811
    rows = [f"{CONTRACT},2023-Q4,stage_mbo_hbo,B-02,32,3,,,",  # ends before the contract starts
            f"{CONTRACT},2027-Q1,stage_mbo_hbo,B-03,32,3,,,",  # starts after it ends
            f"{CONTRACT},2024-Q2,stage_mbo_hbo,B-04,32,9,,,",  # 9 months in a quarter
            f"{CONTRACT},2024-03,ww,B-05,36,2,,,",  # 2 months in a month
            f"{CONTRACT},2024-H2,ww,B-06,36,6,,,",  # a half-year holds 6
            f"{CONTRACT},2025-12,ww,B-07,36,1,,,"]  # the contract's last month
    result = registered("import", csv_file(tmp_path, "odd.csv", rows))
    assert result.exit_code == ExitCode.INVALID
    err = result.stderr
    assert (f"odd.csv, line 2, field period: the period 2023-Q4 (2023-10-01 to 2023-12-31) lies wholly outside "
            f"contract {CONTRACT} (2024-01-01 to 2025-12-31)") in err
    assert "odd.csv, line 3, field period: the period 2027-Q1 (2027-01-01 to 2027-03-31)" in err
    assert "odd.csv, line 4, field months: 9 months in one row, but the period 2024-Q2 lasts 3 months" in err
    assert "odd.csv, line 5, field months: 2 months in one row, but the period 2024-03 lasts 1 month;" in err
    assert "line 6" not in err and "line 7" not in err and "4 problems found" in err
    assert realised(spec) == []
    result = registered("import", csv_file(tmp_path, "ok.csv", rows[4:]))
    assert result.exit_code == 0 and "2 new lines imported" in result.stderr


def test_a_contract_that_starts_mid_quarter_takes_that_quarter(run, spec, tmp_path):  # noqa: F811
    assert run("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", "2024-02-15",
               "--end", "2024-11-30").exit_code == 0
    rows = [f"{CONTRACT},2024-Q1,ww,B-01,36,1.5,,,", f"{CONTRACT},2024-Q4,ww,B-01,36,2,,,"]
    assert run("import", csv_file(tmp_path, "q.csv", rows)).exit_code == 0


# 4. periods in calendar order ------------------------------------------------------------

def test_periods_are_listed_and_valued_in_calendar_order(registered, spec, tmp_path):  # noqa: F811
    from impactkit.monitor.periods import parse_period

    written = ["2024-04", "2024-Q1", "2024-H1", "2024-01", "2024-Q2", "2024-12", "2025-01"]
    rows = [f"{CONTRACT},{p},opleidingskosten,,,,{100 + i},," for i, p in enumerate(written)]
    assert registered("import", csv_file(tmp_path, "mixed.csv", rows)).exit_code == 0
    # expected: by start date, then by length (derived from the calendar, not listed by hand)
    expected = sorted(written, key=lambda p: (parse_period(p).start, parse_period(p).end))
    assert expected[:3] == ["2024-01", "2024-Q1", "2024-H1"] and expected.index("2024-04") > expected.index("2024-H1")
    listed = [line.split()[2].rstrip(":") for line in registered("review", "--list").stdout.splitlines()]
    assert listed == expected
    doc = json.loads(registered("status", CONTRACT, "--on", "2025-02-01", "--json").stdout)[0]
    assert [p["period"] for p in doc["periods"]] == expected
    table = registered("status", CONTRACT, "--on", "2025-02-01").stdout
    assert [table.index(f" {p} ") for p in expected] == sorted(table.index(f" {p} ") for p in expected)


def test_a_counting_cap_is_filled_in_calendar_order(registered, spec, tmp_path):  # noqa: F811
    """WW counts at most cap_months per candidate (the menu's). A month written as 2025-12 comes after
    2025-Q3 (as text it would come before 2025-Q1 and take part of the cap from the quarters). The month
    lies in no quarter given: one person's months in a period never exceed it."""
    with open_store(spec) as s:
        block = ledger.load_contract(s, CONTRACT).menu.resolve("ww")
    quarters = ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]
    assert block.cap_months == 3 * len(quarters)  # the four quarters fill the cap exactly
    assert sorted(quarters + ["2025-12"]).index("2025-12") == 1  # as text it would come second
    rows = [f"{CONTRACT},2025-12,ww,B-01,36,1,,,"] + [f"{CONTRACT},{p},ww,B-01,36,3,,," for p in quarters]
    assert registered("import", csv_file(tmp_path, "ww.csv", rows)).exit_code == 0
    ids = [r["id"] for r in realised(spec)]
    assert registered("review", *[a for i in ids for a in ("--accept", i)]).exit_code == 0
    doc = json.loads(registered("status", CONTRACT, "--on", "2026-01-01", "--json").stdout)[0]
    credit = {p["period"]: Decimal(p["accepted"]) for p in doc["periods"]}
    assert [p["period"] for p in doc["periods"]] == [*quarters, "2025-12"]
    assert credit["2025-12"] == 0 and len({credit[p] for p in quarters}) == 1 and credit["2024-Q4"] > 0


# 5. an interactive review whose input ends ---------------------------------------------

def test_an_interactive_review_that_runs_out_of_input_keeps_its_decisions(registered, spec, tmp_path):  # noqa: F811
    rows = [f"{CONTRACT},2024-Q1,opleidingskosten,,,,{a},,factuur {a}" for a in (100, 200, 300)]
    assert registered("import", csv_file(tmp_path, "q1.csv", rows)).exit_code == 0
    result = registered("review", input="j\nx\nn\n")  # accept, a typo, reject, then the input ends
    assert result.exit_code == ExitCode.INTERRUPTED
    assert "'x' is not one of the answers" in result.stderr
    assert "review stopped before the end: 2 decisions were stored; the other claims stay open" in result.stderr
    assert "Aborted" not in result.output
    assert [r["status"] for r in realised(spec)] == ["accepted", "rejected", "claimed"]


# 6. the bidder as typed -----------------------------------------------------------------

def test_the_awarded_bidder_is_found_however_its_name_is_typed(run, spec, tmp_path):  # noqa: F811
    result = run("init", EXAMPLES / "tender.yaml", "--bid", "  aannemer   A", "--start", "2024-01-01",
                 "--end", "2025-12-31")
    assert result.exit_code == 0 and "registered contract GEM-2024-017 (Aannemer A)" in result.stderr
    tender = tmp_path / "t.yaml"
    tender.write_text("tender: {id: T-2, menu: haaglanden-zhc, contract_value: 500000}\nbids:\n"
                      "  - {bidder: Dubbel B.V., contributions: []}\n  - {bidder: Groen, contributions: []}\n",
                      encoding="utf-8")
    result = run("init", tender, "--bid", "dubbel bv", "--start", "2024-01-01", "--end", "2024-12-31")
    assert result.exit_code == 0 and "(Dubbel B.V.)" in result.stderr
    with open_store(spec) as s:
        assert ledger.load_contract(s, "T-2").bidder == "Dubbel B.V."
    result = run("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer", "--start", "2024-01-01", "--end", "2025-12-31")
    assert result.exit_code == ExitCode.UNKNOWN and "no bid from 'Aannemer'" in result.stderr


def test_a_tender_with_two_bids_of_one_bidder_is_refused(run, tmp_path):
    """"Dubbel BV" and "DUBBEL B.V." are one bidder (as score joins them): a tender file holding both
    is a copy left in, refused before a contract could be registered from either."""
    tender = tmp_path / "t.yaml"
    tender.write_text("tender: {id: T-3, menu: haaglanden-zhc, contract_value: 500000}\nbids:\n"
                      "  - {bidder: Dubbel BV, contributions: []}\n  - {bidder: DUBBEL B.V., contributions: []}\n",
                      encoding="utf-8")
    result = run("init", tender, "--bid", "dubbel bv", "--start", "2024-01-01", "--end", "2024-12-31")
    assert result.exit_code == ExitCode.INVALID
    assert "bid 2 ('DUBBEL B.V.') is by the same bidder as bid 1 ('Dubbel BV', line 3)" in result.stderr


# 7. formulas and error cells -------------------------------------------------------------

def test_formula_and_error_cells_are_told_as_score_tells_them(registered, spec, tmp_path):  # noqa: F811
    from impactkit.i18n import Translator
    from impactkit.i18n.problems import message_text

    path = tmp_path / "q2.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Realisatie"
    ws.append(["Realisatie Q2 2025"])
    ws.append([])
    ws.append(["Contract", "Periode", "Bouwblok", "Kandidaat", "Uren per week", "Maanden", "Bedrag", "Status"])
    ws.append([CONTRACT, "2025-Q2", "stage_mbo_hbo", "B-10", 32, 3, None, "ingediend"])  # 4
    ws.append([CONTRACT, "2025-Q2", "opleidingskosten", None, None, None, "=100*3", "ingediend"])  # 5: no value
    ws.append([CONTRACT, "2025-Q2", "opleidingskosten", None, None, None, "#DIV/0!", "ingediend"])  # 6: an error
    ws.append([CONTRACT, "2025-Q2", "opleidingskosten", None, None, None, "=50*5", "ingediend"])  # 7: with a value
    wb.save(path)
    set_cached(path, "xl/worksheets/sheet1.xml", [("50*5", 250)])
    result = registered("import", path)
    assert result.exit_code == ExitCode.INVALID
    en = Translator("en")
    no_value = message_text("reject_cell_formula_no_value", {}, en)
    error = message_text("reject_cell_error", {"code": "#DIV/0!"}, en)
    assert f"q2.xlsx › Realisatie, line 5, field amount: {no_value}" in result.stderr
    assert f"q2.xlsx › Realisatie, line 6, field amount: {error}" in result.stderr
    assert "needs this field" not in result.stderr and "2 problems found" in result.stderr
    # the same cells through score's reader: the same reasons
    from impactkit.io.sheets.read import read_table
    from impactkit.monitor.importer import LOOKUP

    keys = {(row, key) for row, _, key, _ in read_table(path, LOOKUP).problems}
    assert keys == {(5, "cell_formula_no_value"), (6, "cell_error")}
    # typed as text in a CSV file, an error is told the same way
    result = registered("import", csv_file(tmp_path, "e.csv", [f"{CONTRACT},2024-Q1,opleidingskosten,,,,#WAARDE!,,"]))
    assert result.exit_code == ExitCode.INVALID
    assert "e.csv, line 2, field amount: " + message_text("reject_cell_error", {"code": "#WAARDE!"}, en) in result.stderr
    ws.delete_rows(5, 2)
    wb.save(path)
    set_cached(path, "xl/worksheets/sheet1.xml", [("50*5", 250)])
    assert registered("import", path).exit_code == 0
    assert [r["amount_100"] for r in realised(spec)] == [None, 25000]  # the formula's computed value


# 8. the projection and a plan below the obligation --------------------------------------

def test_the_projection_never_runs_past_the_plan_and_a_short_plan_is_told(run, spec, tmp_path):  # noqa: F811
    """Bouwbedrijf B plans WW for B-01 (36 h, 12 months) and an internship: below its obligation. The WW
    counting cap is reached after a year, so a straight line over the accepted credit overstates."""
    assert run("init", EXAMPLES / "tender.yaml", "--bid", "Bouwbedrijf B", "--start", "2024-01-01",
               "--end", "2025-12-31").exit_code == 0
    rows = [f"{CONTRACT},{y}-Q{q},ww,B-01,36,3,goedgekeurd," for y, q in
            ((2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1))]
    path = tmp_path / "ww.csv"
    path.write_text("contract,periode,bouwblok,kandidaat,uren_per_week,maanden,status,bewijs\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    assert run("import", path, "--with-status").exit_code == 0
    doc = json.loads(run("status", CONTRACT, "--on", "2025-06-01", "--json").stdout)[0]
    obligation, planned, accepted = (Decimal(doc[k]) for k in ("obligation", "planned", "accepted"))
    # the contract's days, its end date included; those before 2025-06-01 have passed
    elapsed = Decimal((date(2025, 6, 1) - date(2024, 1, 1)).days) / Decimal((date(2025, 12, 31) - date(2024, 1, 1)).days + 1)
    pace = Decimal(doc["pace"])
    assert abs(pace - accepted / elapsed) < Decimal("0.01")
    assert planned < obligation and accepted < planned < pace  # the straight line runs past the plan
    assert Decimal(doc["projected"]) == planned  # capped by the plan's value
    assert Decimal(doc["plan_shortfall"]) == obligation - planned
    assert doc["risk"] == ("at_risk" if planned >= obligation * Decimal("0.8") else "high_risk")
    text = run("status", CONTRACT, "--on", "2025-06-01").stdout
    assert "a projection never exceeds the plan's value" in " ".join(text.split())
    assert "below the obligation" in text and "on track" not in text
    # a plan that meets the obligation carries no such note
    with open_store(spec) as s:
        statuses = ledger.portfolio(s, date(2025, 6, 1))
    assert all((s.plan_shortfall > 0) == (s.planned < s.contract.obligation) for s in statuses)


def test_a_block_of_another_menu_or_a_bonus_is_told_as_check_tells_it(registered, spec, tmp_path):  # noqa: F811
    """The importer answered "unknown block; nearest: -" for a bonus and for a block other menus have."""
    from impactkit.menus import resolve_menu
    from impactkit.menus.registry import menus_with_block

    menu = resolve_menu("haaglanden-zhc").menu
    elsewhere = next(b for m in menus_with_block("participatiewet") for b in resolve_menu(m).menu.blocks
                     if menu.block(b.id) is None)
    rows = [f"{CONTRACT},2024-Q1,bonus_55_plus,B-01,36,3,,,", f"{CONTRACT},2024-Q1,{elsewhere.id},B-02,,,100,,"]
    result = registered("import", csv_file(tmp_path, "odd.csv", rows))
    assert result.exit_code == ExitCode.INVALID
    assert "odd.csv, line 2, field block: 'bonus_55_plus' is a bonus, not a block" in result.stderr
    assert f"odd.csv, line 3, field block: block '{elsewhere.id}' is not in menu {menu.ref}" in result.stderr
    assert f"menus that have it: {', '.join(menus_with_block(elsewhere.id))}" in result.stderr
    assert realised(spec) == []


def test_a_workbook_without_a_header_names_the_columns_a_realisation_sheet_needs(registered, tmp_path):
    """A tester imported a portfolio workbook by mistake and was told of score's columns, the file named twice."""
    path = tmp_path / "portfolio.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Portfolio"
    wb.active.append(["Overzicht"])
    wb.active.append([1, 2, 3])
    wb.save(path)
    result = registered("import", path)
    assert result.exit_code == ExitCode.INVALID
    assert (f"{path}: sheet Portfolio: no header row in its first 30 rows (expected column names such as "
            "contract, periode, bouwblok)") in result.stderr


def test_before_its_first_day_a_contract_has_nothing_realised(run, spec, tmp_path):  # noqa: F811
    """A tester's contract began on 1 March; its first-quarter line counted on 15 February."""
    result = run("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", "2024-03-01", "--end", "2025-02-28")
    assert result.exit_code == 0, result.output
    path = tmp_path / "q1.csv"
    path.write_text(HEADER + f"{CONTRACT},2024-Q1,ww,M-1,36,1,,,loonstrook maart\n", encoding="utf-8")
    assert run("import", path).exit_code == 0
    line = realised(spec)[0]["id"]
    assert run("review", "--accept", line).exit_code == 0
    obligation = Decimal(json.loads(run("status", CONTRACT, "--json").stdout)[0]["obligation"])
    for day, counted in (("2024-02-15", False), ("2024-03-01", False), ("2024-03-02", True)):
        (document,) = json.loads(run("status", CONTRACT, "--on", day, "--json").stdout)
        assert (Decimal(document["accepted"]) > 0) is counted, (day, document)
        if not counted:
            assert Decimal(document["withheld_if_ended"]) == obligation and document["later_lines"] == 1
            text = run("status", CONTRACT, "--on", day).stdout
            assert f"the contract starts on 2024-03-01; its 1 realised line is not counted on {day}" in text
        board = tmp_path / f"portfolio-{day}.xlsx"  # every contract from one read of the lines
        assert run("portfolio", "--on", day, "--xlsx", board).exit_code == 0
        rows = list(openpyxl.load_workbook(board).worksheets[0].iter_rows(values_only=True))
        header = next(r for r in rows if "Accepted" in r)
        ours = next(r for r in rows if CONTRACT in r)
        assert (Decimal(str(ours[header.index("Accepted")])) > 0) is counted
