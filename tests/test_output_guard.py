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
