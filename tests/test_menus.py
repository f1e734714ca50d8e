"""The shipped menus hold exactly the published figures of shared/domain/sroi.md."""

from datetime import date
from decimal import Decimal

import pytest

from impactkit.errors import InvalidInputError, UnknownReferenceError
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
]

CANONICAL = {
    "participatiewet", "participatiewet_lt2y", "participatiewet_gt2y", "participatiewet_arbeidsbeperking",
    "ww", "ww_lt1y", "ww_gt1y", "wia", "wajong", "banenafspraak", "wsw", "nug", "nug_arbeidsbeperking",
    "jongere_zonder_startkwalificatie", "bbl", "bbl_niveau_1_2", "bbl_niveau_3_plus", "bol", "stage_mbo_hbo",
    "stage_vso_pro", "leerwerkplek_pro_vso", "werkervaringsplek", "sw_inkoop", "sociale_onderneming_inkoop",
    "mvo_uren", "maatschappelijke_activiteit", "opleidingskosten", "maatwerk",
}
REGIONAL = {"pro_vso_dienstverband", "bbl_bestaand_contract", "stage_mbo_1_2", "beschut_werk"}


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
    assert _menu("oost-nederland").status == "partial"
    assert _menu("holland-rijnland-alphen").status == "partial"


def test_every_shipped_menu_is_sourced_and_uses_known_ids():
    menus = shipped_menus()
    assert {m.ref for m in menus} >= {
        "haaglanden-zhc@2023-07", "holland-rijnland-leiden@2023-09", "holland-rijnland-alphen@older",
        "utrecht@1", "utrecht@2", "fryslan@harlingen", "gooi-vechtstreek@older", "oost-nederland@V05-2023-04",
    }
    for menu in menus:
        assert menu.sources and all(s.url.startswith("https://") for s in menu.sources)
        assert menu.assumptions, f"{menu.ref} states no assumptions"
        for block in menu.blocks:
            assert block.id in CANONICAL | REGIONAL, (menu.ref, block.id)
            if block.alias_of is None:
                assert menu.source(block.source).id == block.source
        for bonus in menu.bonuses:
            assert bonus.id.startswith("bonus_")
        # a menu whose obligation rule is assumed says so in its assumptions
        if menu.obligation.assumed:
            assert any("obligation" in a for a in menu.assumptions)
        if menu.hours_basis_assumed:
            assert any("hours basis" in a for a in menu.assumptions)


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
    path.write_text(starter_text("fryslan"), encoding="utf-8")
    mine = load_menu_file(path)
    original = _menu("fryslan")
    assert [b.id for b in mine.blocks] == [b.id for b in original.blocks]
    assert [b.value for b in mine.blocks] == [b.value for b in original.blocks]
    assert resolve_menu(str(path)).menu.ref == original.ref


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
