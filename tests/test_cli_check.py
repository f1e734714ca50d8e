"""`impactkit check` through the command line, on real files written and read back."""

import json
import re
from decimal import Decimal

import openpyxl
import pytest

from impactkit.engine import evaluate_tender
from impactkit.errors import ExitCode
from impactkit.i18n import Translator
from impactkit.io.tender_file import load_tender

from .conftest import EXAMPLES

EXAMPLE = EXAMPLES / "tender.yaml"
MONEY = re.compile(r"^\d+\.\d{2}$")


def expected(path):
    return evaluate_tender(*load_tender(path))


def test_check_example_prints_every_bid_and_its_verdict(invoke):
    result = invoke("check", EXAMPLE)
    assert result.exit_code == 0, result.output
    tr = Translator("en")
    for bid in expected(EXAMPLE).bids:
        assert bid.bidder in result.stdout
        assert tr.eur(bid.credited) in result.stdout
        assert tr.eur(bid.obligation.amount) in result.stdout
    assert "haaglanden-zhc@2023-07" in result.stdout
    assert "Traceback" not in result.output


def test_check_in_dutch(invoke, monkeypatch):
    monkeypatch.setenv("IMPACTKIT_LANG", "nl")
    result = invoke("check", EXAMPLE)
    assert result.exit_code == 0
    first = expected(EXAMPLE).bids[0]
    assert Translator("nl").eur(first.credited) in result.stdout
    assert "Verplichting" in result.stdout
    assert invoke("--lang", "en", "check", EXAMPLE).stdout.count("Obligation") >= 1


def test_json_document(invoke):
    result = invoke("check", EXAMPLE, "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["tender"]["id"] == "GEM-2024-017"
    assert {k: doc["menu"][k] for k in ("id", "version", "valid_from")} == {
        "id": "haaglanden-zhc", "version": "2023-07", "valid_from": "2023-07-01"}
    assert doc["bids"]
    for bid in doc["bids"]:
        for key in ("obligation", "credited", "shortfall", "surplus"):
            assert MONEY.match(bid[key]), (key, bid[key])
        assert Decimal(bid["credited"]) == sum(Decimal(line["credit"]) for line in bid["lines"])
        assert bid["met"] == (Decimal(bid["credited"]) >= Decimal(bid["obligation"]))
        for line in bid["lines"]:
            assert line["block"] and line["explanation"] and MONEY.match(line["credit"])
            assert line["menu_row"]["source_url"].startswith("https://")
    short = [b for b in doc["bids"] if not b["met"]]
    assert short and all(b["suggestions"] for b in short)


def test_strict_exit_code_when_a_bid_falls_short(invoke, tender_file):
    short = tender_file([{"block": "ww", "hours_per_week": 36, "months": 1}])
    assert invoke("check", short, "--strict").exit_code == ExitCode.NOT_MET
    assert invoke("check", short).exit_code == 0
    enough = tender_file([{"block": "banenafspraak", "hours_per_week": 36, "months": 12}], name="ok.yaml")
    assert invoke("check", enough, "--strict").exit_code == 0


def test_menu_option_overrides_the_tender(invoke):
    result = invoke("check", EXAMPLES / "tender-leiden.yaml", "--menu", "utrecht@2", "--json")
    assert result.exit_code == ExitCode.UNKNOWN  # maatschappelijke_activiteit is not in Utrecht's menu
    assert "maatschappelijke_activiteit" in result.stderr


def test_xlsx_workbook(invoke, tmp_path, tender_file):
    evil = "=HYPERLINK(\"http://evil.example\",\"click\")"
    path = tender_file(bids=[
        {"bidder": evil, "contract_value": 400000, "contributions": [
            {"block": "participatiewet", "candidate": "@K1", "hours_per_week": 24, "months": 6, "age": 56},
            {"block": "banenafspraak", "candidate": "-K2", "hours_per_week": 30, "months": 6}]},
        {"bidder": "+Tweede", "contributions": [{"block": "ww", "hours_per_week": 36, "months": 3}]},
    ])
    out = tmp_path / "report.xlsx"
    result = invoke("check", path, "--xlsx", out)
    assert result.exit_code == 0, result.output
    res = expected(path)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Lines", "Menu rows", "Tender"]
    summary = wb["Summary"]
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref
    assert summary["A2"].value == evil and summary["A2"].data_type == "s"
    assert summary["A3"].value == "+Tweede" and summary["A3"].data_type == "s"
    assert summary["B2"].value == float(res.bids[0].obligation.amount)
    assert summary["C2"].value == float(res.bids[0].credited)
    assert summary["B2"].number_format == '"€" #,##0.00'
    for row, bid in enumerate(res.bids, start=2):
        colour = "C6EFCE" if bid.met else "FFC7CE"  # green when met, red when not
        assert summary.cell(row=row, column=5).fill.fgColor.rgb.endswith(colour)
    assert len(summary._charts) == 1
    lines = wb["Lines"]
    assert lines["E2"].value == "@K1" and lines["E2"].data_type == "s"
    assert lines["F2"].value == float(res.bids[0].lines[0].credit)
    assert "40,000 × 24/36 × 6/12" in lines["G2"].value
    menu_rows = wb["Menu rows"]
    ids = [menu_rows.cell(row=r, column=2).value for r in range(2, menu_rows.max_row + 1)]
    assert ids == ["participatiewet", "banenafspraak", "ww", "bonus_55_plus"]
    assert [b.met for b in res.bids] == [True, False]  # both colours are exercised
    assert menu_rows["K2"].value.startswith("https://www.denhaag.nl/")


def test_xlsx_in_dutch_has_dutch_sheets(invoke, tmp_path):
    out = tmp_path / "rapport.xlsx"
    assert invoke("--lang", "nl", "check", EXAMPLE, "--xlsx", out).exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames == ["Samenvatting", "Regels", "Menuregels", "Aanbesteding"]


def test_xlsx_to_a_missing_folder_fails_cleanly(invoke, tmp_path):
    out = tmp_path / "nope" / "report.xlsx"
    result = invoke("check", EXAMPLE, "--xlsx", out)
    assert result.exit_code == ExitCode.OUTPUT
    assert "does not exist" in result.stderr
    assert not out.parent.exists()


def test_failed_write_leaves_the_old_file_and_no_temporary(invoke, tmp_path, monkeypatch):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"old")

    def broken_save(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    result = invoke("check", EXAMPLE, "--xlsx", out)
    assert result.exit_code == ExitCode.OUTPUT
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


# bad input ----------------------------------------------------------------------------

def _error(result, code):
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.stderr


def test_missing_file(invoke, tmp_path):
    err = _error(invoke("check", tmp_path / "missing.yaml"), ExitCode.FILE)
    assert "missing.yaml" in err and "file not found" in err


def test_malformed_yaml_names_the_line(invoke, write):
    path = write("broken.yaml", """
        tender:
          id: X
          menu: haaglanden-zhc
          contract_value: 100000
        bids:
          - bidder: A
            contributions: [{block: ww, hours_per_week: 36, months: 2}
    """)
    err = _error(invoke("check", path), ExitCode.INVALID)
    assert "broken.yaml" in err and "YAML syntax error" in err and re.search(r"line \d+", err)


def test_impossible_numbers_name_file_line_entry_and_field(invoke, write):
    path = write("bad.yaml", """
        tender:
          id: X
          menu: haaglanden-zhc
          contract_value: 100000
        bids:
          - bidder: A
            contributions:
              - {block: ww, hours_per_week: 70, months: 2}
              - {block: ww, hours_per_week: 36, months: 130}
              - {block: ww, hours_per_week: 36, months: twelve}
          - bidder: B
            contract_value: -5
    """)
    err = _error(invoke("check", path), ExitCode.INVALID)
    assert "bad.yaml, line 8, bid 1 › contribution 1, field hours_per_week: must be at most 60 (got 70)" in err
    assert "line 9, bid 1 › contribution 2, field months: must be at most 120 (got 130)" in err
    assert "line 10, bid 1 › contribution 3, field months: must be a number (got twelve)" in err
    assert "line 12, bid 2, field contract_value: must be at least 0 (got -5)" in err
    assert "4 problems found" in err


def test_missing_required_fields_and_typos(invoke, write):
    path = write("missing.yaml", """
        tender:
          id: X
          menu: haaglanden-zhc
        bids:
          - bidder: A
            contributions:
              - {block: ww, hours_per_wek: 36, months: 2}
    """)
    err = _error(invoke("check", path), ExitCode.INVALID)
    assert "line 1, tender, field contract_value: is required but missing" in err
    assert "field hours_per_wek: is not a known field; did you mean hours_per_week?" in err


def test_unknown_menu_and_block_suggest_nearest(invoke, tender_file):
    err = _error(invoke("check", tender_file([], menu="haaglanden")), ExitCode.UNKNOWN)
    assert "unknown menu 'haaglanden'; did you mean haaglanden-zhc?" in err
    path = tender_file([{"block": "partcipatiewet", "hours_per_week": 36, "months": 2},
                        {"block": "mvo_uren", "hours": 3}], name="blocks.yaml")
    err = _error(invoke("check", path), ExitCode.UNKNOWN)
    assert "unknown block 'partcipatiewet'; nearest: participatiewet" in err
    assert "block 'mvo_uren' is not in menu haaglanden-zhc@2023-07" in err and "utrecht@2" in err


def test_missing_fact_for_the_unit(invoke, tender_file):
    err = _error(invoke("check", tender_file([{"block": "participatiewet", "hours_per_week": 36}])),
                 ExitCode.INVALID)
    assert "field months: block participatiewet is valued per year and needs this field" in err


def test_anchors_and_non_utf8_are_refused(invoke, write, tmp_path):
    path = write("alias.yaml", """
        tender: &t
          id: X
          menu: haaglanden-zhc
          contract_value: 100000
        bids:
          - bidder: A
            contributions: []
        other: *t
    """)
    assert "aliases" in _error(invoke("check", path), ExitCode.INVALID)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("tender:\n  id: Súdwest\n".encode("latin-1"))
    assert "UTF-8" in _error(invoke("check", latin), ExitCode.INVALID)


def test_debug_shows_the_traceback(invoke, tmp_path):
    result = invoke("--debug", "check", tmp_path / "missing.yaml")
    assert result.exit_code != 0 and result.exception is not None


@pytest.mark.parametrize("lang, text", [("nl", "bestand niet gevonden"), ("en", "file not found")])
def test_errors_in_both_languages(invoke, tmp_path, lang, text):
    assert text in invoke("--lang", lang, "check", tmp_path / "x.yaml").stderr


def test_unknown_language_is_a_usage_error(invoke):
    assert invoke("--lang", "fr", "check", EXAMPLE).exit_code == ExitCode.USAGE


def test_a_menu_path_that_does_not_exist_points_at_the_tender(invoke, tender_file):
    path = tender_file([], menu="./nowhere/menu.yaml")
    err = _error(invoke("check", path), ExitCode.FILE)
    assert f"line 3, tender, field menu: menu file {path.parent / 'nowhere' / 'menu.yaml'} not found" in err


def test_a_relative_menu_path_is_taken_from_the_tender_folder(invoke, tender_file, tmp_path, monkeypatch):
    (tmp_path / "mijn-regio.yaml").write_text(invoke("menus", "new", "--from", "utrecht@1", "--id", "mijn-regio").stdout,
                                              encoding="utf-8")
    path = tender_file([{"block": "mvo_uren", "hours": 10}], menu="./mijn-regio.yaml")
    monkeypatch.chdir(tmp_path.parent)
    result = invoke("check", path, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["menu"]["ref"] == "mijn-regio@1" and doc["bids"][0]["credited"] == "1000.00"


def test_a_workbook_given_to_check_says_what_to_use(invoke):
    err = _error(invoke("check", EXAMPLES / "bids.xlsx"), ExitCode.INVALID)
    assert "spreadsheet workbook" in err and "impactkit score" in err


def test_a_large_tender_prints_one_row_per_line(invoke, tender_file, monkeypatch):
    from impactkit.cli import render

    monkeypatch.setattr(render, "COMPACT_AFTER", 5)
    lines = [{"block": "ww", "candidate": f"W-{i}", "hours_per_week": 36, "months": i + 1} for i in range(6)]
    result = invoke("check", tender_file(lines))
    assert result.exit_code == 0
    assert "each line is printed on one row" in result.stdout and "┃" not in result.stdout.split("Summary")[0]
    for i in range(6):
        credit = f"€{20000 * (i + 1) / 12:,.2f}"
        row = next(r for r in result.stdout.splitlines() if r.lstrip().startswith(f"{i + 1} ww"))
        assert f"W-{i}" in row and credit in row and f"{i + 1}/12" in row
