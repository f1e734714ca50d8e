"""An output option replaces last week's result, but never a file impactkit did not write: a
contractor's realisation sheet, a report someone made by hand, a tender typed as YAML. Each
case writes real files, runs the command as a user would and reads the files back."""

from __future__ import annotations

import hashlib
import shutil

import openpyxl
import pytest

from impactkit.errors import ExitCode
from impactkit.io.ownership import written_by_impactkit
from tests.conftest import EXAMPLES


@pytest.fixture
def work(tmp_path):
    for name in ("tender.yaml", "bids.xlsx", "assessment.yaml", "plan.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


def contractors_sheet(path):
    """A workbook as another program saves it (openpyxl's own creator, as any other tool's)."""
    wb = openpyxl.Workbook()
    wb.active.append(["contract", "periode", "bouwblok"])
    wb.active.append(["GEM-2024-017", "2024-Q1", "ww"])
    wb.save(path)
    return path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


COMMANDS = {
    "check": lambda w, out: ["check", w / "tender.yaml", "--xlsx", out],
    "score": lambda w, out: ["score", w / "bids.xlsx", "-o", out],
    "plan": lambda w, out: ["plan", w / "plan.yaml", "--xlsx", out],
    "assess": lambda w, out: ["assess", "--answers", w / "assessment.yaml", "--no-input", "--xlsx", out],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_workbook_impactkit_did_not_write_is_never_replaced(invoke, work, command):
    target = contractors_sheet(work / "realisatie-q1.xlsx")
    before = digest(target)
    result = invoke(*COMMANDS[command](work, target))
    assert result.exit_code == ExitCode.OUTPUT, result.output
    assert f"{target}: refused: this file exists and was not written by impactkit" in result.stderr
    assert digest(target) == before


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_last_weeks_result_is_replaced_also_after_it_was_edited(invoke, work, command):
    target = work / "result.xlsx"
    assert invoke(*COMMANDS[command](work, target)).exit_code == 0
    assert written_by_impactkit(target)
    edited = openpyxl.load_workbook(target)  # opened, annotated and saved again, as people do
    edited.worksheets[0]["A1"].comment = openpyxl.comments.Comment("gezien", "Anna")
    edited.save(target)
    assert written_by_impactkit(target)
    again = invoke(*COMMANDS[command](work, target))
    assert again.exit_code == 0, again.output
    assert openpyxl.load_workbook(target).worksheets[0]["A1"].comment is None


@pytest.mark.parametrize("option, name, foreign", [
    ("--html", "profiel.html", "<html><head><title>ons profiel</title></head><body>met de hand</body></html>"),
    ("--md", "profiel.md", "# Ons profiel\n\nMet de hand geschreven.\n"),
])
def test_reports_written_by_hand_are_kept_and_impactkits_own_are_replaced(invoke, work, option, name, foreign):
    target = work / name
    target.write_text(foreign, encoding="utf-8")
    command = ["assess", "--answers", work / "assessment.yaml", "--no-input", option, target]
    result = invoke(*command)
    assert result.exit_code == ExitCode.OUTPUT and target.read_text(encoding="utf-8") == foreign
    target.unlink()
    assert invoke(*command).exit_code == 0 and written_by_impactkit(target)
    assert invoke(*command).exit_code == 0


def test_a_bid_is_written_over_impactkits_bid_but_not_over_a_tender_typed_by_hand(invoke, work):
    typed = work / "mijn-bod.yaml"
    shutil.copy(EXAMPLES / "tender.yaml", typed)
    before = digest(typed)
    result = invoke("plan", work / "plan.yaml", "--write-bid", typed)
    assert result.exit_code == ExitCode.OUTPUT and digest(typed) == before
    written = work / "bod.yaml"
    assert invoke("plan", work / "plan.yaml", "--write-bid", written).exit_code == 0
    assert invoke("plan", work / "plan.yaml", "--write-bid", written).exit_code == 0
    assert invoke("check", written).exit_code == 0


def test_the_portfolio_is_not_written_over_an_imported_realisation_sheet(invoke, work, tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    assert invoke("monitor", "--db", ledger, "init", work / "tender.yaml", "--bid", "Aannemer A",
                  "--start", "2024-01-01", "--end", "2025-12-31").exit_code == 0
    sheet = work / "realisatie.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["contract", "periode", "bouwblok", "kandidaat", "uren_per_week", "maanden"])
    wb.active.append(["GEM-2024-017", "2024-Q1", "ww", "K-9", 36, 3])
    wb.save(sheet)
    assert invoke("monitor", "--db", ledger, "import", sheet).exit_code == 0
    before = digest(sheet)
    result = invoke("monitor", "--db", ledger, "portfolio", "--xlsx", sheet)
    assert result.exit_code == ExitCode.OUTPUT and digest(sheet) == before


def test_a_filled_in_template_is_the_bidders_file(invoke, work):
    """A tester filled in impactkit's template as a bidder would and lost it to `check --xlsx`."""
    template = work / "sjabloon.xlsx"
    assert invoke("template", template, "--menu", "haaglanden-zhc").exit_code == 0
    filled = openpyxl.load_workbook(template)
    filled["Bijdragen"].append(["GEM-2024-017", "Bouwer Jansen", None, "ww", "J-1", 36, 12])
    filled.save(work / "jansen-ingevuld.xlsx")
    before = digest(work / "jansen-ingevuld.xlsx")
    for command in (["check", work / "tender.yaml", "--xlsx"], ["score", work / "bids.xlsx", "-o"]):
        result = invoke(*command, work / "jansen-ingevuld.xlsx")
        assert result.exit_code == ExitCode.OUTPUT and "not written by impactkit" in result.stderr
    assert digest(work / "jansen-ingevuld.xlsx") == before


@pytest.mark.parametrize("option, name", [("--md", "profiel.md"), ("--html", "profiel.html")])
def test_a_report_edited_or_pasted_into_notes_is_the_users(invoke, work, option, name):
    target = work / name
    command = ["assess", "--answers", work / "assessment.yaml", "--no-input", option, target]
    assert invoke(*command).exit_code == 0
    report = target.read_text(encoding="utf-8")
    for changed in (report.replace("impactkit", "impactkit (gelezen door Anna)", 1),  # an edit in the report
                    "# Mijn notities\n\nEigen analyse.\n\n" + report):  # the report pasted below one's notes
        target.write_text(changed, encoding="utf-8")
        result = invoke(*command)
        assert result.exit_code == ExitCode.OUTPUT, result.output
        assert "impactkit wrote this file, but it was changed since" in result.stderr
        assert target.read_text(encoding="utf-8") == changed
    own = "<html><head><meta name=\"generator\" content=\"impactkit 0.1.0\"></head><body><p>Eigen tekst</p></body></html>\n"
    target.write_text(own, encoding="utf-8")  # impactkit's meta tag copied into one's own page
    result = invoke(*command)
    assert result.exit_code == ExitCode.OUTPUT and "not written by impactkit" in result.stderr


def test_a_written_bid_that_was_edited_is_kept(invoke, work):
    bid = work / "bod.yaml"
    assert invoke("plan", work / "plan.yaml", "--write-bid", bid).exit_code == 0
    edited = bid.read_text(encoding="utf-8").replace("bidder: Jansen Bouw", "bidder: Jansen Bouw B.V.")
    bid.write_text(edited, encoding="utf-8")
    result = invoke("plan", work / "plan.yaml", "--write-bid", bid)
    assert result.exit_code == ExitCode.OUTPUT and "changed since" in result.stderr
    assert bid.read_text(encoding="utf-8") == edited


@pytest.mark.parametrize("command, words", [
    (lambda w: ["template", w / "bids.yaml", "--menu", "utrecht"], "a workbook is written to a file ending in .xlsx"),
    (lambda w: ["menus", "new", "--from", "haaglanden-zhc", "-o", w / "nieuw.xlsx"],
     "a menu (YAML) is written to a file ending in .yaml"),
])
def test_template_and_a_new_menu_are_named_as_what_they_hold(invoke, work, command, words):
    result = invoke(*command(work))
    assert result.exit_code == ExitCode.USAGE and words in result.output, result.output
    assert not (work / "bids.yaml").exists() and not (work / "nieuw.xlsx").exists()
