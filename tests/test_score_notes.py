"""Notes of a `score` run that point a reviewer at what may be a slip: a rate far above the menu's."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import openpyxl
import pytest

from impactkit.errors import ExitCode
from impactkit.menus import resolve_menu
from impactkit.rules.terms import RATE_HIGH, RATE_TIMES_MENU

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
