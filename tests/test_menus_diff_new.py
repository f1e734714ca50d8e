"""`impactkit menus diff A B` and starting one's own menu (`menus new`, `menus validate` warnings)."""

import json
from decimal import Decimal

import yaml

from impactkit.errors import ExitCode
from impactkit.menus import load_menu_file, resolve_menu, shipped_menus
from impactkit.menus.diff import diff_menus
from impactkit.menus.starter import PLACEHOLDER_URL, copy_warnings, starter_text


def _changes(a, b):
    return diff_menus(resolve_menu(a).menu, resolve_menu(b).menu)


def test_a_menu_has_no_differences_with_itself():
    for menu in shipped_menus():
        assert diff_menus(menu, menu) == []


def test_oost_nederland_2023_to_2026():
    old, new = resolve_menu("oost-nederland@V05-2023-04").menu, resolve_menu("oost-nederland@2026").menu
    changes = _changes(old.ref, new.ref)
    values = {(c.item, c.field): (c.old, c.new) for c in changes if c.section == "block" and c.kind == "changed"}
    # every value that changed between the two published tables, as a change from the one to the other
    for block_id in ("banenafspraak", "wia", "wsw", "beschut_werk", "nug", "bbl_niveau_1_2", "mvo_uren"):
        a, b = old.block(block_id).value, new.block(block_id).value
        assert a != b and values[(block_id, "value")] == (str(a), str(b))
    # the split by duration became one block: the old ids now count as the new one
    added = {c.item for c in changes if c.section == "block" and c.kind == "added"}
    assert {"participatiewet", "ww"} <= added
    assert values[("participatiewet_lt2y", "alias_of")][1] == {"alias_of": "participatiewet"}
    # the PSO purchases got a cap on their share in 2026
    assert any(c.section == "menu" and c.item == "share_caps" for c in changes)
    assert {c.item for c in changes if c.section == "municipality" and c.kind == "added"} >= {"Nijmegen", "Enschede"}


def test_utrecht_1_to_2(invoke):
    changes = _changes("utrecht@1", "utrecht@2")
    kinds = {(c.kind, c.section, c.item, c.field) for c in changes}
    assert ("changed", "menu", "hours_basis", "hours_basis") in kinds  # 40 h to 36 h
    assert ("removed", "block", "participatiewet_lt2y", None) in kinds
    assert ("added", "block", "participatiewet", None) in kinds
    assert ("added", "bonus", "bonus_statushouder", None) in kinds
    bonus = next(c for c in changes if c.section == "bonus" and c.item == "bonus_50_plus")
    assert (bonus.old, bonus.new) == ("5000", "10000")
    result = invoke("menus", "diff", "utrecht@1", "utrecht@2")
    assert result.exit_code == 0 and "From utrecht@1 to utrecht@2" in result.stdout
    assert f"{len(changes)} difference{'' if len(changes) == 1 else 's'}" in result.stdout
    doc = json.loads(invoke("menus", "diff", "utrecht@1", "utrecht@2", "--json").stdout)
    assert doc["from"] == "utrecht@1" and len(doc["changes"]) == len(changes)


def test_diff_of_a_users_menu_against_its_origin(invoke, tmp_path):
    path = tmp_path / "mine.yaml"
    text = starter_text("haaglanden-zhc", "mine").replace("value: 40000", "value: 42000")
    path.write_text(text, encoding="utf-8")
    changes = diff_menus(resolve_menu("haaglanden-zhc").menu, load_menu_file(path))
    changed = [(c.item, c.field, c.old, c.new) for c in changes if c.section == "block"]
    assert changed == [("participatiewet", "value", "40000", "42000")]
    assert invoke("menus", "diff", "haaglanden-zhc", path).exit_code == 0
    assert invoke("menus", "diff", "haaglanden-zhc", "nowhere").exit_code == ExitCode.UNKNOWN


def test_menus_new_drops_the_copied_regions_sources_and_assumptions(invoke, tmp_path):
    out = tmp_path / "emmen.yaml"
    assert invoke("menus", "new", "--from", "fryslan", "-o", out).exit_code == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    original = resolve_menu("fryslan").menu
    assert data["id"] == "emmen" and data["version"] == "1" and "fryslan" not in data["id"]
    assert data["municipalities"] == [] and "assumptions" not in data and "eligibility" not in data
    assert [s["url"] for s in data["sources"]] == [PLACEHOLDER_URL]
    text = out.read_text(encoding="utf-8")
    assert "harlingen.nl" not in text and "sudwestfryslan" not in text  # no copied source left
    mine = load_menu_file(out)
    assert {b.source for b in mine.blocks if b.alias_of is None} == {"own"}
    assert [b.value for b in mine.blocks] == [b.value for b in original.blocks]  # the values to edit
    assert mine.obligation.cap == original.obligation.cap == Decimal(300000)


def test_validate_warns_until_the_copy_is_ones_own(invoke, tmp_path):
    path = tmp_path / "mijn-regio.yaml"
    invoke("menus", "new", "--from", "utrecht", "-o", path)
    first = invoke("menus", "validate", path)
    assert first.exit_code == 0
    assert "source own is still the placeholder" in first.stdout
    assert "unchanged copy" in first.stdout and "utrecht@2" in first.stdout
    own = path.read_text(encoding="utf-8").replace(PLACEHOLDER_URL, "https://example.org/our-table")
    own = own.replace("value: 40000", "value: 41000", 1)
    path.write_text(own, encoding="utf-8")
    assert copy_warnings(load_menu_file(path)) == []
    assert "warning" not in invoke("menus", "validate", path).stdout
    # a file that keeps a shipped menu's id is warned about: a tender naming the id gets the shipped one
    shadow = tmp_path / "shadow.yaml"
    shadow.write_text(own.replace("id: mijn-regio", "id: utrecht"), encoding="utf-8")
    assert "is the id of a shipped menu" in invoke("menus", "validate", shadow).stdout


def test_the_shipped_menus_themselves_validate_without_copy_warnings():
    for menu in shipped_menus():
        assert copy_warnings(menu) == [], menu.ref


def test_every_shipped_menu_starts_a_valid_menu_of_ones_own(tmp_path):
    for menu in shipped_menus():
        path = tmp_path / f"{menu.id}.yaml"
        path.write_text(starter_text(menu.ref, "mine"), encoding="utf-8")
        mine = load_menu_file(path)
        assert mine.ref == "mine@1" and mine.source_status == "primary"  # every row cites the one placeholder
        # what it credits is the original's; only descriptions, municipalities and pending rows differ
        assert [c for c in diff_menus(menu, mine) if c.section in ("block", "bonus", "rule")] == []
