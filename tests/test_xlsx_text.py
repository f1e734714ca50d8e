"""Text from users in workbooks: a control character or NUL in a name no longer stops the report
(openpyxl's IllegalCharacterError), stays readable as a visible symbol, and text never becomes a
formula; one rule (impactkit.io.text, applied by impactkit.io.xlsx_style) for every sheet."""

from __future__ import annotations

import csv
import zipfile

import openpyxl
import pytest

from impactkit.engine import evaluate_tender
from impactkit.i18n import Translator
from impactkit.report.check_workbook import write_check_workbook
from impactkit.io.text import MAX_CELL_TEXT, visible_text
from impactkit.io.tender_file import load_tender
from impactkit.model.tender import TenderFile
from tests.conftest import EXAMPLES

NASTY = "Bouw\x00bedrijf\x07 \x1b[31mB\x7f\x9b"
SHOWN = "Bouw␀bedrijf␇ ␛[31mB␡\ufffd"
FORMULA = '=HYPERLINK("http://example.org","klik")\x00'


def test_visible_text_keeps_every_other_character():
    assert visible_text(NASTY) == SHOWN
    text = "Tab\tand\nlines\r, é, €, 中文, 😀, \u202e"
    assert visible_text(text) == text
    assert visible_text("\ud800x\ufffe\uffff") == "\ufffdx\ufffd\ufffd"


def test_text_longer_than_a_cell_is_cut_visibly():
    cut = visible_text("x" * (MAX_CELL_TEXT + 10))
    assert len(cut) == MAX_CELL_TEXT and cut.endswith("…")


def test_check_workbook_with_control_characters_in_names(tmp_path):
    # before: openpyxl's IllegalCharacterError (impactkit exit 70)
    tender_file, lines = load_tender(EXAMPLES / "tender.yaml")
    data = tender_file.model_dump(mode="python", by_alias=True)
    data["bids"][1]["bidder"] = NASTY
    data["bids"][0]["bidder"] = FORMULA
    data["bids"][0]["contributions"][0]["candidate"] = "K\x01"
    result = evaluate_tender(TenderFile.model_validate(data), lines)
    out = write_check_workbook(result, Translator("en"), tmp_path / "check.xlsx")
    book = openpyxl.load_workbook(out)
    summary = book.worksheets[0]
    assert [summary.cell(row=r, column=1).value for r in (2, 3)] == [FORMULA.replace("\x00", "␀"), SHOWN]
    cell = summary.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.quotePrefix  # text, and a spreadsheet keeps it text when edited
    candidates = {c.value for c in book.worksheets[1]["E"][1:]}
    assert "K␁" in candidates


def test_score_workbook_and_csv_with_control_characters_in_names(invoke, tmp_path):
    # before: score -o ended with exit 70 (IllegalCharacterError) for a NUL in a bidder's name
    source = tmp_path / "bids.csv"
    with open(source, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Aanbesteding", "Menu", "Opdrachtwaarde", "Inschrijver", "Bouwblok", "Kandidaat",
                         "Uren per week", "Maanden"])
        writer.writerow(["T-1", "haaglanden-zhc", "500000", NASTY, "participatiewet", "K\x01", "24", "6"])
        writer.writerow(["T-1", "haaglanden-zhc", "500000", FORMULA, "participatiewet", "K-2", "24", "6"])
    out = tmp_path / "results.xlsx"
    result = invoke("score", source, "-o", out, "--csv", tmp_path / "csv")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    summary, lines = book["Summary"], book["Lines"]

    def column(ws, title):
        header = next(r for r in ws.iter_rows(max_row=5) if any(c.value == title for c in r))
        at = next(c for c in header if c.value == title)
        return [ws.cell(row=r, column=at.column) for r in range(at.row + 1, ws.max_row + 1)
                if ws.cell(row=r, column=at.column).value is not None]

    bidders = {cell.value: cell for cell in column(summary, "Bidder")}
    assert set(bidders) == {SHOWN, FORMULA.replace("\x00", "␀")}
    assert bidders[FORMULA.replace("\x00", "␀")].data_type == "s"
    assert {c.value for c in column(lines, "Bidder")} == set(bidders)  # the streamed sheet: same rule
    assert {c.value for c in column(lines, "Candidate")} == {"K␁", "K-2"}
    with zipfile.ZipFile(out) as archive:  # no formula anywhere in the file
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


@pytest.mark.parametrize("value", [None, 12, 3.5])
def test_values_that_are_not_text_pass_unchanged(value):
    from impactkit.io.xlsx_style import cell_value

    assert cell_value(value) == value
