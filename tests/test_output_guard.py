"""An output never replaces an input of the same command, nor anything but a regular file."""

import shutil

import pytest

from impactkit.errors import ExitCode
from tests.conftest import EXAMPLES


@pytest.fixture
def tender(tmp_path):
    path = tmp_path / "t.yaml"
    shutil.copy(EXAMPLES / "tender.yaml", path)
    return path


def test_check_refuses_to_write_its_workbook_over_the_tender(invoke, tender):
    before = tender.read_bytes()
    result = invoke("check", tender, "--xlsx", tender)
    assert result.exit_code == ExitCode.OUTPUT
    assert "overwrite the input" in result.stderr
    assert tender.read_bytes() == before


def test_check_refuses_a_folder_as_workbook(invoke, tender, tmp_path):
    result = invoke("check", tender, "--xlsx", tmp_path)
    assert result.exit_code == ExitCode.OUTPUT and tmp_path.is_dir()


def test_assess_refuses_to_write_over_its_answers(invoke, tmp_path):
    answers = tmp_path / "a.yaml"
    shutil.copy(EXAMPLES / "assessment.yaml", answers)
    before = answers.read_bytes()
    for option in ("--xlsx", "--md"):
        result = invoke("assess", "--answers", answers, "--no-input", option, answers)
        assert result.exit_code == ExitCode.OUTPUT, result.output
        assert answers.read_bytes() == before


def test_score_refuses_to_write_over_its_input(invoke, tmp_path):
    bids = tmp_path / "bids.xlsx"
    shutil.copy(EXAMPLES / "bids.xlsx", bids)
    before = bids.read_bytes()
    assert invoke("score", bids, "-o", bids).exit_code == ExitCode.OUTPUT
    assert bids.read_bytes() == before


def test_portfolio_refuses_to_write_over_the_ledger(invoke, tmp_path, tender):
    ledger = tmp_path / "L.sqlite"
    assert invoke("monitor", "--db", ledger, "init", tender, "--bid", "Aannemer A", "--start", "2024-01-01",
                  "--end", "2025-12-31").exit_code == 0
    result = invoke("monitor", "--db", ledger, "portfolio", "--xlsx", ledger)
    assert result.exit_code == ExitCode.OUTPUT
    assert ledger.read_bytes().startswith(b"SQLite format 3")  # still the ledger, not a workbook
    assert invoke("monitor", "--db", ledger, "status").exit_code == 0


def _other_commands_input(tmp_path, name):
    """A file another command reads: a second tender, the contractor's realisations, answers."""
    path = tmp_path / name
    source = {".yaml": EXAMPLES / "tender.yaml", ".csv": EXAMPLES / "monitor" / "q2.csv"}[path.suffix]
    shutil.copy(source, path)
    return path


@pytest.mark.parametrize("lang, words", [("en", "a workbook is written to a file ending in .xlsx"),
                                         ("nl", "een werkmap wordt geschreven naar een bestand dat eindigt op .xlsx")])
@pytest.mark.parametrize("name, command", [
    ("t5.yaml", lambda target, tmp: ["check", EXAMPLES / "tender.yaml", "--xlsx", target]),
    ("q2-2025.csv", lambda target, tmp: ["monitor", "--db", tmp / "ledger.sqlite", "portfolio", "--xlsx", target]),
    ("k2.yaml", lambda target, tmp: ["assess", "--answers", EXAMPLES / "assessment.yaml", "--no-input", "--xlsx", target]),
    ("bid.yaml", lambda target, tmp: ["score", EXAMPLES / "bids.xlsx", "-o", target]),
])
def test_a_workbook_is_not_written_over_another_commands_input(invoke, tmp_path, name, command, lang, words):
    """A user tester turned a tender file into a workbook with `check t4.yaml --xlsx t5.yaml`, and
    the contractor's CSV with `monitor portfolio --xlsx q2-2025.csv`: neither is an input of that
    command, so the guard against overwriting inputs let them through."""
    target = _other_commands_input(tmp_path, name)
    before = target.read_bytes()
    if "monitor" in command(target, tmp_path):
        assert invoke("monitor", "--db", tmp_path / "ledger.sqlite", "init", EXAMPLES / "tender.yaml", "--bid",
                      "Aannemer A", "--start", "2024-01-01", "--end", "2025-12-31").exit_code == 0
    result = invoke("--lang", lang, *command(target, tmp_path))
    assert result.exit_code == ExitCode.USAGE and words in result.output, result.output
    assert target.read_bytes() == before


@pytest.mark.parametrize("option, name", [("--md", "profile.html"), ("--html", "profile.md")])
def test_a_report_is_named_as_its_kind(invoke, tmp_path, option, name):
    result = invoke("assess", "--answers", EXAMPLES / "assessment.yaml", "--no-input", option, tmp_path / name)
    assert result.exit_code == ExitCode.USAGE and option in result.output
    assert not (tmp_path / name).exists()
