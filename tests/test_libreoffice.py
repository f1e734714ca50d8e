"""The exported workbook opens and recalculates in a real spreadsheet program.

Runs where LibreOffice is installed (`apt-get install libreoffice-calc-nogui`); skipped
elsewhere, with the reason shown in the test summary.
"""

import csv
import shutil
import subprocess
from decimal import Decimal

import pytest

from impactkit.engine import evaluate_tender
from impactkit.i18n import Translator
from impactkit.report.check_workbook import write_check_workbook
from impactkit.io.tender_file import load_tender

from .conftest import EXAMPLES

SOFFICE = shutil.which("soffice")
# CSV filter options: comma, double quote, UTF-8, first line 1, ..., every sheet (-1)
EVERY_SHEET_AS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def sheets_as_csv(book, folder) -> dict[str, list[dict]]:
    """Open a workbook in LibreOffice (which recalculates it) and read every sheet back as CSV."""
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
         EVERY_SHEET_AS_CSV, str(book), "--outdir", str(folder / "out")],
        check=True, capture_output=True, timeout=180,
    )
    sheets = {}
    for path in (folder / "out").glob(f"{book.stem}-*.csv"):
        with open(path, encoding="utf-8") as fh:
            sheets[path.stem[len(book.stem) + 1:]] = list(csv.DictReader(fh))
    return sheets


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_values_and_the_stored_coverage(tmp_path):
    result = evaluate_tender(*load_tender(EXAMPLES / "tender.yaml"))
    book = write_check_workbook(result, Translator("en"), tmp_path / "report.xlsx")
    rows = sheets_as_csv(book, tmp_path)["Summary"]
    assert [r["Bidder"] for r in rows] == [b.bidder for b in result.bids]
    for row, bid in zip(rows, result.bids):
        assert Decimal(row["Obligation"]) == bid.obligation.amount
        assert Decimal(row["Credited"]) == bid.credited
        # a stored number with a percent format (no formula): LibreOffice shows it to a tenth of a percent
        shown = Decimal(row["Coverage"].rstrip("%"))
        assert abs(shown / 100 - bid.credited / bid.obligation.amount) <= Decimal("0.0005")
        assert row["Coverage"].endswith("%") and "." in row["Coverage"]


def pdf_pages(book, folder) -> int:
    """Print a workbook to PDF with LibreOffice, as a user would, and count the pages."""
    import re

    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
                    str(book), "--outdir", str(folder / "pdf")], check=True, capture_output=True, timeout=180)
    return len(re.findall(rb"/Type\s*/Page[^s]", (folder / "pdf" / f"{book.stem}.pdf").read_bytes()))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_workbooks_print_a_page_or_two_a_sheet(tmp_path):
    # before: the score workbook of six bids printed on 44 pages, check's on 19 (columns cut over pages)
    import openpyxl

    from impactkit.batch.score import score
    from impactkit.io.sheets.read import read_input
    from impactkit.report.score_workbook import write_score_workbook

    tr = Translator("en")
    books = [write_check_workbook(evaluate_tender(*load_tender(EXAMPLES / "tender.yaml")), tr, tmp_path / "check.xlsx"),
             write_score_workbook(score(read_input([EXAMPLES / "bids.xlsx"]), tr), tr, tmp_path / "score.xlsx")]
    for book in books:
        sheets = len(openpyxl.load_workbook(book).worksheets)
        assert pdf_pages(book, tmp_path) <= 2 * sheets, book.name


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_score_workbook(tmp_path):
    from impactkit.batch.score import score
    from impactkit.report.score_files import ordered
    from impactkit.report.score_workbook import write_score_workbook
    from impactkit.io.sheets.read import read_input

    result = score(read_input([EXAMPLES / "bids.xlsx"]), Translator("en"))
    book = write_score_workbook(result, Translator("en"), tmp_path / "results.xlsx")
    sheets = sheets_as_csv(book, tmp_path)
    rows = sheets["Summary"]
    bids = [result.bids[i] for i in ordered(result)]
    assert [(r["Tender"], r["Bidder"]) for r in rows] == [(b.tender_id, b.bidder) for b in bids]
    for row, bid in zip(rows, bids):
        assert Decimal(row["Obligation"]) == bid.obligation.amount
        assert Decimal(row["Credited"]) == bid.credited
        assert int(row["Rank"]) == bid.rank
    lines = sheets["Lines"]
    assert len(lines) == result.rows_scored
    assert [Decimal(r["Credit"]) for r in lines] == [Decimal(int(c)) / 100 for c in result.lines["credit"]]
    assert all(Decimal(r["Block credit"]) + Decimal(r["Bonus credit"]) == Decimal(r["Credit"]) for r in lines)
    assert len(sheets["Rejected"]) == len(result.rejections)
    # the first sheet, as a client sees it: every bid with its rank, and how its obligation is computed
    with open(tmp_path / "out" / "results-Overview.csv", encoding="utf-8") as fh:
        overview = list(csv.reader(fh))
    for bid in bids:
        line = next(r for r in overview if len(r) > 8 and r[1] == bid.bidder)
        assert int(line[0]) == bid.rank and Decimal(line[5]) == bid.obligation.amount
        assert line[8].endswith(f"= {Translator('en').eur(bid.obligation.gross)}") or "(" in line[8]
