"""Every sheet of every workbook impactkit writes prints as people expect: on A4, fitted to the
page width, landscape where its columns are wide, its frozen header repeated on every page; and no
cell holds a formula that a program reading stored values would find empty."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from impactkit.io.xlsx_style import PORTRAIT_WIDTH
from tests.conftest import EXAMPLES


def write_every_workbook(invoke, folder):
    folder.mkdir(exist_ok=True)
    """(name, path) of each workbook a command writes, made through the commands as a user would."""
    tender = folder / "tender.yaml"
    shutil.copy(EXAMPLES / "tender.yaml", tender)
    ledger = folder / "ledger.sqlite"
    runs = {
        "check": ["check", tender, "--xlsx", folder / "check.xlsx"],
        "score": ["score", EXAMPLES / "bids.xlsx", "-o", folder / "score.xlsx"],
        "plan": ["plan", EXAMPLES / "plan.yaml", "--xlsx", folder / "plan.xlsx", "--write-bid", folder / "bid.xlsx"],
        "template": ["template", folder / "template.xlsx"],
        "assess": ["assess", "--answers", EXAMPLES / "assessment-assen-2024.yaml", "--no-input", "--xlsx",
                   folder / "assess.xlsx"],
        "summary": ["assess", "summary", EXAMPLES / "assessment-assen-2024.yaml",
                    EXAMPLES / "assessment-hoogeveen-2024.yaml", "--xlsx", folder / "summary.xlsx"],
        "history": ["assess", "history", EXAMPLES / "assessment-assen-2024.yaml",
                    EXAMPLES / "assessment-assen-2025.yaml", "--xlsx", folder / "history.xlsx"],
    }
    assert invoke("monitor", "--db", ledger, "init", tender, "--bid", "Aannemer A", "--start", "2024-01-01",
                  "--end", "2025-12-31").exit_code == 0
    runs["portfolio"] = ["monitor", "--db", ledger, "portfolio", "--xlsx", folder / "portfolio.xlsx"]
    books = {}
    for name, args in runs.items():
        result = invoke(*args)
        assert result.exit_code in (0, 1), (name, result.output)
        books[name] = folder / f"{name}.xlsx"
    books["bid"] = folder / "bid.xlsx"
    return books


def width(ws) -> float:
    widths = {column_index_from_string(k): d.width for k, d in ws.column_dimensions.items() if d.width}
    return sum(widths.get(c, 9) for c in range(1, max([ws.max_column, *widths]) + 1))


def test_every_sheet_of_every_workbook_has_a_print_setup(invoke, tmp_path):
    books = write_every_workbook(invoke, tmp_path)
    assert len(books) == 9
    for name, path in books.items():
        for ws in openpyxl.load_workbook(path).worksheets:
            where = f"{name}: {ws.title}"
            setup = ws.page_setup
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), where
            assert int(setup.paperSize) == 9, where  # A4
            assert setup.orientation == ("landscape" if width(ws) > PORTRAIT_WIDTH else "portrait"), where
            if ws.freeze_panes:
                frozen = int("".join(ch for ch in ws.freeze_panes if ch.isdigit())) - 1
                assert ws.print_title_rows == f"$1:${frozen}", where


def test_wide_sheets_print_landscape_and_the_lines_repeat_their_header(invoke, tmp_path):
    books = write_every_workbook(invoke, tmp_path)
    lines = openpyxl.load_workbook(books["score"])["Lines"]
    assert lines.page_setup.orientation == "landscape" and lines.print_title_rows == "$1:$1"
    summary = openpyxl.load_workbook(books["check"])["Summary"]
    assert summary.print_title_rows == "$1:$1"


@pytest.mark.parametrize("data_only", [False, True])
def test_check_stores_coverage_as_a_number(invoke, tmp_path, data_only):
    # before: =IF(B2=0,1,C2/B2) without a stored value, empty for any program that reads values
    import json

    out = tmp_path / "check.xlsx"
    result = invoke("check", EXAMPLES / "tender.yaml", "--xlsx", out, "--json")
    bids = json.loads(result.stdout)["bids"]
    summary = openpyxl.load_workbook(out, data_only=data_only)["Summary"]
    for row, bid in enumerate(bids, start=2):
        cell = summary.cell(row=row, column=4)
        assert isinstance(cell.value, (int, float)) and cell.number_format.endswith("%")
        expected = float(bid["credited"]) / float(bid["obligation"]) if float(bid["obligation"]) else 1.0
        assert abs(cell.value - expected) < 1e-6


def test_the_dutch_sheet_names_say_what_the_english_ones_say(invoke, tmp_path):
    # before: Overview was "Uitkomst" (outcome) and Summary "Overzicht" (overview)
    out = tmp_path / "uitslag.xlsx"
    assert invoke("--lang", "nl", "score", EXAMPLES / "bids.xlsx", "-o", out).exit_code == 0
    dutch = openpyxl.load_workbook(out).sheetnames
    english = openpyxl.load_workbook(write_every_workbook(invoke, tmp_path / "en")["score"]).sheetnames
    words = {"Overview": "Overzicht", "Summary": "Samenvatting", "Lines": "Regels", "Rejected": "Afgewezen",
             "Reading notes": "Inleesnotities", "Menus": "Menu's"}
    assert dutch == [words.get(name, name) for name in english]
