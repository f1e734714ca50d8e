"""Writing a plan as a bid: a tender file that `impactkit check` reads, or the bids workbook of
`impactkit score`. Either holds the tender and the one planned bid with every line of the plan,
so that `check` (and `score`) print the same credits, line by line."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from impactkit.io.atomic import write_atomic, write_text_atomic
from impactkit.io.ownership import marked
from impactkit.model.tender import Contribution, TenderInfo
from impactkit.plan.load import Loaded
from impactkit.plan.solve import Plan

FLAGS = ("permanent_contract", "statushouder", "work_limitation", "hired_after_internship")
TENDER_KEYS = ("id", "title", "buyer", "menu", "reference_date", "kind", "contract_value", "rate", "base", "wage_sum",
               "threshold", "threshold_inclusive", "cap", "pso_discount", "hours_basis")


class _Dumper(yaml.SafeDumper):
    """Decimals as plain numbers (impactkit reads them back as exact decimals)."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal):
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value.normalize(), "f"))


_Dumper.add_representer(Decimal, _decimal)


def menu_reference(loaded: Loaded, target: Path) -> str:
    """The menu the plan was made with, as the written file must name it: a shipped menu with its
    version (utrecht@2, not utrecht, which names whatever version is newest when the bid is checked,
    and not a municipality), a menu file by its path relative to the target."""
    choice = loaded.setting.choice
    if choice.origin == "shipped":
        return choice.menu.ref
    return os.path.relpath(Path(choice.origin).resolve(), Path(target).resolve().parent)


def tender_fields(tender: TenderInfo, menu: str) -> dict:
    out = {}
    for key in TENDER_KEYS:
        value = menu if key == "menu" else getattr(tender, key)
        if value is not None:
            out[key] = value
    return out


def contribution_fields(c: Contribution) -> dict:
    out: dict[str, object] = {"block": c.block}
    for key in ("candidate", "hours_per_week", "months", "hours", "days", "amount", "age"):
        value = getattr(c, key)
        if value is not None:
            out[key] = value
    out.update({flag: True for flag in FLAGS if getattr(c, flag)})
    if c.note:
        out["note"] = c.note
    return out


def bid_document(loaded: Loaded, plan: Plan, target: Path) -> dict:
    bid = loaded.setting.bid
    written: dict[str, object] = {"bidder": bid.bidder}
    for key in ("contract_value", "wage_sum"):
        if getattr(bid, key) is not None:
            written[key] = getattr(bid, key)
    if bid.pso_certified:
        written["pso_certified"] = True
    if bid.pso_trede is not None:
        written["pso_trede"] = bid.pso_trede
    written["contributions"] = [contribution_fields(line.contribution) for line in plan.lines]
    return {"tender": tender_fields(loaded.setting.tender_file.tender, menu_reference(loaded, target)),
            "bids": [written]}


def write_bid_yaml(loaded: Loaded, plan: Plan, target: Path, heading: str) -> Path:
    document = bid_document(loaded, plan, target)
    text = "".join(f"# {line}\n" for line in heading.splitlines())
    text += yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    return write_text_atomic(Path(target), marked(text, "yaml"), inputs=loaded.inputs)  # io/ownership.py


def write_bid_workbook(loaded: Loaded, plan: Plan, target: Path) -> Path:
    """The bids workbook of `score` (sheets Aanbestedingen and Bijdragen, the template's headers)."""
    from openpyxl import Workbook

    from impactkit.io.sheets.columns import CONTRIBUTION_COLUMNS, TENDER_COLUMNS
    from impactkit.io.template import display
    from impactkit.io.xlsx_style import EURO, finish_table, first_sheet, header, printable, put

    tender = tender_fields(loaded.setting.tender_file.tender, menu_reference(loaded, target))
    tender["tender_id"] = tender.pop("id")
    tender_columns = [name for name in TENDER_COLUMNS if name in tender]
    wb = Workbook()
    sheet = first_sheet(wb, "Aanbestedingen")
    header(sheet, [display(name, TENDER_COLUMNS) for name in tender_columns])
    for col, name in enumerate(tender_columns, start=1):
        put(sheet, 2, col, _cell(tender[name]), EURO if name in ("contract_value", "wage_sum", "threshold", "cap") else None)
    finish_table(sheet, len(tender_columns), 1)

    bid = loaded.setting.bid
    columns = ["tender_id", "bidder", "bid_value", "pso_certified", "pso_trede", "block", "candidate", "hours_per_week", "months",
               "hours", "days", "amount", "age", *FLAGS, "note"]
    rows = wb.create_sheet("Bijdragen")
    header(rows, [display(name, CONTRIBUTION_COLUMNS) for name in columns])
    for r, line in enumerate(plan.lines, start=2):
        c = line.contribution
        values = {"tender_id": tender["tender_id"], "bidder": bid.bidder, "bid_value": bid.contract_value,
                  "pso_certified": "ja" if bid.pso_certified else "nee", "pso_trede": bid.pso_trede,
                  **{name: getattr(c, name) for name in ("block", "candidate", "hours_per_week", "months", "hours",
                                                         "days", "amount", "age", "note")},
                  **{flag: "ja" if getattr(c, flag) else "nee" for flag in FLAGS}}
        for col, name in enumerate(columns, start=1):
            put(rows, r, col, _cell(values[name]), EURO if name in ("bid_value", "amount") else None)
    finish_table(rows, len(columns), len(plan.lines))
    return write_atomic(Path(target), printable(wb).save, inputs=loaded.inputs)


def _cell(value):
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.isoformat()
    return value
