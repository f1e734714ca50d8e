"""`impactkit assess`: the data, the level logic, the answers file and the bridge to social return."""

from decimal import Decimal

import pytest

from impactkit.assess import bridge as bridge_module
from impactkit.assess.answers import Answer, Assessment, carried_items, save
from impactkit.assess.bridge import ORDER, bridge, newest_menus, part_of_order
from impactkit.assess.levels import evaluate_theme, r_ladder_position, revise_items, target_group_share
from impactkit.assess.model import catalogue
from impactkit.assess.reading import load, read_number, read_pso
from impactkit.engine.bridge import purchase_credits
from impactkit.menus import shipped_menus

from .conftest import EXAMPLES

CAT = catalogue()
THEMES = [t.id for t in CAT.themes]
ASSESSMENTS = sorted(p for p in EXAMPLES.glob("assessment*.yaml") if "broken" not in p.name)


def test_the_data_is_consistent():
    ids = [q.id for q in CAT.questions]
    assert len(ids) == len(set(ids))
    assert {q.level for q in CAT.questions} == {1, 2, 3, 4, 5} == {level.level for level in CAT.levels}
    assert all(any(q.required for q in CAT.questions_at(n)) for n in range(1, 6))
    assert [q.id for q in CAT.enterprise_questions()] == ["mission", "mission_statutes"]
    assert not any(q.required for q in CAT.enterprise_questions())  # a level never hangs on them
    assert len({t.id for t in CAT.themes}) == len(CAT.themes) >= 4
    assert [t.id for t in CAT.themes if t.later] == ["actief_ouder_worden"]
    indicator_ids = [i.id for i in CAT.indicators]
    assert len(indicator_ids) == len(set(indicator_ids))
    steps = [step.id for step in CAT.toc_steps]
    assert steps[0] == "problem" and steps[-1] == "impact"
    for indicator in CAT.indicators:
        assert CAT.theme(indicator.theme) is not None, indicator.id
        assert indicator.toc_step in steps
        assert indicator.name.nl and indicator.unit.nl and indicator.unit.en
        assert indicator.methods and all(m.nl and m.en for m in indicator.methods)
        low, high = indicator.bounds
        assert low < high
    for question in CAT.questions:
        assert question.text.nl and question.short.nl and question.short.en
        assert set(question.examples) <= set(THEMES)
        if question.kind == "yes_no_evidence":
            assert question.evidence is not None and question.evidence.nl and question.evidence.en
    for theme in CAT.themes:
        assert theme.sdg_targets and theme.name.nl and theme.name.en
        assert {i.min_level for i in CAT.indicators_for(theme.id)} >= {3, 4, 5}
    # every part says where it comes from; the Impactpad's own parts are the themes and the levels
    assert {p.id for p in CAT.parts if p.origin == "impactpad"} == {"themes", "levels"}
    assert {"questions", "level_rule", "indicators", "sdg", "fte_share", "r_position"} <= {
        p.id for p in CAT.parts if p.origin == "impactkit"}


def filled(theme: str, up_to: int, **overrides) -> Assessment:
    """An assessment whose required items hold up to level `up_to`."""
    answers = {}
    for q in CAT.questions:
        if q.level <= up_to and q.required:
            answers[q.id] = Answer("tekst" if q.kind == "text" else True,
                                   "bewijs" if q.kind == "yes_no_evidence" else None)
    answers.update(overrides)
    return Assessment(name="X", themes=[theme], answers={theme: answers})


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("level", [0, 1, 2, 3, 4, 5])
def test_level_per_theme_is_cumulative(theme, level):
    result = evaluate_theme(CAT, filled(theme, level), theme)
    assert result.level == level
    if level < 5:
        required = [q for q in CAT.questions_at(level + 1) if q.required]
        assert [g.question.id for g in result.gaps] == [q.id for q in required]
        assert all(g.reason == "missing" for g in result.gaps)
        assert result.next_indicators and all(i.theme == theme for i in result.next_indicators)
    else:
        assert result.gaps == [] and result.next_indicators == []


def test_a_missing_lower_level_caps_the_level():
    assessment = filled("arbeidsparticipatie", 5, problem=Answer(None))
    assert evaluate_theme(CAT, assessment, "arbeidsparticipatie").level == 0


def test_yes_without_evidence_is_a_gap_and_no_is_a_gap():
    theme = "circulaire_economie"
    assessment = filled(theme, 2, toc_validated=Answer(True, None), indicators_defined=Answer(False))
    result = evaluate_theme(CAT, assessment, theme)
    assert result.level == 1
    assert {(g.question.id, g.reason) for g in result.gaps} == {("toc_validated", "evidence"),
                                                                ("indicators_defined", "no")}
    # the same two are what --revise walks first
    assert [(t, q.id, r) for t, q, r in revise_items(CAT, assessment)] == [
        (theme, "toc_validated", "evidence"), (theme, "indicators_defined", "no")]


def test_measured_values():
    assessment = Assessment(measures={"ap_target_group_fte": Decimal("14.5"), "ap_total_fte": Decimal(22),
                                      "ce_kg_by_r_strategy": {"R3": Decimal(1000), "R8": Decimal(3000)}})
    assert target_group_share(assessment) == Decimal("65.9")
    assert r_ladder_position(assessment) == Decimal("6.8")  # (3 x 1000 + 8 x 3000) / 4000 = 6.75


@pytest.mark.parametrize("path", ASSESSMENTS, ids=[p.name for p in ASSESSMENTS])
def test_examples_round_trip(tmp_path, path):
    original = load(path, CAT)
    assert original.name and original.year and original.themes
    save(original, tmp_path / "copy.yaml")
    again = load(tmp_path / "copy.yaml", CAT)
    assert again == original


def test_next_year_carries_every_answer_to_confirm():
    last = load(EXAMPLES / "assessment.yaml", CAT)
    new = last.next_year()
    assert new.year == last.year + 1
    assert new.answers == last.answers and new.measures == last.measures and new.general == last.general
    assert new.to_confirm == carried_items(last)
    assert len(new.to_confirm) == (len(last.general) + sum(len(a) for a in last.answers.values())
                                   + len(last.measures) + len(last.bridge))


@pytest.mark.parametrize("typed, share, expected", [
    ("65%", True, Decimal(65)), ("65 %", True, Decimal(65)), ("0,78", False, Decimal("0.78")),
    ("1.234", False, Decimal(1234)), ("12,5", False, Decimal("12.5")), (7, False, Decimal(7)),
    ("65%", False, None), ("veel", False, None), (True, False, None),
])
def test_numbers_are_read_as_people_type_them(typed, share, expected):
    assert read_number(typed, share) == expected


@pytest.mark.parametrize("typed, level", [
    ("trede 2", "trede_2"), ("Trede2", "trede_2"), ("2", "trede_2"), ("30+", "30_plus"), ("geen", "none"),
    ("Basistrede", "basistrede"), ("aspirant", "aspirant"), ("trede 4", None), ("goud", None),
])
def test_pso_levels_are_read_as_people_type_them(typed, level):
    assert read_pso(typed) == level


# the bridge to social return -------------------------------------------------------------

def entrepreneur(**bridge_answers) -> Assessment:
    return Assessment(name="X", municipality="Assen", year=2024, themes=["arbeidsparticipatie"], bridge=bridge_answers)


def rows(result) -> dict:
    return {(part.menu.id, row.block.id): row for part in result.menus for row in part.rows}


def test_every_menu_is_named_none_silently_dropped():
    result = bridge(CAT, entrepreneur())
    assert sorted(p.menu.ref for p in result.menus) == sorted(m.ref for m in newest_menus())
    assert {m.id for m in shipped_menus()} == {p.menu.id for p in result.menus}
    for part in result.without_purchases:  # named, with what is known where impactkit knows it
        assert not purchase_credits(part.menu)
    assert "haaglanden-zhc" in {p.menu.id for p in result.without_purchases}
    assert next(p for p in result.menus if p.menu.id == "haaglanden-zhc").no_block.sources[0].tag == "P"


def test_the_basis_that_counts_per_menu():
    share = Decimal(60)
    result = rows(bridge(CAT, entrepreneur(labour_cost_share=share)))
    order_part = part_of_order(share)
    assert order_part == Decimal("6000.00")
    # Utrecht counts only the (wage) costs of a purchase from a social enterprise
    utrecht = result[("utrecht", "sociale_onderneming_inkoop")]
    assert utrecht.basis == "wage_cost" and utrecht.amount == order_part
    utrecht_menu = next(m for m in newest_menus() if m.id == "utrecht")
    assert utrecht.credit == next(c.credit for c in purchase_credits(utrecht_menu, order_part)
                                  if c.block.id == "sociale_onderneming_inkoop")
    # Fryslân counts only the actual labour costs of subcontracting to an SW company
    fryslan = result[("fryslan", "sw_inkoop")]
    assert fryslan.basis == "labour_cost" and fryslan.block.unit == "actual_cost"
    # Leiden and Hilversum count the paid invoice
    for menu_id in ("holland-rijnland-leiden", "gooi-vechtstreek"):
        row = result[(menu_id, "sw_inkoop")]
        assert row.basis == "invoice" and row.block.unit == "invoice" and row.credit == ORDER * row.block.factor
    # without the labour-cost share the part is not known, and nothing pretends it is the invoice
    unknown = rows(bridge(CAT, entrepreneur()))
    assert unknown[("utrecht", "sociale_onderneming_inkoop")].credit is None
    assert unknown[("fryslan", "sw_inkoop")].credit is None


def test_the_valuation_goes_through_purchase_credits(monkeypatch):
    calls = []

    def spy(menu, amount=ORDER):
        calls.append((menu.ref, amount))
        return purchase_credits(menu, amount)

    monkeypatch.setattr(bridge_module, "purchase_credits", spy)
    bridge(CAT, entrepreneur(labour_cost_share=Decimal(45)))
    assert ("utrecht@2", Decimal("4500.00")) in calls and ("holland-rijnland-leiden@2023-09", ORDER) in calls


def test_recognition_criteria_only_with_the_source_that_states_them():
    meets_haaglanden = entrepreneur(target_group_staff_share=Decimal(30), trade_income_share=Decimal(50),
                                    sw_company=False)
    result = bridge(CAT, meets_haaglanden)
    utrecht = rows(result)[("utrecht", "sociale_onderneming_inkoop")]
    assert utrecht.criterion == "not_published" and utrecht.eligible is None  # not Haaglanden's criteria
    (recognition, met), = result.reference
    assert recognition.menus == ("haaglanden-zhc",) and met is True
    assert recognition.source.url.startswith("https://www.sociaalondernemenhaaglanden.nl")
    short = bridge(CAT, entrepreneur(target_group_staff_share=Decimal(29), trade_income_share=Decimal(90)))
    assert short.reference[0][1] is False
    sw = rows(bridge(CAT, entrepreneur(sw_company=True)))
    assert all(r.eligible is True for (_, block), r in sw.items() if block == "sw_inkoop")


@pytest.mark.parametrize("municipality, region, menus", [
    ("Assen", "drenthe", []), ("Hoogeveen", "drenthe", []), ("emmen", "drenthe", []),
    ("Meppel", "zwolle", ["oost-nederland"]), ("Groningen", None, ["groningen"]), ("Midden-Groningen", "groningen", []),
    ("Utrecht", None, ["utrecht"]), ("Leiden", None, ["holland-rijnland-leiden"]), ("Maastricht", None, []),
])
def test_the_entrepreneurs_own_region(municipality, region, menus):
    own = bridge(CAT, Assessment(municipality=municipality)).own
    assert (own.note.id if own.note else None) == region
    assert [m.id for m in own.menus] == menus


def test_drenthe_and_groningen_say_what_the_notes_say():
    drenthe = CAT.bridge.region_of("Assen")
    assert "2022" in drenthe.text.en and drenthe.sources[0].tag == "P"
    groningen = CAT.bridge.region_of("Groningen")
    assert "[S]" in groningen.text.en and {s.tag for s in groningen.sources} == {"P", "S"}


def test_a_purchase_valued_by_the_suppliers_pso_trede(monkeypatch):
    """A menu that counts purchases by the supplier's PSO trede (and discounts the obligation per
    trede): the bridge names the shares and the enterprise's own, and claims no figure it lacks."""
    from impactkit.assess.bridge_doc import social_return
    from impactkit.i18n import Translator
    from impactkit.model.menu import Menu

    leiden = next(m for m in newest_menus() if m.id == "holland-rijnland-leiden")
    data = leiden.model_dump(by_alias=True, exclude_none=True)
    for block in data["blocks"]:
        if block["id"] == "sw_inkoop":
            block.pop("factor", None)
            block["factor_by_trede"] = {"1": "0.1", "2": "0.2", "3": "0.3", "30+": "1"}
    data["obligation"]["pso_discount_by_trede"] = {"1": "0.25", "2": "0.5", "3": "0.75", "30+": "1"}
    by_trede = Menu.model_validate(data)
    monkeypatch.setattr(bridge_module, "newest_menus", lambda: [by_trede])
    result = bridge(CAT, entrepreneur(pso="trede_2", sw_company=True))
    (row,) = [r for p in result.menus for r in p.rows]
    assert row.basis == "by_trede" and row.credit is None and row.own_trede == "2"
    doc = social_return(result, Translator("en"))
    (menu,) = doc["menus"]
    text = menu["rows"][0]["basis_text"]
    assert "trede 1 10%" in text and "trede 30+ 100%" in text and "with your trede: 20%" in text
    assert "depends on the supplier's PSO trede" in menu["rows"][0]["credit_text"]
    assert menu["pso_rule"] and "trede 2 50%" in menu["pso"] and "trede 2 50%" in doc["pso"]["menus_text"]
