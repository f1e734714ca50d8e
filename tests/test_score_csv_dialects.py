"""`score --csv DIR --csv-dialect excel-nl|excel`: CSV files a spreadsheet opens in columns, with
accents as written and numbers as numbers, beside the plain default for programs."""

from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from impactkit.errors import ExitCode

from .batchfiles import CONTRIBUTION_HEADERS, write_xlsx

TENDERS = [["T-1", "haaglanden-zhc", 1_250_000, None], ["T-2", "utrecht", 400_000, None]]
MONEY = {"summary.csv": ("obligation", "credited", "shortfall", "surplus", "base_amount"),
         "lines.csv": ("credit", "block_credit", "bonus_credit")}
SHARES = {"summary.csv": ("coverage",)}


def row(tender="T-1", bidder="A", block="participatiewet", price=None, **facts):
    values = {"Aanbesteding": tender, "Inschrijver": bidder, "Inschrijfsom": price, "Bouwblok": block, **facts}
    return [values.get(h) for h in CONTRIBUTION_HEADERS]


@pytest.fixture
def both(invoke, tmp_path):
    """The same run written plain and as excel-nl: (plain folder, excel-nl folder)."""
    rows = [
        row(bidder="Café Één B.V.", price=1_000_000, Kandidaat="K-1", **{"Uren per week": 32, "Maanden": 7,
                                                                          "Leeftijd": 58}),
        row(bidder="Müller; Zoon", block="ww", Kandidaat="K-2", **{"Uren per week": 36, "Maanden": 6}),
        row(bidder="Müller; Zoon", block="nope"),
        row(tender="T-2", bidder="=Schoon", block="mvo_uren", **{"Uren": 40}),
    ]
    source = write_xlsx(tmp_path / "bids.xlsx", TENDERS, rows)
    plain, dutch = tmp_path / "plain", tmp_path / "nl"
    assert invoke("score", source, "--csv", plain, "--explain").exit_code == 0
    result = invoke("score", source, "--csv", dutch, "--csv-dialect", "excel-nl", "--explain")
    assert result.exit_code == 0, result.output
    return plain, dutch


def records(path, **options) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, **options))


def test_excel_nl_is_utf8_with_bom_semicolons_and_decimal_commas(both):
    plain, dutch = both
    for name in ("summary.csv", "lines.csv", "rejected.csv"):
        raw = (dutch / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and not (plain / name).read_bytes().startswith(b"\xef\xbb\xbf")
        assert raw.count(b"\r\n") == raw.count(b"\n")  # Windows line ends, as Excel writes them
        ours, theirs = records(dutch / name, delimiter=";"), records(plain / name)
        assert len(ours) == len(theirs) and ours and list(ours[0]) == list(theirs[0])
        for mine, other in zip(ours, theirs):
            for column, value in other.items():
                if column in MONEY.get(name, ()) + SHARES.get(name, ()):
                    assert "." not in mine[column] and "," in mine[column], (name, column, mine[column])
                    assert Decimal(mine[column].replace(",", ".")) == Decimal(value)
                else:  # every other field is the same text, accents and all, in one cell
                    assert mine[column] == value, (name, column)
    summary = records(dutch / "summary.csv", delimiter=";")
    assert {r["bidder"] for r in summary} == {"Café Één B.V.", "Müller; Zoon", "'=Schoon"}  # still formula-safe


def test_pandas_reads_the_same_numbers_from_both(both):
    plain, dutch = both
    for name in ("summary.csv", "lines.csv"):
        ours = pd.read_csv(dutch / name, sep=";", decimal=",", encoding="utf-8-sig")
        theirs = pd.read_csv(plain / name)
        assert list(ours.columns) == list(theirs.columns)
        for column in MONEY[name] + SHARES.get(name, ()):
            assert ours[column].dtype.kind == "f" or ours[column].dtype.kind == "i", (name, column)
        pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)


def test_excel_english_keeps_commas_and_points_but_adds_the_bom(invoke, both, tmp_path):
    plain, _ = both
    folder = tmp_path / "en"
    assert invoke("score", tmp_path / "bids.xlsx", "--csv", folder, "--csv-dialect", "Excel", "--explain").exit_code == 0
    for name in ("summary.csv", "lines.csv", "rejected.csv"):
        raw = (folder / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert raw[3:].replace(b"\r\n", b"\n") == (plain / name).read_bytes()


def test_an_unknown_dialect_or_one_without_csv_is_a_usage_error(invoke, tmp_path, both):
    source = tmp_path / "bids.xlsx"
    result = invoke("score", source, "--csv", tmp_path / "x", "--csv-dialect", "excel-be")
    assert result.exit_code == ExitCode.USAGE and "plain, excel, excel-nl" in result.output
    assert not (tmp_path / "x").exists()
    result = invoke("--lang", "nl", "score", source, "--csv-dialect", "excel-nl")
    assert result.exit_code == ExitCode.USAGE and "geef ook --csv" in result.output


SOFFICE = shutil.which("soffice")


def libreoffice_opens(path, folder, separator: int, language: int) -> list[tuple]:
    """Open a CSV file in LibreOffice as a spreadsheet with the given locale would (separator,
    character set found from the byte order mark) and read the cells it made back."""
    options = f"Text - txt - csv (StarCalc):{separator},34,,1,,{language}"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{folder}/profile", f"--infilter={options}",
                    "--convert-to", "xlsx", str(path), "--outdir", str(folder / "out")],
                   check=True, capture_output=True, timeout=180)
    book = openpyxl.load_workbook(folder / "out" / (path.stem + ".xlsx"))
    return list(book.active.iter_rows(values_only=True))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_dutch_spreadsheet_opens_excel_nl_in_columns_with_numbers(both, tmp_path):
    plain, dutch = both
    for name in ("summary.csv", "lines.csv"):
        cells = libreoffice_opens(dutch / name, tmp_path / name, separator=59, language=1043)  # ';', nl-NL
        head, body = cells[0], cells[1:]
        expected = records(plain / name)
        assert list(head) == list(expected[0]) and len(body) == len(expected)
        for got, want in zip(body, expected):
            got = dict(zip(head, got))
            for column in MONEY[name] + SHARES.get(name, ()):
                assert isinstance(got[column], (int, float)), (name, column, got[column])
                assert Decimal(str(got[column])) == Decimal(want[column])
            assert got["bidder"] == want["bidder"]  # accents and the ';' in a name intact
