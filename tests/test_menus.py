"""The shipped menus hold exactly the published figures of shared/domain/sroi.md."""

from datetime import date
from decimal import Decimal

import pytest

from impactkit.errors import InvalidInputError, UnknownReferenceError
from impactkit.i18n import Translator
from impactkit.menus import load_menu_file, resolve_menu, shipped_menus, starter_text

# (menu ref, block id, value per unit, counting cap in months or None) as published
PUBLISHED_BLOCKS = [
    ("haaglanden-zhc@2023-07", "nug", 5000, 12),
    ("haaglanden-zhc@2023-07", "jongere_zonder_startkwalificatie", 10000, 12),
    ("haaglanden-zhc@2023-07", "stage_mbo_hbo", 5000, 12),
    ("haaglanden-zhc@2023-07", "stage_vso_pro", 7500, 24),
    ("haaglanden-zhc@2023-07", "bbl_niveau_1_2", 25000, 24),
    ("haaglanden-zhc@2023-07", "bbl_niveau_3_plus", 15000, 36),
    ("haaglanden-zhc@2023-07", "ww", 20000, 12),
    ("haaglanden-zhc@2023-07", "wia", 30000, 24),
    ("haaglanden-zhc@2023-07", "participatiewet", 40000, 24),
    ("haaglanden-zhc@2023-07", "banenafspraak", 50000, None),
    ("holland-rijnland-leiden@2023-09", "nug", 5000, None),
    ("holland-rijnland-leiden@2023-09", "nug_arbeidsbeperking", 10000, None),
    ("holland-rijnland-leiden@2023-09", "bol", 10000, None),
    ("holland-rijnland-leiden@2023-09", "bbl", 25000, None),
    ("holland-rijnland-leiden@2023-09", "pro_vso_dienstverband", 25000, None),
    ("holland-rijnland-leiden@2023-09", "ww", 15000, None),
    ("holland-rijnland-leiden@2023-09", "wia", 40000, None),
    ("holland-rijnland-leiden@2023-09", "wajong", 25000, None),
    ("holland-rijnland-leiden@2023-09", "participatiewet", 30000, None),
    ("holland-rijnland-leiden@2023-09", "participatiewet_arbeidsbeperking", 50000, None),
    ("holland-rijnland-leiden@2023-09", "wsw", 50000, None),
    ("holland-rijnland-leiden@2023-09", "maatschappelijke_activiteit", 1000, None),
    ("holland-rijnland-alphen@older", "bol", 5000, None),
    ("holland-rijnland-alphen@older", "ww", 10000, None),
    ("holland-rijnland-alphen@older", "wia", 20000, None),
    ("holland-rijnland-alphen@older", "participatiewet_lt2y", 25000, None),
    ("holland-rijnland-alphen@older", "participatiewet_gt2y", 30000, None),
    ("utrecht@2", "participatiewet", 40000, None),
    ("utrecht@2", "banenafspraak", 50000, None),
    ("utrecht@2", "leerwerkplek_pro_vso", 35000, None),
    ("utrecht@2", "wia", 40000, None),
    ("utrecht@2", "ww", 20000, None),
    ("utrecht@2", "bbl", 35000, None),
    ("utrecht@2", "bol", 20000, None),
    ("utrecht@2", "nug", 10000, None),
    ("utrecht@2", "mvo_uren", 100, None),
    ("utrecht@1", "participatiewet_lt2y", 30000, None),
    ("utrecht@1", "participatiewet_gt2y", 40000, None),
    ("utrecht@1", "ww_lt1y", 15000, None),
    ("utrecht@1", "ww_gt1y", 20000, None),
    ("utrecht@1", "wia", 30000, None),
    ("utrecht@1", "banenafspraak", 35000, None),
    ("utrecht@1", "bbl", 15000, None),
    ("utrecht@1", "bol", 10000, None),
    ("utrecht@1", "nug", 10000, None),
    ("utrecht@1", "mvo_uren", 100, None),
    ("fryslan@harlingen", "participatiewet_lt2y", 35000, 24),
    ("fryslan@harlingen", "participatiewet_gt2y", 40000, 24),
    ("fryslan@harlingen", "ww_lt1y", 15000, 24),
    ("fryslan@harlingen", "ww_gt1y", 20000, 24),
    ("fryslan@harlingen", "wia", 35000, 24),
    ("fryslan@harlingen", "wajong", 40000, None),
    ("fryslan@harlingen", "banenafspraak", 40000, None),
    ("fryslan@harlingen", "werkervaringsplek", 7500, 24),
    ("fryslan@harlingen", "bbl", 15000, 24),
    ("fryslan@harlingen", "bbl_bestaand_contract", 10000, 24),
    ("fryslan@harlingen", "stage_mbo_1_2", 5000, 24),
    ("fryslan@harlingen", "stage_mbo_hbo", 2500, 24),
    ("gooi-vechtstreek@older", "participatiewet_lt2y", 30000, None),
    ("gooi-vechtstreek@older", "participatiewet_gt2y", 40000, None),
    ("gooi-vechtstreek@older", "ww_lt1y", 10000, None),
    ("gooi-vechtstreek@older", "ww_gt1y", 15000, None),
    ("gooi-vechtstreek@older", "wia", 30000, None),
    ("gooi-vechtstreek@older", "wajong", 35000, None),
    ("gooi-vechtstreek@older", "bbl", 10000, None),
    ("gooi-vechtstreek@older", "bol", 5000, None),
    ("gooi-vechtstreek@older", "mvo_uren", 100, None),
    ("oost-nederland@V05-2023-04", "participatiewet_lt2y", 30000, 24),
    ("oost-nederland@V05-2023-04", "participatiewet_gt2y", 40000, 24),
    ("oost-nederland@V05-2023-04", "banenafspraak", 40000, None),
    ("oost-nederland@V05-2023-04", "wia", 40000, None),
    ("oost-nederland@V05-2023-04", "wsw", 40000, None),
    ("oost-nederland@V05-2023-04", "beschut_werk", 40000, None),
    ("oost-nederland@V05-2023-04", "ww_lt1y", 10000, 12),
    ("oost-nederland@V05-2023-04", "ww_gt1y", 15000, 12),
    ("oost-nederland@V05-2023-04", "nug", 10000, 12),
    ("oost-nederland@V05-2023-04", "werkervaringsplek", 750, None),
    ("oost-nederland@V05-2023-04", "bbl_niveau_1_2", 20000, None),
    # the full Alphen table (regions.md 1.1: the stored Rijnvicus page shows all rows)
    ("holland-rijnland-alphen@older", "nug", 5000, None),
    ("holland-rijnland-alphen@older", "nug_arbeidsbeperking", 10000, None),
    ("holland-rijnland-alphen@older", "bbl", 25000, None),
    ("holland-rijnland-alphen@older", "pro_vso_dienstverband", 25000, None),
    ("holland-rijnland-alphen@older", "wajong", 25000, None),
    ("holland-rijnland-alphen@older", "participatiewet_arbeidsbeperking", 50000, None),
    ("holland-rijnland-alphen@older", "wsw", 50000, None),
    ("holland-rijnland-alphen@older", "maatschappelijke_activiteit", 1000, None),
    # Oost-Nederland 2023, the rest of the list [S] (regions.md 2.6)
    ("oost-nederland@V05-2023-04", "bbl_niveau_3_plus", 15000, None),
    ("oost-nederland@V05-2023-04", "mvo_uren", 100, None),
    # Oost-Nederland 2026 [S] (regions.md 2.6)
    ("oost-nederland@2026", "participatiewet", 45000, 24),
    ("oost-nederland@2026", "banenafspraak", 50000, None),
    ("oost-nederland@2026", "wia", 50000, None),
    ("oost-nederland@2026", "wsw", 50000, None),
    ("oost-nederland@2026", "beschut_werk", 50000, None),
    ("oost-nederland@2026", "ww", 20000, 12),
    ("oost-nederland@2026", "nug", 15000, 12),
    ("oost-nederland@2026", "werkervaringsplek", 750, None),
    ("oost-nederland@2026", "bbl_niveau_1_2", 25000, None),
    ("oost-nederland@2026", "bbl_niveau_3_plus", 15000, None),
    ("oost-nederland@2026", "mvo_uren", 125, None),
    # Rijnmond 2024 [S] (regions.md 2.4): "max. 3 / 2 jaar" as caps, "altijd" as none
    ("rijnmond@2024", "participatiewet", 50000, 36),
    ("rijnmond@2024", "banenafspraak", 50000, None),
    ("rijnmond@2024", "ww", 25000, 24),
    ("rijnmond@2024", "nug", 15000, 24),
    ("rijnmond@2024", "mvo_uren", 150, None),
    # Stroomopwaarts MVS waarderingskader v1.1 [S] (regions.md 2.4)
    ("rijnmond-mvs@v1.1-2024-11", "participatiewet", 50000, 36),
    ("rijnmond-mvs@v1.1-2024-11", "banenafspraak", 50000, None),
    ("rijnmond-mvs@v1.1-2024-11", "ww", 25000, 24),
    ("rijnmond-mvs@v1.1-2024-11", "nug", 15000, 24),
    ("rijnmond-mvs@v1.1-2024-11", "bbl", 15000, None),
    ("rijnmond-mvs@v1.1-2024-11", "vso_pro", 15000, None),
    ("rijnmond-mvs@v1.1-2024-11", "bol", 7500, None),
    ("rijnmond-mvs@v1.1-2024-11", "gastles", 150, None),
    ("rijnmond-mvs@v1.1-2024-11", "bedrijfsbezoek", 150, None),
    # Noordoost-Brabant normbedragen 2025 [S] (regions.md 2.5)
    ("noordoost-brabant@2025", "participatiewet", 45000, None),
    ("noordoost-brabant@2025", "nug", 45000, None),
    ("noordoost-brabant@2025", "wia", 45000, None),
    ("noordoost-brabant@2025", "wsw", 45000, None),
    ("noordoost-brabant@2025", "banenafspraak", 45000, None),
    ("noordoost-brabant@2025", "ww", 30000, None),
    ("noordoost-brabant@2025", "bbl_niveau_1_2", 20000, None),
    ("noordoost-brabant@2025", "bol_niveau_1_2", 5000, None),
    ("noordoost-brabant@2025", "vso_pro", 10000, None),
    # Provincie Noord-Holland [S] (regions.md 2.7): "duur opdracht" as no cap, "3 jaar" as 36
    ("provincie-noord-holland", "participatiewet_lt2y", 40000, None),
    ("provincie-noord-holland", "participatiewet_gt2y", 45000, None),
    ("provincie-noord-holland", "banenafspraak", 50000, None),
    ("provincie-noord-holland", "ww_lt1y", 20000, 36),
    ("provincie-noord-holland", "ww_gt1y", 30000, 36),
    ("provincie-noord-holland", "nug", 25000, 36),
    ("provincie-noord-holland", "student_hbo_wo_arbeidsbeperking", 10000, None),
    ("provincie-noord-holland", "bbl_niveau_1_2", 20000, None),
    ("provincie-noord-holland", "bbl_niveau_3_plus", 15000, None),
    ("provincie-noord-holland", "begeleiding_uren", 250, None),
    ("provincie-noord-holland", "mvo_uren", 250, None),
    # West-Friesland [S] (regions.md 2.8): "onbepaalde tijd" as no cap
    ("west-friesland", "ww_lt1y", 15000, 12),
    ("west-friesland", "ww_gt1y", 20000, 12),
    ("west-friesland", "participatiewet_lt2y", 35000, 24),
    ("west-friesland", "banenafspraak", 40000, 24),
    ("west-friesland", "wia", 35000, None),
    ("west-friesland", "wsw", 35000, None),
    # Amersfoort, list a [S] (regions.md 2.3)
    ("amersfoort", "participatiewet", 40000, None),
    ("amersfoort", "banenafspraak", 50000, None),
    ("amersfoort", "wia", 40000, None),
    ("amersfoort", "ww", 20000, None),
    ("amersfoort", "nug", 10000, None),
    ("amersfoort", "bbl_niveau_3_plus", 25000, None),
    ("amersfoort", "bbl_niveau_1_2", 35000, None),
    ("amersfoort", "bol_niveau_3_4", 10000, None),
    ("amersfoort", "stage_pro_vso_mbo_1_2", 20000, None),
    ("amersfoort", "mvo_uren", 100, None),
    # regio Amersfoort, list b [S] (regions.md 2.3)
    ("regio-amersfoort", "participatiewet", 40000, None),
    ("regio-amersfoort", "banenafspraak", 50000, None),
    ("regio-amersfoort", "beschut_werk", 60000, None),
    ("regio-amersfoort", "ww", 20000, None),
    ("regio-amersfoort", "nug", 10000, None),
    ("regio-amersfoort", "bbl_niveau_3_plus", 25000, None),
    ("regio-amersfoort", "bbl_niveau_1_2", 35000, None),
    ("regio-amersfoort", "bol_niveau_3_4", 10000, None),
    ("regio-amersfoort", "stage_hbo_wo", 5000, None),
    ("regio-amersfoort", "stage_pro_vso_mbo_1_2", 20000, None),
    ("regio-amersfoort", "maatwerk", 100, None),
    # Groningen SR 3.0 [S], partial (regions.md 2.1)
    ("groningen", "praktijkverklaring", 17500, None),
]

# (menu ref, block id, the block it counts as): one row of the source covering several ids
PUBLISHED_ALIASES = [
    ("oost-nederland@2026", "participatiewet_lt2y", "participatiewet"),  # "no split"
    ("oost-nederland@2026", "participatiewet_gt2y", "participatiewet"),
    ("oost-nederland@2026", "ww_lt1y", "ww"),
    ("oost-nederland@2026", "ww_gt1y", "ww"),
    ("oost-nederland@2026", "sw_inkoop", "sociale_onderneming_inkoop"),
    ("oost-nederland@V05-2023-04", "sw_inkoop", "sociale_onderneming_inkoop"),
    ("rijnmond@2024", "wia", "banenafspraak"),  # "Banenafspraak / WIA / WAO"
    ("rijnmond-mvs@v1.1-2024-11", "wia", "banenafspraak"),
    ("noordoost-brabant@2025", "wajong", "wia"),  # "WIA / WAO / WAZ / Wajong"
    ("noordoost-brabant@2025", "beschut_werk", "wsw"),  # "WSW / indicatie beschut werk"
    ("provincie-noord-holland", "wajong", "banenafspraak"),  # "Doelgroepregister / Wajong / WSW / WIA-WAO"
    ("provincie-noord-holland", "wsw", "banenafspraak"),
    ("provincie-noord-holland", "wia", "banenafspraak"),
    ("provincie-noord-holland", "sw_inkoop", "sociale_onderneming_inkoop"),
    ("amersfoort", "wajong", "banenafspraak"),  # "Wajong / Doelgroep Banenafspraak"
    ("regio-amersfoort", "wajong", "banenafspraak"),  # "Wajong / Doelgroep Banenafspraak / WIA / WAO"
    ("regio-amersfoort", "wia", "banenafspraak"),
]

# (menu ref, block id, unit) of rows valued by an amount rather than a menu value
PUBLISHED_AMOUNT_ROWS = [
    ("holland-rijnland-alphen@older", "sw_inkoop", "invoice"),
    ("oost-nederland@V05-2023-04", "sociale_onderneming_inkoop", "invoice"),
    ("oost-nederland@2026", "sociale_onderneming_inkoop", "invoice"),
    ("rijnmond@2024", "sociale_onderneming_inkoop", "invoice"),
    ("rijnmond-mvs@v1.1-2024-11", "sociale_onderneming_inkoop", "invoice"),
    ("rijnmond-mvs@v1.1-2024-11", "opleidingskosten", "actual_cost"),
    ("noordoost-brabant@2025", "opleidingskosten", "actual_cost"),
    ("noordoost-brabant@2025", "sociale_onderneming_inkoop", "invoice"),
    ("provincie-noord-holland", "opleidingskosten", "actual_cost"),
    ("provincie-noord-holland", "sociale_onderneming_inkoop", "invoice"),
    ("west-friesland", "sociale_onderneming_inkoop", "actual_cost"),
    ("west-friesland", "opleidingskosten", "actual_cost"),
    ("amersfoort", "sociale_onderneming_inkoop", "invoice"),
    ("groningen", "sociale_onderneming_inkoop", "actual_cost"),
    ("groningen", "sociale_onderneming_catering", "invoice"),
    ("groningen", "maatwerk", "by_agreement"),
    ("utrecht@2", "scholing_sr_medewerkers", "by_agreement"),
    ("utrecht@2", "ondersteuning_werkzoekenden", "by_agreement"),
    ("rijnmond@2024", "sociaal_investeren", "by_agreement"),
    ("rijnmond@2024", "open_invulling", "by_agreement"),
    ("rijnmond-mvs@v1.1-2024-11", "sociaal_investeren", "by_agreement"),
    ("rijnmond-mvs@v1.1-2024-11", "maatwerk", "by_agreement"),
    ("noordoost-brabant@2025", "pso_inkoop", "invoice"),
    ("oost-nederland@V05-2023-04", "pso_inkoop", "invoice"),
    ("oost-nederland@2026", "pso_inkoop", "invoice"),
]

PUBLISHED_BONUSES = [
    ("haaglanden-zhc@2023-07", "bonus_55_plus", 10000),
    ("haaglanden-zhc@2023-07", "bonus_indienst_na_stage", 25000),
    ("haaglanden-zhc@2023-07", "bonus_arbeidsbeperking", 10000),
    ("holland-rijnland-leiden@2023-09", "bonus_55_plus", 15000),
    ("holland-rijnland-leiden@2023-09", "bonus_indienst_na_stage", 10000),
    ("holland-rijnland-alphen@older", "bonus_55_plus", 10000),
    ("utrecht@2", "bonus_50_plus", 10000),
    ("utrecht@2", "bonus_statushouder", 10000),
    ("utrecht@2", "bonus_vast_contract", 10000),
    ("utrecht@1", "bonus_vast_contract", 10000),
    ("utrecht@1", "bonus_50_plus", 5000),
    ("fryslan@harlingen", "bonus_50_plus", 5000),
    ("fryslan@harlingen", "bonus_55_plus", 7500),
    ("gooi-vechtstreek@older", "bonus_55_plus", 5000),
    ("oost-nederland@V05-2023-04", "bonus_50_plus", 5000),
    ("oost-nederland@V05-2023-04", "bonus_vast_contract", 10000),
    ("oost-nederland@2026", "bonus_50_plus", 5000),
    ("oost-nederland@2026", "bonus_vast_contract", 10000),
    ("rijnmond@2024", "bonus_56_plus", 5000),
    ("rijnmond-mvs@v1.1-2024-11", "bonus_56_plus", 5000),
    ("noordoost-brabant@2025", "bonus_50_plus", 5000),
    ("noordoost-brabant@2025", "bonus_55_plus", 10000),
    ("provincie-noord-holland", "bonus_50_plus", 5000),
    ("provincie-noord-holland", "bonus_statushouder", 15000),
    ("provincie-noord-holland", "bonus_vast_contract", 10000),
    ("west-friesland", "bonus_50_plus", 5000),
    ("west-friesland", "bonus_statushouder", 5000),
    ("amersfoort", "bonus_statushouder", 10000),
    ("amersfoort", "bonus_vast_contract", 10000),
    ("regio-amersfoort", "bonus_statushouder", 10000),
    ("regio-amersfoort", "bonus_50_plus", 10000),
    ("regio-amersfoort", "bonus_vast_contract", 10000),
]

# (menu ref, bonus id, one-off as published): "eenmalig" in the source, else pro-rated per year
PUBLISHED_ONE_OFF = [
    ("oost-nederland@V05-2023-04", "bonus_50_plus", False),  # "€ 5.000/jaar"
    ("oost-nederland@V05-2023-04", "bonus_vast_contract", True),  # "€ 10.000 eenmalig"
    ("oost-nederland@2026", "bonus_vast_contract", True),
    ("rijnmond@2024", "bonus_56_plus", False),  # "€ 5.000/jaar"
    ("noordoost-brabant@2025", "bonus_50_plus", True),
    ("noordoost-brabant@2025", "bonus_55_plus", True),
    ("provincie-noord-holland", "bonus_statushouder", True),
    ("amersfoort", "bonus_vast_contract", True),
    ("regio-amersfoort", "bonus_50_plus", True),
]

CANONICAL = {
    "participatiewet", "participatiewet_lt2y", "participatiewet_gt2y", "participatiewet_arbeidsbeperking",
    "ww", "ww_lt1y", "ww_gt1y", "wia", "wajong", "banenafspraak", "wsw", "nug", "nug_arbeidsbeperking",
    "jongere_zonder_startkwalificatie", "bbl", "bbl_niveau_1_2", "bbl_niveau_3_plus", "bol", "stage_mbo_hbo",
    "stage_vso_pro", "leerwerkplek_pro_vso", "werkervaringsplek", "sw_inkoop", "sociale_onderneming_inkoop",
    "mvo_uren", "maatschappelijke_activiteit", "opleidingskosten", "maatwerk",
}
REGIONAL = {
    "pro_vso_dienstverband", "bbl_bestaand_contract", "stage_mbo_1_2", "beschut_werk", "vso_pro", "bol_niveau_1_2",
    "bol_niveau_3_4", "stage_pro_vso_mbo_1_2", "stage_hbo_wo", "student_hbo_wo_arbeidsbeperking", "begeleiding_uren",
    "gastles", "bedrijfsbezoek", "praktijkverklaring", "sociale_onderneming_catering", "scholing_sr_medewerkers",
    "ondersteuning_werkzoekenden", "sociaal_investeren", "open_invulling", "pso_inkoop",
}


def _menu(ref):
    return resolve_menu(ref).menu


@pytest.mark.parametrize("ref, block_id, value, cap", PUBLISHED_BLOCKS)
def test_published_block_values(ref, block_id, value, cap):
    block = _menu(ref).block(block_id)
    assert block is not None and block.alias_of is None
    assert block.value == Decimal(value)
    assert block.cap_months == (None if cap is None else Decimal(cap))


@pytest.mark.parametrize("ref, bonus_id, value", PUBLISHED_BONUSES)
def test_published_bonus_values(ref, bonus_id, value):
    assert _menu(ref).bonus(bonus_id).value == Decimal(value)


@pytest.mark.parametrize("ref, bonus_id, one_off", PUBLISHED_ONE_OFF)
def test_published_bonus_kinds(ref, bonus_id, one_off):
    assert _menu(ref).bonus(bonus_id).one_off is one_off


@pytest.mark.parametrize("ref, block_id, target", PUBLISHED_ALIASES)
def test_published_rows_covering_several_ids(ref, block_id, target):
    menu = _menu(ref)
    assert menu.block(block_id).alias_of == target and menu.resolve(block_id).id == target


@pytest.mark.parametrize("ref, block_id, unit", PUBLISHED_AMOUNT_ROWS)
def test_published_rows_valued_by_an_amount(ref, block_id, unit):
    block = _menu(ref).block(block_id)
    assert block.unit == unit and block.value is None


def test_published_rules_and_bases():
    haaglanden = _menu("haaglanden-zhc")
    assert haaglanden.hours_basis == 36 and haaglanden.valid_from == date(2023, 7, 1)
    rule = haaglanden.obligation
    assert (rule.rate, rule.threshold, rule.threshold_inclusive) == (Decimal("0.05"), 215000, True)
    assert _menu("holland-rijnland-leiden").valid_from == date(2023, 9, 1)
    assert _menu("utrecht@2").hours_basis == 36
    assert _menu("utrecht@1").hours_basis == 40
    fryslan = _menu("fryslan")
    assert (fryslan.obligation.rate, fryslan.obligation.cap) == (Decimal("0.02"), 300000)
    assert all(b.min_hours_per_week == 12 for b in fryslan.blocks if b.unit == "per_year")
    assert _menu("groningen").status == "partial"  # custom rows only, no placement blocks
    assert _menu("holland-rijnland-alphen").status == "complete"  # the whole table is encoded
    # Rijnmond: hours basis derived from its hourly equivalents (50,000 / 24.04 = 2,080 h = 40 x 52), flagged
    rijnmond = _menu("rijnmond")
    assert rijnmond.hours_basis == 40 and rijnmond.hours_basis_assumed
    assert (Decimal(50000) / Decimal("24.04")).quantize(Decimal(1)) == 52 * rijnmond.hours_basis
    # Amersfoort: 5% of the opdrachtsom stated by WSP regio Amersfoort (primary), no threshold known
    for ref in ("amersfoort", "regio-amersfoort"):
        rule = _menu(ref).obligation
        assert (rule.rate, rule.threshold, rule.assumed) == (Decimal("0.05"), None, False)
        assert _menu(ref).source(rule.source).status == "primary"


def test_every_shipped_menu_is_sourced_and_uses_known_ids():
    menus = shipped_menus()
    assert {m.ref for m in menus} >= {
        "haaglanden-zhc@2023-07", "holland-rijnland-leiden@2023-09", "holland-rijnland-alphen@older",
        "utrecht@1", "utrecht@2", "fryslan@harlingen", "gooi-vechtstreek@older", "oost-nederland@V05-2023-04",
        "oost-nederland@2026", "rijnmond@2024", "rijnmond-mvs@v1.1-2024-11", "noordoost-brabant@2025",
        "provincie-noord-holland@waardewerk-18e4f77", "west-friesland@waardewerk-724ae65",
        "amersfoort@waardewerk-48aab5e", "regio-amersfoort@waardewerk-48aab5e", "groningen@sr3-2025",
    }
    assert len({m.id for m in menus}) >= 14
    for menu in menus:
        assert menu.sources and all(s.url.startswith(("https://", "http://")) for s in menu.sources)
        assert menu.assumptions, f"{menu.ref} states no assumptions"
        for block in menu.blocks:
            assert block.id in CANONICAL | REGIONAL, (menu.ref, block.id)
            if block.alias_of is None:
                assert menu.source(block.source).id == block.source
        for bonus in menu.bonuses:
            assert bonus.id.startswith("bonus_")
        # a menu whose obligation rule is assumed says so in its assumptions
        assumptions = [Translator("en").label(a) for a in menu.assumptions]
        if menu.obligation.assumed:
            assert any("obligation" in a for a in assumptions), menu.ref
        if menu.hours_basis_assumed:
            assert any("hours basis" in a for a in assumptions), menu.ref


def test_version_in_force_on_a_date():
    assert resolve_menu("haaglanden-zhc", date(2024, 3, 1)).menu.version == "2023-07"
    with pytest.raises(UnknownReferenceError) as err:
        resolve_menu("haaglanden-zhc", date(2022, 1, 1))
    assert err.value.problems[0].key == "menu_not_in_force"
    # undated versions: the newest, with a note saying why
    choice = resolve_menu("utrecht", date(2024, 1, 1))
    assert choice.menu.ref == "utrecht@2" and choice.notes[0][0] == "menu_validity_unknown"
    assert resolve_menu("utrecht").menu.ref == "utrecht@2"
    assert resolve_menu("utrecht@1").menu.hours_basis == 40


def test_unknown_menu_suggests_the_nearest_ids():
    with pytest.raises(UnknownReferenceError) as err:
        resolve_menu("haaglanden")
    assert "haaglanden-zhc" in err.value.problems[0].params["hint"]
    with pytest.raises(UnknownReferenceError) as err:
        resolve_menu("utrecht@9")
    assert "utrecht@1" in err.value.problems[0].params["known"]


def test_starter_menu_round_trips(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(starter_text("fryslan", "mijn-regio"), encoding="utf-8")
    mine = load_menu_file(path)
    original = _menu("fryslan")
    assert [b.id for b in mine.blocks] == [b.id for b in original.blocks]
    assert [b.value for b in mine.blocks] == [b.value for b in original.blocks]
    assert [b.cap_months for b in mine.blocks] == [b.cap_months for b in original.blocks]
    assert mine.bonuses == original.bonuses[:0] + tuple(b.model_copy(update={"source": "own"}) for b in original.bonuses)
    assert resolve_menu(str(path)).menu.ref == "mijn-regio@1"


BAD_MENU = """
schema: 1
id: my-region
version: "2024"
name: My region
valid_from: 2024-01-01
status: complete
sources:
  - {id: src, url: "https://example.org/menu", title: Our table}
hours_basis: 36
obligation: {rate: "0.05", source: src}
bonuses:
  - {id: bonus_55_plus, label: {nl: a, en: b}, value: 1000, when: {age_min: 55}, source: src}
blocks:
  - id: participatiewet
    label: {nl: P-wet, en: P-wet}
    unit: per_year
    value: -40000
    source: src
  - id: ww
    label: {nl: WW, en: WW}
    unit: per_week
    value: 20000
    source: src
  - id: wia
    label: {nl: WIA, en: WIA}
    unit: per_year
    value: 30000
    bonuses: [bonus_60_plus]
    source: nowhere
"""


def _line_of(path, fragment):
    """1-based number of the first line of a file that contains `fragment`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if fragment in line)


def test_menu_problems_name_their_lines(write):
    path = write("bad.yaml", BAD_MENU)
    with pytest.raises(InvalidInputError) as err:
        load_menu_file(path)
    found = {(p.line, p.field, p.key) for p in err.value.problems}
    assert (_line_of(path, "value: -40000"), "value", "value_min") in found
    assert (_line_of(path, "unit: per_week"), "unit", "value_not_allowed") in found


def test_menu_reference_problems_name_their_lines(write):
    text = BAD_MENU.replace("value: -40000", "value: 40000").replace("unit: per_week", "unit: per_year")
    path = write("refs.yaml", text)
    with pytest.raises(InvalidInputError) as err:
        load_menu_file(path)
    found = {(p.line, p.key) for p in err.value.problems}
    assert (_line_of(path, "bonus_60_plus"), "ref_bonus_unknown") in found
    assert (_line_of(path, "source: nowhere"), "ref_source_unknown") in found


def test_menu_without_hours_basis_is_invalid(write):
    path = write("nobasis.yaml", BAD_MENU.replace("hours_basis: 36\n", ""))
    with pytest.raises(InvalidInputError) as err:
        load_menu_file(path)
    assert any(p.field == "hours_basis" and p.key == "field_missing" for p in err.value.problems)


# corrections from the audit (regions.md section 1.1) ----------------------------------------
def test_den_haag_rule_cites_the_regeling_page_not_the_home_page():
    menu = _menu("haaglanden-zhc")
    url = menu.source(menu.obligation.source).url
    assert url == ("https://www.denhaag.nl/nl/werk-bijstand-en-uitkering/"
                   "regeling-social-return-den-haag-help-werkzoekenden-aan-een-baan/")
    assert len(menu.municipalities) == 11 and {"Lansingerland", "Voorschoten"} <= set(menu.municipalities)


def test_older_utrecht_table_cites_its_own_pages():
    menu = _menu("utrecht@1")
    urls = {s.url for s in menu.sources}
    assert "https://www.utrecht.nl/werk-en-inkomen/aan-het-werk/social-return/" in urls
    assert "https://www.utrecht.nl/werk-en-inkomen/aan-het-werk/social-return/bouwblokkenmodel-social-return/" in urls
    current = _menu("utrecht@2").sources[0].url
    assert all(menu.source(b.source).url != current for b in menu.blocks if b.alias_of is None)


@pytest.mark.parametrize("ref, bonus_id, with_bonus, without_bonus", [
    # "extra op bovenstaande bedragen": rows 1-6 above the bonus rows, not BBL (row 10) or NUG (row 13)
    ("utrecht@1", "bonus_50_plus", ["participatiewet_lt2y", "participatiewet_gt2y", "ww_lt1y", "ww_gt1y", "wia",
                                    "banenafspraak"], ["bbl", "bol", "nug"]),
    ("utrecht@1", "bonus_vast_contract", ["participatiewet_lt2y", "banenafspraak"], ["bbl", "nug"]),
    # "55+ extra op bovenstaand bedrag" sits above BBL/BOL
    ("gooi-vechtstreek@older", "bonus_55_plus", ["participatiewet_lt2y", "ww_gt1y", "wia", "wajong"], ["bbl", "bol"]),
])
def test_bonuses_attach_only_to_the_rows_above_them(ref, bonus_id, with_bonus, without_bonus):
    menu = _menu(ref)
    assert all(bonus_id in menu.block(b).bonuses for b in with_bonus)
    assert not any(bonus_id in menu.block(b).bonuses for b in without_bonus)


def test_alphen_carries_the_whole_table():
    menu = _menu("holland-rijnland-alphen")
    rows = [b for b in menu.blocks if b.alias_of is None]
    assert len(rows) == 14 and menu.block("sw_inkoop").unit == "invoice"
    assert all(menu.source(b.source).id == "rijnvicus" for b in rows)


# where each row comes from ---------------------------------------------------------------------
SECONDARY = {"oost-nederland@2026", "rijnmond@2024", "rijnmond-mvs@v1.1-2024-11", "noordoost-brabant@2025",
             "provincie-noord-holland@waardewerk-18e4f77", "west-friesland@waardewerk-724ae65", "groningen@sr3-2025"}
MIXED = {"oost-nederland@V05-2023-04", "amersfoort@waardewerk-48aab5e", "regio-amersfoort@waardewerk-48aab5e",
         "holland-rijnland-leiden@2023-09"}  # Leiden: its PSO discounts per trede come from the dataset


def test_every_menu_states_where_its_rows_come_from():
    for menu in shipped_menus():
        expected = "secondary" if menu.ref in SECONDARY else "mixed" if menu.ref in MIXED else "primary"
        assert menu.source_status == expected == menu.derived_source_status(), menu.ref
        for src in menu.sources:
            if src.status == "secondary":  # a dataset is cited with its file and commit
                assert src.dataset == "Waardewerk SROI-monitor" and src.file == "src/data/gemeenten.ts"
                assert src.url == f"https://github.com/Waardewerk/SROI-monitor/blob/{src.commit}/src/data/gemeenten.ts"


def test_oost_nederland_2023_rows_one_to_eight_stay_primary():
    menu = _menu("oost-nederland@V05-2023-04")
    primary = {b.id for b in menu.blocks if b.alias_of is None and menu.row_status(b.source) == "primary"}
    assert primary == {"participatiewet_lt2y", "participatiewet_gt2y", "banenafspraak", "wia", "wsw", "beschut_werk",
                       "ww_lt1y", "ww_gt1y", "nug", "werkervaringsplek", "bbl_niveau_1_2"}
    assert menu.row_status(menu.block("bbl_niveau_3_plus").source) == "secondary"


def test_a_declared_source_status_must_match_the_rows(write):
    text = BAD_MENU.replace("value: -40000", "value: 40000").replace("unit: per_week", "unit: per_year")
    text = text.replace("bonuses: [bonus_60_plus]\n    source: nowhere", "source: src")
    path = write("status.yaml", text.replace("status: complete\n", "status: complete\nsource_status: secondary\n"))
    with pytest.raises(InvalidInputError) as err:
        load_menu_file(path)
    assert [(p.field, p.key, p.line) for p in err.value.problems] == [
        ("source_status", "ref_source_status", _line_of(path, "source_status"))]
    assert load_menu_file(write("ok.yaml", text)).source_status == "primary"


def test_a_secondary_source_names_its_dataset_and_commit(write):
    text = BAD_MENU.replace("value: -40000", "value: 40000").replace("unit: per_week", "unit: per_year")
    text = text.replace("bonuses: [bonus_60_plus]\n    source: nowhere", "source: src")
    text = text.replace('title: Our table}', 'title: Our table, status: secondary}')
    with pytest.raises(InvalidInputError) as err:
        load_menu_file(write("sec.yaml", text))
    assert err.value.problems[0].key == "secondary_source"


def test_rows_not_computed_keep_their_value_and_source():
    for menu in shipped_menus():
        for row in menu.not_encoded:
            assert row.value and menu.source(row.source).id == row.source
    rijnmond = _menu("rijnmond")
    assert {r.needs for r in rijnmond.not_encoded} == {"bonus_of_block_value", "target_group_value"}
