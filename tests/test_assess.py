"""`impactkit assess`: the data, the level logic, the answers file, outputs and the interview."""

import json
from decimal import Decimal

import openpyxl
import pytest
import yaml

from impactkit.assess.answers import Answer, Assessment, load, save
from impactkit.assess.bridge import bridge_rows
from impactkit.assess.levels import evaluate_theme, r_ladder_position, target_group_share
from impactkit.assess.model import catalogue
from impactkit.errors import ExitCode, InvalidInputError
from impactkit.i18n import CATALOGUES

from .conftest import EXAMPLES

CAT = catalogue()
THEMES = [t.id for t in CAT.themes]


def test_the_data_is_consistent():
    ids = [q.id for q in CAT.questions]
    assert len(ids) == len(set(ids))
    assert {q.level for q in CAT.questions} == {1, 2, 3, 4, 5} == {level.level for level in CAT.levels}
    assert all(any(q.required for q in CAT.questions_at(n)) for n in range(1, 6))
    assert len({t.id for t in CAT.themes}) == len(CAT.themes) >= 4
    assert [t.id for t in CAT.themes if t.later] == ["actief_ouder_worden"]
    indicator_ids = [i.id for i in CAT.indicators]
    assert len(indicator_ids) == len(set(indicator_ids))
    steps = [step.id for step in CAT.toc_steps]
    assert steps[0] == "problem" and steps[-1] == "impact"
    for indicator in CAT.indicators:
        assert CAT.theme(indicator.theme) is not None, indicator.id
        assert indicator.toc_step in steps
        assert indicator.name.nl and indicator.name.en
        assert indicator.methods and all(m.nl and m.en for m in indicator.methods)
    for question in CAT.questions:
        assert question.text.nl and question.text.en
        assert set(question.examples) <= set(THEMES)
        if question.kind == "yes_no_evidence":
            assert question.evidence is not None and question.evidence.nl and question.evidence.en
    for theme in CAT.themes:
        assert theme.sdg_targets and theme.name.nl and theme.name.en
        assert {i.min_level for i in CAT.indicators_for(theme.id)} >= {3, 4, 5}


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


def test_measured_values():
    assessment = Assessment(measures={"ap_target_group_fte": Decimal("14.5"), "ap_total_fte": Decimal(22),
                                      "ce_kg_by_r_strategy": {"R3": Decimal(1000), "R8": Decimal(3000)}})
    assert target_group_share(assessment) == Decimal("65.9")
    assert r_ladder_position(assessment) == Decimal("6.8")  # (3 x 1000 + 8 x 3000) / 4000 = 6.75


def test_bridge_criteria():
    menus_with_purchases = {row.menu.ref for row in bridge_rows(Assessment())}
    assert "utrecht@2" in menus_with_purchases and "haaglanden-zhc@2023-07" not in menus_with_purchases
    meets = Assessment(bridge={"target_group_staff_share": Decimal(30), "trade_income_share": Decimal(50),
                               "sw_company": False})
    rows = {(r.menu.ref, r.block.id): r for r in bridge_rows(meets)}
    assert rows[("utrecht@2", "sociale_onderneming_inkoop")].eligible is True
    assert rows[("utrecht@2", "sociale_onderneming_inkoop")].credit == Decimal("10000.00")
    assert rows[("holland-rijnland-leiden@2023-09", "sw_inkoop")].eligible is False
    short = Assessment(bridge={"target_group_staff_share": Decimal(29), "trade_income_share": Decimal(90)})
    assert next(r for r in bridge_rows(short) if r.block.id == "sociale_onderneming_inkoop").eligible is False
    assert all(r.eligible is None for r in bridge_rows(Assessment()))


def test_answers_round_trip(tmp_path):
    original = load(EXAMPLES / "assessment.yaml", CAT)
    save(original, tmp_path / "copy.yaml")
    again = load(tmp_path / "copy.yaml", CAT)
    assert again.themes == original.themes and again.name == original.name
    assert again.answers == original.answers
    assert again.measures == original.measures and again.bridge == original.bridge


@pytest.mark.parametrize("fragment, key, field", [
    ("enterprise: {themes: [arbeid]}", "assess_theme_unknown", None),
    ("answers: {arbeidsparticipatie: {probleem: x}}", "assess_question_unknown", "probleem"),
    ("answers: {arbeidsparticipatie: {baseline: misschien}}", "assess_expected_yes_no", "baseline"),
    ("answers: {arbeidsparticipatie: {problem: [a, b]}}", "assess_expected_text", "problem"),
    ("measures: {ap_total_fte: -3}", "assess_expected_amount", "ap_total_fte"),
    ("measures: {ap_total_fte: veel}", "assess_expected_amount", "ap_total_fte"),
    ("measures: {ap_target_group_fte: 30, ap_total_fte: 20}", "assess_fte_above_total", "ap_target_group_fte"),
    ("bridge: {trade_income_share: 120}", "assess_expected_share", "trade_income_share"),
    ("measures: {ce_kg_by_r_strategy: {R12: 5}}", "assess_r_unknown", "R12"),
])
def test_bad_answers_name_the_entry(tmp_path, fragment, key, field):
    path = tmp_path / "bad.yaml"
    path.write_text("enterprise: {name: X, themes: [arbeidsparticipatie]}\n" * ("enterprise" not in fragment)
                    + fragment + "\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(InvalidInputError) as err:
        load(path, CAT)
    problem = err.value.problems[0]
    assert (problem.key, problem.field) == (key, field) and problem.line is not None
    assert problem.key in CATALOGUES["en"]
    assert path.read_bytes() == before  # the file is kept as it was


def test_no_input_report_and_outputs_read_back(invoke, tmp_path):
    md, book = tmp_path / "summary.md", tmp_path / "assessment.xlsx"
    result = invoke("assess", "--answers", EXAMPLES / "assessment.yaml", "--no-input", "--json", "--md", md,
                    "--xlsx", book)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["enterprise"]["name"] == "Textielwerk Emmen"
    levels = {t["theme"]: t["level"] for t in doc["themes"]}
    expected = {t: evaluate_theme(CAT, load(EXAMPLES / "assessment.yaml", CAT), t).level for t in levels}
    assert levels == expected
    for theme in doc["themes"]:
        assert {"theme", "level", "met", "gaps", "next_indicators"} <= set(theme)
    assert doc["measures"]["target_group_fte_share_percent"] == "65.9"
    assert any(row["eligible"] for row in doc["social_return"])
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Impactpad self-assessment: Textielwerk Emmen") and "Labour participation" in text
    wb = openpyxl.load_workbook(book)
    results = wb["Results"]
    assert [results.cell(row=r, column=2).value for r in (2, 3)] == [levels[t] for t in doc["enterprise"]["themes"]]
    assert len(results._charts) == 1
    assert wb["Answers"].max_row > 10


def test_interview_asks_only_what_is_missing_and_saves_as_it_goes(invoke, tmp_path):
    answers = tmp_path / "answers.yaml"
    # name, themes (2 = value chain), then level 1: problem, target group; then the input ends (EOF = stop)
    first = invoke("--lang", "en", "assess", "--save", answers, input="Eerlijk BV\n2\nKinderarbeid\nBoeren\n")
    assert first.exit_code == 130 and "every answer so far is saved" in first.stderr
    saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert saved["enterprise"] == {"name": "Eerlijk BV", "themes": ["duurzame_waardeketen"]}
    assert saved["answers"]["duurzame_waardeketen"] == {"problem": "Kinderarbeid", "target_group": "Boeren"}
    # resume: only the missing questions are asked (objectives first), a wrong yes/no is asked again
    second = invoke("--lang", "en", "assess", "--answers", answers,
                    input="Leefbaar inkomen in 2027\nmaybe\nyes\n" + "\n" * 10)
    assert second.exit_code == 0, second.output
    assert "What concrete impact objectives" in second.stderr and "Which societal problem" not in second.stderr
    assert "living income" in second.stderr  # the value-chain example, not the labour one
    assert "answer ja or nee" in second.stderr
    again = load(answers, CAT)
    assert again.answer("duurzame_waardeketen", "mission_statutes").value is True
    assert evaluate_theme(CAT, again, "duurzame_waardeketen").level == 1


def test_assess_errors_exit_codes(invoke, tmp_path):
    assert invoke("assess", "--answers", tmp_path / "missing.yaml", "--no-input").exit_code == ExitCode.FILE
    bad = tmp_path / "bad.yaml"
    bad.write_text("measures: {ap_total_fte: -1}\n", encoding="utf-8")
    result = invoke("assess", "--answers", bad, "--no-input")
    assert result.exit_code == ExitCode.INVALID
    assert "bad.yaml, line 1, measures, field ap_total_fte: must be a number of 0 or more" in result.stderr
