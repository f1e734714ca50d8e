"""The empty workbook a consultant sends to bidders: instructions, two sheets with headers,
dropdowns and one example row per sheet.

One workbook serves one or more menus: the Menu column of the tenders sheet offers them, and
the block dropdown offers every block of them as "Dutch label [id]" (what a bidder reads, and
the id the scorer uses). Given a tender file, its tender is filled in on the tenders sheet.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from impactkit.io.atomic import write_atomic
from impactkit.io.ownership import TEMPLATE_CREATOR
from impactkit.io.sheets.columns import BOOL_COLUMNS, CONTRIBUTION_COLUMNS, TENDER_COLUMNS
from impactkit.i18n import Translator
from impactkit.io.xlsx_style import first_sheet, header, printable, put
from impactkit.model.menu import REQUIRED_FACTS, Menu

TENDER_FIELDS = ("tender_id", "title", "buyer", "menu", "reference_date", "kind", "contract_value", "rate", "threshold",
                 "cap")
#: the kind of contract as the sheet's dropdown offers it (Aanbestedingswet's words)
KIND_SHOWN = {"works": "werken", "services": "diensten", "supplies": "leveringen"}
CONTRIBUTION_FIELDS = ("tender_id", "bidder", "bid_value", "block", "candidate", "hours_per_week", "months", "hours",
                       "days", "amount", "age", "permanent_contract", "statushouder", "work_limitation",
                       "hired_after_internship", "note")
EXAMPLE_ID = "VOORBEELD-1"
LAST_ROW = 5000  # dropdowns reach this far

INSTRUCTIONS = [
    ("Social return: inschrijving invullen", "Social return: filling in the bid"),
    ("Vul per aanbesteding één rij in op het blad Aanbestedingen; kies het menu uit de lijst.",
     "Fill in one row per tender on the sheet Aanbestedingen (tenders); pick the menu from the list."),
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


def block_choice(menus: list[Menu]) -> list[tuple[str, str]]:
    """(shown in the dropdown, id) for every block of the menus: "Participatiewet [participatiewet]"."""
    seen: dict[str, str] = {}
    for menu in menus:
        for block in menu.blocks:
            if block.id in seen:
                continue
            target = menu.resolve(block.id)
            label = block.label or (target.label if target is not None else None)
            seen[block.id] = f"{label.nl if label is not None else block.id} [{block.id}]"
    return [(shown, block_id) for block_id, shown in seen.items()]


def _instructions(wb: Workbook, menus: list[Menu]):
    info = first_sheet(wb, "Instructies")
    for r, (nl, en) in enumerate(INSTRUCTIONS, start=1):
        put(info, r, 1, nl)
        put(info, r, 2, en)
    r = len(INSTRUCTIONS) + 2
    for menu in menus:
        put(info, r, 1, f"Menu: {menu.ref} — {Translator('nl').label(menu.name)}")  # the Dutch column
        put(info, r, 2, f"Source: {menu.sources[0].url}")
        header(info, ["Bouwblok / block", "Omschrijving", "Description", "Eenheid / unit", "Waarde / value (€)"], r + 1)
        r += 2
        for block in (b for b in menu.blocks if b.alias_of is None):
            put(info, r, 1, block.id)
            put(info, r, 2, block.row_label.nl)
            put(info, r, 3, block.row_label.en)
            put(info, r, 4, block.unit)
            if block.value is not None:
                put(info, r, 5, block.value, '"€" #,##0.00')
            r += 1
        r += 1
    info.column_dimensions["A"].width = 60
    info.column_dimensions["B"].width = 60
    info.column_dimensions["C"].width = 40


def template_workbook(menus: list[Menu], tender=None) -> Workbook:
    """`menus`: the menus bidders may use (the first is the tender's); `tender`: a TenderInfo to fill in."""
    wb = Workbook()
    _instructions(wb, menus)
    first = menus[0]

    tenders = wb.create_sheet("Aanbestedingen")
    header(tenders, [display(f, TENDER_COLUMNS) for f in TENDER_FIELDS])
    rows = [{"tender_id": EXAMPLE_ID, "title": "Voorbeeld", "buyer": "Gemeente", "menu": first.ref,
             "contract_value": 500000}]
    if tender is not None:
        rows.insert(0, {"tender_id": tender.id, "title": tender.title, "buyer": tender.buyer, "menu": first.ref,
                        "reference_date": tender.reference_date, "kind": KIND_SHOWN.get(tender.kind or ""),
                        "contract_value": tender.contract_value,
                        "rate": tender.rate, "threshold": tender.threshold, "cap": tender.cap})
    for r, values in enumerate(rows, start=2):
        for c, field in enumerate(TENDER_FIELDS, start=1):
            value = values.get(field)
            if value is not None:
                fmt = '"€" #,##0.00' if field in ("contract_value", "threshold", "cap") else (
                    "0.0%" if field == "rate" else ("yyyy-mm-dd" if field == "reference_date" else None))
                put(tenders, r, c, value, fmt)
    for c in range(1, len(TENDER_FIELDS) + 1):
        tenders.column_dimensions[get_column_letter(c)].width = 18
    tenders.freeze_panes = "A2"

    rows = wb.create_sheet("Bijdragen")
    header(rows, [display(f, CONTRIBUTION_COLUMNS) for f in CONTRIBUTION_FIELDS])
    # the example row: a per-year block, else the menu's first (an alias resolved: it has no unit of its own)
    yearly = next((b for b in first.blocks if b.unit == "per_year"), None)
    if yearly is None:
        yearly = first.row(first.blocks[0].id)
    choices = block_choice(menus)
    shown = dict((block_id, text) for text, block_id in choices)
    sample = {"tender_id": EXAMPLE_ID, "bidder": "Voorbeeld BV", "block": shown.get(yearly.id, yearly.id),
              "candidate": "K-001", "hours_per_week": 36, "months": 6, "amount": 1000, "hours": 10, "days": 1, "age": 40,
              "permanent_contract": "nee"}
    needed = set(REQUIRED_FACTS[yearly.row_unit]) | {"tender_id", "bidder", "block", "candidate", "permanent_contract"}
    for c, field in enumerate(CONTRIBUTION_FIELDS, start=1):
        if field in sample and field in needed:
            put(rows, 2, c, sample[field])
        rows.column_dimensions[get_column_letter(c)].width = 40 if field == "block" else 16
    rows.freeze_panes = "A2"

    lists = wb.create_sheet("Lijsten")
    for i, (text, _) in enumerate(choices, start=1):
        put(lists, i, 1, text)
    put(lists, 1, 2, "ja")
    put(lists, 2, 2, "nee")
    refs = [m.ref for m in menus]
    for i, ref in enumerate(refs, start=1):
        put(lists, i, 3, ref)
    for i, word in enumerate(KIND_SHOWN.values(), start=1):
        put(lists, i, 4, word)
    lists.sheet_state = "hidden"
    names = ", ".join(refs)
    block_col = get_column_letter(CONTRIBUTION_FIELDS.index("block") + 1)
    blocks_dv = DataValidation(type="list", formula1=f"=Lijsten!$A$1:$A${len(choices)}", allow_blank=True,
                               showErrorMessage=True, errorStyle="warning", errorTitle="Bouwblok",
                               error=f"Geen bouwblok uit de lijst (menu {names}) / not a block from the list")
    blocks_dv.add(f"{block_col}2:{block_col}{LAST_ROW}")
    rows.add_data_validation(blocks_dv)
    yes_no = DataValidation(type="list", formula1="=Lijsten!$B$1:$B$2", allow_blank=True)
    for field in CONTRIBUTION_FIELDS:
        if field in BOOL_COLUMNS:
            col = get_column_letter(CONTRIBUTION_FIELDS.index(field) + 1)
            yes_no.add(f"{col}2:{col}{LAST_ROW}")
    rows.add_data_validation(yes_no)
    menu_col = get_column_letter(TENDER_FIELDS.index("menu") + 1)
    menu_dv = DataValidation(type="list", formula1=f"=Lijsten!$C$1:$C${len(refs)}", allow_blank=True,
                             showErrorMessage=True, errorTitle="Menu", error=f"Kies / pick: {names}")
    menu_dv.add(f"{menu_col}2:{menu_col}{LAST_ROW}")
    tenders.add_data_validation(menu_dv)
    kind_col = get_column_letter(TENDER_FIELDS.index("kind") + 1)
    kind_dv = DataValidation(type="list", formula1=f"=Lijsten!$D$1:$D${len(KIND_SHOWN)}", allow_blank=True,
                             showErrorMessage=True, errorTitle="Soort opdracht",
                             error="werken, diensten of leveringen / works, services or supplies")
    kind_dv.add(f"{kind_col}2:{kind_col}{LAST_ROW}")
    tenders.add_data_validation(kind_dv)
    wb.active = 0
    return wb


def write_template(menus: list[Menu], target: Path, tender=None, inputs=()) -> Path:
    # a form for bidders to fill in: not marked as impactkit's result (io/ownership.py), so a filled-in
    # template is the bidder's file and no output replaces it
    form = printable(template_workbook(menus, tender), creator=TEMPLATE_CREATOR)
    return write_atomic(Path(target), form.save, inputs=inputs)
