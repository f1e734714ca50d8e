"""Answers files as people write them: wrong input is refused with file, line and field (exit 4,
never 70), values typed the usual ways are read, and the file is never changed by a refusal."""

from decimal import Decimal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactkit.assess.levels import evaluate
from impactkit.assess.model import catalogue
from impactkit.assess.profile import document
from impactkit.assess.reading import load
from impactkit.errors import ExitCode, ImpactkitError, InvalidInputError
from impactkit.i18n import CATALOGUES, Translator

from .conftest import EXAMPLES

CAT = catalogue()
HEAD = "enterprise: {name: X, year: 2024, themes: [arbeidsparticipatie]}\n"

BAD = [
    # (id, text, message key, field, line)
    ("enterprise-string", "enterprise: Textielwerk\n", "assess_expected_mapping", "enterprise", 1),
    ("answers-list", HEAD + "answers: [a, b]\n", "assess_expected_mapping", "answers", 2),
    ("measures-list", HEAD + "measures: [1, 2]\n", "assess_expected_mapping", "measures", 2),
    ("bridge-list", HEAD + "bridge: [1]\n", "assess_expected_mapping", "bridge", 2),
    ("theme-answers-list", HEAD + "answers:\n  arbeidsparticipatie: [a]\n", "assess_expected_mapping",
     "arbeidsparticipatie", 3),
    ("unknown-enterprise-key", "enterprise: {naam: X, themes: [arbeidsparticipatie]}\n", "field_unknown", "naam", 1),
    ("unknown-top-key", HEAD + "antwoorden: {}\n", "field_unknown", "antwoorden", 2),
    ("theme-not-chosen", HEAD + "answers:\n  circulaire_economie: {problem: x}\n", "assess_theme_not_chosen",
     "circulaire_economie", 3),
    ("unknown-question", HEAD + "answers: {arbeidsparticipatie: {probleem: x}}\n", "assess_question_unknown",
     "probleem", 2),
    ("yes-no", HEAD + "answers: {arbeidsparticipatie: {baseline: misschien}}\n", "assess_expected_yes_no",
     "baseline", 2),
    ("text-list", HEAD + "answers: {arbeidsparticipatie: {problem: [a, b]}}\n", "assess_expected_text", "problem", 2),
    ("huge", HEAD + "measures: {ap_total_fte: 1e400}\n", "assess_out_of_range", "ap_total_fte", 2),
    ("negative", HEAD + "measures: {ap_total_fte: -3}\n", "assess_out_of_range", "ap_total_fte", 2),
    ("not-a-number", HEAD + "measures: {ap_total_fte: veel}\n", "assess_expected_amount", "ap_total_fte", 2),
    ("people-in-parts", HEAD + "measures: {ap_certified: 2.5}\n", "assess_expected_whole", "ap_certified", 2),
    ("people-dutch-comma", HEAD + "measures: {ap_certified: '0,78'}\n", "assess_expected_whole", "ap_certified", 2),
    ("share-over-100", HEAD + "measures:\n  ap_retention_6m: 150\n", "assess_out_of_range", "ap_retention_6m", 3),
    ("bridge-share-over-100", HEAD + "bridge: {target_group_staff_share: 150%}\n", "assess_out_of_range",
     "target_group_staff_share", 2),
    ("fte-above-total", HEAD + "measures: {ap_target_group_fte: 30, ap_total_fte: 20}\n", "assess_fte_above_total",
     "ap_target_group_fte", 2),
    ("computed", HEAD + "measures: {ap_target_group_share: 50}\n", "assess_indicator_computed",
     "ap_target_group_share", 2),
    ("indicator-other-theme", HEAD + "measures: {ag_participants: 5}\n", "assess_indicator_not_chosen",
     "ag_participants", 2),
    ("r-unknown", HEAD.replace("arbeidsparticipatie", "circulaire_economie")
     + "measures: {ce_kg_by_r_strategy: {R12: 5}}\n", "assess_r_unknown", "R12", 2),
    ("year", "enterprise: {name: X, year: twintig, themes: [arbeidsparticipatie]}\n", "assess_expected_year", "year", 1),
    ("pso", HEAD + "bridge: {pso: goud}\n", "assess_pso_unknown", "pso", 2),
    ("to-confirm", HEAD + "to_confirm: [arbeidsparticipatie/problem]\n", "assess_to_confirm_unknown", None, 2),
    ("control-character", HEAD + 'answers: {arbeidsparticipatie: {problem: "a\\u0007b"}}\n',
     "value_character", "problem", 2),  # the rule of impactkit.io.yamlio for every text
    ("comma-in-braces", HEAD + "answers: {arbeidsparticipatie: {toc_validated: {answer: ja, evidence: a, b}}}\n",
     "assess_comma_in_braces", "b", 2),
    ("digits", HEAD + "measures: {ap_total_fte: " + "9" * 5000 + "}\n", "assess_number_too_long", "ap_total_fte", 2),
]


@pytest.mark.parametrize("text, key, field, line", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_wrong_input_names_file_line_and_field(tmp_path, invoke, text, key, field, line):
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(InvalidInputError) as err:
        load(path, CAT)
    problem = next(p for p in err.value.problems if p.key == key)
    assert (problem.field, problem.line) == (field, line)
    assert key in CATALOGUES["en"] and key in CATALOGUES["nl"]
    for lang in ("en", "nl"):
        result = invoke("--lang", lang, "assess", "--answers", path, "--no-input")
        assert result.exit_code == ExitCode.INVALID, result.output
        assert "Traceback" not in result.output
        assert f"answers.yaml, {'line' if lang == 'en' else 'regel'} {line}" in result.stderr
        if field:
            assert f"{'field' if lang == 'en' else 'veld'} {field}" in result.stderr
    assert path.read_bytes() == before  # refused, and left as it was


def test_a_duplicate_key_names_both_lines(tmp_path, invoke):
    path = tmp_path / "a.yaml"
    path.write_text(HEAD + "measures:\n  ap_total_fte: 20\n  ap_total_fte: 22\n", encoding="utf-8")
    result = invoke("assess", "--answers", path, "--no-input")
    assert result.exit_code == ExitCode.INVALID
    assert "line 4, measures, field ap_total_fte: 'ap_total_fte' is given twice, on lines 3 and 4" in result.stderr


@pytest.mark.parametrize("text", ["[" * 100_000 + "\n", "a: &a [*a]\n", "\x00\x01binary", "- 1\n- 2\n", "12\n"])
def test_hostile_files_get_a_documented_exit_code(tmp_path, invoke, text):
    path = tmp_path / "a.yaml"
    path.write_bytes(text.encode("utf-8"))
    result = invoke("assess", "--answers", path, "--no-input")
    assert result.exit_code == ExitCode.INVALID, result.output
    assert "Traceback" not in result.output


def test_values_are_read_as_people_type_them(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(
        "enterprise: {name: X, year: '2024', themes: arbeidsparticipatie}\n"
        "answers: {arbeidsparticipatie: {baseline: j, counterfactual: nee, yearly_report: 'Ja',\n"
        "  toc_validated: {answer: y, evidence: \"met UWV, mei\"}}}\n"
        "measures: {ap_target_group_fte: '0,78', ap_total_fte: '1.234', ap_retention_6m: 65%}\n"
        "bridge: {target_group_staff_share: '65 %', trade_income_share: 80, sw_company: 'ja', pso: Trede 2}\n",
        encoding="utf-8")
    a = load(path, CAT)
    assert a.year == 2024 and a.themes == ["arbeidsparticipatie"]
    answers = a.answers["arbeidsparticipatie"]
    assert (answers["baseline"].value, answers["counterfactual"].value, answers["yearly_report"].value) == (True, False, True)
    assert answers["toc_validated"].evidence == "met UWV, mei"
    assert a.measures == {"ap_target_group_fte": Decimal("0.78"), "ap_total_fte": Decimal(1234),
                          "ap_retention_6m": Decimal(65)}
    assert a.bridge == {"target_group_staff_share": Decimal(65), "trade_income_share": Decimal(80),
                        "sw_company": True, "pso": "trede_2"}


def test_an_older_file_with_the_statutes_per_theme_is_read_once(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("enterprise: {name: X, themes: [arbeidsparticipatie, circulaire_economie]}\n"
                    "answers:\n  arbeidsparticipatie: {mission_statutes: true}\n"
                    "  circulaire_economie: {mission_statutes: true}\n", encoding="utf-8")
    a = load(path, CAT)
    assert a.general["mission_statutes"].value is True
    assert all("mission_statutes" not in items for items in a.answers.values())


def test_an_empty_file_is_a_fresh_start_but_nothing_to_report(tmp_path, invoke):
    path = tmp_path / "a.yaml"
    for text in ("", "# nothing yet\n", "{}\n", "enterprise: {}\nanswers: {}\n"):
        path.write_text(text, encoding="utf-8")
        result = invoke("assess", "--answers", path, "--no-input")
        assert result.exit_code == ExitCode.INVALID, result.output
        assert f"{path}: the answers file holds nothing to report: no enterprise (name, year, themes)" in result.stderr
        assert invoke("assess", "--from", path, "--no-input").exit_code == ExitCode.INVALID
    assert invoke("assess", "--no-input").exit_code == ExitCode.USAGE  # nothing to report on at all
    # asked instead of reported: the interview starts from the empty file
    result = invoke("assess", "--answers", path, input="Kringloop Noord\n")
    assert result.exit_code == ExitCode.INTERRUPTED and load(path, CAT).name == "Kringloop Noord"
    assert invoke("assess", "--answers", path, "--no-input").exit_code == 0


def test_missing_file_and_usage(invoke, tmp_path):
    assert invoke("assess", "--answers", tmp_path / "missing.yaml", "--no-input").exit_code == ExitCode.FILE
    both = invoke("assess", "--answers", tmp_path / "a.yaml", "--from", tmp_path / "b.yaml")
    assert both.exit_code == ExitCode.USAGE


def test_the_broken_example_lists_every_problem(invoke):
    result = invoke("assess", "--answers", EXAMPLES / "assessment-broken.yaml", "--no-input")
    assert result.exit_code == ExitCode.INVALID
    assert [line.split(", field ")[1].split(":")[0] for line in result.stderr.splitlines() if ", field " in line] == [
        "naam", "circulaire_economie", "ap_total_fte", "ap_retention_6m", "ap_hours_guidance", "trade_income_share"]
    # Arbeidsparticipatie, 65% and ja are read as meant


# any document: an assessment or a documented error, never anything else ------------------------

KEYS = ["enterprise", "answers", "measures", "bridge", "to_confirm", "name", "year", "themes", "municipality",
        "mission", "mission_statutes", "arbeidsparticipatie", "circulaire_economie", "problem", "baseline",
        "toc_validated", "answer", "evidence", "ap_total_fte", "ap_target_group_fte", "ap_retention_6m",
        "ce_kg_by_r_strategy", "R3", "R12", "target_group_staff_share", "sw_company", "pso", "naam"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**30), st.text(max_size=12),
                    st.sampled_from(["65%", "0,78", "ja", "nee", "1e400", "trede 2", "arbeidsparticipatie",
                                     "2024", "-1", "nan", ".inf", "R3 12"]))
DOCS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)), max_leaves=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.dictionaries(st.sampled_from(KEYS), DOCS, max_size=5))
def test_any_document_is_read_or_refused_with_a_documented_error(tmp_path, doc):
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        assessment = load(path, CAT)
    except ImpactkitError as exc:
        assert exc.exit_code in (ExitCode.FILE, ExitCode.INVALID)
        assert all(p.key in CATALOGUES["en"] for p in exc.problems)
    else:
        document(CAT, assessment, evaluate(CAT, assessment), Translator("nl"))  # and it renders


def test_the_interview_asks_again_for_people_given_in_parts(monkeypatch, capsys):
    """A tester typed 0,78 for "People trained or certified" and it was saved as 0.78 people."""
    from impactkit.cli import interview_prompts

    replies = iter(["0,78", "2,5", "3"])
    monkeypatch.setattr(interview_prompts.Prompts, "reply", lambda self, hint: next(replies))
    prompts = interview_prompts.Prompts(Translator("en"))
    indicator = CAT.indicator("ap_certified")
    low, high = indicator.bounds
    assert prompts.number("People trained or certified", low, high, whole=indicator.whole) == Decimal(3)
    assert capsys.readouterr().err.count("Give a whole number: people are counted whole.") == 2
