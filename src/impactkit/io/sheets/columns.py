"""Column headers in Dutch or English, forgiving case, spacing and accents."""

from __future__ import annotations

import re
import unicodedata

# canonical name -> accepted headers (after normalising); the first Dutch one is the template's
TENDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "tender_id": ("aanbesteding", "aanbesteding_id", "aanbestedingsnummer", "kenmerk", "tendernummer", "tender_id",
                  "tender", "tender_nr"),
    "title": ("titel", "omschrijving", "title"),
    "buyer": ("opdrachtgever", "gemeente", "buyer"),
    "menu": ("menu", "bouwblokkenmenu"),
    "reference_date": ("peildatum", "reference_date"),
    "kind": ("soort_opdracht", "soort", "opdrachtsoort", "type_opdracht", "kind"),
    "contract_value": ("opdrachtwaarde", "opdrachtsom", "aanneemsom", "contractwaarde", "geraamde_waarde",
                       "contract_value"),
    "rate": ("percentage", "sroi_percentage", "sr_percentage", "social_return_percentage", "rate"),
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
    "bidder": ("inschrijver", "aannemer", "opdrachtnemer", "inschrijvende_partij", "bedrijfsnaam", "naam_inschrijver",
               "bidder", "bidder_name"),
    "bid_value": ("inschrijfsom", "inschrijvingsbedrag", "inschrijvingssom", "aanbiedingsbedrag", "aanneemsom",
                  "bid_value", "bid_price", "bid_contract_value"),
    "pso_certified": ("pso_gecertificeerd", "pso", "pso_certified"),
    "pso_trede": ("pso_trede", "trede"),
    "block": ("bouwblok", "blok", "block"),
    "candidate": ("kandidaat", "kandidaatnummer", "referentie", "candidate"),
    "hours_per_week": ("uren_per_week", "uren_week", "uren_p_w", "uren_pw", "uren_per_wk", "u_p_w", "uur_per_week",
                       "contracturen", "contracturen_per_week", "werkuren_per_week", "hours_per_week", "hours_week"),
    "months": ("maanden", "aantal_maanden", "duur_maanden", "looptijd_maanden", "maanden_in_dienst", "mnd",
               "aantal_mnd", "months"),
    "hours": ("uren", "aantal_uren", "inzet_uren", "hours"),
    "days": ("dagen", "aantal_dagen", "days"),
    "amount": ("bedrag", "factuurbedrag", "kosten", "inkoopbedrag", "amount"),
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

TEXT_COLUMNS = {"tender_id", "title", "buyer", "menu", "kind", "base", "bidder", "block", "candidate", "note"}
BOOL_COLUMNS = {"threshold_inclusive", "pso_certified", "permanent_contract", "statushouder",
                "work_limitation", "hired_after_internship"}
DATE_COLUMNS = {"reference_date"}


_UNIT_SUFFIX = re.compile(r"_(?:excl?|exclusief|ex)_btw$|_(?:in_)?(?:euro?s?|eur)$")


def normalise(header: object) -> str:
    """'Uren per week (u)' -> 'uren_per_week'; 'Aanbesteding-ID' -> 'aanbesteding_id';
    'Bedrag excl. btw' -> 'bedrag'."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text.lower())
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return _UNIT_SUFFIX.sub("", text)


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {alias: name for name, names in aliases.items() for alias in (*names, name)}


TENDER_LOOKUP = _lookup(TENDER_COLUMNS)
CONTRIBUTION_LOOKUP = _lookup(CONTRIBUTION_COLUMNS)
ALL_LOOKUP = {**TENDER_LOOKUP, **CONTRIBUTION_LOOKUP}


def map_headers(headers: list, lookup: dict[str, str]) -> tuple[dict[int, str], list[str], list[tuple[str, str]]]:
    """Positions of known columns, headers that were ignored, and duplicated canonical names.

    "Aanneemsom" is a bid's price on a sheet of contributions, and the contract value on a sheet
    of tenders or one that carries the tender fields without another contract value column.
    """
    found: dict[int, str] = {}
    ignored: list[str] = []
    duplicates: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    names = [lookup.get(normalise(h)) if h is not None and str(h).strip() else None for h in headers]
    keys = [normalise(h) if h is not None else "" for h in headers]
    for i, key in enumerate(keys):
        if key == "aanneemsom" and lookup.get(key) == "bid_value" and "contract_value" not in names and (
                "menu" in names or "block" not in names):
            names[i] = "contract_value"
    for position, (header, name) in enumerate(zip(headers, names)):
        if header is None or str(header).strip() == "":
            continue
        if name is None:
            ignored.append(str(header).strip())
        elif name in seen:
            duplicates.append((str(header).strip(), seen[name]))
        else:
            seen[name] = str(header).strip()
            found[position] = name
    return found, ignored, duplicates


def sheet_kind(name: str) -> str | None:
    key = normalise(name)
    if key in TENDER_SHEETS:
        return "tenders"
    if key in CONTRIBUTION_SHEETS:
        return "contributions"
    return None
