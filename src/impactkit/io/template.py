"""The empty workbook a consultant sends to bidders: instructions, two sheets with headers,
dropdowns of the menu's block ids and of yes/no, and one example row per sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from impactkit.io.atomic import write_atomic
from impactkit.model.menu import REQUIRED_FACTS, Menu
from impactkit.io.xlsx_style import header, put
from impactkit.io.sheets.columns import BOOL_COLUMNS, CONTRIBUTION_COLUMNS, TENDER_COLUMNS

TENDER_FIELDS = ("tender_id", "title", "buyer", "menu", "reference_date", "contract_value", "rate", "threshold", "cap")
CONTRIBUTION_FIELDS = ("tender_id", "bidder", "bid_value", "block", "candidate", "hours_per_week", "months", "hours",
                       "days", "amount", "age", "permanent_contract", "statushouder", "work_limitation",
                       "hired_after_internship", "note")
EXAMPLE_ID = "VOORBEELD-1"

INSTRUCTIONS = [
    ("Social return: inschrijving invullen", "Social return: filling in the bid"),
    ("Vul per aanbesteding één rij in op het blad Aanbestedingen.",
     "Fill in one row per tender on the sheet Aanbestedingen (tenders)."),
    ("Vul per voorgestelde bijdrage één rij in op het blad Bijdragen; kies het bouwblok uit de lijst.",
     "Fill in one row per proposed contribution on the sheet Bijdragen (contributions); pick the block from the list."),
    ("Kandidaat: een pseudoniem kenmerk (bijv. K-001), nooit een naam of BSN.",
     "Candidate: a pseudonymous reference (e.g. K-001), never a name or citizen service number (BSN)."),
    ("Bouwblokken per jaar: vul uren per week en maanden in. Per uur: uren. Per dag: dagen en bedrag. "
     "Facturen en kosten: bedrag excl. btw.",
     "Blocks valued per year: fill in hours per week and months. Per hour: hours. Per day: days and amount. "
     "Invoices and costs: amount excl. VAT."),
    ("Ja/nee-kolommen: ja of nee. Bedragen mogen als 1.234,56 of 1234.56.",
     "Yes/no columns: ja (yes) or nee (no). Amounts may be written 1.234,56 or 1234.56."),
    ("Verwijder de voorbeeldrijen (VOORBEELD-1) voordat u het bestand terugstuurt.",
     "Delete the example rows (VOORBEELD-1) before you send the file back."),
    ("Kolomkoppen mogen ook in het Engels (tender_id, bidder, block, hours_per_week, ...).",
     "Column headers may also be in English (tender_id, bidder, block, hours_per_week, ...)."),
]


def display(name: str, aliases: dict[str, tuple[str, ...]]) -> str:
    """The Dutch header for a field: 'uren_per_week' -> 'Uren per week'."""
    return aliases[name][0].replace("_", " ").capitalize()


def template_workbook(menu: Menu) -> Workbook:
    wb = Workbook()
    info = wb.active
    info.title = "Instructies"
    for r, (nl, en) in enumerate(INSTRUCTIONS, start=1):
        put(info, r, 1, nl)
        put(info, r, 2, en)
    r = len(INSTRUCTIONS) + 2
    put(info, r, 1, f"Menu: {menu.ref} — {menu.name}")
    put(info, r, 2, f"Source: {menu.sources[0].url}")
    header(info, ["Bouwblok / block", "Omschrijving", "Description", "Eenheid / unit", "Waarde / value (€)"], r + 1)
    for i, block in enumerate((b for b in menu.blocks if b.alias_of is None), start=r + 2):
        put(info, i, 1, block.id)
        put(info, i, 2, block.label.nl)
        put(info, i, 3, block.label.en)
        put(info, i, 4, block.unit)
        if block.value is not None:
            put(info, i, 5, block.value, '"€" #,##0.00')
    info.column_dimensions["A"].width = 60
    info.column_dimensions["B"].width = 60
    info.column_dimensions["C"].width = 40

    tenders = wb.create_sheet("Aanbestedingen")
    header(tenders, [display(f, TENDER_COLUMNS) for f in TENDER_FIELDS])
    example = {"tender_id": EXAMPLE_ID, "title": "Voorbeeld", "buyer": "Gemeente", "menu": menu.ref,
               "contract_value": 500000}
    for c, field in enumerate(TENDER_FIELDS, start=1):
        if field in example:
            put(tenders, 2, c, example[field])
        tenders.column_dimensions[get_column_letter(c)].width = 18
    tenders.freeze_panes = "A2"

    rows = wb.create_sheet("Bijdragen")
    header(rows, [display(f, CONTRIBUTION_COLUMNS) for f in CONTRIBUTION_FIELDS])
    yearly = next((b for b in menu.blocks if b.alias_of is None and b.unit == "per_year"), menu.blocks[0])
    sample = {"tender_id": EXAMPLE_ID, "bidder": "Voorbeeld BV", "block": yearly.id, "candidate": "K-001",
              "hours_per_week": 36, "months": 6, "amount": 1000, "hours": 10, "days": 1, "age": 40,
              "permanent_contract": "nee"}
    needed = set(REQUIRED_FACTS[yearly.unit]) | {"tender_id", "bidder", "block", "candidate", "permanent_contract"}
    for c, field in enumerate(CONTRIBUTION_FIELDS, start=1):
        if field in sample and field in needed:
            put(rows, 2, c, sample[field])
        rows.column_dimensions[get_column_letter(c)].width = 16
    rows.freeze_panes = "A2"

    lists = wb.create_sheet("Lijsten")
    ids = [b.id for b in menu.blocks]
    for i, block_id in enumerate(ids, start=1):
        put(lists, i, 1, block_id)
    put(lists, 1, 2, "ja")
    put(lists, 2, 2, "nee")
    lists.sheet_state = "hidden"
    last = 5000
    block_col = get_column_letter(CONTRIBUTION_FIELDS.index("block") + 1)
    blocks_dv = DataValidation(type="list", formula1=f"=Lijsten!$A$1:$A${len(ids)}", allow_blank=True,
                               showErrorMessage=True, errorTitle="Bouwblok",
                               error=f"Kies een bouwblok van menu {menu.ref} / pick a block of this menu")
    blocks_dv.add(f"{block_col}2:{block_col}{last}")
    rows.add_data_validation(blocks_dv)
    yes_no = DataValidation(type="list", formula1="=Lijsten!$B$1:$B$2", allow_blank=True)
    for field in CONTRIBUTION_FIELDS:
        if field in BOOL_COLUMNS:
            col = get_column_letter(CONTRIBUTION_FIELDS.index(field) + 1)
            yes_no.add(f"{col}2:{col}{last}")
    rows.add_data_validation(yes_no)
    wb.active = 0
    return wb


def write_template(menu: Menu, target: Path, inputs=()) -> Path:
    return write_atomic(Path(target), template_workbook(menu).save, inputs=inputs)
