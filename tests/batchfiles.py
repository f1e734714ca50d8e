"""Helpers for batch tests: write tenders and bids to real .xlsx and .csv files."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl

TENDER_HEADERS = ["Aanbesteding", "Menu", "Opdrachtwaarde", "Peildatum"]
CONTRIBUTION_HEADERS = ["Aanbesteding", "Inschrijver", "Inschrijfsom", "Bouwblok", "Kandidaat", "Uren per week",
                        "Maanden", "Uren", "Dagen", "Bedrag", "Leeftijd", "Vast contract", "Statushouder",
                        "Arbeidsbeperking", "In dienst na stage", "PSO-trede leverancier"]
FIELDS = ["block", "candidate", "hours_per_week", "months", "hours", "days", "amount", "age", "permanent_contract",
          "statushouder", "work_limitation", "hired_after_internship", "supplier_pso_trede"]


def dutch(value: Decimal, money: bool = True) -> str:
    """12345.6 -> '€ 12.345,60' (without the euro sign for a quantity: '12.345,60')."""
    whole, _, frac = f"{value:.2f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return ("€ " if money else "") + ".".join(groups) + "," + frac


def cell(value, as_text: bool, money: bool = True):
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return dutch(value, money) if as_text else float(value)
    return value


def tender_rows(tender_file, as_text=False):
    t = tender_file.tender
    tenders = [[t.id, t.menu, cell(t.contract_value, as_text), t.reference_date]]
    rows = []
    for bid in tender_file.bids:
        for c in bid.contributions:
            rows.append([t.id, bid.bidder, cell(bid.contract_value, as_text) if bid.contract_value is not None else None]
                        + [cell(getattr(c, f), as_text, f == "amount") if getattr(c, f) is not None else None
                           for f in FIELDS])
    return tenders, rows


def _append(ws, values: list) -> None:
    ws.append(values)
    for c in ws[ws.max_row]:
        if isinstance(c.value, str):
            c.data_type = "s"  # as a bidder's text cell, never a formula


def contribution(tender, bidder, block, candidate=None, hours_per_week=None, months=None, **by_header) -> list:
    """A row of the contributions sheet (CONTRIBUTION_HEADERS); other cells by their Dutch header."""
    values = {"Aanbesteding": tender, "Inschrijver": bidder, "Bouwblok": block, "Kandidaat": candidate,
              "Uren per week": hours_per_week, "Maanden": months, **by_header}
    return [values.get(h) for h in CONTRIBUTION_HEADERS]


def write_xlsx(path: Path, tenders: list[list], rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Aanbestedingen"
    _append(ws, TENDER_HEADERS)
    for row in tenders:
        _append(ws, row)
    ws = wb.create_sheet("Bijdragen")
    _append(ws, CONTRIBUTION_HEADERS)
    for row in rows:
        _append(ws, row)
    wb.save(path)
    return path


def write_csv(path: Path, headers: list[str], rows: list[list], sep: str = ",") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=sep)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path
