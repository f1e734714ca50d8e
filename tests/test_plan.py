"""`impactkit plan`: hand-worked plans with a known optimum, an infeasible plan, a budget plan,
the written bid checked by `check` and `score`, and bad plan files."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
import yaml

from impactkit.money import cents
from impactkit.plan import plan_file
from impactkit.plan.milp import Model, Solution
from tests.conftest import EXAMPLES


@pytest.fixture
def plan(tmp_path):
    """Write a plan document (tender written out, one bid) and return its path."""

    def _plan(options, name="plan.yaml", **tender):
        fields = {"id": "P-1", "menu": "haaglanden-zhc", "contract_value": 1000000, **tender}
        path = tmp_path / name
        path.write_text(yaml.safe_dump({"tender": fields, "bid": "Aannemer", "options": options}, sort_keys=False),
                        encoding="utf-8")
        return path

    return _plan


def _lines(outcome_plan):
    return [(line.option, line.contribution.block, line.contribution.hours_per_week, line.contribution.months,
             line.contribution.amount, line.contribution.hours) for line in outcome_plan.lines]


def test_a_counting_cap_beats_greedy_by_credit_per_euro(plan):
    """Obligation 5% of 1,000,000 = 50,000. WW is worth 20,000 a year for at most 12 months; one
    Banenafspraak year is worth 50,000 and comes as a whole year. Per month, WW gives most credit
    per euro (1,666.67 for 1,000 against 4,166.67 for 2,700), so a greedy choice fills WW's 24
    months first, of which only 12 count, and still needs the Banenafspraak year. The optimum is
    the Banenafspraak year alone: 12 x 2,700 = 32,400."""
    options = [
        {"id": "ww", "block": "ww", "hours_per_week": 36, "months": 24, "cost_per_month": 1000},
        {"id": "ba", "block": "banenafspraak", "hours_per_week": 36, "months": {"min": 12, "max": 12},
         "cost_per_month": 2700},
    ]
    _, outcome = plan_file(plan(options))
    assert outcome.status == "optimal"
    assert outcome.best.cost == Decimal("32400.00")
    assert outcome.best.credited == outcome.best.obligation == Decimal("50000.00")
    assert _lines(outcome.best) == [("ba", "banenafspraak", Decimal(36), Decimal(12), None, None)]
    assert _greedy_cost(options, obligation=Fraction(50000)) == Fraction(24 * 1000 + 12 * 2700)  # 56,400


def _greedy_cost(options, obligation):
    """Greedy by credit per euro of one month (the menu's value / 12 against the cost of a month):
    each option in that order, month by month, until the obligation is met or the option ends."""
    values = {"ww": (Fraction(20000), 12), "banenafspraak": (Fraction(50000), None)}
    ranked = sorted(options, key=lambda o: -values[o["block"]][0] / 12 / o["cost_per_month"])
    credit = cost = Fraction(0)
    for option in ranked:
        value, cap = values[option["block"]]
        spec = option["months"]
        low, high = (spec["min"], spec["max"]) if isinstance(spec, dict) else (1, spec)

        def counted(months, value=value, cap=cap):
            return value * (min(months, cap) if cap else months) / 12

        months = 0
        while months < high and credit + counted(months) < obligation:
            months += 1
        months = max(months, low) if months else 0
        credit += counted(months)
        cost += months * option["cost_per_month"]
    assert credit >= obligation
    return cost


def test_minimum_hours_lines_are_never_chosen(plan):
    """Fryslân counts no line under 12 hours a week. With a cost per hour worked, every hours
    level gives the same credit per euro above the minimum, none below it; the least cost is the
    smallest hours x months whose credit reaches the obligation (2% of 150,000 = 3,000)."""
    options = [{"id": "pw", "block": "participatiewet_lt2y", "hours_per_week": {"min": 8, "max": 36}, "months": 6,
                "cost_per_hour": 10}]
    _, outcome = plan_file(plan(options, menu="fryslan", contract_value=150000))
    best = outcome.best
    obligation = Fraction(3000)
    feasible = []
    for h in range(8, 37):
        for m in range(1, 7):
            credit = cents(Fraction(35000) * Fraction(min(h, 36), 36) * Fraction(m, 12)) if h >= 12 else 0
            if credit >= obligation:
                feasible.append((cents(Fraction(10) * h * Fraction(52, 12) * m), h, m))
    cost, h, m = min(feasible)
    assert best.cost == cost and best.met
    [line] = best.lines
    assert line.contribution.hours_per_week * line.contribution.months == h * m
    assert line.contribution.hours_per_week >= 12


def test_the_example_plan_meets_the_obligation_at_least_cost_and_lists_alternatives(invoke):
    result = invoke("plan", EXAMPLES / "plan.yaml", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["status"] == "optimal" and doc["plan"]["met"]
    best = Decimal(doc["plan"]["cost"])
    assert doc["plan"]["obligation"] == "62500.00"
    assert Decimal(doc["plan"]["credited"]) == sum(Decimal(line["credit"]) for line in doc["plan"]["lines"])
    assert Decimal(doc["plan"]["cost"]) == sum(Decimal(line["cost"]) for line in doc["plan"]["lines"])
    assert doc["alternatives"], "the example has other ways to meet the obligation"
    for alt in doc["alternatives"]:
        assert alt["met"] and Decimal(alt["cost"]) >= best
        assert Decimal(alt["extra_cost"]) == Decimal(alt["cost"]) - best
        assert not set(doc["plan"]["options"]) <= set(alt["options"])  # each leaves out an option of the best


def test_an_infeasible_plan_says_how_far_short_and_which_extension_closes_it(invoke, tmp_path):
    result = invoke("plan", EXAMPLES / "plan-short.yaml", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["status"] == "infeasible" and not doc["plan"]["met"]
    # every option at its limit: 22,222.22 in the bid + 6 more months of B-02 at 32/36 + the course
    extra = cents(Fraction(5000) * Fraction(32, 36) * Fraction(6, 12)) + Decimal(500)
    assert Decimal(doc["plan"]["credited"]) == Decimal("22222.22") + extra
    short = Decimal("25000.00") - Decimal(doc["plan"]["credited"])
    assert Decimal(doc["plan"]["shortfall"]) == short
    by_option = {(e["option"], e["field"]): e for e in doc["extensions"]}
    course = by_option[("opleiding", "amount")]
    assert Decimal(course["extended"]) == Decimal(500) + short and Decimal(course["extra_cost"]) == short
    assert all(Decimal(e["credited"]) >= Decimal("25000.00") for e in doc["extensions"])
    text = invoke("plan", EXAMPLES / "plan-short.yaml").output
    assert "No combination of the options meets the obligation" in text and "opleiding" in text


def test_a_budget_plan_gets_the_most_credit_the_budget_buys(plan):
    """Utrecht: WW is 20,000 a year, mvo_uren 100 an hour. With 10,000 to spend: an hour costs 60
    (credit 100), a WW month 1,000 (credit 1,666.67); brute force over both gives the best."""
    options = [
        {"id": "ww", "block": "ww", "hours_per_week": 36, "months": 12, "cost_per_month": 1000},
        {"id": "mvo", "block": "mvo_uren", "hours": 40, "cost_per_hour": 60},
    ]
    _, outcome = plan_file(plan(options, menu="utrecht@2"), budget=Decimal(10000))
    best = max(((cents(Fraction(20000) * m / 12) + 100 * h, -(1000 * m + 60 * h))
                for m in range(0, 13) for h in range(0, 41) if 1000 * m + 60 * h <= 10000))
    assert outcome.mode == "budget"
    assert outcome.best.credited == best[0] and outcome.best.cost == -best[1]


def test_a_budget_plan_the_solver_finds_nothing_for_in_time_keeps_the_fixed_lines(plan, monkeypatch):
    """HiGHS may stop at its time limit before it has any plan. In budget mode that used to end in a
    TypeError (exit 70: the least-cost fallback relaxed an obligation row budget mode never made); now
    the outcome is the fixed lines alone, reported as no plan found."""
    options = [{"id": "ww", "block": "ww", "hours_per_week": 36, "months": 12, "cost_per_month": 1000},
               {"id": "vast", "block": "mvo_uren", "hours": 10, "cost_per_hour": 60, "committed": True}]
    monkeypatch.setattr(Model, "solve", lambda self, *args, **kwargs: Solution("time_limit", (), 0.0, 1.0))
    _, outcome = plan_file(plan(options, menu="utrecht@2"), budget=Decimal(10000))
    assert outcome.mode == "budget" and outcome.status == "infeasible"
    assert [line.option for line in outcome.best.lines] == ["vast"]  # the committed option only
    assert outcome.best.credited == 10 * 100 and outcome.best.cost == 10 * 60  # mvo_uren: 100 an hour


@pytest.mark.parametrize("example", ["plan.yaml", "plan-short.yaml"])
def test_check_and_score_agree_with_every_written_bid(invoke, tmp_path, example):
    bid_yaml, bid_xlsx = tmp_path / "bid.yaml", tmp_path / "bid.xlsx"
    planned = json.loads(invoke("plan", EXAMPLES / example, "--json", "--write-bid", bid_yaml).stdout)
    assert invoke("plan", EXAMPLES / example, "--write-bid", bid_xlsx).exit_code == 0
    checked = json.loads(invoke("check", bid_yaml, "--json").stdout)
    [bid] = checked["bids"]
    assert [line["credit"] for line in bid["lines"]] == [line["credit"] for line in planned["plan"]["lines"]]
    assert bid["credited"] == planned["plan"]["credited"] and bid["obligation"] == planned["plan"]["obligation"]
    scored = invoke("score", bid_xlsx, "--json")
    assert scored.exit_code == 0, scored.output
    assert planned["plan"]["credited"] in scored.stdout
    book = openpyxl.load_workbook(bid_xlsx)
    assert book.sheetnames == ["Aanbestedingen", "Bijdragen"]
    assert book["Bijdragen"].max_row == 1 + len(planned["plan"]["lines"])


def test_the_xlsx_report_holds_the_checked_lines(invoke, tmp_path):
    target = tmp_path / "plan.xlsx"
    doc = json.loads(invoke("plan", EXAMPLES / "plan.yaml", "--json", "--xlsx", target).stdout)
    book = openpyxl.load_workbook(target)
    sheet = book["Plan"]
    credits = [sheet.cell(row=r, column=10).value for r in range(2, 2 + len(doc["plan"]["lines"]))]
    assert [Decimal(str(c)).quantize(Decimal("0.01")) for c in credits] == [Decimal(x["credit"]) for x in doc["plan"]["lines"]]
    assert sheet.cell(row=2, column=10).number_format == '"€" #,##0.00'
    assert book["Alternatives"].max_row == 2 + len(doc["alternatives"])


def test_a_plan_from_a_tender_file_keeps_the_bid_and_never_overwrites_it(invoke, tmp_path):
    source = EXAMPLES / "plan-short.yaml"
    result = invoke("plan", source, "--write-bid", EXAMPLES / "tender.yaml")
    assert result.exit_code == 6 and "overwrite the input" in result.output


def test_every_problem_of_the_plan_file_comes_in_one_run(invoke, tmp_path):
    """A tester needed four runs to fix a plan: the tender written out in it was checked after the options."""
    path = tmp_path / "p.yaml"
    path.write_text("tender:\n  menu: utrecht\n  contract_value: '800.000'\nbid: X\noptions:\n"
                    "  - {id: a, block: ww, hours_per_week: {min: 32, max: 20}, months: 6}\n"
                    "  - {id: b, block: mvo_uren, hours: 100, kosten: 3}\n", encoding="utf-8")
    result = invoke("plan", path)
    assert result.exit_code == 4
    told = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [t.split(", field ")[0].split(", ")[1] for t in told] == ["line 3", "line 6", "line 7"], told
    assert "800.000 could mean 800000" in told[0] and "min (32) is above max (20)" in told[1] and "kosten" in told[2]


@pytest.mark.parametrize(
    "option, code, words",
    [
        ({"id": "x", "block": "participatiewt", "hours_per_week": 36, "months": 6}, 5, "nearest: participatiewet"),
        ({"id": "x", "block": "participatiewet", "months": 6}, 4, "field hours_per_week: block participatiewet"),
        ({"id": "x", "block": "participatiewet", "hours_per_week": 36, "months": 6, "amount": 5}, 4, "field amount"),
        ({"id": "x", "block": "participatiewet", "hours_per_week": 36, "months": {"min": 3, "max": 6},
          "committed": True}, 4, "not a range"),
        ({"id": "x", "block": "participatiewet", "hours_per_week": 36, "months": 6.5}, 4, "whole number"),
        ({"id": "x", "block": "participatiewet", "hours_per_week": 36, "months": {"min": 9, "max": 6}}, 4,
         "min (9) is above max (6)"),
        ({"id": "x", "block": "participatiewet", "hours_per_week": "veel", "months": 6}, 4, "a number or a range"),
        ({"id": "x", "block": "participatiewet", "hours_per_week": 36, "months": 6, "people": 2,
          "candidate": "K-1"}, 4, "people must be 1"),
    ],
)
def test_bad_options_are_named_with_their_line_and_field(invoke, plan, option, code, words):
    path = plan([{"id": "ok", "block": "ww", "hours_per_week": 36, "months": 6}, option])
    result = invoke("plan", path)
    assert result.exit_code == code, result.output
    assert f"{path}, line" in result.output and "option 2" in result.output and words in result.output
    assert "Traceback" not in result.output


def test_a_budget_below_the_committed_cost_is_refused(invoke, plan):
    path = plan([{"id": "c", "block": "ww", "committed": True, "hours_per_week": 36, "months": 6,
                  "cost_per_month": 1000}])
    result = invoke("plan", path, "--budget", "5000")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "id: c" in text)
    assert result.exit_code == 4, result.output
    assert (f"{path}: the budget €5,000.00 (--budget) is less than what the committed options cost already, "
            f"€6,000.00: c (€6,000.00, line {line})") in result.stderr
    assert invoke("plan", path, "--budget", "veel").exit_code == 2


def test_an_unknown_bidder_in_a_tender_file_names_the_bids(invoke, write):
    path = write("p.yaml", f"""
        tender: {EXAMPLES / 'tender.yaml'}
        bid: Bouwbedrijf C
        options: []
        """)
    result = invoke("plan", path)
    assert result.exit_code == 4 and "Bouwbedrijf B" in result.output and "did you mean" in result.output


def test_dutch_report(invoke):
    result = invoke("--lang", "nl", "plan", EXAMPLES / "plan.yaml")
    assert result.exit_code == 0 and "Goedkoopste plan dat aan de verplichting voldoet" in result.output
    assert "€ 62.500,00" in result.output


def test_a_share_cap_limits_what_a_cheap_category_adds(plan):
    """Rijnmond: social investment counts for at most 25% of the obligation. Obligation 5% of
    1,000,000 = 50,000. Social investment is the cheapest credit (EUR 0.10 a euro) but only 12,500
    of it counts; the rest comes from social activities at EUR 150 an hour of credit for EUR 100:
    250 hours. Least cost: 12,500 x 0.10 + 250 x 100 = 26,250 (without the cap: 5,000)."""
    options = [
        {"id": "investeren", "block": "sociaal_investeren", "amount": 50000, "cost_per_euro": "0.10"},
        {"id": "uren", "block": "mvo_uren", "hours": 1000, "cost_per_hour": 100},
    ]
    _, outcome = plan_file(plan(options, menu="rijnmond"))
    assert outcome.status == "optimal"
    assert outcome.best.obligation == Decimal("50000.00")
    assert outcome.best.cost == Decimal("26250.00") and outcome.best.credited == Decimal("50000.00")
    chosen = {line.option: line.contribution for line in outcome.best.lines if line.option}
    assert chosen["investeren"].amount == Decimal("12500.00") and chosen["uren"].hours == Decimal(250)


def test_within_a_budget_the_plan_says_no_other_combination_gives_as_much(invoke, plan):
    """A tester read "No other combination of the options meets the obligation" for a plan that met nothing."""
    path = plan([{"id": "c", "block": "ww", "candidate": "X", "hours_per_week": 36, "months": 6, "cost_per_month": 100}])
    result = invoke("plan", path, "--budget", "3000")
    assert result.exit_code == 0, result.output
    assert "No other combination of the options gives as much credit within the budget." in result.stdout
    assert "meets the obligation." not in result.stdout
