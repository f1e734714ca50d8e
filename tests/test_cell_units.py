"""Cells as bidders type them in `score`: a number with its unit ("36 uur", "12 mnd", "55 jaar",
"€ 99,-"), a block by its label, a PSO trede in the certification column. Each is read as meant,
or rejected saying what the column expects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from impactkit.batch.score import score
from impactkit.i18n import Translator
from impactkit.i18n.problems import message_text
from impactkit.io.sheets.numbers import parse_number
from impactkit.io.sheets.read import read_input

from .batchfiles import write_csv

HEADERS = ["Aanbesteding", "Menu", "Opdrachtwaarde", "Inschrijver", "Bouwblok", "Kandidaat", "Uren per week",
           "Maanden", "Leeftijd", "Bedrag", "Uren", "Inschrijfsom"]


def run(tmp_path, rows, headers=HEADERS):
    path = write_csv(tmp_path / "bids.csv", headers, rows, sep=";")
    return score(read_input([path]), Translator("en"))


def row(block, candidate=None, hours_per_week=None, months=None, age=None, amount=None, hours=None, price=None,
        bidder="A BV", contract="500000"):
    return ["T-1", "haaglanden-zhc", contract, bidder, block, candidate, hours_per_week, months, age, amount, hours,
            price]


def credits(result):
    return {(b.bidder, b.credited) for b in result.bids}


def test_a_unit_that_fits_its_column_is_read_as_the_number(tmp_path):
    typed = run(tmp_path, [row("participatiewet", "A1", "36 uur", "12 mnd", "55 jaar", price="€ 480.000,-"),
                           row("participatiewet", "A2", "24,5 u/w", "6 maanden"),
                           row("opleidingskosten", amount="99,-"), row("opleidingskosten", amount="€ 1.250,-")])
    plain = run(tmp_path, [row("participatiewet", "A1", "36", "12", "55", price="480000"),
                           row("participatiewet", "A2", "24,5", "6"),
                           row("opleidingskosten", amount="99"), row("opleidingskosten", amount="1250")])
    assert typed.rejections == [] and plain.rejections == []
    assert credits(typed) == credits(plain)
    assert typed.bids[0].obligation.amount == Decimal("24000.00")  # 5% of the bid price 480.000,-


@pytest.mark.parametrize("column, text, counts_in, words", [
    (6, "36 mnd", "hour_per_week", "give the number of hours a week (uren per week)"),
    (7, "12 uur", "month", "give the number of months (maanden)"),
    (7, "12 stuks", "month", "give the number of months (maanden)"),
    (8, "55 mnd", "year", "give the number of years (jaar)"),
    (9, "12 uur", "euro", "give the number of euros"),
    (6, "€ 36", "hour_per_week", "give the number of hours a week"),
])
def test_a_unit_the_column_does_not_count_in_is_named(tmp_path, column, text, counts_in, words):
    cells = row("participatiewet", "A1", "36", "12") if column < 9 else row("opleidingskosten", amount="100")
    cells[column] = text
    result = run(tmp_path, [cells])
    (rejection,) = result.rejections
    assert (rejection.value, rejection.key, rejection.params) == (text, "reject_unit", {"counts_in": counts_in})
    assert rejection.column == HEADERS[column]
    assert words in message_text(rejection.key, rejection.params, Translator("en"))
    assert message_text(rejection.key, rejection.params, Translator("nl")).startswith("een eenheid waarin")


def test_units_outside_a_column_and_scientific_numbers():
    assert parse_number("36 uur", column="hours") == 36
    assert parse_number("36 uur", column="months") is None
    assert parse_number("36 uur") is None  # without a column, no unit is known
    assert parse_number("1e5", column="hours") == Decimal("1e5")
    assert parse_number("€ 1.250,-", column="amount") == 1250


def test_labels_typed_out_are_blocks_and_near_misses_name_them(tmp_path):
    by_label = run(tmp_path, [row("WW uitkering", "A1", "36", "12"), row("Participatiewet-uitkering", "A2", "36", "12"),
                              row("Opleiding en bijzondere begeleiding", amount="100")])
    by_id = run(tmp_path, [row("ww", "A1", "36", "12"), row("participatiewet", "A2", "36", "12"),
                           row("opleidingskosten", amount="100")])
    assert by_label.rejections == [] and credits(by_label) == credits(by_id)
    near = run(tmp_path, [row("Opleiding", amount="100"), row("WIA/WAO", "A1", "36", "12")])
    hints = {r.value: r.params["hint"] for r in near.rejections}
    assert hints == {"Opleiding": "opleidingskosten", "WIA/WAO": "wia"}


def test_a_trede_in_the_certification_column_points_to_the_trede_column(tmp_path):
    headers = [*HEADERS, "PSO gecertificeerd"]
    result = run(tmp_path, [[*row("ww", "A1", "36", "12"), "trede 2"], [*row("ww", "B1", "36", "12", bidder="B"), "soms"]],
                 headers)
    keys = {r.value: r.key for r in result.rejections}
    assert keys == {"trede 2": "reject_pso_certified_is_trede", "soms": "reject_not_bool"}
    text = message_text("reject_pso_certified_is_trede", {}, Translator("en"))
    assert "a PSO trede goes in a column of its own, headed PSO trede" in text


def test_error_cells_show_their_error_as_the_value(invoke, tmp_path):
    # before: the Value of a rejected #N/A cell was empty in the Rejected sheet and in the JSON
    import json

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Aanbestedingen"
    ws.append(["Aanbesteding", "Menu", "Opdrachtwaarde"])
    ws.append(["T-1", "haaglanden-zhc", 500000])
    rows = wb.create_sheet("Bijdragen")
    rows.append(["Aanbesteding", "Inschrijver", "Bouwblok", "Kandidaat", "Uren per week", "Maanden", "Inschrijfsom"])
    rows.append(["T-1", "A", "ww", "K1", 36, 12, None])
    rows.append(["T-1", "A", "ww", "K2", 36, None, None])
    rows.append(["T-1", "B", "ww", "K3", 36, 12, None])
    for ref, error in (("F3", "#N/A"), ("G4", "#DIV/0!")):
        rows[ref].value, rows[ref].data_type = error, "e"
    wb.save(tmp_path / "bids.xlsx")
    result = invoke("score", tmp_path / "bids.xlsx", "--json", "-o", tmp_path / "results.xlsx")
    assert result.exit_code == 0, result.output
    said = {(r["row"], r["column"]): r["value"] for r in json.loads(result.stdout)["rejected"]}
    assert said == {(3, "Maanden"): "#N/A", (4, "Inschrijfsom"): "#DIV/0!"}
    sheet = openpyxl.load_workbook(tmp_path / "results.xlsx")["Rejected"]
    header = [c.value for c in sheet[1]]
    shown = {(r[header.index("Row")], r[header.index("Column")]): r[header.index("Value")]
             for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert shown == said
