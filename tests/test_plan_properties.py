"""Properties of `plan` (hypothesis): the plan meets the obligation whenever it says so, and no
random feasible selection of the same options costs less (or, when it finds none, none exists)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactkit.io.yamlio import LineMap
from impactkit.model.tender import Bid, TenderFile, TenderInfo
from impactkit.plan import prepare, solve
from impactkit.plan.model import PlanFile, Span
from impactkit.plan.options import hour_levels, person_contribution, person_cost, quantity_contribution, quantity_cost
from impactkit.plan.prepare import PlannedLine
from impactkit.plan.valuation import check_bid, settle

PEOPLE = {"haaglanden-zhc": ["ww", "participatiewet", "nug", "banenafspraak"], "utrecht@2": ["ww", "participatiewet", "nug"]}
AMOUNTS = {"haaglanden-zhc": ["opleidingskosten"], "utrecht@2": ["opleidingskosten", "sociale_onderneming_inkoop"]}


@st.composite
def people_option(draw, menu, n):
    low_h = draw(st.sampled_from([12, 20, 24, 32, 36]))
    hours = draw(st.one_of(st.just(low_h), st.builds(lambda k: {"min": low_h, "max": low_h + k}, st.integers(1, 3))))
    top = draw(st.integers(1, 8))
    months = draw(st.one_of(st.just(top), st.builds(lambda lo: {"min": lo, "max": top}, st.integers(1, top))))
    return {"id": f"o{n}", "block": draw(st.sampled_from(PEOPLE[menu])), "people": draw(st.integers(1, 2)),
            "hours_per_week": hours, "months": months, "age": draw(st.sampled_from([None, 30, 57])),
            "cost_per_month": draw(st.integers(0, 3000)), "cost_per_hour": draw(st.sampled_from([0, 0, 7, 12])),
            "cost_per_person": draw(st.sampled_from([0, 0, 1500])), "cost_fixed": draw(st.sampled_from([0, 0, 800]))}


@st.composite
def other_option(draw, menu, n):
    if menu == "utrecht@2" and draw(st.booleans()):
        return {"id": f"o{n}", "block": "mvo_uren", "hours": draw(st.integers(0, 120)),
                "cost_per_hour": draw(st.integers(0, 150)), "cost_fixed": draw(st.sampled_from([0, 300]))}
    return {"id": f"o{n}", "block": draw(st.sampled_from(AMOUNTS[menu])), "amount": draw(st.integers(0, 15000)),
            "cost_per_euro": draw(st.sampled_from([0, 1])), "cost_fixed": draw(st.sampled_from([0, 250]))}


@st.composite
def plans(draw):
    menu = draw(st.sampled_from(sorted(PEOPLE)))
    count = draw(st.integers(1, 3))
    options = [draw(st.one_of(people_option(menu, n), other_option(menu, n))) for n in range(count)]
    options = [{k: v for k, v in o.items() if v is not None} for o in options]
    return menu, (draw(st.integers(220_000, 600_000)), draw(st.sampled_from(["0.01", "0.02", "0.05"]))), options


def _setting(menu, value):
    value, rate = value
    info = TenderInfo(id="T", menu=menu, contract_value=Decimal(value), rate=Decimal(rate))
    tender = TenderFile(tender=info, bids=(Bid(bidder="A"),))
    return settle(tender, LineMap("<plan>", {}))


def _random_selection(draw, prepared):
    """Lines for a random choice within every option's limits, with their exact costs."""
    lines = []
    for choice in prepared.choices:
        option = choice.option
        if draw(st.integers(0, 3)) == 0:  # most selections use most options
            continue
        own = []
        if choice.kind == "people":
            months_spec = option.months
            low, high = (max(int(months_spec.low), 1), int(months_spec.max)) if isinstance(months_spec, Span) \
                else (1, int(months_spec))
            for ref in choice.candidates[: draw(st.integers(1, choice.people))]:
                h = draw(st.sampled_from(hour_levels(option.hours_per_week)))
                m = Decimal(draw(st.integers(low, high)))
                own.append(PlannedLine(option.id, person_contribution(option, h, m, ref), person_cost(option, h, m), False))
        else:
            high = choice.high // choice.scale
            if high < 1:
                continue
            value = Decimal(draw(st.integers(1, high)))
            own.append(PlannedLine(option.id, quantity_contribution(option, {choice.measure: value}),
                                   quantity_cost(option, choice.measure, value), False))
        first = own[0]
        own[0] = PlannedLine(first.option, first.contribution, first.cost + Decimal(choice.fixed_cost) / 100, False)
        lines.extend(own)
    return lines


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans(), data=st.data())
def test_the_plan_meets_the_obligation_and_no_random_selection_is_cheaper(plan, data):
    menu, value, options = plan
    setting = _setting(menu, value)
    plan_file = PlanFile.model_validate({"tender": "x", "options": options})
    prepared = prepare(plan_file, setting, LineMap("<plan>", {}))
    outcome = solve(prepared, alternatives=0)
    if outcome.status == "optimal":
        assert outcome.best.met and outcome.best.credited >= outcome.best.obligation
        again = check_bid(setting, tuple(line.contribution for line in outcome.best.lines)).bids[0]
        assert again.credited == outcome.best.credited
    for _ in range(5):
        lines = _random_selection(data.draw, prepared)
        result = check_bid(setting, tuple(line.contribution for line in lines)).bids[0]
        if result.met:
            assert outcome.status == "optimal", "a selection meets the obligation, the solver said none does"
            assert sum((line.cost for line in lines), Decimal(0)) >= outcome.best.cost


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans(), budget=st.integers(0, 40000), data=st.data())
def test_within_a_budget_no_random_selection_gives_more_credit(plan, budget, data):
    menu, value, options = plan
    setting = _setting(menu, value)
    plan_file = PlanFile.model_validate({"tender": "x", "options": options})
    prepared = prepare(plan_file, setting, LineMap("<plan>", {}))
    outcome = solve(prepared, budget=Decimal(budget), alternatives=0)
    assert outcome.best.cost <= budget
    for _ in range(5):
        lines = _random_selection(data.draw, prepared)
        if sum((line.cost for line in lines), Decimal(0)) <= budget:
            result = check_bid(setting, tuple(line.contribution for line in lines)).bids[0]
            assert result.credited <= outcome.best.credited
