"""A plan file's problems come in one run, in the order of its lines (docs/plan.md, docs/exit-codes.md)."""

from __future__ import annotations

import pytest

from impactkit.errors import InvalidInputError
from impactkit.model.facts import QUANTITIES
from impactkit.plan import load_plan, prepare
from impactkit.plan.model import PlanFile
from tests.conftest import EXAMPLES

# A tester's plan: nine mistakes, of which the first run told three and a second run six more.
NINE = """\
tender:
  id: T-9
  menu: haaglanden-zhc
  contract_value: 1000000
bid: Aannemer
options:
  - id: pwet
    block: participatiewet
    hours_per_week: {min: 36, max: 24}
    months: 6
    cost_per_mnd: 100
  - id: leer ling
    block: bbl_niveau_1_2
    hours_per_week: 36
    months: 12
  - id: tuin
    block: tuinieren
    hours_per_week: 36
    months: 6
  - id: oud
    block: bonus_55_plus
    hours_per_week: 36
    months: 6
  - id: vast
    block: ww
    committed: true
    hours_per_week: 36
    months: {min: 6, max: 12}
  - id: vast
    block: ww
    hours_per_week: 70
    months: 6
  - id: zonder
    block: participatiewet
    hours_per_week: 36
"""

# each mistake: the text of its line (the last of the text where it occurs), its field, words of the message
MISTAKES = [
    ("hours_per_week: {min: 36, max: 24}", "hours_per_week", "min (36) is above max (24)"),
    ("cost_per_mnd: 100", "cost_per_mnd", "did you mean cost_per_month?"),
    ("- id: leer ling", "id", "has characters that are not allowed"),
    ("block: tuinieren", "block", "unknown block 'tuinieren'"),
    ("block: bonus_55_plus", "block", "'bonus_55_plus' is a bonus, not a block"),
    ("months: {min: 6, max: 12}", "months", "a committed option states exact numbers, not a range"),
    ("- id: vast", "id", "option id 'vast' is used twice (first by option 5)"),
    ("hours_per_week: 70", "hours_per_week", f"must be at most {QUANTITIES['hours_per_week'].high} (got 70)"),
    ("- id: zonder", "months", "block participatiewet is valued per year: the option needs this field"),
]

FIXES = [
    ("{min: 36, max: 24}", "{min: 24, max: 36}"),
    ("cost_per_mnd", "cost_per_month"),
    ("leer ling", "leerling"),
    ("block: tuinieren", "block: wia"),
    ("block: bonus_55_plus\n", "block: ww\n    age: 56\n"),
    ("months: {min: 6, max: 12}", "months: 12"),
    ("  - id: vast\n    block: ww\n    hours_per_week: 70", "  - id: vast2\n    block: ww\n    hours_per_week: 36"),
    ("    hours_per_week: 36\n", "    hours_per_week: 36\n    months: 6\n", "last"),
]


def _line(text: str, snippet: str) -> int:
    """The last line of `text` holding `snippet` (1-based)."""
    return max(n for n, line in enumerate(text.splitlines(), 1) if snippet in line)


def _told(stderr: str) -> list[tuple[int, str, str]]:
    """(line, field, message) of every problem told, in the order told."""
    out = []
    for text in stderr.splitlines():
        if text.startswith("error:"):
            where, message = text.split(": ", 2)[1:]
            line = int(where.split(", line ")[1].split(",")[0])
            out.append((line, where.split(", field ")[1], message))
    return out


def _fixed(text: str) -> str:
    for old, new, *last in FIXES:
        assert old in text, old
        if last:
            head, _, tail = text.rpartition(old)
            text = head + new + tail
        else:
            text = text.replace(old, new, 1)
    return text


def test_every_mistake_of_a_plan_is_told_in_one_run_in_the_order_of_its_lines(invoke, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(NINE, encoding="utf-8")
    result = invoke("plan", path)
    told = _told(result.stderr)
    expected = sorted((_line(NINE, snippet), name, words) for snippet, name, words in MISTAKES)
    assert [(line, name) for line, name, _ in told] == [(line, name) for line, name, _ in expected], result.stderr
    for (_, _, message), (_, _, words) in zip(told, expected):
        assert words in message
    assert result.exit_code == 4, "invalid entries beside unknown blocks: 4"
    assert f"{len(MISTAKES)} problems found" in result.stderr and "Traceback" not in result.output

    path.write_text(_fixed(NINE), encoding="utf-8")  # fixed as told: the plan runs
    fixed = invoke("plan", path)
    assert fixed.exit_code == 0, fixed.output
    assert "Least-cost plan" in fixed.stdout


def test_unknown_blocks_alone_exit_5_and_are_all_told(invoke, tmp_path):
    text = _fixed(NINE).replace("block: wia", "block: tuinieren").replace("block: bbl_niveau_1_2", "block: bbl")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("plan", path)
    assert result.exit_code == 5, result.output
    told = _told(result.stderr)
    assert [(line, name) for line, name, _ in told] == sorted(
        [(_line(text, "block: bbl"), "block"), (_line(text, "block: tuinieren"), "block")])
    assert "block 'bbl' is not in menu haaglanden-zhc" in told[0][2] and "nearest there: bbl_niveau_1_2" in told[0][2]
    assert "unknown block 'tuinieren'" in told[1][2]


def test_a_broken_tender_is_told_with_the_option_problems_that_need_no_menu(invoke, tmp_path):
    """Without the tender's menu no block can be looked up; ids, ranges and bounds still can."""
    text = _fixed(NINE).replace("contract_value: 1000000", "contract_value: veel").replace("vast2", "vast")
    text = text.replace("block: wia", "block: tuinieren")
    text = text.replace("    committed: true\n    hours_per_week: 36\n    months: 12",
                        "    committed: true\n    hours_per_week: 36\n    months: {max: 12}")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("plan", path)
    told = _told(result.stderr)
    assert [(line, name) for line, name, _ in told] == [
        (_line(text, "contract_value: veel"), "contract_value"),
        (_line(text, "months: {max: 12}"), "months"),
        (_line(text, "- id: vast"), "id"),
    ], result.stderr
    assert "not a range" in told[1][2] and "used twice" in told[2][2]
    assert "tuinieren" not in result.stderr  # the menu is not known: fix the tender first
    assert result.exit_code == 4


def test_a_tender_file_and_the_plan_are_told_together(invoke, tmp_path):
    """The tender file's problems after the plan's; the bid and the options all in the same run."""
    tender = tmp_path / "tender.yaml"
    tender.write_text((EXAMPLES / "tender.yaml").read_text(encoding="utf-8").replace(
        "hours_per_week: 24, months: 6, age: 56}", "hours_per_week: 24, months: 6, leeftijd: 56}"), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("tender: tender.yaml\nbid: Bouwbedrijf B\noptions:\n"
                    "  - {id: a, block: tuinieren, amount: 5}\n"
                    "  - {id: a, block: opleidingskosten, amount: 500, kosten: 3}\n", encoding="utf-8")
    result = invoke("plan", plan)
    assert result.exit_code == 4, result.output
    errors = [text for text in result.stderr.splitlines() if text.startswith("error:")]
    assert [text.split(", field ")[0] for text in errors] == [
        f"error: {plan}, line 4, option 1", f"error: {plan}, line 5, option 2", f"error: {plan}, line 5, option 2",
        f"error: {tender}, line {_line(tender.read_text(encoding='utf-8'), 'leeftijd')}, bid 1 › contribution 1"]
    assert "unknown block 'tuinieren'" in errors[0] and "field kosten" in errors[1] + errors[2]
    assert "used twice" in errors[1] + errors[2] and "field leeftijd" in errors[3]

    plan.write_text("tender: tender.yaml\nbid: Bouwbedrijf X\noptions:\n"
                    "  - {id: a, block: tuinieren, amount: 5}\n", encoding="utf-8")
    tender.write_text((EXAMPLES / "tender.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("plan", plan)
    told = _told(result.stderr)
    assert [(line, name) for line, name, _ in told] == [(2, "bidder"), (4, "block")], result.stderr
    assert "did you mean Bouwbedrijf B?" in told[0][2] and result.exit_code == 4


def test_prepare_tells_every_problem_of_its_options_by_line(tmp_path):
    """prepare() checks the options it is given with the same checks, all before raising."""
    path = tmp_path / "plan.yaml"
    path.write_text("tender: {id: T-1, menu: haaglanden-zhc, contract_value: 1000000}\nbid: A\noptions:\n"
                    "  - {id: a, block: ww, hours_per_week: 36, months: 6}\n"
                    "  - {id: b, block: ww, hours_per_week: 36, months: 6}\n"
                    "  - {id: c, block: ww, hours_per_week: 36, months: 6}\n", encoding="utf-8")
    loaded = load_plan(path)
    options = [{"id": "a", "block": "wwx", "hours_per_week": 36, "months": 6},
               {"id": "b", "block": "ww", "candidate": "K-1", "hours_per_week": 36, "months": 6},
               {"id": "c", "block": "ww", "candidate": "K-1", "hours_per_week": 36}]
    other = PlanFile.model_validate({"tender": "x", "bid": "A", "options": options})
    with pytest.raises(InvalidInputError) as err:
        prepare(other, loaded.setting, loaded.lines)
    assert [(p.line, p.key, p.field) for p in err.value.problems] == [
        (4, "block_unknown", "block"), (6, "plan_field_needed", "months"), (6, "plan_candidate_twice", "candidate")]
