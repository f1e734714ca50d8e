"""Two Drenthe entrepreneurs through the interview, as they would type: a work-integration
company in Assen and a circular start-up in Hoogeveen. First year, revise, next year, and the
region's summary over them."""

import json
from decimal import Decimal

import yaml

from impactkit.assess.answers import carried_items
from impactkit.assess.levels import evaluate_theme
from impactkit.assess.model import catalogue
from impactkit.assess.reading import load

from .conftest import EXAMPLES

CAT = catalogue()
LABOUR, CIRCULAR = "arbeidsparticipatie", "circulaire_economie"


def typed(*lines: str) -> str:
    return "\n".join(lines) + "\n"


ASSEN_FIRST_YEAR = typed(
    "Werkbedrijf De Vaart", "2024", "Assen", "1",
    "Wij geven mensen met een afstand tot de arbeidsmarkt een echte baan.", "ja",  # mission, statutes
    "Mensen in de bijstand staan in Assen aan de kant.", "Volwassenen met een uitkering in Assen.",
    "In 2026 werken 20 mensen uit de doelgroep bij ons.",  # level 1
    "Werk met begeleiding → werkritme → doorstroom → minder uitkering.", "Werkgevers nemen mensen aan.",
    "ja", "Met deelnemers en gemeente, mei 2024", "j", "ja",  # level 2, the check with its evidence
    "ja", "", "nee", "j",  # level 3: recorded (evidence skipped), yearly report no, split by group
    "9", "15", "1.400", "",  # measured values: target-group FTE, total FTE, hours of guidance, trained (skip)
    "60%", "85", "0,7", "j", "nee", "aspirant",  # shares (0,7 -> did you mean 70%? yes), SW company, PSO
)


def test_assen_first_year_from_scratch(invoke, tmp_path):
    answers = tmp_path / "vaart-2024.yaml"
    result = invoke("--lang", "nl", "assess", "--save", answers, input=ASSEN_FIRST_YEAR)
    assert result.exit_code == 0, result.output
    a = load(answers, CAT)
    assert (a.name, a.year, a.municipality, a.themes) == ("Werkbedrijf De Vaart", 2024, "Assen", [LABOUR])
    assert a.general["mission_statutes"].value is True and "statutes" not in str(a.answers)  # asked once
    assert evaluate_theme(CAT, a, LABOUR).level == 2
    assert a.measures == {"ap_target_group_fte": Decimal(9), "ap_total_fte": Decimal(15),
                          "ap_hours_guidance": Decimal(1400)}
    assert a.bridge == {"target_group_staff_share": Decimal(60), "trade_income_share": Decimal(85),
                        "labour_cost_share": Decimal(70), "sw_company": False, "pso": "aspirant"}
    # the stop at level 3 says what holds it back and how to change it
    assert "voeg het bewijs toe: Output systematisch vastgelegd" in result.stderr
    assert "met nee beantwoord: Jaarlijks impactrapport" in result.stderr and "--revise" in result.stderr
    # the report (stdout only: prompts go to stderr) names the region and no menu that covers it
    assert "Impactprofiel: Werkbedrijf De Vaart (Assen · 2024)" in result.stdout
    assert "Geen meegeleverd menu geldt in Drenthe" in result.stdout
    assert "met uw loonkostenaandeel van 70% als € 7.000,00" in result.stdout  # Utrecht: (wage) costs only
    assert "Wat is de missie" not in result.stdout


def test_assen_revise_then_next_year_then_history(invoke, tmp_path):
    first = tmp_path / "vaart-2024.yaml"
    assert invoke("--lang", "nl", "assess", "--save", first, input=ASSEN_FIRST_YEAR).exit_code == 0
    # revise: the 'yes' without evidence, then the 'no'; then pick the mission from the list
    revise = typed(
        "", "Uren en begeleiding per deelnemer, maandelijks",  # keep 'yes', add the evidence
        "ja",  # yearly report: no -> yes
        "1", "Wij geven mensen in Assen een echte baan.", "",  # pick 1 (mission), new text, done
        "ja", "Vragenlijst bij start en na een jaar", "ja", "nee", "",  # level 4: outcome, baseline, counterfactual no
        "", "80%", "", "",  # measured values for level 4 (trained skipped again, retention 80%)
    )
    result = invoke("--lang", "nl", "assess", "--answers", first, "--revise", input=revise)
    assert result.exit_code == 0, result.output
    assert "Antwoorden om opnieuw te bekijken (2)" in result.stderr
    a = load(first, CAT)
    labour = a.answers[LABOUR]
    assert labour["outputs_recorded"].evidence == "Uren en begeleiding per deelnemer, maandelijks"
    assert labour["yearly_report"].value is True and labour["counterfactual"].value is False
    assert a.general["mission"].value == "Wij geven mensen in Assen een echte baan."
    assert evaluate_theme(CAT, a, LABOUR).level == 3
    assert a.measures["ap_retention_6m"] == Decimal(80)

    # next year: every answer of last year is shown; Enter keeps it; the FTE figures change
    keep = []
    for item in carried_items(a):
        section, _, key = item.partition("/")
        question = CAT.question(key)
        answer = a.answer(None if section == "enterprise" else section, key) if question else None
        if item == "measures/ap_target_group_fte":
            keep.append("12")
        elif item == "measures/ap_total_fte":
            keep.append("18")
        elif question is not None and question.kind == "yes_no_evidence" and answer.value is True:
            keep += ["", ""]  # the answer and its evidence
        else:
            keep.append("")
    result = invoke("--lang", "nl", "assess", "--from", first, input=typed(*keep, *[""] * 30))
    assert result.exit_code == 0, result.output
    second = tmp_path / "vaart-2025.yaml"  # the year in the name moved on
    assert "een nieuw jaar (2025)" in result.stderr
    b = load(second, CAT)
    assert b.year == 2025 and b.to_confirm == []
    assert b.answers == a.answers and b.general == a.general and b.bridge == a.bridge
    assert b.measures["ap_target_group_fte"] == 12 and b.measures["ap_total_fte"] == 18
    assert load(first, CAT) == a  # last year's file is left as it was

    history = invoke("assess", "history", first, second, "--json")
    assert history.exit_code == 0, history.output
    doc = json.loads(history.stdout)
    assert doc["years"] == [2024, 2025]
    assert doc["themes"][0]["levels"] == {"2024": 3, "2025": 3}
    fte = next(m for m in doc["measures"] if m["indicator"] == "ap_total_fte")
    assert {y: v["value"] for y, v in fte["values"].items()} == {"2024": "15", "2025": "18"}


HOOGEVEEN = typed(
    "Cirkelhout Hoogeveen", "2024", "Hoogeveen", "3",
    "Wij maken meubels van sloophout.", "",  # mission; statutes skipped
    "Bruikbaar sloophout wordt versnipperd.", "Sloopbedrijven en klanten in Zuidwest-Drenthe.",
    "In 2026 gaat 60% van het hout naar hergebruik.",
    "Ophalen → sorteren → meubels → minder versnippering.", "Klanten betalen voor gebruikt hout.",
    "nee", "ja", "",  # not checked yet, indicators yes, negative effects skipped: level 1
    "R3 2.500, R7 1200; R8: 800", "",  # kilograms per R-strategy; secondary inputs skipped
)


def test_hoogeveen_circular_start_up_and_its_revise(invoke, tmp_path):
    answers = tmp_path / "cirkelhout-2024.yaml"
    result = invoke("assess", "--save", answers, input=HOOGEVEEN)
    assert result.exit_code == 0, result.output
    a = load(answers, CAT)
    assert a.themes == [CIRCULAR] and evaluate_theme(CAT, a, CIRCULAR).level == 1
    assert a.measures["ce_kg_by_r_strategy"] == {"R3": Decimal(2500), "R7": Decimal(1200), "R8": Decimal(800)}
    assert "Kilograms per R-strategy" in result.stderr  # circular measures are asked
    assert "customers' social return" not in result.stdout  # no target-group staff: no bridge section
    assert "on the R-ladder: R5 (" in result.stdout  # (3 x 2500 + 7 x 1200 + 8 x 800) / 4500 = 4.96 -> 5.0
    revise = typed("",  # the skipped statutes question comes again; skipped again
                   "ja", "Met drie sloopbedrijven, februari 2025", "",  # the 'no' becomes yes with evidence; no pick
                   "",  # negative effects (skipped before) skipped again; level 2 holds, so level 3 is asked
                   "ja", "Gewogen bij binnenkomst", "nee", "",  # recorded with evidence, no yearly report
                   "85%")  # share of secondary inputs
    result = invoke("assess", "--answers", answers, "--revise", input=revise)
    assert result.exit_code == 0, result.output
    a = load(answers, CAT)
    assert evaluate_theme(CAT, a, CIRCULAR).level == 2
    assert a.measures["ce_secondary_inputs"] == Decimal(85)


def test_stop_and_resume_keeps_every_answer(invoke, tmp_path):
    answers = tmp_path / "answers.yaml"
    first = invoke("--lang", "en", "assess", "--save", answers, input=typed("Eerlijk BV", "2025", "", "2", "", "",
                                                                            "Kinderarbeid", "Boeren"))
    assert first.exit_code == 130 and "every answer so far is saved" in first.stderr
    saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert saved["enterprise"] == {"name": "Eerlijk BV", "year": 2025, "themes": ["duurzame_waardeketen"]}
    assert saved["answers"]["duurzame_waardeketen"] == {"problem": "Kinderarbeid", "target_group": "Boeren"}
    # what was skipped (municipality, mission, statutes) is asked again first; Enter skips it again
    second = invoke("--lang", "en", "assess", "--answers", answers, input="\n\n\nLeefbaar inkomen in 2027\n" + "\n" * 40)
    assert second.exit_code == 0, second.output
    assert "What concrete impact objectives" in second.stderr and "Which societal problem" not in second.stderr
    assert "living income" in second.stderr  # the value-chain example, not the labour one
    again = load(answers, CAT)
    assert evaluate_theme(CAT, again, "duurzame_waardeketen").level == 1


def test_a_new_year_never_overwrites(invoke, tmp_path):
    last = tmp_path / "a-2024.yaml"
    last.write_bytes((EXAMPLES / "assessment-assen-2024.yaml").read_bytes())
    assert invoke("assess", "--from", last, "--save", last, "--no-input").exit_code == 6
    (tmp_path / "a-2025.yaml").write_text("enterprise: {name: X}\n", encoding="utf-8")
    exists = invoke("assess", "--from", last, "--no-input")
    assert exists.exit_code == 6 and "resume it with impactkit assess --answers" in exists.stderr
    carried = invoke("assess", "--from", last, "--save", tmp_path / "next.yaml", "--no-input")
    assert carried.exit_code == 0, carried.output
    assert "not confirmed yet" in carried.stdout
    assert load(tmp_path / "next.yaml", CAT).to_confirm
    summary = invoke("assess", "summary", last, tmp_path / "next.yaml")  # the region sees it too
    assert summary.exit_code == 0 and "1 profile still holds answers carried over" in summary.stdout


def test_wrong_replies_are_asked_again(invoke, tmp_path):
    answers = tmp_path / "a.yaml"
    result = invoke("assess", "--save", answers, input=typed(
        "X", "twintig", "2024", "", "7", "1",  # name, a year that is no year, municipality skipped, themes
        "", "misschien", "",  # mission skipped, statutes: neither yes nor no, then skipped
        "P", "T", "O", "", "", "", "", "",  # level 1 answered, level 2 skipped
        "20", "10", "25", "", "",  # target-group FTE 20, a total below it, then 25
        "", "", "", "", "trede 9", "trede 2"))  # bridge: shares and SW skipped, a PSO level that is none
    assert result.exit_code == 0, result.output
    for again in ("give a year from", "not understood: 7; type the numbers (1 to 4)", "answer ja or nee", "give a number from 20",
                  "answer geen, aspirant"):
        assert again in result.stderr, again
    a = load(answers, CAT)
    assert a.measures["ap_target_group_fte"] == 20 and a.measures["ap_total_fte"] == 25
    assert a.bridge["pso"] == "trede_2"
