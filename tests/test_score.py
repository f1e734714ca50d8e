"""`impactkit score` and `impactkit template` on real workbooks and CSV files."""

import csv
import hashlib
import json
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from impactkit.batch.score import score
from impactkit.engine import evaluate_tender
from impactkit.errors import ExitCode, InvalidInputError
from impactkit.i18n import Translator
from impactkit.io.sheets.numbers import parse_number
from impactkit.io.sheets.read import read_input
from impactkit.model.tender import Bid, Contribution, TenderFile, TenderInfo

from .batchfiles import CONTRIBUTION_HEADERS, TENDER_HEADERS, write_csv, write_xlsx

EN = Translator("en")


def run(tmp_path, tenders, rows, name="bids.xlsx"):
    path = write_xlsx(tmp_path / name, tenders, rows)
    return score(read_input([path]), EN)


def row(tender="T-1", bidder="A", block="participatiewet", candidate=None, hours_per_week=36, months=12,
        **extra):
    values = {"Aanbesteding": tender, "Inschrijver": bidder, "Bouwblok": block, "Kandidaat": candidate,
              "Uren per week": hours_per_week, "Maanden": months, **extra}
    return [values.get(h) for h in CONTRIBUTION_HEADERS]


TENDER = ["T-1", "haaglanden-zhc", 500000, None]


@pytest.mark.parametrize("text, expected", [
    ("1.234,56", "1234.56"), ("€ 99,10", "99.10"), ("12,5", "12.5"), ("1.234", "1234"), ("1234.5", "1234.5"),
    ("1,234.56", "1234.56"), ("€\u00a01.000.000", "1000000"), ("EUR 5", "5"), (" 36 ", "36"), (12.25, "12.25"),
    (7, "7"), ("zes", None), ("", None), ("1,2,3", None), ("1,234,567", "1234567"), (None, None), (float("nan"), None),
    ("5%", "0.05"), ("#DIV/0!", None), ("9" * 400, "9" * 400), ("1,5E+3", "1500"), (True, None),
])
def test_dutch_and_english_numbers(text, expected):
    assert parse_number(text) == (None if expected is None else Decimal(expected))


def test_headers_in_english_any_case_and_spacing(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tenders"
    ws.append(["  TENDER_ID ", "menu", "Contract Value"])
    ws.append(["T-1", "utrecht", 100000])
    ws = wb.create_sheet("contributions")
    ws.append(["tender id", "Bidder", "BLOCK", "hours-per-week", "Months", "Amount (€)", "Colour"])
    ws.append(["T-1", "A", "participatiewet", 36, 3, None, "blue"])
    ws.append(["T-1", "A", "sociale_onderneming_inkoop", None, None, "€ 1.500,00", None])
    wb.save(tmp_path / "en.xlsx")
    result = score(read_input([tmp_path / "en.xlsx"]), EN)
    assert result.rejections == []
    assert result.lines["credit"].tolist() == [1000000, 150000]
    assert ("en.xlsx › contributions", "Colour") in result.ignored


def test_every_rejection_reason_names_row_and_column(tmp_path):
    tenders = [TENDER, ["T-2", "nowhere", 100000, None], ["T-1", "utrecht", 1, None], ["T-3", "utrecht", "veel", None]]
    rows = [
        row(),                                                   # 2: fine
        row(tender=None),                                        # 3: no tender id
        row(tender="T-9"),                                       # 4: unknown tender
        row(tender="T-2"),                                       # 5: tender whose menu is unknown
        row(bidder=None),                                        # 6: no bidder
        row(block=None),                                         # 7: no block
        row(block="participatiewt"),                             # 8: unknown block
        row(block="mvo_uren"),                                   # 9: block not in the menu
        row(hours_per_week="veel"),                              # 10: not a number
        row(hours_per_week=70),                                  # 11: out of range
        row(months=-1),                                          # 12: negative
        row(months=None),                                        # 13: missing fact for per_year
        row(**{"Leeftijd": 55.5}),                               # 14: age not whole
        row(**{"Vast contract": "misschien"}),                   # 15: not yes/no
        row(**{"Inschrijfsom": 400000}),                         # 16: first price of bid A
        row(**{"Inschrijfsom": 450000}),                         # 17: another price for bid A
        row(tender="T-3"),                                       # 18: tender with a bad contract value
        row(block="bonus_55_plus", **{"Leeftijd": 57}),          # 19: a bonus given as a block
    ]
    result = run(tmp_path, tenders, rows)
    by_row = {r.row: r for r in result.rejections if r.source.endswith("Bijdragen")}
    expected = {
        3: ("reject_tender_missing", "Aanbesteding"),
        4: ("reject_tender_unknown", "Aanbesteding"),
        5: ("reject_tender_rejected", "Aanbesteding"),
        6: ("reject_bidder_missing", "Inschrijver"),
        7: ("reject_block_missing", "Bouwblok"),
        8: ("reject_block_unknown", "Bouwblok"),
        9: ("reject_block_not_in_menu", "Bouwblok"),
        10: ("reject_not_number", "Uren per week"),
        11: ("reject_out_of_range", "Uren per week"),
        12: ("reject_out_of_range", "Maanden"),
        13: ("reject_fact_missing", "Maanden"),
        14: ("reject_not_whole", "Leeftijd"),
        15: ("reject_not_bool", "Vast contract"),
        17: ("reject_bid_conflict", "Inschrijfsom"),
        18: ("reject_tender_rejected", "Aanbesteding"),
        19: ("reject_block_is_bonus", "Bouwblok"),
    }
    assert {r: (x.key, x.column) for r, x in by_row.items()} == expected
    assert by_row[8].params["hint"] == "participatiewet"
    assert "utrecht@2" in by_row[9].params["elsewhere"]
    assert "participatiewet" in by_row[19].params["blocks"].split(", ") and by_row[19].params["condition"].startswith("age")
    assert by_row[10].value == "veel"
    tender_side = {(r.row, r.key, r.column) for r in result.rejections if r.source.endswith("Aanbestedingen")}
    assert tender_side == {(3, "menu_unknown", "Menu"), (4, "reject_tender_other_values", "Aanbesteding"),
                           (5, "value_not_number", "Opdrachtwaarde")}
    # every row is either scored or rejected
    assert result.rows_in == len(rows) == result.rows_scored + result.rows_rejected
    assert sorted(result.lines["row"].tolist() + list(by_row)) == list(range(2, 2 + len(rows)))
    # bid A keeps the price of its first row
    bid_a = next(b for b in result.bids if b.bidder == "A")
    assert bid_a.base_from_bid and bid_a.obligation.base == 400000


def test_combined_sheet_and_tender_field_conflicts(tmp_path):
    headers = ["Aanbesteding", "Menu", "Opdrachtwaarde", "Inschrijver", "Bouwblok", "Uren per week", "Maanden"]
    rows = [["T-1", "haaglanden-zhc", "500.000", "A", "ww", 36, 6],
            ["T-1", "haaglanden-zhc", "500.000", "B", "ww", 36, 3],
            ["T-1", "utrecht", "500.000", "C", "ww", 36, 3]]
    path = write_csv(tmp_path / "all.csv", headers, rows, sep=";")
    result = score(read_input([path]), EN)
    assert [(r.row, r.key, r.column) for r in result.rejections] == [(4, "reject_tender_conflict", "Menu")]
    assert [b.obligation.amount for b in result.bids] == [Decimal("25000.00")] * 3
    assert [(b.bidder, b.lines, b.rejected) for b in result.bids] == [("A", 1, 0), ("B", 1, 0), ("C", 0, 1)]


def test_csv_pair_gives_the_same_result_as_the_workbook(tmp_path):
    tenders = [TENDER]
    rows = [row(candidate="K", months="14,5"), row(candidate="K", months=12, bidder="B"), row(block="wajong")]
    from_xlsx = run(tmp_path, tenders, rows)
    t = write_csv(tmp_path / "tenders.csv", TENDER_HEADERS, tenders)
    c = write_csv(tmp_path / "contributions.csv", CONTRIBUTION_HEADERS, rows)
    from_csv = score(read_input([c, t]), EN)
    assert from_csv.lines["credit"].tolist() == from_xlsx.lines["credit"].tolist()
    assert from_csv.explain()["explanation"].tolist() == from_xlsx.explain()["explanation"].tolist()
    assert [b.credited for b in from_csv.bids] == [b.credited for b in from_xlsx.bids]


def test_cp1252_csv_with_semicolons(tmp_path):
    path = tmp_path / "oud.csv"
    path.write_bytes("Aanbesteding;Menu;Opdrachtwaarde;Inschrijver;Bouwblok;Bedrag;Opmerking\n"
                     "T-1;fryslan;1.000.000;Súdwest Bouw;sw_inkoop;€ 2.500,50;café\n".encode("cp1252"))
    result = score(read_input([path]), EN)
    assert result.bids[0].bidder == "Súdwest Bouw" and result.bids[0].credited == Decimal("2500.50")


def test_template_round_trip(invoke, tmp_path):
    target = tmp_path / "template.xlsx"
    result = invoke("template", target, "--menu", "utrecht@2")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames[:3] == ["Instructies", "Aanbestedingen", "Bijdragen"]
    sheet = wb["Bijdragen"]
    validations = sheet.data_validations.dataValidation
    assert any("Lijsten!$A$1" in v.formula1 for v in validations)
    shown = [c.value for c in wb["Lijsten"]["A"]]
    ids = [text[text.rfind("[") + 1:-1] for text in shown]  # "Participatiewet [participatiewet]"
    assert "participatiewet" in ids and "mvo_uren" in ids and wb["Lijsten"].sheet_state == "hidden"
    headers = [c.value for c in sheet[1]]
    # fill it as a bidder would: delete the examples, add a tender and two contributions
    wb["Aanbestedingen"].delete_rows(2)
    sheet.delete_rows(2)
    tender_headers = [c.value for c in wb["Aanbestedingen"][1]]
    tender_row = {"Aanbesteding": "T-7", "Titel": "Schoonmaak", "Opdrachtgever": "Gemeente Utrecht", "Menu": "utrecht@2",
                  "Soort opdracht": "diensten", "Opdrachtwaarde": 800000}
    wb["Aanbestedingen"].append([tender_row.get(h) for h in tender_headers])
    values = {"Aanbesteding": "T-7", "Inschrijver": "Schoon BV", "Bouwblok": "participatiewet", "Kandidaat": "K1",
              "Uren per week": 32, "Maanden": 12, "Leeftijd": 52, "Vast contract": "ja"}
    sheet.append([values.get(h) for h in headers])
    sheet.append([{"Aanbesteding": "T-7", "Inschrijver": "Schoon BV", "Bouwblok": "mvo_uren", "Uren": 40}.get(h)
                  for h in headers])
    wb.save(tmp_path / "filled.xlsx")
    result = score(read_input([tmp_path / "filled.xlsx"]), EN)
    expected = evaluate_tender(TenderFile(
        tender=TenderInfo(id="T-7", menu="utrecht@2", kind="services", contract_value=800000),
        bids=(Bid(bidder="Schoon BV", contributions=(
            Contribution(block="participatiewet", candidate="K1", hours_per_week=32, months=12, age=52,
                         permanent_contract=True),
            Contribution(block="mvo_uren", hours=40))),)))
    assert result.rejections == []
    assert result.bids[0].credited == expected.bids[0].credited
    assert result.bids[0].obligation == expected.bids[0].obligation


def test_untouched_template_reads_and_rejects_only_its_example(invoke, tmp_path):
    invoke("template", tmp_path / "t.xlsx")
    result = score(read_input([tmp_path / "t.xlsx"]), EN)
    assert result.rows_scored == 0 and {r.key for r in result.rejections} == {"reject_example_row"}


EVIL = '=HYPERLINK("http://evil.example","klik")'


def test_results_workbook_and_formula_neutralisation(invoke, tmp_path):
    rows = [row(bidder=EVIL, candidate="@K"), row(bidder="+B", block="ww", months=3), row(bidder="C", block="x")]
    source = write_xlsx(tmp_path / "in.xlsx", [TENDER], rows)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    out = tmp_path / "results.xlsx"
    result = invoke("score", source, "-o", out, "--csv", tmp_path / "csv")
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # input untouched
    assert "3 contribution rows in = 2 scored + 1 rejected" in result.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Overview", "Summary", "T-1", "Lines", "Rejected", "Reading notes", "Menus"]
    summary = wb["Summary"]
    assert summary.freeze_panes == "C2" and summary.auto_filter.ref == "A1:P4"
    assert len(summary._charts) == 1 and len(wb["T-1"]._charts) == 1
    cells = {summary.cell(row=r, column=2).value: r for r in range(2, summary.max_row + 1)}
    assert set(cells) == {EVIL, "+B", "C"}
    evil_row = cells[EVIL]
    assert summary.cell(row=evil_row, column=2).data_type == "s"
    assert summary.cell(row=evil_row, column=6).number_format == '"€" #,##0.00'
    assert isinstance(summary.cell(row=evil_row, column=7).value, (int, float))
    lines = wb["Lines"]
    assert lines["D2"].value == EVIL and lines["D2"].data_type == "s" and lines["G2"].value == "@K"
    assert lines["H2"].value == 40000 and lines["H2"].number_format == '"€" #,##0.00'
    rejected = wb["Rejected"]
    assert [c.value for c in rejected[2]][:5] == ["in.xlsx › Bijdragen", 4, "T-1", "C", "Bouwblok"]
    with open(tmp_path / "csv" / "lines.csv", encoding="utf-8") as fh:
        bidders = [r["bidder"] for r in csv.DictReader(fh)]
    assert bidders == ["'" + EVIL, "'+B"]
    with open(tmp_path / "csv" / "summary.csv", encoding="utf-8") as fh:
        summary_csv = list(csv.DictReader(fh))
    scores = score(read_input([source]), EN).bids
    by_name = {b.bidder: b for b in scores}
    assert [r["bidder"] for r in summary_csv] == ["'" + EVIL, "'+B", "C"]  # by rank
    for r in summary_csv:
        bid = by_name[r["bidder"].removeprefix("'")]
        assert (Decimal(r["credited"]), r["met"], r["rank"]) == (bid.credited, str(bid.met).lower(), str(bid.rank))


def test_json_output_and_strict(invoke, tmp_path):
    source = write_xlsx(tmp_path / "in.xlsx", [TENDER], [row(), row(block="nope")])
    result = invoke("score", source, "--json")
    doc = json.loads(result.stdout)
    assert doc["counts"] == {"rows_in": 2, "rows_scored": 1, "rows_rejected": 1, "tender_rows_in": 1,
                             "tender_rows_rejected": 0, "bids": 1}
    assert doc["bids"][0]["credited"] == "40000.00" and doc["bids"][0]["rank"] == 1
    assert doc["rejected"][0]["row"] == 3 and doc["rejected"][0]["reason"] == "reject_block_unknown"
    assert doc["lines"][0]["credit"] == "40000.00"
    assert invoke("score", source, "--strict").exit_code == ExitCode.NOT_MET
    assert "\x1b" not in result.stderr  # no progress display outside a terminal


def test_ranks_within_a_tender(tmp_path):
    rows = [row(bidder="A", months=3), row(bidder="B", months=12), row(bidder="C", months=12)]
    result = run(tmp_path, [TENDER], rows)
    assert {b.bidder: b.rank for b in result.bids} == {"A": 3, "B": 1, "C": 1}


# hostile and absurd files ---------------------------------------------------------------------

def test_zip_bomb_is_refused(invoke, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    result = invoke("score", bomb)
    assert result.exit_code == ExitCode.INVALID and "zip bomb" in result.stderr


def rewrite_member(source, target, member, change):
    """Copy a workbook, changing the bytes of one member of its zip archive."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, change(data) if item.filename == member else data)
    return target


def test_xml_entities_are_refused(tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", [TENDER], [row()])

    def with_entity(data):
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body

    evil = rewrite_member(path, tmp_path / "entities.xlsx", "xl/worksheets/sheet1.xml", with_entity)
    with pytest.raises(InvalidInputError) as err:
        read_input([evil])
    assert err.value.problems[0].key == "xlsx_entities"


def test_absurd_sheet_sizes_are_refused(invoke, tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", [TENDER], [row()])
    big = rewrite_member(path, tmp_path / "big.xlsx", "xl/worksheets/sheet2.xml",
                         lambda data: data.replace(b'<dimension ref="A1:P2"', b'<dimension ref="A1:P2000000"'))
    result = invoke("score", big)
    assert result.exit_code == ExitCode.INVALID and "2000000 rows" in result.stderr
    wide = write_csv(tmp_path / "wide.csv", [f"c{i}" for i in range(5000)], [[1] * 5000])
    result = invoke("score", wide)
    assert result.exit_code == ExitCode.INVALID and "5000 columns" in result.stderr


def test_unreadable_inputs(invoke, tmp_path):
    assert invoke("score", tmp_path / "missing.xlsx").exit_code == ExitCode.FILE
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip")
    assert "not a workbook" in invoke("score", fake).stderr
    nohead = write_csv(tmp_path / "c.csv", ["Inschrijver", "Bouwblok"], [["A", "ww"]])
    result = invoke("score", nohead)
    assert result.exit_code == ExitCode.INVALID and "lacks tender_id" in result.stderr


def test_streamed_lines_read_back_across_chunks(tmp_path, monkeypatch):
    import impactkit.io.fastrows as fastrows
    from impactkit.report.score_files import write_score_workbook

    monkeypatch.setattr(fastrows, "CHUNK", 3)
    rows = [row(bidder="Bouw & <Zonen>", candidate=f"K{i}", months=i + 1) for i in range(10)]
    result = score(read_input([write_xlsx(tmp_path / "in.xlsx", [TENDER], rows)]), EN)
    book = write_score_workbook(result, EN, tmp_path / "out.xlsx")
    lines = openpyxl.load_workbook(book)["Lines"]
    values = list(lines.iter_rows(min_row=2, values_only=True))
    assert len(values) == result.rows_scored == 10
    assert [v[1] for v in values] == list(range(2, 12))  # the original sheet rows
    assert {v[3] for v in values} == {"Bouw & <Zonen>"}  # escaped
    assert "\x01" not in fastrows.text_cells(["a\x01b"], 1)[0]  # control characters are dropped
    assert [Decimal(str(v[7])) for v in values] == [Decimal(int(c)) / 100 for c in result.lines["credit"]]
    assert lines["H2"].number_format == '"€" #,##0.00'
    assert lines.freeze_panes == "A2" and lines.auto_filter.ref == "A1:K11"


def test_the_input_is_never_overwritten(invoke, tmp_path):
    source = write_xlsx(tmp_path / "in.xlsx", [TENDER], [row()])
    before = source.read_bytes()
    result = invoke("score", source, "-o", source)
    assert result.exit_code == ExitCode.OUTPUT and source.read_bytes() == before
