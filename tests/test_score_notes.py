"""Notes of a `score` run that point a reviewer at what may be a slip: a rate far above the menu's,
identical contribution rows, and the bidder spellings joined in every file (also the second)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import openpyxl
import pytest

from impactkit.errors import ExitCode
from impactkit.menus import resolve_menu
from impactkit.rules.terms import RATE_HIGH, RATE_TIMES_MENU

from .batchfiles import CONTRIBUTION_HEADERS, write_xlsx

COMBINED = ["Aanbesteding", "Menu", "Opdrachtwaarde", "Percentage", "Inschrijver", "Bouwblok", "Kandidaat",
            "Uren per week", "Maanden", "Bedrag"]


def write_csv(path, headers, rows, sep=";", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh, delimiter=sep)
        writer.writerow(headers)
        writer.writerows([["" if v is None else v for v in r] for r in rows])
    return path


def run(invoke, *args):
    result = invoke("score", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def notes_of(document, key):
    return [n for n in document["notes"] if n["note"] == key]


def workbook_notes(path) -> list[tuple]:
    return list(openpyxl.load_workbook(path)["Reading notes"].iter_rows(min_row=2, values_only=True))


# --- 2. the rate ------------------------------------------------------------------------------------

MENU_RATE = resolve_menu("haaglanden-zhc").menu.obligation.rate


def rate_rows(*rates):
    return [[f"T-{i}", "haaglanden-zhc", 500000, rate, "A", "ww", f"K-{i}", 36, 6, None]
            for i, rate in enumerate(rates, 1)]


@pytest.mark.parametrize("typed", [5, "5", "5,0"])
def test_a_rate_typed_as_a_percentage_number_says_how_to_write_it(invoke, tmp_path, typed):
    book = tmp_path / "rates.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(COMBINED)
    wb.active.append(rate_rows(typed)[0])
    wb.save(book)
    document = run(invoke, book)
    (rejected,) = document["rejected"]
    assert rejected["row"] == 2 and rejected["column"] == "Percentage"
    assert "must be at most 1 (got 5)" in rejected["message"] and "write 0.05 for 5%" in rejected["message"]
    assert "5%" in rejected["message"].split("(in a spreadsheet also ")[1]


def test_check_says_the_same_for_a_tender_file(invoke, tender_file):
    for field, given, fraction in (("rate", 5, "0.05"), ("rate", 12.5, "0.125"), ("pso_discount", 10, "0.1")):
        result = invoke("check", tender_file(**{field: given}))
        assert result.exit_code == ExitCode.INVALID
        assert f"field {field}: must be at most 1" in result.stderr and f"write {fraction} for" in result.stderr
    result = invoke("--lang", "nl", "check", tender_file(rate=5))
    assert "schrijf 0.05 voor 5%" in result.stderr


def test_a_rate_far_above_the_menus_is_scored_and_noted_by_row(invoke, tmp_path):
    times = MENU_RATE * RATE_TIMES_MENU  # the highest rate that passes without a note
    above = times + Decimal("0.01")
    rows = rate_rows("0,5", "50%", str(times).replace(".", ","), str(above).replace(".", ","), None)
    source = write_csv(tmp_path / "rates.csv", COMBINED, rows)
    out = tmp_path / "out.xlsx"
    document = run(invoke, source, "-o", out)
    obligations = {b["tender_id"]: Decimal(b["obligation"]) for b in document["bids"]}
    assert obligations == {"T-1": Decimal("250000.00"), "T-2": Decimal("250000.00"), "T-3": 500000 * times,
                           "T-4": 500000 * above, "T-5": 500000 * MENU_RATE}  # scored as given, never rejected
    high = {n["row"]: n for n in document["notes"] if n["note"].startswith("note_rate_high")}
    assert sorted(high) == [2, 3, 5]  # 0,5 and 50% (10 times) and just above 3 times; not 3 times, not the menu's
    assert all(n["column"] == "Percentage" and n["source"] == "rates.csv" for n in high.values())
    assert high[2]["note"] == "note_rate_high_number" and "0,5 is read as a rate of 50%" in high[2]["message"]
    assert "10 times the 5% of menu haaglanden-zhc" in high[2]["message"] and "write 0,5%" in high[2]["message"]
    assert high[3]["note"] == "note_rate_high" and "write" not in high[3]["message"]  # 50% was written as such
    noted = {(r[1], r[2]) for r in workbook_notes(out) if "check that it is meant" in r[3]}
    assert noted == {(2, "Percentage"), (3, "Percentage"), (5, "Percentage")}


def test_a_rate_above_twenty_percent_is_noted_whatever_the_menu(invoke, tmp_path):
    assert RATE_HIGH < MENU_RATE * 5  # the shipped menus ask 2% to 5%: this case needs a menu of one's own
    rows = [["T-1", "fryslan", 500000, "21%", "A", "ww", "K-1", 36, 6, None]]
    document = run(invoke, write_csv(tmp_path / "rates.csv", COMBINED, rows))
    (note,) = notes_of(document, "note_rate_high")
    assert "21%" in note["message"] and "10.5 times the 2%" in note["message"]
    dutch = json.loads(invoke("--lang", "nl", "score", tmp_path / "rates.csv", "--json").stdout)
    assert "10,5 keer de 2%" in notes_of(dutch, "note_rate_high")[0]["message"]


# --- 3. identical rows ------------------------------------------------------------------------------

def contribution(tender="T-1", bidder="Bouw A", block="ww", **facts):
    values = {"Aanbesteding": tender, "Inschrijver": bidder, "Bouwblok": block, **facts}
    return [values.get(h) for h in CONTRIBUTION_HEADERS]


def test_identical_rows_both_count_with_a_note_naming_them(invoke, tmp_path):
    same = {"Kandidaat": "K-1", "Uren per week": 36, "Maanden": 6}
    rows = [
        contribution(**same),  # row 2
        contribution(bidder="bouw a b.v.", block="WW", **{**same, "Uren per week": "36,0"}),  # row 3: the same, written otherwise
        contribution(**{**same, "Maanden": 12}),  # row 4: one fact differs
        contribution(bidder="Bouw C", **same),  # row 5: another bid
        contribution(block="opleidingskosten", Bedrag=1250),  # row 6
        contribution(block="opleidingskosten", Bedrag="1.250,00"),  # row 7: the same invoice amount again
        contribution(**same),  # row 8: a third time
    ]
    book = write_xlsx(tmp_path / "bids.xlsx", [["T-1", "haaglanden-zhc", 500000, None]], rows)
    out = tmp_path / "out.xlsx"
    document = run(invoke, book, "-o", out)
    lines = {line["row"]: Decimal(line["credit"]) for line in document["lines"]}
    # every row is scored; the equal invoices both count in full, the candidate's rows up to the block's cap
    assert sorted(lines) == [2, 3, 4, 5, 6, 7, 8] and lines[2] == lines[3] > 0 and lines[6] == lines[7] == 1250
    bid = next(b for b in document["bids"] if b["bidder"] == "Bouw A")
    assert Decimal(bid["credited"]) == sum(v for r, v in lines.items() if r != 5)
    found = notes_of(document, "note_identical_rows")
    assert [(n["source"], n["row"]) for n in found] == [("bids.xlsx › Bijdragen", 2), ("bids.xlsx › Bijdragen", 6)]
    assert found[0]["message"].startswith("rows 2-3, 8 are identical (3 rows of the bid of 'Bouw A', T-1")
    assert "each counts" in found[0]["message"] and found[1]["message"].startswith("rows 6-7 are identical (2 rows")
    assert [r[:2] for r in workbook_notes(out) if "are identical" in r[3]] == [("bids.xlsx › Bijdragen", 2),
                                                                              ("bids.xlsx › Bijdragen", 6)]
    explained = {line["row"]: line["explanation"] for line in document["lines"]}
    assert "identical to row 2 of the same bid" in explained[8] and "identical" not in explained[4]
    dutch = json.loads(invoke("--lang", "nl", "score", book, "--json").stdout)
    assert notes_of(dutch, "note_identical_rows")[0]["message"].startswith("rijen 2-3, 8 zijn gelijk")


def test_identical_rows_in_two_files_name_both(invoke, tmp_path):
    same = {"Kandidaat": "K-1", "Uren per week": 36, "Maanden": 6}
    book = write_xlsx(tmp_path / "bids.xlsx", [["T-1", "haaglanden-zhc", 500000, None]], [contribution(**same)])
    copy = write_csv(tmp_path / "later.csv", CONTRIBUTION_HEADERS, [contribution(**same)])
    document = run(invoke, book, copy)
    (note,) = notes_of(document, "note_identical_rows")
    assert note["source"] == "bids.xlsx › Bijdragen" and note["row"] == 2
    assert note["message"].startswith("rows 2; later.csv: 2 are identical (2 rows")


def test_no_note_without_identical_rows(invoke, tmp_path):
    rows = [contribution(Kandidaat=f"K-{i}", **{"Uren per week": 36, "Maanden": 6}) for i in range(3)]
    book = write_xlsx(tmp_path / "bids.xlsx", [["T-1", "haaglanden-zhc", 500000, None]], rows)
    assert notes_of(run(invoke, book), "note_identical_rows") == []


# --- 4. bidders joined, in the second file too ------------------------------------------------------

def test_a_second_file_names_the_spellings_it_joined(invoke, tmp_path):
    """The first file writes the bidder one way (another tender); the second, a UTF-8 CSV with a byte
    order mark, two ways. The note used to sit only at the first file's row, so the second file's
    spellings went unnamed there."""
    book = write_xlsx(tmp_path / "first.xlsx", [["T-1", "haaglanden-zhc", 500000, None]],
                      [contribution(bidder="Café Één BV", Kandidaat="K-1", **{"Uren per week": 36, "Maanden": 6})])
    second = write_csv(tmp_path / "second.csv", COMBINED, [  # the tender's fields on every row
        ["T-2", "haaglanden-zhc", 600000, None, "Café Één BV", "ww", "K-2", 36, 6, None],
        ["T-2", "haaglanden-zhc", 600000, None, "Café Één B.V.", "ww", "K-3", 36, 6, None],
    ], encoding="utf-8-sig")
    assert second.read_bytes().startswith(b"\xef\xbb\xbf")
    alone = notes_of(run(invoke, second, "--csv", tmp_path / "alone"), "note_bidders_joined")
    assert [(n["source"], n["row"]) for n in alone] == [("second.csv", 2)]
    out = tmp_path / "out.xlsx"
    document = run(invoke, book, second, "-o", out)
    joined = [n for n in document["notes"] if n["note"].startswith("note_bidders_joined")]
    assert [(n["source"], n["row"]) for n in joined] == [("second.csv", 2)]
    assert joined[0]["message"] == ("one bidder 'Café Één BV' (as first written in first.xlsx › Bijdragen, row 2), "
                                    "written here as 'Café Één BV', 'Café Één B.V.'")
    assert any(r[0] == "second.csv" and "Café Één B.V." in r[3] for r in workbook_notes(out))
    assert {b["bidder"] for b in document["bids"]} == {"Café Één BV"}  # one name, two bids (two tenders)


def test_each_file_that_writes_a_name_otherwise_says_so(invoke, tmp_path):
    headers = ["Aanbesteding", "Menu", "Opdrachtwaarde", "Inschrijver", "Bouwblok", "Kandidaat", "Uren per week",
               "Maanden"]
    first = write_csv(tmp_path / "a.csv", headers, [["T-1", "utrecht", 500000, "Dubbel BV", "ww", "K-1", 36, 6],
                                                    ["T-1", "utrecht", 500000, "dubbel", "ww", "K-2", 36, 6]])
    second = write_csv(tmp_path / "b.csv", headers, [["T-2", "utrecht", 500000, "Dubbel B.V.", "ww", "K-3", 36, 6]])
    third = write_csv(tmp_path / "c.csv", headers, [["T-3", "utrecht", 500000, "Dubbel BV", "ww", "K-4", 36, 6]])
    document = run(invoke, first, second, third)
    joined = [(n["source"], n["row"], n["note"]) for n in document["notes"] if n["note"].startswith("note_bidders")]
    # a.csv joins its own two spellings; b.csv's name was changed to a.csv's; c.csv writes it as shown: no note
    assert joined == [("a.csv", 2, "note_bidders_joined"), ("b.csv", 2, "note_bidders_joined_elsewhere")]


def test_a_sheet_pasted_in_twice_names_the_first_groups_and_counts_the_rest(invoke, tmp_path, monkeypatch):
    from impactkit.batch import identical

    monkeypatch.setattr(identical, "SHOWN_GROUPS", 3)
    rows = [contribution(Kandidaat=f"K-{i}", **{"Uren per week": 36, "Maanden": 6}) for i in range(5)]
    book = write_xlsx(tmp_path / "bids.xlsx", [["T-1", "haaglanden-zhc", 500000, None]], rows + rows)
    document = run(invoke, book)
    assert len(document["lines"]) == 10  # every row counts
    named = notes_of(document, "note_identical_rows")
    assert [(n["row"], n["message"].split(" are ")[0]) for n in named] == [(2, "rows 2, 7"), (3, "rows 3, 8"),
                                                                          (4, "rows 4, 9")]
    (rest,) = notes_of(document, "note_identical_rows_more")
    assert rest["row"] == 5 and rest["message"].startswith("2 more groups of identical rows (4 rows), after the 3")
    explained = {line["row"]: line["explanation"] for line in document["lines"]}
    assert "identical to row 6 of the same bid" in explained[11]  # the rows not named one by one


def test_cells_with_more_than_two_decimals_are_rounded_once_and_noted(invoke, tmp_path):
    """A tester typed 1.234,565 and 0.005 and saw them counted as cents without a word."""
    rows = [["T-1", "haaglanden-zhc", 500000, None, "A", "ww", "X", 24.33333333, 6, None],
            ["T-1", "haaglanden-zhc", 500000, None, "A", "opleidingskosten", None, None, None, "1.234,565"],
            ["T-1", "haaglanden-zhc", 500000, None, "A", "opleidingskosten", None, None, None, "1.000,005"]]
    path = write_csv(tmp_path / "bids.csv", COMBINED, rows)
    document = run(invoke, path)
    rounded = {n["column"]: n for n in notes_of(document, "note_rounded_hundredths")}
    assert set(rounded) == {"Uren per week", "Bedrag"}
    assert rounded["Bedrag"]["message"].startswith("2 cells with more than two decimals, such as '1.234,565', "
                                                   "rounded half-up to 1234.57")
    credits = sorted(Decimal(line["credit"]) for line in document["lines"] if line["block"] == "opleidingskosten")
    assert credits == [Decimal("1000.01"), Decimal("1234.57")]  # each cell half-up once, as the note says
    plain = write_csv(tmp_path / "plain.csv", COMBINED, [r[:7] + [24.33, 6, None] for r in rows[:1]])
    assert notes_of(run(invoke, plain), "note_rounded_hundredths") == []
