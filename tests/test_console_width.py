"""Output sent to a file or a pipe, or shown on a narrow terminal, keeps every amount, id and URL
whole: rich would assume 80 columns and cut "€500,000.00" to "€500,0…" or a block id to
"jongere_zonder_startkwa…", and break a URL over two lines."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from impactkit.i18n import Translator
from impactkit.menus import resolve_menu
from tests.conftest import EXAMPLES

NO_COLUMNS = {"COLUMNS": None}  # as `impactkit ... > file` or `| less`: no terminal, no COLUMNS


def test_score_into_a_pipe_keeps_every_amount(invoke, tmp_path):
    json_run = invoke("score", EXAMPLES / "bids.xlsx", "--json", env=NO_COLUMNS)
    table = invoke("score", EXAMPLES / "bids.xlsx", env=NO_COLUMNS)
    assert table.exit_code == json_run.exit_code == 0, table.output
    assert "…" not in table.stdout
    tr = Translator("en")
    for bid in json.loads(json_run.stdout)["bids"]:
        for key in ("obligation", "credited"):
            assert tr.eur(Decimal(bid[key])) in table.stdout, (key, bid[key])


def test_a_narrow_terminal_folds_a_long_id_instead_of_cutting_it(invoke):
    result = invoke("menus", "show", "haaglanden-zhc", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines() if "│" in line) <= 80  # the table fits
    block = "jongere_zonder_startkwalificatie"
    table = "".join(line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│"))
    assert block in table  # folded over lines, every letter there


@pytest.mark.parametrize("columns", ["60", "100", None])
def test_a_url_is_never_broken_in_the_middle(invoke, columns):
    menu = resolve_menu("utrecht").menu
    result = invoke("menus", "show", "utrecht", env={"COLUMNS": columns})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for source in menu.sources:
        assert any(source.url in line for line in lines), source.url


def test_a_pipe_does_not_wrap_at_80_columns(invoke):
    result = invoke("obligation", "-m", "utrecht", "-v", "800000", env=NO_COLUMNS)
    assert result.exit_code == 0
    (rule,) = [line for line in result.stdout.splitlines() if line.startswith("Rule:")]
    assert len(rule) > 80 and rule.rstrip().endswith("the tender documents bind")  # one line, as written


def test_a_table_of_single_words_keeps_them_whole_beside_a_column_that_wraps(invoke):
    result = invoke("menus", "diff", "utrecht@1", "utrecht@2", env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "ondersteuning_werkzoekenden " in result.stdout and "…" not in result.stdout
