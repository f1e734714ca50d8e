"""`impactkit assess` as entrepreneurs type their answers: theme names instead of ids, a share
written as a fraction, numbers with a Dutch thousands point left unquoted, and theme names in the
interview where numbers are asked."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from impactkit.assess.answers import save
from impactkit.assess.model import catalogue
from impactkit.assess.reading import load
from impactkit.errors import ExitCode, InvalidInputError

CAT = catalogue()
LABOUR, CIRCULAR = "arbeidsparticipatie", "circulaire_economie"
HEAD = "enterprise:\n  name: Kringloop Noord\n  year: 2025\n"


def answers(tmp_path, body: str, name: str = "a.yaml"):
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def problems(path) -> list:
    with pytest.raises(InvalidInputError) as info:
        load(path, CAT)
    return info.value.problems


# 11. ids as people type them -------------------------------------------------------------

@pytest.mark.parametrize("written", ["Circulaire Economie", "circulaire economie", "Circulaire-Economie",
                                     "circulaire_économie", " CIRCULAIRE  ECONOMIE ", "Circular economy"])
def test_a_theme_is_found_however_it_is_typed(tmp_path, written):
    path = answers(tmp_path, f"  themes: [{written}, Arbeidsparticipatie]\n")
    assert load(path, CAT).themes == [CIRCULAR, LABOUR]


def test_every_id_of_the_file_is_found_however_it_is_typed_and_saved_as_its_id(tmp_path):
    path = answers(tmp_path, "  Themes: [Circulaire Economie]\n"
                             "  Mission: Wij houden spullen in gebruik.\n"
                             "Answers:\n  Circulaire Economie:\n    Problem: Te veel afval.\n"
                             "    Toc Validated: {Answer: ja, Evidence: met de gemeente}\n"
                             "Measures:\n  CE Kg By R-Strategy: {r 3: 2500, R8: 800}\n"
                             "Bridge:\n  Trade Income Share: 85\n  SW-Company: nee\n")
    a = load(path, CAT)
    assert a.themes == [CIRCULAR] and a.general["mission"].value == "Wij houden spullen in gebruik."
    assert a.answers[CIRCULAR]["problem"].value == "Te veel afval."
    assert (a.answers[CIRCULAR]["toc_validated"].value, a.answers[CIRCULAR]["toc_validated"].evidence) == (
        True, "met de gemeente")
    assert a.measures["ce_kg_by_r_strategy"] == {"R3": Decimal(2500), "R8": Decimal(800)}
    assert a.bridge == {"trade_income_share": Decimal(85), "sw_company": False}
    saved = tmp_path / "saved.yaml"
    save(a, saved)
    doc = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert doc["enterprise"]["themes"] == [CIRCULAR] and list(doc["answers"]) == [CIRCULAR]
    assert set(doc["answers"][CIRCULAR]) == {"problem", "toc_validated"} and "ce_kg_by_r_strategy" in doc["measures"]
    assert load(saved, CAT) == a


def test_two_keys_that_mean_the_same_id_are_refused_with_the_line(tmp_path):
    path = answers(tmp_path, "  themes: [circulaire_economie]\nanswers:\n  circulaire_economie:\n"
                             "    problem: Te veel afval.\n    Problem: Nog meer afval.\n")
    (p,) = problems(path)
    assert (p.key, p.line, p.field, p.params["id"], p.params["other"]) == ("assess_same_id", 8, "Problem", "problem",
                                                                            "problem")


def test_an_unknown_theme_still_names_the_nearest(tmp_path, invoke):
    path = answers(tmp_path, "  themes: [Circulair]\n")
    result = invoke("assess", "--answers", path, "--no-input")
    assert result.exit_code == ExitCode.INVALID and "unknown theme 'Circulair'" in result.stderr


# 10. a share written as a fraction ---------------------------------------------------------

@pytest.mark.parametrize("written, percent", [("0,65", "65"), ("0.65", "65"), ('"0.5"', "50"), ("1,0", "100"),
                                              ("1.0", "100")])
def test_a_share_written_as_a_fraction_is_refused_asking_for_a_percentage(tmp_path, invoke, written, percent):
    path = answers(tmp_path, f"  themes: [arbeidsparticipatie]\nbridge:\n  target_group_staff_share: {written}\n"
                             f"measures:\n  ap_retention_6m: {written}\n")
    result = invoke("assess", "--answers", path, "--no-input")
    assert result.exit_code == ExitCode.INVALID
    shown = written.strip('"')
    for line, field in ((6, "target_group_staff_share"), (8, "ap_retention_6m")):
        assert (f"line {line}, " in result.stderr and f"field {field}: {shown} looks like a fraction, but a share is "
                f"asked as a percentage: write {percent} (or {percent}%); if you mean {shown} percent, write {shown}%"
                in result.stderr)


@pytest.mark.parametrize("written, value", [("65", "65"), ("65%", "65"), ("0,65%", "0.65"), ("1", "1"), ("0", "0"),
                                            ("100", "100"), ("12,5", "12.5")])
def test_a_share_as_a_percentage_is_read_as_written(tmp_path, written, value):
    path = answers(tmp_path, f"  themes: [arbeidsparticipatie]\nbridge:\n  target_group_staff_share: {written}\n")
    assert load(path, CAT).bridge["target_group_staff_share"] == Decimal(value)


def test_a_small_share_is_saved_so_that_it_reads_back(tmp_path):
    """0.65% stays 0.65% through the file: written with its % sign, not as a fraction that is refused."""
    path = answers(tmp_path, "  themes: [arbeidsparticipatie]\nbridge:\n  target_group_staff_share: 0,65%\n"
                             "measures:\n  ap_retention_6m: '0.5%'\n  ap_total_fte: 0.5\n")
    a = load(path, CAT)
    save(a, tmp_path / "again.yaml")
    again = load(tmp_path / "again.yaml", CAT)
    assert again.bridge["target_group_staff_share"] == Decimal("0.65") and again.measures["ap_retention_6m"] == Decimal(
        "0.5") and again.measures["ap_total_fte"] == Decimal("0.5")  # FTE is no share: 0.5 stays as it is


@pytest.mark.parametrize("replies, stored, written", [(["0,65", "nee"], "0.65", "0.65%"), (["0,65", "ja"], "65", "65"),
                                                      (["0,65%"], "0.65", "0.65%"), (["1,0", "ja"], "100", "100")])
def test_the_interview_asks_about_a_fraction_and_saves_the_answer_readably(tmp_path, monkeypatch, replies, stored,
                                                                           written):
    from impactkit.assess.answers import Assessment
    from impactkit.cli import interview_prompts
    from impactkit.cli.interview import Interview
    from impactkit.i18n import Translator

    typed = iter(replies)
    monkeypatch.setattr(interview_prompts, "prompt", lambda text, default=None: next(typed))
    a = Assessment(name="Kringloop Noord", year=2025, themes=[LABOUR])
    Interview(CAT, a, Translator("en"), lambda: None).bridge_item("target_group_staff_share")
    assert next(typed, None) is None  # every reply was asked for
    assert a.bridge["target_group_staff_share"] == Decimal(stored)
    path = tmp_path / "saved.yaml"
    save(a, path)
    assert f"target_group_staff_share: {written}" in path.read_text(encoding="utf-8").replace("'", "")
    assert load(path, CAT).bridge["target_group_staff_share"] == Decimal(stored)


# 13. a Dutch thousands point left unquoted -------------------------------------------------

@pytest.mark.parametrize("written, thousands, decimal", [("1.400", "1400", "1.4"), ("2.500", "2500", "2.5"),
                                                         ("12.000", "12000", "12"), ("-1.250", "-1250", "-1.25")])
def test_an_unquoted_dutch_thousands_number_is_refused_with_its_line(tmp_path, invoke, written, thousands, decimal):
    path = answers(tmp_path, f"  themes: [arbeidsparticipatie, circulaire_economie]\nmeasures:\n"
                             f"  ap_hours_guidance: {written}\n  ce_kg_by_r_strategy: {{R3: {written}, R8: 800}}\n")
    result = invoke("assess", "--answers", path, "--no-input")
    assert result.exit_code == ExitCode.INVALID
    reads = f"{written} reads two ways: {thousands} as Dutch people write it, {decimal} as YAML reads it; " \
            f"write {thousands} or {decimal}"
    assert f"line 6, measures, field ap_hours_guidance: {reads}" in result.stderr
    assert f"line 7, measures › ce_kg_by_r_strategy, field R3: {reads}" in result.stderr


@pytest.mark.parametrize("written, value", [('"1.400"', "1400"), ("1400", "1400"), ("1.4", "1.4"), ("0.125", "0.125"),
                                            ("1.25", "1.25"), ("1.2500", "1.25"), ("'2.500'", "2500")])
def test_numbers_that_read_one_way_are_read(tmp_path, written, value):
    path = answers(tmp_path, f"  themes: [arbeidsparticipatie]\nmeasures:\n  ap_hours_guidance: {written}\n")
    assert load(path, CAT).measures["ap_hours_guidance"] == Decimal(value)


def test_a_value_with_three_decimals_is_saved_so_that_it_reads_back(tmp_path):
    path = answers(tmp_path, "  themes: [arbeidsparticipatie]\nmeasures:\n  ap_total_fte: 1.2500\n"
                             "  ap_target_group_fte: 0.125\n")
    a = load(path, CAT)
    a.measures["ap_total_fte"] = Decimal("1.125")
    save(a, tmp_path / "again.yaml")
    assert load(tmp_path / "again.yaml", CAT).measures == {"ap_total_fte": Decimal("1.125"),
                                                           "ap_target_group_fte": Decimal("0.125")}


# 12. the interview: theme names where numbers are asked, and the end of input -------------

def test_the_interview_takes_theme_names_and_says_what_it_did_not_understand(tmp_path, invoke):
    path = tmp_path / "new.yaml"
    typed = "Kringloop Noord\n2025\nAssen\nCirculaire economie, duurzaam\nCirculaire economie, 1\n"
    result = invoke("assess", "--save", path, input=typed)
    assert "not understood: duurzaam; type the numbers (1 to 4) or the names of the themes" in result.stderr
    assert load(path, CAT).themes == [CIRCULAR, LABOUR]
    # the input ended while a question was asked: every answer so far is kept, exit 130 (documented)
    assert result.exit_code == ExitCode.INTERRUPTED and "Resume with: impactkit assess --answers" in result.stderr
