"""`impactkit score` reads spreadsheets the way people fill them in (each test writes a real file).

Expected credits come from `impactkit check`'s engine on the same facts typed as numbers, so
they are computed independently of the spreadsheet reading under test.
"""

import json
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from impactkit.batch.score import score
from impactkit.engine import evaluate_tender
from impactkit.errors import ExitCode
from impactkit.i18n import Translator
from impactkit.io.sheets.read import read_input
from impactkit.model.tender import Bid, Contribution, TenderFile, TenderInfo

from .batchfiles import write_csv, write_xlsx

EN = Translator("en")
NBSP = "\u00a0"


def expected(contract_value, bids, menu="haaglanden-zhc", rate=None):
    """Bids as check computes them: {bidder: (price or None, [contribution facts])}."""
    info = TenderInfo(id="T-1", menu=menu, contract_value=Decimal(contract_value),
                      rate=Decimal(rate) if rate is not None else None)
    return {b.bidder: b for b in evaluate_tender(TenderFile(tender=info, bids=tuple(
        Bid(bidder=name, contract_value=None if price is None else Decimal(price),
            contributions=tuple(Contribution(**facts) for facts in rows))
        for name, (price, rows) in bids.items()))).bids}


def by_row(result):
    return {r.row: r for r in result.rejections if r.kind == "contribution"}


# --- a Dutch Excel ;-CSV in Windows-1252 ------------------------------------------------------

DUTCH_CSV = [
    "Inschrijvingen gemeente Súdwest;;;;;;;;;;",
    ";;;;;;;;;;",
    "Aanbesteding;Menu;Opdrachtwaarde;Percentage;Inschrijver;Inschrijfsom;Bouwblok;Uren p/w;Aantal maanden;Bedrag;Leeftijd",
    "T-1;haaglanden-zhc;1.250.000;5%;Dubbel BV;€ 1.250.000;participatiewet;24,5;1.5;;40",
    "",
    "T-1;haaglanden-zhc;1.250.000;5%;Dubbel B.V.;;ww;36;6;;",
    f"T-1;haaglanden-zhc;1.250.000;5%;dubbel{NBSP} bv;;opleidingskosten;;;1.234;",
    "T-1;haaglanden-zhc;1.250.000;5%;Groen & Co;;participatiewt;36;12;;",
    "Totaal;;;;;;;;;1.234;",
]


def test_dutch_excel_csv_with_titles_blank_lines_and_dutch_numbers(tmp_path):
    path = tmp_path / "inschrijvingen.csv"
    path.write_bytes("\r\n".join(DUTCH_CSV).encode("cp1252") + b"\r\n")
    result = score(read_input([path]), EN)
    want = expected(1_250_000, {"Dubbel BV": ("1250000", [
        {"block": "participatiewet", "hours_per_week": Decimal("24.5"), "months": Decimal("1.5"), "age": 40},
        {"block": "ww", "hours_per_week": 36, "months": 6},
        {"block": "opleidingskosten", "amount": 1234}]), "Groen & Co": (None, [])}, rate="0.05")
    bids = {b.bidder: b for b in result.bids}
    assert set(bids) == {"Dubbel BV", "Groen & Co"}  # three spellings of Dubbel BV are one bid
    assert bids["Dubbel BV"].credited == want["Dubbel BV"].credited  # "1.5" months is 1.5, "24,5" hours 24.5
    assert bids["Dubbel BV"].obligation.amount == Decimal("62500.00")  # 5% x EUR 1,250,000 bid price
    # row numbers as a spreadsheet shows them: every line counts, blank ones too
    rows = {line.split(";")[4] if ";" in line else "": n for n, line in enumerate(DUTCH_CSV, start=1)}
    rejected = by_row(result)
    assert rejected[rows["Groen & Co"]].key == "reject_block_unknown"
    assert rejected[len(DUTCH_CSV)].key == "reject_totals_row"
    assert result.rows_in == 5 == result.rows_scored + result.rows_rejected
    notes = {n.key: n for n in result.notes}
    assert notes["note_header_row"].params["row"] == 3
    assert notes["note_percent"].params == {"text": "5%", "value": Decimal("0.05")}
    assert notes["note_reading_default"].params["example"] == "1.234"  # read as 1234, and said so
    assert notes["note_reading_default"].params["value"] == "1234"
    assert "'Dubbel B.V.'" in notes["note_bidders_joined"].params["names"]
    assert notes["note_csv_read"].params == {"encoding": "cp1252", "separator": "';'"}


def test_a_comma_csv_reads_a_lone_thousands_dot_as_the_docs_promise(tmp_path):
    headers = ["Aanbesteding", "Menu", "Opdrachtwaarde", "Inschrijver", "Bouwblok", "Bedrag"]
    rows = [["T-1", "utrecht", "1000000", "A", "sociale_onderneming_inkoop", "1.234"],
            ["T-1", "utrecht", "1000000", "A", "sociale_onderneming_inkoop", "2.500"]]
    result = score(read_input([write_csv(tmp_path / "bids.csv", headers, rows)]), EN)
    assert result.lines["credit"].tolist() == [123400, 250000]  # never 1.23 and 2.50


def test_a_column_tells_its_own_reading(tmp_path):
    headers = ["Aanbesteding", "Menu", "Opdrachtwaarde", "Inschrijver", "Bouwblok", "Bedrag", "Uren"]
    rows = [["T-1", "utrecht", "1000000", "A", "sociale_onderneming_inkoop", "1,234.50", ""],  # English column
            ["T-1", "utrecht", "1000000", "A", "sociale_onderneming_inkoop", "1.234", ""],
            ["T-1", "utrecht", "1000000", "B", "mvo_uren", "", "12,5"],  # both readings in one column
            ["T-1", "utrecht", "1000000", "B", "mvo_uren", "", "12.5"],
            ["T-1", "utrecht", "1000000", "B", "mvo_uren", "", "1.234"]]
    result = score(read_input([write_csv(tmp_path / "bids.csv", headers, rows)]), EN)
    assert result.lines["credit"].tolist()[:2] == [123450, 123]  # 1.234 is 1.234 in an English column
    note = next(n for n in result.notes if n.key == "note_reading_clue_english")
    assert (note.column, note.params["clue"], note.params["value"]) == ("Bedrag", "1,234.50", "1.234")
    assert by_row(result)[6].key == "reject_number_ambiguous"  # "1.234" beside "12,5" and "12.5": not guessed


# --- a workbook as a bidder fills it in ------------------------------------------------------

def set_cached(path, member, pairs):
    """Give formulas the values a spreadsheet program would have stored (openpyxl stores none)."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == member:
                for formula, value in pairs:
                    data = data.replace(f"<f>{formula}</f><v></v>".encode(), f"<f>{formula}</f><v>{value}</v>".encode())
            z.writestr(info, data)


def messy_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Aanbestedingen"
    ws.append(["Aanbestedingen 2024"])
    ws.append([])
    ws.append(["Aanbesteding", "Menu", "Opdrachtwaarde", "Percentage"])
    ws.append(["T-1", "haaglanden-zhc", "1.250.000", "5%"])
    ws = wb.create_sheet("Bijdragen")
    ws.append(["Bijdragen social return"])
    ws.merge_cells("A1:F1")
    ws.append([None, None, None, None, None, "Feiten"])
    ws.merge_cells("F2:H2")  # a group header above the real one
    ws.append(["Aanbesteding", "Inschrijver", "Aanneemsom (excl. btw)", "Bouwblok", "Kandidaat", "Uren p/w",
               "Aantal maanden", "Bedrag", "Leeftijd", "Kleur"])
    rows = [
        ["T-1", "Dubbel BV", 1_250_000, "participatiewt", "K-1", 36, 12, None, None, "rood"],  # 4: unknown block
        [None, None, None, "ww", "K-2", 36, 6, None, None, None],  # 5: tender and bidder merged from row 4
        [None, None, None, "participatiewet", "K-3", 24, "=3*2", None, 56, None],  # 6: formula with a cached value
        ["T-1", "Groen", "#DIV/0!", "ww", "K-4", 36, 3, None, None, None],  # 7: error in the price cell
        ["T-1", "Groen", None, "ww", "K-5", 36, "=2*2", None, None, None],  # 8: formula without a value
        ["T-1", "Groen", None, "ww", "K-6", True, 3, None, None, None],  # 9: TRUE is not a number
        ["T-1", "Groen", None, "participatiewet", "K-7", 36, 12, None, None, None],  # 10: hidden, scored
        ["T-1", "Groen", None, "opleidingskosten", None, None, None, 99_999_999_999, None, None],  # 11: absurd
        ["Totaal", None, None, None, None, None, None, "=SUM(H4:H11)", None, None],  # 12: totals row
    ]
    for values in rows:
        ws.append(values)
    ws.merge_cells("A4:A6")
    ws.merge_cells("B4:B6")
    ws.row_dimensions[10].hidden = True
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, str) and not cell.value.startswith(("=", "#")):
                cell.data_type = "s"
    wb.save(path)
    set_cached(path, "xl/worksheets/sheet2.xml", [("3*2", 6), ("SUM(H4:H11)", 99_999_999_999)])
    return path


def test_a_workbook_as_bidders_fill_it_in(tmp_path):
    result = score(read_input([messy_workbook(tmp_path / "bids.xlsx")]), EN)
    rejected = by_row(result)
    assert {r: x.key for r, x in rejected.items()} == {
        4: "reject_block_unknown", 7: "reject_cell_error", 8: "reject_cell_formula_no_value", 9: "reject_boolean",
        11: "reject_implausible", 12: "reject_totals_row"}
    assert rejected[7].params["code"] == "#DIV/0!" and rejected[7].column == "Aanneemsom (excl. btw)"
    assert (rejected[9].tender_id, rejected[9].bidder) == ("T-1", "Groen")
    assert sorted(result.lines["row"].tolist()) == [5, 6, 10]  # merged cells filled for every row they span
    want = expected(1_250_000, {
        "Dubbel BV": ("1250000", [{"block": "ww", "candidate": "K-2", "hours_per_week": 36, "months": 6},
                                  {"block": "participatiewet", "candidate": "K-3", "hours_per_week": 24, "months": 6,
                                   "age": 56}]),
        "Groen": (None, [{"block": "participatiewet", "candidate": "K-7", "hours_per_week": 36, "months": 12}])},
        rate="0.05")
    bids = {b.bidder: b for b in result.bids}
    for name in ("Dubbel BV", "Groen"):
        assert bids[name].credited == want[name].credited
        assert bids[name].obligation == want[name].obligation
    positions = {b.bidder: i for i, b in enumerate(result.bids)}
    dubbel, groen = result.base(positions["Dubbel BV"]), result.base(positions["Groen"])
    # the price on row 4 counts although its row was rejected, and the report says so
    assert (dubbel.kind, dubbel.row, dubbel.note) == ("bid_price", 4, "score_base_price_row_rejected")
    # the error in Groen's price cell: the tender's value, said so
    assert (groen.kind, groen.row, groen.note, groen.cause) == ("contract_value", 7, "score_base_price_unreadable",
                                                                "reject_cell_error")
    assert bids["Groen"].rejected == 4  # "incomplete"
    notes = {(n.source, n.key): n for n in result.notes}
    assert notes[("bids.xlsx › Bijdragen", "note_header_row")].params["row"] == 3
    assert notes[("bids.xlsx › Aanbestedingen", "note_header_row")].params["row"] == 3
    assert notes[("bids.xlsx › Bijdragen", "note_hidden_rows")].params["rows"] == "10"
    assert "A4:A6" in notes[("bids.xlsx › Bijdragen", "note_merged")].params["ranges"]
    assert ("bids.xlsx › Bijdragen", "Kleur") in result.ignored
    assert result.hidden == [("bids.xlsx › Bijdragen", [10])]


def test_json_lists_bases_notes_hidden_rows_and_ignored_columns(invoke, tmp_path):
    source = messy_workbook(tmp_path / "bids.xlsx")
    result = invoke("score", source, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    bids = {b["bidder"]: b for b in doc["bids"]}
    assert bids["Dubbel BV"]["base"]["kind"] == "bid_price" and bids["Dubbel BV"]["base"]["row"] == 4
    assert bids["Groen"]["base"]["kind"] == "contract_value" and "#DIV/0!" in bids["Groen"]["base"]["note"]
    assert bids["Groen"]["incomplete"] is True and bids["Dubbel BV"]["incomplete"] is True
    assert {"source": "bids.xlsx › Bijdragen", "rows": [10]} in doc["hidden_rows"]
    assert {"source": "bids.xlsx › Bijdragen", "header": "Kleur"} in doc["ignored_columns"]
    assert {n["note"] for n in doc["notes"]} >= {"note_header_row", "note_hidden_rows", "note_merged", "note_percent"}
    assert all(line["credit"] == f"{Decimal(line['block_credit']) + Decimal(line['bonus_credit']):.2f}"
               for line in doc["lines"])
    assert {r["row"]: (r["tender_id"], r["bidder"]) for r in doc["rejected"]}[8] == ("T-1", "Groen")


def test_several_files_in_one_run(invoke, tmp_path):
    tenders = openpyxl.Workbook()
    tenders.active.title = "Aanbestedingen"
    tenders.active.append(["Aanbesteding", "Menu", "Opdrachtwaarde"])
    tenders.active.append(["T-1", "haaglanden-zhc", 500000])
    tenders.save(tmp_path / "tenders.xlsx")
    one = openpyxl.Workbook()
    one.active.title = "Bijdragen"
    one.active.append(["Aanbesteding", "Inschrijver", "Bouwblok", "Uren per week", "Maanden"])
    one.active.append(["T-1", "Eerste BV", "participatiewet", 36, 12])
    one.active.append(["T-1", "Eerste BV", "onbekend", 36, 12])
    one.save(tmp_path / "bidder1.xlsx")
    two = write_csv(tmp_path / "bidder2.csv", ["Aanbesteding", "Inschrijver", "Bouwblok", "Uren per week", "Maanden"],
                    [["T-1", "Tweede BV", "ww", "36", "6"], ["T-9", "Tweede BV", "ww", "36", "6"]])
    result = invoke("score", tmp_path / "bidder1.xlsx", two, tmp_path / "tenders.xlsx", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["counts"]["rows_in"] == 4 and doc["counts"]["rows_scored"] == 2 and doc["counts"]["tender_rows_in"] == 1
    assert {(r["source"], r["row"], r["reason"]) for r in doc["rejected"]} == {
        ("bidder1.xlsx › Bijdragen", 3, "reject_block_unknown"), ("bidder2.csv", 3, "reject_tender_unknown")}
    assert {(line["source"], line["row"]) for line in doc["lines"]} == {("bidder1.xlsx › Bijdragen", 2),
                                                                       ("bidder2.csv", 2)}
    assert [b["bidder"] for b in doc["bids"]] == ["Eerste BV", "Tweede BV"]


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_ods_and_xls_read_like_xlsx(tmp_path, kind):
    """LibreOffice saves the same workbook as .ods and .xls: titles, merged cells and a hidden row
    are read the same way in each."""
    import subprocess

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Aanbestedingen"
    ws.append(["Aanbesteding", "Menu", "Opdrachtwaarde"])
    ws.append(["T-1", "haaglanden-zhc", 500000])
    ws = wb.create_sheet("Bijdragen")
    ws.append(["Bijdragen van de inschrijvers"])
    ws.append([])
    ws.append(["Aanbesteding", "Inschrijver", "Bouwblok", "Kandidaat", "Uren per week", "Maanden"])
    ws.append(["T-1", "A", "participatiewet", "K-1", 36, 12])
    ws.append([None, None, "ww", "K-2", 24, 6])
    ws.append(["T-1", "B", "ww", "K-3", 36, 3])
    ws.append(["T-1", "B", "onbekend", "K-4", 36, 3])
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.row_dimensions[6].hidden = True
    source = tmp_path / "bids.xlsx"
    wb.save(source)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", kind,
                    str(source), "--outdir", str(tmp_path / "out")], check=True, capture_output=True, timeout=180)
    converted = score(read_input([tmp_path / "out" / f"bids.{kind}"]), EN)
    original = score(read_input([source]), EN)
    for result in (original, converted):
        assert result.lines["row"].tolist() == [4, 5, 6]
        assert [(r.row, r.key) for r in result.rejections] == [(7, "reject_block_unknown")]
        assert result.hidden[0][1] == [6]
        assert {n.key for n in result.notes} >= {"note_header_row", "note_hidden_rows"}
    assert converted.lines["credit"].tolist() == original.lines["credit"].tolist()


def test_utf16_and_tab_separated_text(tmp_path):
    text = "Aanbesteding\tMenu\tOpdrachtwaarde\tInschrijver\tBouwblok\tUren\nT-1\tutrecht\t100000\tZoë\tmvo_uren\t12,5\n"
    path = tmp_path / "unicode.txt"
    path.write_bytes(text.encode("utf-16"))
    result = score(read_input([path]), EN)
    assert result.bids[0].bidder == "Zoë" and result.lines["credit"].tolist() == [125000]


# --- broken and hostile files: a documented error, never a crash -----------------------------

def rewrite(source, target, member, change):
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, change(data) if item.filename == member else data)
    return target


def false_size(source, target, member, size):
    """The central directory claims another unpacked size for a member."""
    import struct

    data = bytearray(source.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + length] == member.encode():
            struct.pack_into("<I", data, at + 24, size)
        at += 4
    target.write_bytes(bytes(data))
    return target


SHEET = "xl/worksheets/sheet2.xml"
FAR = b'<row r="1048576"><c r="ALL1048576" t="n"><v>1</v></c></row></sheetData>'


@pytest.mark.parametrize("name, make, words", [
    ("broken XML", lambda s, t: rewrite(s, t, SHEET, lambda d: d[:len(d) // 2]), "cannot be read"),
    ("bad UTF-8", lambda s, t: rewrite(s, t, SHEET, lambda d: d.replace(b"participatiewet", b"part\xff\xfeicipatiewet")),
     "cannot be read"),
    ("undeclared entity", lambda s, t: rewrite(s, t, SHEET, lambda d: d.replace(b"participatiewet", b"&foo;")),
     "cannot be read"),
    ("false small size", lambda s, t: false_size(s, t, SHEET, 10), "damaged"),
    ("false huge size", lambda s, t: false_size(s, t, SHEET, 3_000_000_000), "MB; refused"),
    ("a far cell", lambda s, t: rewrite(s, t, SHEET, lambda d: d.replace(b"</sheetData>", FAR)), "1048576 rows"),
    ("a far cell, no dimension, cells placed by order", lambda s, t: rewrite(s, t, SHEET, lambda d: d.replace(
        b"</sheetData>", b"<row>" + b"<c><v>1</v></c>" * 1200 + b"</row></sheetData>").replace(b'<dimension ref="A1:O2"/>', b"")),
     "1200 columns"),
])
def test_broken_and_hostile_workbooks_are_refused(invoke, tmp_path, name, make, words):
    source = write_xlsx(tmp_path / "ok.xlsx", [["T-1", "haaglanden-zhc", 500000, None]],
                        [["T-1", "A", None, "participatiewet", None, 36, 12] + [None] * 8])
    bad = make(source, tmp_path / "bad.xlsx")
    assert len(bad.read_bytes()) < 64 * 1024  # small files, every one
    result = invoke("score", bad)
    assert result.exit_code == ExitCode.INVALID, (name, result.output)
    assert words in result.stderr and "bad.xlsx" in result.stderr


def test_a_hostile_ods_and_xls_are_refused(invoke, tmp_path):
    content = (b'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>'
               b'<table:table table:name="Bijdragen"><table:table-row table:number-rows-repeated="1048576">'
               b'<table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/>'
               b'</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
    ods = tmp_path / "far.ods"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    result = invoke("score", ods)
    assert result.exit_code == ExitCode.INVALID and "1048576 rows" in result.stderr
    fake = tmp_path / "fake.xls"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = invoke("score", fake)
    assert result.exit_code == ExitCode.INVALID and "damaged" in result.stderr


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_an_xls_with_a_far_cell_is_refused(invoke, tmp_path):
    import struct
    import subprocess

    source = write_xlsx(tmp_path / "ok.xlsx", [["T-1", "haaglanden-zhc", 500000, None]],
                        [["T-1", "A", None, "participatiewet", None, 36, 12] + [None] * 8])
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xls",
                    str(source), "--outdir", str(tmp_path)], check=True, capture_output=True, timeout=180)
    data = bytearray((tmp_path / "ok.xls").read_bytes())
    at = data.find(b"\xfd\x00\x0a\x00")  # a LABELSST record (a text cell): its row and column follow
    assert at > 0
    struct.pack_into("<HH", data, at + 4, 65535, 16383)
    (tmp_path / "far.xls").write_bytes(bytes(data))
    result = invoke("score", tmp_path / "far.xls")
    assert result.exit_code == ExitCode.INVALID and "65536 rows and 16384 columns" in result.stderr


def test_a_400_digit_amount_and_a_folder_that_is_a_file(invoke, tmp_path):
    path = write_csv(tmp_path / "big.csv", ["Aanbesteding", "Menu", "Opdrachtwaarde", "Inschrijver", "Bouwblok", "Bedrag"],
                     [["T-1", "utrecht", "100000", "A", "sociale_onderneming_inkoop", "9" * 400]])
    result = invoke("score", path, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["rejected"][0]["reason"] == "reject_number_too_large"
    existing = tmp_path / "existing"
    existing.write_text("keep me")
    result = invoke("score", path, "--csv", existing)
    assert result.exit_code == ExitCode.OUTPUT and "not a folder" in result.stderr
    assert existing.read_text() == "keep me"


def test_a_run_where_every_tender_is_rejected_still_answers(invoke, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Aanbesteding,Menu,Opdrachtwaarde,Inschrijver,Bouwblok\nT-1,utrecht,1\x00000,A,ww\n")
    result = invoke("score", path, "-o", tmp_path / "out.xlsx", "--csv", tmp_path / "csv", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["counts"]["bids"] == 0 and doc["rejected"][0]["reason"] == "value_not_number"
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")["Rejected"]["B2"].value == 2
