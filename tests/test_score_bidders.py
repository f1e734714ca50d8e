"""One bid per bidder, however the name is written: case, spaces and a legal form (or none)."""

import json

import pytest

from impactkit.batch.bidders import bidder_key


@pytest.mark.parametrize("a, b", [("Dubbel BV", "dubbel b.v."), ("Dubbel", "Dubbel B.V."), ("Bouw & Zn V.O.F.", "bouw & zn"),
                                  ("Dubbel\u00a0BV", "DUBBEL  BV"), ("Bouwbedrijf Müller & Zn", "Bouwbedrijf Muller en Zn"),
                                  ("Jansen+Zn B.V.", "jansen en zn"), ("Café Één", "cafe een bv")])
def test_spellings_of_one_bidder_share_a_key(a, b):
    assert bidder_key(a) == bidder_key(b)


def test_other_bidders_keep_their_own_key():
    assert bidder_key("Dubbel") != bidder_key("Dubbel Bouw") and bidder_key("BV") == "bv"
    assert bidder_key("A&B Bouw") != bidder_key("AB Bouw") and bidder_key("En Route") != bidder_key("Route")


def test_a_bidder_written_with_and_without_its_legal_form_is_one_bid(invoke, tmp_path):
    path = tmp_path / "bids.csv"
    path.write_text("Aanbesteding;Menu;Opdrachtwaarde;Inschrijver;Inschrijfsom;Bouwblok;Kandidaat;Uren per week;Maanden\n"
                    "T1;utrecht;500000;Schoon Combinatie B.V.;400000;ww;A;36;6\n"
                    "T1;utrecht;500000;Schoon Combinatie;;ww;B;36;6\n", encoding="utf-8")
    document = json.loads(invoke("score", path, "--json").stdout)
    (bid,) = document["bids"]
    assert bid["bidder"] == "Schoon Combinatie B.V." and bid["obligation"] == "20000.00"  # 5% of its own price
    assert any("written as" in n["message"] for n in document["notes"])


def test_the_templates_example_rows_are_rejected_as_such(invoke, tmp_path):
    import openpyxl

    template = tmp_path / "template.xlsx"
    assert invoke("template", template, "--menu", "utrecht").exit_code == 0
    result = invoke("score", template, "--json")  # returned as written, example rows left in
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["bids"] == []
    assert {r["reason"] for r in document["rejected"]} == {"reject_example_row"}
    assert len(document["rejected"]) == 1 + sum(1 for _ in openpyxl.load_workbook(template)["Bijdragen"].iter_rows(
        min_row=2, values_only=True))


@pytest.mark.parametrize("name", ["out.csv", "out.ods", "out"])
def test_the_results_workbook_must_be_named_xlsx(invoke, tmp_path, name):
    from tests.conftest import EXAMPLES

    result = invoke("score", EXAMPLES / "bids.xlsx", "-o", tmp_path / name)
    assert result.exit_code == 2 and "--csv" in result.output and not (tmp_path / name).exists()


def test_lines_csv_carries_explanations_when_asked(invoke, tmp_path):
    import csv

    from tests.conftest import EXAMPLES

    plain, explained = tmp_path / "plain", tmp_path / "explained"
    assert invoke("score", EXAMPLES / "bids.xlsx", "--csv", plain).exit_code == 0
    assert invoke("score", EXAMPLES / "bids.xlsx", "--csv", explained, "--explain").exit_code == 0
    rows = list(csv.DictReader(open(plain / "lines.csv", encoding="utf-8")))
    with_text = list(csv.DictReader(open(explained / "lines.csv", encoding="utf-8")))
    assert "explanation" not in rows[0] and all(r["explanation"] for r in with_text)
    assert [r["credit"] for r in rows] == [r["credit"] for r in with_text]


def test_the_same_file_given_twice_is_refused_not_counted_twice(invoke, tmp_path):
    """A user tester scored tenders.xlsx zeewind.xlsx zeewind.xlsx (also as ./zeewind.xlsx and as a
    download copy "zeewind (1).xlsx"): every bid in it counted twice, with no word."""
    import shutil

    from impactkit.errors import ExitCode
    from tests.conftest import EXAMPLES

    first = tmp_path / "bids.xlsx"
    shutil.copy(EXAMPLES / "bids.xlsx", first)
    shutil.copy(first, tmp_path / "bids (1).xlsx")
    for second, words in ((tmp_path / "bids (1).xlsx", f"the same contents as {first}"), (first, "given twice")):
        result = invoke("score", first, second, "-o", tmp_path / "out.xlsx")
        assert result.exit_code == ExitCode.INVALID and words in result.stderr, result.output
        assert not (tmp_path / "out.xlsx").exists()


def test_two_different_files_of_the_same_size_are_both_scored(invoke, tmp_path):
    header = "Aanbesteding;Menu;Opdrachtwaarde;Inschrijver;Bouwblok;Kandidaat;Uren per week;Maanden\n"
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text(header + "T1;utrecht;500000;Alfa BV;ww;A;36;6\n", encoding="utf-8")
    two.write_text(header + "T1;utrecht;500000;Beta BV;ww;B;36;6\n", encoding="utf-8")
    assert one.stat().st_size == two.stat().st_size
    document = json.loads(invoke("score", one, two, "--json").stdout)
    assert sorted(b["bidder"] for b in document["bids"]) == ["Alfa BV", "Beta BV"]


def test_a_tender_given_in_two_files_names_the_first_and_what_differs(invoke, tmp_path):
    """A tester's bidder returned the tenders sheet too, with another contract value: the rejection
    said only "first on row 2", not in which file, nor that the values differed."""
    import openpyxl

    from tests.conftest import EXAMPLES

    def tenders(path, value):
        book = openpyxl.load_workbook(EXAMPLES / "bids.xlsx")
        del book["Bijdragen"]
        sheet = book["Aanbestedingen"]
        column = [c.value for c in sheet[1]].index("Opdrachtwaarde") + 1
        sheet.cell(2, column).value = value
        book.properties.title = path.name  # files of other bytes, even with the same values
        book.save(path)

    tenders(tmp_path / "ours.xlsx", 500000)
    tenders(tmp_path / "same.xlsx", 500000)
    tenders(tmp_path / "theirs.xlsx", 750000)
    for other, words in (("same.xlsx", "with the same values (first in ours.xlsx › Aanbestedingen, row 2)"),
                         ("theirs.xlsx", "with other values (Opdrachtwaarde) than in ours.xlsx › Aanbestedingen, row 2")):
        result = invoke("score", tmp_path / "ours.xlsx", tmp_path / other, EXAMPLES / "bids.xlsx", "--json")
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        (rejected,) = [r for r in document["rejected"] if r["row"] == 2 and other in r["source"]]
        assert words in rejected["message"], rejected
        obligation = next(b for b in document["bids"] if b["bidder"] == "Bouwbedrijf B")["obligation"]
        assert obligation == "25000.00"  # 5% of the first file's 500,000 counts


def test_a_bid_price_far_from_the_contract_value_is_named_for_checking(invoke, tmp_path):
    """A tester typed "1.250,00" for a price of 1,250,000 on an 800,000 tender: the bid ranked first
    with a coverage of 16,000% and nothing questioned the price."""
    path = tmp_path / "bids.csv"
    path.write_text("Aanbesteding;Menu;Opdrachtwaarde;Inschrijver;Inschrijfsom;Bouwblok;Kandidaat;Uren per week;Maanden\n"
                    "T1;utrecht;800000;Alfa BV;1.250,00;ww;A;36;6\n"
                    "T1;utrecht;800000;Beta BV;790000;ww;B;36;6\n"
                    "T1;utrecht;800000;Gamma BV;9000000;ww;C;36;6\n", encoding="utf-8")
    document = json.loads(invoke("score", path, "--json").stdout)
    notes = {b["bidder"]: (b["base"]["note"] or "") for b in document["bids"]}
    assert "check the price" in notes["Alfa BV"] and "0.2% of the tender's contract value €800,000.00" in notes["Alfa BV"]
    assert "is 1,125% of" in notes["Gamma BV"]  # 9,000,000 / 800,000
    assert notes["Beta BV"] == ""  # within a tenth and ten times: no word
    alfa = next(b for b in document["bids"] if b["bidder"] == "Alfa BV")
    assert alfa["obligation"] == "62.50"  # scored as given: the note asks, it does not guess
    # the same price on a row rejected for another reason: both are said
    path.write_text(path.read_text(encoding="utf-8").replace("Alfa BV;1.250,00;ww;A;36;6", "Alfa BV;1.250,00;ww;A;36;zes"),
                    encoding="utf-8")
    document = json.loads(invoke("score", path, "--json").stdout)
    note = next(b["base"]["note"] for b in document["bids"] if b["bidder"] == "Alfa BV")
    assert "taken from a row that was itself rejected" in note and "0.2% of the tender's contract value" in note


def test_a_tender_id_written_otherwise_is_named_with_the_one_meant(invoke, tmp_path):
    """A tester's row said 'dh-2025-07 ' for DH-2025-07 and was told only that it was not on the sheet."""
    from .batchfiles import contribution, write_xlsx

    typed = ["DH-2025-07", "dh-2025-07 ", "DH-2025-7", "ZZ-1"]
    path = write_xlsx(tmp_path / "bids.xlsx", [["DH-2025-07", "utrecht", 500000, None]],
                      [contribution(t, "A", "ww", f"K-{n}", 36, 6) for n, t in enumerate(typed)])
    document = json.loads(invoke("score", path, "--json").stdout)
    told = {r["row"]: r["message"] for r in document["rejected"]}
    assert told[3].endswith("is not on the tenders sheet; did you mean DH-2025-07?")
    assert told[4].endswith("did you mean DH-2025-07?") and told[5].endswith("is not on the tenders sheet")
