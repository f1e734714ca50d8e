"""What `impactkit score` writes: the workbook a client reads, CSV files safe in (Dutch) Excel
and written as one set, and the template for bidders."""

from pathlib import Path

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import yaml

from impactkit.batch.score import score
from impactkit.errors import ExitCode, OutputError
from impactkit.i18n import Translator
from impactkit.report import score_csv
from impactkit.report.score_files import ordered
from impactkit.io.sheets.read import read_input
from impactkit.menus import resolve_menu
from impactkit.menus.municipalities import menu_for_municipality

from .batchfiles import CONTRIBUTION_HEADERS, write_xlsx

EN = Translator("en")
TENDERS = [["T-1", "haaglanden-zhc", 1_250_000, None], ["T-2", "utrecht", 400_000, None]]


def row(tender="T-1", bidder="A", block="participatiewet", price=None, **facts):
    values = {"Aanbesteding": tender, "Inschrijver": bidder, "Inschrijfsom": price, "Bouwblok": block, **facts}
    return [values.get(h) for h in CONTRIBUTION_HEADERS]


def bids_file(tmp_path):
    rows = [
        row(bidder="Aannemer A", price=1_000_000, Kandidaat="K-1", **{"Uren per week": 36, "Maanden": 12, "Leeftijd": 58}),
        row(bidder="Bouw B", block="ww", Kandidaat="K-2", **{"Uren per week": 36, "Maanden": 6}),
        row(bidder="Bouw B", block="nope"),
        row(tender="T-2", bidder="Schoon", block="mvo_uren", **{"Uren": 40}),
    ]
    return write_xlsx(tmp_path / "bids.xlsx", TENDERS, rows)


def test_the_first_sheet_reads_in_a_minute(invoke, tmp_path):
    out = tmp_path / "results.xlsx"
    result = invoke("score", bids_file(tmp_path), "-o", out)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Overview", "Summary", "T-1", "T-2", "Lines", "Rejected", "Reading notes", "Menus"]
    overview = [[c for c in r if c is not None] for r in wb["Overview"].iter_rows(values_only=True)]
    text = "\n".join(" | ".join(str(c) for c in r) for r in overview)
    assert "3 bids in 2 tenders" in text and "1 of 3 bids meets its obligation" in text
    assert "Rank: 1 is the bid that covers its obligation best" in text
    # the obligation with its base, from the figures typed in the file
    assert "5% × €1,000,000.00 (the bid's own price) = €50,000.00" in text
    assert "5% × €1,250,000.00 (the tender's contract value; the bid states no price) = €62,500.00" in text
    bouw = next(r for r in overview if len(r) > 3 and r[1] == "Bouw B")
    assert bouw[0] == 2 and bouw[2] == "no" and "yes" in bouw  # rank 2, not met, incomplete (a row rejected)


def test_summary_per_tender_sheets_and_rejected(tmp_path):
    from impactkit.report.score_workbook import write_score_workbook

    result = score(read_input([bids_file(tmp_path)]), EN)
    book = write_score_workbook(result, EN, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(book)
    summary = list(wb["Summary"].iter_rows(values_only=True))
    head = summary[0]
    rows = [dict(zip(head, r)) for r in summary[1:] if r[0]]
    assert [(r["Tender"], r["Rank"]) for r in rows] == sorted((r["Tender"], r["Rank"]) for r in rows)
    for r, i in zip(rows, ordered(result)):
        bid = result.bids[i]
        assert Decimal(str(r["Surplus"])) == bid.surplus and r["Incomplete"] == ("yes" if bid.rejected else "no")
        assert r["Base"] == ("bid price" if bid.base_from_bid else "tender's contract value")
    assert wb["Summary"]["C1"].comment is not None  # what rank means
    tender = list(wb["T-1"].iter_rows(values_only=True))
    ways = next(n for n, r in enumerate(tender) if r[0] and str(r[0]).startswith("Ways to close"))
    assert tender[ways + 2][0] == "Bouw B" and "full time" in tender[ways + 2][2]
    header = next(n for n, r in enumerate(tender) if r[0] == "Bidder" and r[1] == "Sheet")
    lines = [dict(zip(tender[header], r)) for r in tender[header + 1:]]
    assert [(line["Bidder"], line["Row"]) for line in lines] == [("Aannemer A", 2), ("Bouw B", 3)]
    first = lines[0]
    assert (first["Hours per week"], first["Months"], first["Age"]) == (36, 12, 58)
    assert Decimal(str(first["Block credit"])) + Decimal(str(first["Bonus credit"])) == Decimal(str(first["Credit"]))
    assert Decimal(str(first["Bonus credit"])) == Decimal("10000")  # the 55+ bonus, apart
    assert len(wb["T-1"]._charts) == 1 and len(wb["T-2"]._charts) == 1
    rejected = list(wb["Rejected"].iter_rows(values_only=True))
    assert rejected[0][:4] == ("Sheet", "Row", "Tender", "Bidder") and rejected[1][:4] == (
        "bids.xlsx › Bijdragen", 4, "T-1", "Bouw B")


def test_the_workbook_is_compressed(tmp_path):
    from impactkit.report.score_workbook import write_score_workbook

    rows = [row(bidder=f"Bieder {i % 7}", Kandidaat=f"K-{i}", **{"Uren per week": 36, "Maanden": 1 + i % 12})
            for i in range(3000)]
    result = score(read_input([write_xlsx(tmp_path / "many.xlsx", TENDERS, rows)]), EN)
    book = write_score_workbook(result, EN, tmp_path / "out.xlsx")
    with zipfile.ZipFile(book) as z:
        infos = z.infolist()
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos)
    assert sum(i.compress_size for i in infos) * 5 < sum(i.file_size for i in infos)
    assert not list(tmp_path.glob(".*"))  # no temporary file left beside it


INJECTION = "a;=cmd|' /C calc'!A0;"


@pytest.mark.parametrize("separator", [",", ";"])
def test_csv_outputs_are_safe_whichever_separator_excel_uses(invoke, tmp_path, separator):
    rows = [row(bidder=INJECTION, **{"Uren per week": 36, "Maanden": 12}), row(bidder="+B,-C", block="x")]
    source = write_xlsx(tmp_path / "in.xlsx", TENDERS[:1], rows)
    assert invoke("score", source, "--csv", tmp_path / "csv").exit_code == 0
    for name in ("summary.csv", "lines.csv", "rejected.csv"):
        text = (tmp_path / "csv" / name).read_text(encoding="utf-8")
        for record in csv.reader(io.StringIO(text), delimiter=separator):
            assert not any(field.startswith(("=", "+", "-", "@")) for field in record), (name, record)
    with open(tmp_path / "csv" / "lines.csv", encoding="utf-8") as fh:
        assert next(csv.DictReader(fh))["bidder"] == "a;'=cmd|' /C calc'!A0;"  # one field, neutralised


def test_csv_files_are_one_set(tmp_path, monkeypatch):
    source = bids_file(tmp_path)
    folder = tmp_path / "csv"
    result = score(read_input([source]), EN)
    score_csv.write_score_csv(result, EN, folder)
    before = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    from impactkit.io import atomic

    real_replace, real_unlink = atomic.os.replace, atomic.os.unlink
    steps: list[tuple[str, str]] = []

    def replace(src, dst):  # the run fails after lines.csv was put in place
        steps.append(("replace", Path(dst).name))
        if Path(dst).name == "rejected.csv" and Path(src).name.startswith(".rejected.csv.impactkit"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    def unlink(path, *args, **kwargs):
        steps.append(("unlink", Path(path).name))
        real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "replace", replace)
    monkeypatch.setattr(atomic.os, "unlink", unlink)
    other = score(read_input([write_xlsx(tmp_path / "other.xlsx", TENDERS, [row(bidder="Z", block="ww", Maanden=3,
                                                                                   **{"Uren per week": 20})])]), EN)
    with pytest.raises(OutputError):
        score_csv.write_score_csv(other, EN, folder)
    # summary.csv went first, before any file of the new set was put in place (a run killed outright in
    # between leaves no summary beside the lines of another run) ...
    assert steps.index(("unlink", "summary.csv")) < steps.index(("replace", "lines.csv"))
    # ... and a failure puts the previous set back whole, leaving no temporary file
    after = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    assert after == before
    assert not list(folder.glob(".*"))
    placed: list[str] = []
    monkeypatch.setattr(atomic.os, "replace", lambda src, dst: (placed.append(Path(dst).name), real_replace(src, dst)))
    score_csv.write_score_csv(other, EN, folder)
    assert [n for n in placed if n.endswith(".csv")][-1] == "summary.csv"  # a successful run puts it in place last


def test_template_for_several_menus_and_a_tender(invoke, tmp_path, tender_file):
    tender = tender_file(name="t.yaml", title="Groenonderhoud", buyer="Gemeente Delft", reference_date="2024-03-01")
    target = tmp_path / "template.xlsx"
    result = invoke("template", target, "--tender", tender, "--menu", "utrecht@2", "--menu", "fryslan")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(target)
    refs = [c.value for c in wb["Lijsten"]["C"] if c.value]
    assert refs == [resolve_menu("haaglanden-zhc").menu.ref, "utrecht@2", resolve_menu("fryslan").menu.ref]
    tenders = wb["Aanbestedingen"]
    filled = dict(zip([c.value for c in tenders[1]], [c.value for c in tenders[2]]))
    assert {k: filled[k] for k in ("Aanbesteding", "Titel", "Opdrachtgever", "Menu", "Opdrachtwaarde")} == {
        "Aanbesteding": "T-1", "Titel": "Groenonderhoud", "Opdrachtgever": "Gemeente Delft", "Menu": refs[0],
        "Opdrachtwaarde": 500000}
    assert any("Lijsten!$C$1" in v.formula1 for v in tenders.data_validations.dataValidation)
    shown = [c.value for c in wb["Lijsten"]["A"] if c.value]
    ids = {text[text.rfind("[") + 1:-1] for text in shown}
    for ref in refs:  # every block of every menu is offered, with its Dutch label
        assert {b.id for b in resolve_menu(ref).menu.blocks} <= ids
    label = resolve_menu("haaglanden-zhc").menu.resolve("participatiewet").label.nl
    assert f"{label} [participatiewet]" in shown
    # a bidder picks from the dropdown: the label is shown, the id is what counts
    sheet = wb["Bijdragen"]
    sheet.delete_rows(2)
    headers = [c.value for c in sheet[1]]
    values = {"Aanbesteding": "T-1", "Inschrijver": "Bieder", "Bouwblok": f"{label} [participatiewet]",
              "Uren per week": 36, "Maanden": 12}
    sheet.append([values.get(h) for h in headers])
    wb.save(tmp_path / "filled.xlsx")
    scored = score(read_input([tmp_path / "filled.xlsx"]), EN)
    line = scored.lines[scored.lines["tender_id"] == "T-1"].iloc[0]
    assert line["block"] == "participatiewet" and line["credit"] == 40000_00


def test_template_for_a_tender_that_names_its_municipality(invoke, write, tmp_path):
    """A tender may name its municipality instead of a menu (as `check` allows); `template --tender`
    used to end with exit 70 on it. It takes the municipality's menu in force, as `check` does."""
    tender = write("t.yaml", """
        tender: {id: T-9, municipality: Leiden, reference_date: 2024-03-01, contract_value: 500000}
        bids: []
    """)
    target = tmp_path / "template.xlsx"
    result = invoke("template", target, "--tender", tender)
    assert result.exit_code == 0, result.output
    expected = menu_for_municipality("Leiden", date(2024, 3, 1)).menu.ref
    tenders = openpyxl.load_workbook(target)["Aanbestedingen"]
    assert [c.value for c in tenders[2]][:4] == ["T-9", None, None, expected]


def test_template_for_a_menu_whose_first_block_is_an_alias(invoke, tmp_path):
    """The example row takes a per-year block, else the menu's first: an alias there used to end
    `template` with exit 70 (its unit is its target's); now the example row is the target's."""
    own = tmp_path / "own.yaml"
    assert invoke("menus", "new", "--from", "haaglanden-zhc", "-o", own).exit_code == 0
    document = yaml.safe_load(own.read_text(encoding="utf-8"))
    target_block = next(b for b in document["blocks"] if b.get("unit") == "actual_cost")
    document["blocks"] = [{"id": "scholing", "alias_of": target_block["id"]}, target_block]
    document.pop("share_caps", None)
    own.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert invoke("menus", "validate", own).exit_code == 0
    target = tmp_path / "template.xlsx"
    result = invoke("template", target, "--menu", own)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target)["Bijdragen"]
    row = dict(zip((c.value for c in sheet[1]), (c.value for c in sheet[2])))
    assert row["Bouwblok"] == f"{target_block['label']['nl']} [{target_block['id']}]"
    assert row["Bedrag"] == 1000 and row["Uren per week"] is None  # the facts an actual-cost block needs


def test_template_refuses_to_overwrite_its_tender(invoke, tmp_path, tender_file):
    tender = tender_file(name="t.yaml")
    result = invoke("template", tender, "--tender", tender, "--force")
    assert result.exit_code == ExitCode.OUTPUT
