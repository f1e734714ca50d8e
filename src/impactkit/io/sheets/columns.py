"""Column headers in Dutch or English, forgiving case, spacing and accents."""

from __future__ import annotations

import re
import unicodedata

# canonical name -> accepted headers (after normalising); the first Dutch one is the template's
TENDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "tender_id": ("aanbesteding", "aanbesteding_id", "kenmerk", "tender_id", "tender"),
    "title": ("titel", "omschrijving", "title"),
    "buyer": ("opdrachtgever", "gemeente", "buyer"),
    "menu": ("menu", "bouwblokkenmenu"),
    "reference_date": ("peildatum", "reference_date"),
    "contract_value": ("opdrachtwaarde", "opdrachtsom", "aanneemsom", "contract_value"),
    "rate": ("percentage", "sroi_percentage", "rate"),
    "threshold": ("drempel", "drempelbedrag", "threshold"),
    "threshold_inclusive": ("drempel_inclusief", "threshold_inclusive"),
    "cap": ("maximum", "plafond", "cap"),
    "base": ("grondslag", "base"),
    "wage_sum": ("loonsom", "wage_sum"),
    "pso_discount": ("pso_korting", "pso_discount"),
    "hours_basis": ("urenbasis", "hours_basis"),
}

CONTRIBUTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "tender_id": TENDER_COLUMNS["tender_id"],
    "bidder": ("inschrijver", "aannemer", "opdrachtnemer", "bidder"),
    "bid_value": ("inschrijfsom", "inschrijvingsbedrag", "bid_value", "bid_contract_value"),
    "pso_certified": ("pso_gecertificeerd", "pso", "pso_certified"),
    "pso_trede": ("pso_trede", "trede"),
    "block": ("bouwblok", "blok", "block"),
    "candidate": ("kandidaat", "kandidaatnummer", "referentie", "candidate"),
    "hours_per_week": ("uren_per_week", "uren_week", "hours_per_week"),
    "months": ("maanden", "aantal_maanden", "months"),
    "hours": ("uren", "aantal_uren", "hours"),
    "days": ("dagen", "aantal_dagen", "days"),
    "amount": ("bedrag", "factuurbedrag", "amount"),
    "age": ("leeftijd", "age"),
    "permanent_contract": ("vast_contract", "permanent_contract"),
    "statushouder": ("statushouder",),
    "supplier_pso_trede": ("pso_trede_leverancier", "leverancier_pso_trede", "supplier_pso_trede"),
    "work_limitation": ("arbeidsbeperking", "work_limitation"),
    "hired_after_internship": ("in_dienst_na_stage", "hired_after_internship"),
    "note": ("opmerking", "toelichting", "note"),
}

REQUIRED_TENDER = ("tender_id", "menu", "contract_value")
REQUIRED_CONTRIBUTION = ("tender_id", "bidder", "block")

TENDER_SHEETS = ("aanbestedingen", "aanbesteding", "tenders", "tender")
CONTRIBUTION_SHEETS = ("bijdragen", "bijdrage", "contributions", "contribution", "inschrijvingen", "bids")

TEXT_COLUMNS = {"tender_id", "title", "buyer", "menu", "base", "bidder", "block", "candidate", "note"}
BOOL_COLUMNS = {"threshold_inclusive", "pso_certified", "permanent_contract", "statushouder",
                "work_limitation", "hired_after_internship"}
DATE_COLUMNS = {"reference_date"}


def normalise(header: object) -> str:
    """'Uren per week (u)' -> 'uren_per_week'; 'Aanbesteding-ID' -> 'aanbesteding_id'."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    text = re.sub(r"\(.*?\)", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {alias: name for name, names in aliases.items() for alias in (*names, name)}


TENDER_LOOKUP = _lookup(TENDER_COLUMNS)
CONTRIBUTION_LOOKUP = _lookup(CONTRIBUTION_COLUMNS)
ALL_LOOKUP = {**TENDER_LOOKUP, **CONTRIBUTION_LOOKUP}


def map_headers(headers: list, lookup: dict[str, str]) -> tuple[dict[int, str], list[str], list[tuple[str, str]]]:
    """Positions of known columns, headers that were ignored, and duplicated canonical names."""
    found: dict[int, str] = {}
    ignored: list[str] = []
    duplicates: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for position, header in enumerate(headers):
        if header is None or str(header).strip() == "":
            continue
        name = lookup.get(normalise(header))
        if name is None:
            ignored.append(str(header))
        elif name in seen:
            duplicates.append((str(header), seen[name]))
        else:
            seen[name] = str(header)
            found[position] = name
    return found, ignored, duplicates


def sheet_kind(name: str) -> str | None:
    key = normalise(name)
    if key in TENDER_SHEETS:
        return "tenders"
    if key in CONTRIBUTION_SHEETS:
        return "contributions"
    return None
