"""`impactkit monitor` as a second user tester found it, on both backends: one person credited with
more months in a period than it has (a realisation sheet sent twice), a failed init that left an
empty ledger behind, the contract's last day counted as over, a totals row under the realisations,
and a bidder's name typed without its accents."""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction

import openpyxl
import pytest

from impactkit.errors import ExitCode
from impactkit.monitor.store import open_store

from .conftest import EXAMPLES
from .monitor_backends import spec  # noqa: F401  (fixture)
from .monitor_files import CONTRACT, csv_file, init, monitor, realised  # noqa: F401  (monitor: a fixture)

def half_up(value: Fraction) -> Fraction:
    """To cents, half-up (positive amounts)."""
    return Fraction(int(value * 100 + Fraction(1, 2)), 100)


def cents_text(value: Fraction) -> str:
    return f"{value.numerator * 100 // value.denominator // 100}.{value.numerator * 100 // value.denominator % 100:02d}"


# 3. the contract's last day is one of its days ------------------------------------------------

def test_the_contracts_last_day_is_a_day_of_the_contract(monitor, spec, tmp_path):  # noqa: F811
    """A contract from 2025-01-01 to 2026-06-30 lasts 546 days, its end date included; on a date, the
    days before it have passed. The figures are derived here by counting calendar days one by one."""
    start, end = date(2025, 1, 1), date(2026, 6, 30)
    init(monitor, start.isoformat(), end.isoformat())
    rows = [f"{CONTRACT},2025-Q1,opleidingskosten,,,,{450 * (i + 1)},goedgekeurd,factuur {i}" for i in range(3)]
    assert monitor("import", csv_file(tmp_path, "q1.csv", rows), "--with-status").exit_code == 0
    contract_days = [start + timedelta(days=i) for i in range(1000) if start + timedelta(days=i) <= end]
    assert len(contract_days) == 546
    for on in (start, date(2025, 4, 1), date(2026, 6, 29), end, end + timedelta(days=1), date(2027, 1, 1)):
        doc = json.loads(monitor("status", CONTRACT, "--on", on.isoformat(), "--json").stdout)[0]
        share = Fraction(sum(d < on for d in contract_days), len(contract_days))
        planned, accepted = Fraction(doc["planned"]), Fraction(doc["accepted"])
        assert Fraction(doc["elapsed"]) == Fraction(int(share * 10000 + Fraction(1, 2)), 10000)
        assert doc["planned_to_date"] == cents_text(half_up(planned * share))
        if share == 0:
            assert doc["pace"] is None and doc["projected"] is None and doc["risk"] in ("met", "not_started")
            continue
        pace = half_up(accepted / share)
        assert doc["pace"] == cents_text(pace)
        assert doc["projected"] == cents_text(min(pace, max(planned, accepted)))
    # 90/546 = 0.16484; 90/545 = 0.16514 counted the last day as over
    assert json.loads(monitor("status", CONTRACT, "--on", "2025-04-01", "--json").stdout)[0]["elapsed"] == "0.1648"
    text = " ".join(monitor("status", CONTRACT, "--on", end.isoformat()).stdout.split())
    assert "on 2026-06-30, 99.8% of the time has passed" in text
    text = " ".join(monitor("status", CONTRACT, "--on", (end + timedelta(days=1)).isoformat()).stdout.split())
    assert "on 2026-07-01, 100% of the time has passed" in text
    # the portfolio counts the days left with the last day: one on the last day, none after it
    assert "2026-06-30 (1 day)" in monitor("portfolio", "--on", end.isoformat()).stdout
    assert "2026-06-30 (61 days)" in monitor("portfolio", "--on", "2026-05-01").stdout
    after = monitor("portfolio", "--on", "2026-07-01").stdout
    assert "2026-06-30" in after and "2026-06-30 (" not in after
    # the workbook holds the same share
    target = tmp_path / "portfolio.xlsx"
    assert monitor("portfolio", "--on", "2025-04-01", "--xlsx", target).exit_code == 0
    ws = openpyxl.load_workbook(target)["Portfolio"]
    column = [c.value for c in ws[1]].index("Time elapsed")
    assert abs(Fraction(ws.cell(row=2, column=column + 1).value) - Fraction(90, 546)) < Fraction(1, 10**12)


# 2. a failed init leaves no ledger ----------------------------------------------------------

def _ledger_there(spec) -> bool:  # noqa: F811
    """Is there a ledger at spec: a file, or a PostgreSQL schema that holds the ledger's tables?"""
    if not str(spec).startswith("postgresql"):
        return spec.exists()
    from urllib.parse import parse_qsl, urlsplit

    from .monitor_backends import admin

    schema = dict(parse_qsl(urlsplit(str(spec)).query))["options"].split("search_path=")[1]
    with admin() as conn:
        return bool(conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
                                 (schema,)).fetchone()[0])


@pytest.mark.parametrize("args, code, words", [
    (["--bid", "Aannemer A", "--start", "2025-12-31", "--end", "2025-01-01"], ExitCode.USAGE,
     "Invalid value for '--end': the end date (2025-01-01) must lie after the start date (2025-12-31)"),
    (["--bid", "Aannemer A", "--start", "2025-01-01", "--end", "2025-01-01"], ExitCode.USAGE,
     "Invalid value for '--end': the end date (2025-01-01) must lie after the start date (2025-01-01)"),
    (["--bid", "Niemand BV", "--start", "2025-01-01", "--end", "2025-12-31"], ExitCode.UNKNOWN,
     "no bid from 'Niemand BV' in this tender"),
])
def test_a_failed_init_leaves_no_ledger_behind(monitor, spec, args, code, words):  # noqa: F811
    result = monitor("init", EXAMPLES / "tender.yaml", *args)
    assert result.exit_code == code and words in result.stderr
    assert not _ledger_there(spec)
    status = monitor("status")
    if str(spec).startswith("postgresql"):  # a database without a ledger is refused, and not made one
        assert status.exit_code == ExitCode.FILE and "this database holds no impactkit ledger" in status.stderr
        assert not _ledger_there(spec)
    else:
        assert status.exit_code == ExitCode.FILE and "no ledger at" in status.stderr
        assert not spec.exists() and not list(spec.parent.glob(spec.name + "*"))


def test_an_init_that_fails_while_writing_removes_the_file_it_made(monitor, spec, monkeypatch):  # noqa: F811
    from impactkit.errors import OutputError, Problem
    from impactkit.monitor.store import Store

    def full_disk(store, action, detail):  # the last write of init's transaction fails
        raise OutputError(Problem("monitor_db_unusable", {"reason": "database or disk is full"}))

    with monkeypatch.context() as patch:
        patch.setattr(Store, "audit", full_disk)
        result = monitor("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", "2024-01-01",
                         "--end", "2025-12-31")
    assert result.exit_code == ExitCode.OUTPUT and "disk is full" in result.stderr
    if not str(spec).startswith("postgresql"):
        assert not spec.exists() and not list(spec.parent.glob(spec.name + "*"))
    init(monitor)  # nothing of the failed init is left in the way
    # a ledger that was there stays when a later init fails, with what it holds
    result = monitor("init", EXAMPLES / "tender.yaml", "--bid", "Bouwbedrijf B", "--start", "2024-01-01",
                     "--end", "2025-12-31")
    assert result.exit_code == ExitCode.INVALID and "already registered" in result.stderr
    assert _ledger_there(spec)
    assert json.loads(monitor("status", "--json").stdout)[0]["bidder"] == "Aannemer A"


# 5. a bidder's name without its accents --------------------------------------------------------

def test_the_bidder_is_found_without_its_accents_but_not_among_two(monitor, spec, tmp_path):  # noqa: F811
    tender = tmp_path / "t.yaml"
    tender.write_text("tender: {id: T-5, menu: haaglanden-zhc, contract_value: 500000}\nbids:\n"
                      "  - {bidder: Bouwbedrijf Müller & Zn., contributions: []}\n"
                      "  - {bidder: Groen & Co, contributions: []}\n", encoding="utf-8")
    result = monitor("init", tender, "--bid", "bouwbedrijf muller & zn", "--start", "2024-01-01", "--end", "2024-12-31")
    assert result.exit_code == 0, result.output
    assert "registered contract T-5 (Bouwbedrijf Müller & Zn.)" in result.stderr
    with open_store(spec) as s:
        assert s.one("SELECT bidder FROM contracts WHERE id = 'T-5'")["bidder"] == "Bouwbedrijf Müller & Zn."
    # two bids whose names differ only by an accent are one bidder twice: the tender is refused, as check does
    two = tmp_path / "two.yaml"
    two.write_text("tender: {id: T-6, menu: haaglanden-zhc, contract_value: 500000}\nbids:\n"
                   "  - {bidder: Müller BV, contributions: []}\n  - {bidder: Muller B.V., contributions: []}\n",
                   encoding="utf-8")
    result = monitor("init", two, "--bid", "Muller B.V.", "--start", "2024-01-01", "--end", "2024-12-31")
    assert result.exit_code == ExitCode.INVALID, result.output
    assert "bid 2 ('Muller B.V.') is by the same bidder as bid 1 ('Müller BV', line 3)" in result.stderr
    with open_store(spec) as s:
        assert [r["bidder"] for r in s.query("SELECT bidder FROM contracts ORDER BY id")] == ["Bouwbedrijf Müller & Zn."]


# 1. one person's months in a period never exceed it -----------------------------------------

def _per_person(spec, block_id):  # noqa: F811
    from impactkit.model.facts import PERSON_UNITS
    from impactkit.monitor import ledger

    with open_store(spec) as s:
        return ledger.load_contract(s, CONTRACT).menu.resolve(block_id).unit in PERSON_UNITS


def test_a_realisation_sheet_sent_again_gives_no_one_more_months_than_the_quarter(monitor, spec, tmp_path):  # noqa: F811
    """The contractor saves q1.csv again (other bytes, the same rows, no line ids) and sends it: each
    person's row would double their months in the quarter. Those rows are refused, naming the line
    that holds the months already; nothing of the file is imported. Two equal invoices stay two lines."""
    init(monitor)
    source = EXAMPLES / "monitor" / "q1.csv"
    assert monitor("import", source).exit_code == 0
    before = realised(spec)
    again = tmp_path / "q1-opnieuw.csv"
    again.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))  # saved again: other bytes, the same rows
    result = monitor("import", again)
    assert result.exit_code == ExitCode.INVALID, result.output
    err = " ".join(result.stderr.split())
    refused = [(n, line) for n, line in enumerate(before, start=2) if _per_person(spec, line["block"])]
    assert [line["block"] for _, line in refused] == ["participatiewet", "banenafspraak"]  # what the file holds
    for row, line in refused:
        assert (f"q1-opnieuw.csv, line {row}, field months: {line['candidate']} has 3 months of {line['block']} in "
                f"2024-Q1 already (ledger line #{line['id']}: 3 months); with the 3 months of this row that makes 6, "
                f"but 2024-Q1 lasts 3 months") in err
    assert "line 4," not in err and f"{len(refused)} problems found; nothing was written" in err
    assert realised(spec) == before  # nothing of the file
    result = monitor("import", again, lang="nl")
    assert ("K-001 heeft al 3 maanden participatiewet in 2024-Q1 (regel #5 in het register: 3 maanden); met de 3 "
            "maanden van deze rij wordt dat 6, maar 2024-Q1 duurt 3 maanden") in " ".join(result.stderr.split())
    # purchases: two equal invoices are two lines, whatever the file
    invoices = csv_file(tmp_path, "facturen.csv", [f"{CONTRACT},2024-Q1,opleidingskosten,,,,450,,factuur opleider 2024-031"])
    result = monitor("import", invoices)
    assert result.exit_code == 0 and "1 new line imported" in result.stderr
    assert "note: 2 lines are identical" in result.stderr


def test_months_add_up_over_the_ledger_the_file_and_nested_periods(monitor, spec, tmp_path):  # noqa: F811
    """A half-year holds its quarters and months: K-1's months within it, in any of them, never exceed 6."""
    init(monitor)
    assert monitor("import", csv_file(tmp_path, "q1.csv", [f"{CONTRACT},2024-Q1,ww,K-1,36,2,,,"])).exit_code == 0
    rows = [f"{CONTRACT},2024-03,ww,K-1,36,1,,,",  # 2: Q1 now holds 3: fits
            f"{CONTRACT},2024-02,ww,K-1,36,0.5,,,",  # 3: Q1 would hold 3.5
            f"{CONTRACT},2024-H1,ww,K-1,36,3,,,",  # 4: H1 would hold 6: fits
            f"{CONTRACT},2024-Q2,ww,K-1,36,1,,,",  # 5: H1 would hold 7
            f"{CONTRACT},2024-Q2,ww,K-2,36,3,,,",  # 6: another person
            f"{CONTRACT},2024-Q2,wajong,K-1,36,3,,,",  # 7: another block
            f"{CONTRACT},2024-Q2,ww,,36,3,,,",  # 8: no candidate: a person of its own
            f"{CONTRACT},2024-Q3,ww,K-1,36,3,,,"]  # 9: another half-year
    result = monitor("import", csv_file(tmp_path, "more.csv", rows))
    assert result.exit_code == ExitCode.INVALID
    err = " ".join(result.stderr.split())
    first = realised(spec)[0]["id"]
    assert (f"more.csv, line 3, field months: K-1 has 3 months of ww in 2024-Q1 already (ledger line #{first}: "
            "2 months; line 2 of this file, 2024-03: 1 month); with the 0.5 months of this row that makes 3.5, "
            "but 2024-Q1 lasts 3 months") in err
    assert (f"more.csv, line 5, field months: K-1 has 6 months of ww in 2024-H1 already (ledger line #{first}, "
            "2024-Q1: 2 months; line 2 of this file, 2024-03: 1 month; line 4 of this file: 3 months); with the 1 "
            "month of this row that makes 7, but 2024-H1 lasts 6 months") in err
    assert "2 problems found" in err and len(realised(spec)) == 1
    ok = [r for i, r in enumerate(rows, start=2) if i not in (3, 5)]
    result = monitor("import", csv_file(tmp_path, "fits.csv", ok))
    assert result.exit_code == 0 and f"{len(ok)} new lines imported" in result.stderr
    # a line the desk rejected holds no months; a row the file rejects itself claims none
    ids = {(r["period"], r["candidate"], r["block"]): r["id"] for r in realised(spec)}
    assert monitor("review", "--reject", ids[("2024-Q3", "K-1", "ww")]).exit_code == 0
    decided = csv_file(tmp_path, "decided.csv", [f"{CONTRACT},2024-Q3,ww,K-1,36,3,,afgewezen,",
                                                 f"{CONTRACT},2024-Q3,ww,K-1,36,3,,,"])
    result = monitor("import", decided, "--with-status")
    assert result.exit_code == 0 and "2 new lines imported" in result.stderr


def test_a_period_partly_outside_the_contract_holds_its_months_within_it(monitor, spec, tmp_path):  # noqa: F811
    """For a contract from 2025-03-01, 2025-Q1 holds 1 month: one row of 2025-Q1 and one of 2025-03 are two."""
    init(monitor, "2025-03-01", "2026-02-28")
    assert monitor("import", csv_file(tmp_path, "a.csv", [f"{CONTRACT},2025-Q1,ww,K-1,36,1,,,"])).exit_code == 0
    result = monitor("import", csv_file(tmp_path, "b.csv", [f"{CONTRACT},2025-03,ww,K-1,36,1,,,"]))
    assert result.exit_code == ExitCode.INVALID
    line = realised(spec)[0]["id"]
    assert (f"b.csv, line 2, field months: K-1 has 1 month of ww in 2025-Q1 already (ledger line #{line}: 1 month);"
            " with the 1 month of this row that makes 2, but only 1 month of 2025-Q1 (2025-03-01 to 2025-03-31) lies"
            f" within contract {CONTRACT} (2025-03-01 to 2026-02-28)") in " ".join(result.stderr.split())


def _copy_line(spec, line_id):  # noqa: F811
    """A line as the importer took it before it counted a person's months (a copy of line_id); its id."""
    from impactkit.monitor.lines import LINE_COLUMNS

    columns = ", ".join(LINE_COLUMNS)
    with open_store(spec) as s:
        with s.write():
            s.execute(f"INSERT INTO lines ({columns}) SELECT {columns} FROM lines WHERE id = ?", (line_id,))
        return s.one("SELECT max(id) AS n FROM lines")["n"]


def test_lines_imported_before_the_rule_are_told_and_not_accepted_beyond_the_period(monitor, spec, tmp_path):  # noqa: F811
    init(monitor)
    assert monitor("import", EXAMPLES / "monitor" / "q1.csv").exit_code == 0
    k1, k2, invoice = (r["id"] for r in realised(spec))
    k1_copy, k2_copy = _copy_line(spec, k1), _copy_line(spec, k2)
    doc = json.loads(monitor("status", CONTRACT, "--on", "2024-04-01", "--json").stdout)[0]
    assert doc["months_over"] == [
        {"candidate": "K-001", "block": "participatiewet", "period": "2024-Q1", "months": "6", "room": 3,
         "lines": [k1, k1_copy]},
        {"candidate": "K-002", "block": "banenafspraak", "period": "2024-Q1", "months": "6", "room": 3,
         "lines": [k2, k2_copy]}]
    text = " ".join(monitor("status", CONTRACT, "--on", "2024-04-01").stdout.split())
    assert (f"note: K-001 has 6 months of participatiewet in 2024-Q1 (ledger line #{k1}: 3 months; ledger line "
            f"#{k1_copy}: 3 months), but 2024-Q1 lasts 3 months") in text
    # review accepts no more months than the period has: all or nothing, as every review
    result = monitor("review", "--accept", k1, "--accept", k1_copy, "--accept", invoice)
    assert result.exit_code == ExitCode.INVALID
    assert (f"line #{k1_copy}: K-001 has 3 months of participatiewet in 2024-Q1 accepted already (ledger line "
            f"#{k1}: 3 months); accepting the 3 months of this line makes 6, but 2024-Q1 lasts 3 months") \
        in " ".join(result.stderr.split())
    assert {r["status"] for r in realised(spec)} == {"claimed"}
    assert monitor("review", "--accept", k1, "--accept", invoice).exit_code == 0
    assert monitor("review", "--accept", k1_copy).exit_code == ExitCode.INVALID
    assert monitor("review", "--reject", k1_copy).exit_code == 0
    # asked one by one, an acceptance beyond the period is told and asked again
    assert monitor("review", "--accept", k2).exit_code == 0
    result = monitor("review", input="a\nr\n")
    assert result.exit_code == 0 and "1 line reviewed" in result.stderr
    assert f"line #{k2_copy}: K-002 has 3 months of banenafspraak in 2024-Q1 accepted already" in result.stderr
    status = {r["id"]: r["status"] for r in realised(spec)}
    assert (status[k1_copy], status[k2_copy]) == ("rejected", "rejected")
    assert json.loads(monitor("status", CONTRACT, "--on", "2024-04-01", "--json").stdout)[0]["months_over"] == []


# 4. a totals row under the realisations ----------------------------------------------------------

def test_a_totals_row_is_skipped_and_named(monitor, spec, tmp_path):  # noqa: F811
    from .test_score_reading import set_cached

    init(monitor)
    path = tmp_path / "q2.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Realisatie"
    ws.append(["Realisatie Q2 2024"])
    ws.append(["Nr", "Contract", "Periode", "Bouwblok", "Kandidaat", "Uren per week", "Maanden", "Bedrag"])
    ws.append([1, CONTRACT, "2024-Q2", "participatiewet", "K-001", 24, 3, None])  # 3
    ws.append([2, CONTRACT, "2024-Q2", "opleidingskosten", None, None, None, 450])  # 4
    ws.append([3, CONTRACT, "2024-Q2", "opleidingskosten", None, None, None, 450])  # 5
    ws.append([None, "Totaal", None, None, None, None, "=SUM(G3:G5)", "=SUM(H3:H5)"])  # 6: no computed value
    wb.save(path)
    result = monitor("import", path)
    assert result.exit_code == 0, result.output
    assert "3 new lines imported" in result.stderr
    assert "note: q2.xlsx › Realisatie, line 6: a totals row ('Totaal'), not a realisation; not imported" in result.stderr
    assert [r["amount_100"] for r in realised(spec)] == [None, 45000, 45000]
    with open_store(spec) as s:
        assert json.loads(s.one("SELECT detail FROM audit WHERE action = 'import'")["detail"])["totals_rows_skipped"] == 1
    # the label in the first column (no known column), the sums with their computed values; in Dutch
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Realisatie"
    ws.append(["Realisatie Q3 2024"])
    ws.append(["Nr", "Contract", "Periode", "Bouwblok", "Kandidaat", "Uren per week", "Maanden", "Bedrag"])
    ws.append([None, CONTRACT, "2024-Q3", "participatiewet", "K-001", 24, 3, None])  # 3
    ws.append(["Subtotaal", None, None, None, None, None, "=SUM(G3:G3)", None])  # 4
    wb.save(path)
    set_cached(path, "xl/worksheets/sheet1.xml", [("SUM(G3:G3)", 3)])
    result = monitor("import", path, lang="nl")
    assert result.exit_code == 0, result.output
    assert "let op: q2.xlsx › Realisatie, regel 4: een totaalrij ('Subtotaal'), geen realisatie; niet ingelezen" \
        in result.stderr
    # a CSV file alike
    csv = csv_file(tmp_path, "q4.csv", [f"{CONTRACT},2024-Q4,opleidingskosten,,,,100,,", "Totaal,,,,,,100,,"])
    result = monitor("import", csv)
    assert result.exit_code == 0 and "1 new line imported" in result.stderr
    assert "note: q4.csv, line 3: a totals row ('Totaal'), not a realisation; not imported" in result.stderr
    assert len(realised(spec)) == 5


def test_score_and_monitor_find_the_same_totals_rows(tmp_path):
    """One rule for both commands (io/sheets/totals.py): the rows score rejects as totals rows are those
    the importer skips."""
    from impactkit.batch.score import score
    from impactkit.i18n import Translator
    from impactkit.io.sheets.read import read_input
    from impactkit.monitor.importer import _rows

    labels = ["Totaal", "totalen", "Subtotaal", "Som", "Eindtotaal", "Grand total", "Totaalprijs", "Summer"]
    bids, realisations = tmp_path / "bids.csv", tmp_path / "realisations.csv"
    bids.write_text("aanbesteding,menu,opdrachtwaarde,inschrijver,bouwblok,bedrag\n"
                    + "".join(f"{label},,,,,1\n" for label in labels), encoding="utf-8")
    realisations.write_text("contract,periode,bouwblok,bedrag\n" + "".join(f"{label},2024-Q1,,1\n" for label in labels),
                            encoding="utf-8")
    result = score(read_input([bids]), Translator("en"))
    rejected = {r.row for r in result.rejections if r.key == "reject_totals_row"}
    _, _, _, skipped = _rows(realisations)
    assert set(skipped) == rejected and rejected and len(rejected) < len(labels)


def test_status_finds_months_beyond_a_period_column_wise_nested_periods_included():
    """months.overruns reads every line status reads at once; its findings, on lines of quarters, months
    and half-years, against sums made here by the calendar (a period holds the periods whose days it holds)."""
    from impactkit.monitor.ledger import award
    from impactkit.monitor.months import overruns
    from impactkit.monitor.periods import parse_period

    contract = award(EXAMPLES / "tender.yaml", "Aannemer A", date(2024, 1, 1), date(2025, 12, 31)).contract
    lines_ = [  # id, period, block, candidate, months
        (1, "2024-Q1", "ww", "A", 3), (2, "2024-Q1", "ww", "A", 3),  # 6 in a quarter
        (3, "2024-Q1", "ww", "B", 3), (4, "2024-Q2", "ww", "B", 3),  # fits
        (5, "2024-H1", "ww", "C", 4), (6, "2024-Q2", "ww", "C", 3),  # 7 in a half-year
        (7, "2024-Q3", "ww", "D", 2), (8, "2024-08", "ww", "D", 1), (9, "2024-H2", "ww", "D", 3.5),  # 3 in 2024-Q3, 6.5 in the half-year
        (10, "2024-Q1", "opleidingskosten", None, None), (11, "2024-Q1", "ww", None, 3), (12, "2024-Q1", "ww", None, 3),
        (13, "2024-Q1", "wajong", "A", 3),  # another block
        (14, "2025-Q1", "ww", "E", 1), (15, "2025-01", "ww", "E", 1), (16, "2025-02", "ww", "E", 1),
        (17, "2025-03", "ww", "E", 1), (18, "2025-H1", "ww", "E", 1),  # 4 in 2025-Q1, and 5 in 2025-H1 because of it
    ]
    columns = [[x[0] for x in lines_], [contract.id] * len(lines_), ["realised"] * len(lines_),
               [x[1] for x in lines_], [x[2] for x in lines_], [x[3] for x in lines_],
               [None if x[4] is None else int(x[4] * 100) for x in lines_]]
    found = overruns({contract.id: contract}, *columns)[contract.id]
    # the sums by the calendar: per candidate and block, each period of their lines holds the lines within it
    expected = []
    for person in sorted({(x[3], x[2]) for x in lines_ if x[3] is not None and x[2] != "opleidingskosten"}):
        mine = [x for x in lines_ if (x[3], x[2]) == person]
        told = []
        for text in sorted({x[1] for x in mine}, key=lambda t: (parse_period(t).months, parse_period(t).start)):
            p = parse_period(text)
            inside = [x for x in mine if p.start <= parse_period(x[1]).start and parse_period(x[1]).end <= p.end]
            if sum(x[4] for x in inside) > p.months and not any(p.start <= t.start and t.end <= p.end for t in told):
                told.append(p)
                expected.append((person[0], person[1], text, sorted(x[0] for x in inside)))
    assert sorted((o.candidate, o.block, o.period.text, [h.ref for h in o.lines]) for o in found) == sorted(expected)
    assert {(c, p) for c, _, p, _ in expected} == {("A", "2024-Q1"), ("C", "2024-H1"), ("D", "2024-H2"),
                                                   ("E", "2025-Q1")}
