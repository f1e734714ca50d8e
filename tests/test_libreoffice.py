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
from impactkit.report.xlsx import write_check_workbook
from impactkit.tender import load_tender

from .conftest import EXAMPLES

SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_values_and_recalculates_coverage(tmp_path):
    result = evaluate_tender(*load_tender(EXAMPLES / "tender.yaml"))
    book = write_check_workbook(result, Translator("en"), tmp_path / "report.xlsx")
    # CSV filter options: comma, double quote, UTF-8, first line 1, ..., every sheet (-1)
    options = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", options,
         str(book), "--outdir", str(tmp_path / "out")],
        check=True, capture_output=True, timeout=180,
    )
    with open(tmp_path / "out" / "report-Summary.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["Bidder"] for r in rows] == [b.bidder for b in result.bids]
    for row, bid in zip(rows, result.bids):
        assert Decimal(row["Obligation"]) == bid.obligation.amount
        assert Decimal(row["Credited"]) == bid.credited
        coverage = Decimal(row["Coverage"].rstrip("%")) / 100  # the formula, computed by LibreOffice
        assert abs(coverage - bid.credited / bid.obligation.amount) < Decimal("1e-9")
