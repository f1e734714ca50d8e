"""The valuation and obligation rules of sroi.md sections 3 and 4, with published and
derived figures."""

from decimal import Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

from impactkit.engine import compute_obligation, evaluate_bid, evaluate_tender, terms_for, value_contribution
from impactkit.engine.stack import tender_terms
from impactkit.engine.bridge import purchase_credits
from impactkit.errors import InvalidInputError
from impactkit.i18n import Translator
from impactkit.menus import load_menu_file, resolve_menu
from impactkit.io.tender_file import load_tender
from impactkit.model.tender import Contribution

D = Decimal


def menu(ref):
    return resolve_menu(ref).menu


def credit(ref, **facts):
    return value_contribution(menu(ref), Contribution(**facts))


def test_participatiewet_part_time_half_year_haaglanden():
    # 40,000 x 24/36 x 6/12 = 13,333.33 (issue example), cap 24 months
    line = credit("haaglanden-zhc", block="participatiewet", hours_per_week=24, months=6)
    assert line.credit == D("13333.33")
    assert line.value.block.block.cap_months == 24 and line.months_counted == 6


def test_bonus_55_plus_is_pro_rated_and_added_and_the_line_rounded_once():
    line = credit("haaglanden-zhc", block="participatiewet", hours_per_week=24, months=6, age=56)
    parts = [p.exact for p in line.value.parts]
    assert parts == [Fraction(40000 * 24 * 6, 36 * 12), Fraction(10000 * 24 * 6, 36 * 12)]  # 13,333.33... + 3,333.33...
    assert line.credit == D("16666.67")  # 16,666.666... rounded once, not 13,333.33 + 3,333.33
    assert line.value.block_credit == 1333333 and line.value.bonus_credit == 333334


def test_the_rounding_example_of_sroi_md():
    # sroi.md section 4: a block and its bonus over 20/36 x 5/12 are 9,259.259... together: 9,259.26, not
    # 6,944.44 + 2,314.81 = 9,259.25 (the parts 30,000 and 10,000 are Alphen's Participatiewet > 2 y and 55+)
    line = credit("holland-rijnland-alphen", block="participatiewet_gt2y", hours_per_week=20, months=5, age=60)
    assert [p.exact for p in line.value.parts] == [Fraction(30000 * 20 * 5, 36 * 12), Fraction(10000 * 20 * 5, 36 * 12)]
    assert line.credit == D("9259.26")


def test_counting_cap_and_hours_above_the_basis():
    line = credit("haaglanden-zhc", block="ww", hours_per_week=40, months=18)
    assert line.months_counted == 12
    assert line.credit == D("20000.00")  # hours count at most the 36-hour basis


def test_banenafspraak_has_no_cap():
    assert credit("haaglanden-zhc", block="banenafspraak", hours_per_week=36, months=60).credit == D("250000.00")


def test_alias_is_valued_as_its_target():
    line = credit("haaglanden-zhc", block="wajong", hours_per_week=36, months=12)
    assert line.counted_as == "banenafspraak" and line.credit == D("50000.00")
    assert line.notes[0][0] == "note_alias"


def test_fryslan_minimum_hours():
    line = credit("fryslan", block="participatiewet_lt2y", hours_per_week=10, months=12, age=60)
    assert line.credit == 0 and line.value.below_minimum and line.months_counted == 0
    assert "below the minimum of 12" in line.explanation(Translator("en"))
    assert credit("fryslan", block="participatiewet_lt2y", hours_per_week=12, months=12).credit == D("11666.67")


def test_fryslan_55_plus_replaces_50_plus():
    line = credit("fryslan", block="participatiewet_gt2y", hours_per_week=36, months=12, age=57)
    bonuses = [p for p in line.value.parts if p.kind == "bonus"]
    assert [(b.bonus.bonus.id, b.exact) for b in bonuses] == [("bonus_55_plus", 7500)]
    assert line.credit == D("47500.00")
    line = credit("fryslan", block="participatiewet_gt2y", hours_per_week=36, months=12, age=52)
    assert [p.bonus.bonus.id for p in line.value.parts if p.kind == "bonus"] == ["bonus_50_plus"]


def test_utrecht_bonuses_add_up():
    line = credit("utrecht@2", block="participatiewet", hours_per_week=36, months=12, age=51,
                  statushouder=True, permanent_contract=True)
    assert line.credit == D("70000.00")


def test_utrecht_older_table_uses_40_hours():
    assert credit("utrecht@1", block="participatiewet_gt2y", hours_per_week=20, months=12).credit == D("20000.00")


def test_other_units():
    assert credit("oost-nederland", block="werkervaringsplek", months=4).credit == D("3000.00")
    assert credit("utrecht@2", block="mvo_uren", hours=25).credit == D("2500.00")
    # Holland Rijnland: EUR 1,000 is a maximum per day
    assert credit("holland-rijnland-leiden", block="maatschappelijke_activiteit", days=2, amount=2500).credit == 2000
    assert credit("holland-rijnland-leiden", block="maatschappelijke_activiteit", days=2, amount=1500).credit == 1500
    assert credit("holland-rijnland-leiden", block="sw_inkoop", amount=D("10000.01")).credit == D("10000.01")
    with pytest.raises(ValidationError, match="decimal_max_places"):  # a third decimal is refused, not rounded away
        credit("holland-rijnland-leiden", block="sw_inkoop", amount=D("10000.005"))
    assert credit("fryslan", block="sw_inkoop", amount=4000).credit == 4000


def test_fields_the_unit_does_not_use_are_noted():
    line = credit("holland-rijnland-leiden", block="sw_inkoop", amount=100, months=3)
    assert ("note_field_ignored", {"field": "months", "valued": "invoice"}) in line.notes


def test_by_agreement_and_invoice_factor_in_a_users_menu(write):
    path = write("mine.yaml", """
        schema: 1
        id: mijn-regio
        version: "2025"
        name: Mijn regio
        valid_from: 2025-01-01
        status: complete
        sources: [{id: s, url: "https://example.org/bouwblokken", title: Onze tabel}]
        hours_basis: 38
        obligation: {rate: "0.04", source: s, threshold: 100000, threshold_inclusive: false}
        blocks:
          - {id: maatwerk, label: {nl: Maatwerk, en: Custom}, unit: by_agreement, source: s}
          - {id: sociale_onderneming_inkoop, label: {nl: Inkoop, en: Purchases}, unit: invoice, factor: "0.5", source: s}
    """)
    mine = load_menu_file(path)
    line = value_contribution(mine, Contribution(block="maatwerk", amount=1234))
    assert line.credit == 1234 and line.notes[-1][0] == "note_by_agreement"
    assert purchase_credits(mine)[0].credit == D("5000.00")
    terms = terms_for(mine)
    assert compute_obligation(D(100000), terms).amount == 0  # "boven": 100,000 itself does not pass
    assert compute_obligation(D("100000.01"), terms).amount == D("4000.00")


# obligations ----------------------------------------------------------------------

def test_obligation_five_percent_and_den_haag_threshold():
    terms = terms_for(menu("haaglanden-zhc"))
    assert compute_obligation(D(500000), terms).amount == D("25000.00")
    assert compute_obligation(D(215000), terms).amount == D("10750.00")  # "vanaf": inclusive
    below = compute_obligation(D("214999.99"), terms)
    assert below.amount == 0 and below.below_threshold and below.gross == D("10750.00")


def test_obligation_rounds_half_up():
    terms = terms_for(menu("haaglanden-zhc"))
    assert compute_obligation(D("300000.10"), terms).amount == D("15000.01")  # 15,000.005


def test_sudwest_fryslan_cap():
    ob = compute_obligation(D(20_000_000), terms_for(menu("fryslan")))
    assert ob.gross == D("400000.00") and ob.capped and ob.amount == D("300000.00")


def test_pso_discount_only_with_a_stated_percentage():
    terms = terms_for(menu("oost-nederland"))
    assert compute_obligation(D(500000), terms, pso_certified=True).amount == D("25000.00")
    terms = terms_for(menu("oost-nederland"), pso_discount=D("0.10"))
    ob = compute_obligation(D(500000), terms, pso_certified=True)
    assert (ob.discount, ob.amount) == (D("2500.00"), D("22500.00"))
    assert compute_obligation(D(500000), terms, pso_certified=False).amount == D("25000.00")


def test_tender_overrides_the_menu_rule():
    terms = terms_for(menu("haaglanden-zhc"), rate=D("0.03"), threshold=D(0), cap=D(1000))
    assert terms.overridden == ("rate", "threshold", "cap")
    assert compute_obligation(D(100000), terms).amount == D("1000.00")


# tenders --------------------------------------------------------------------------

def test_each_bid_against_its_own_price(tender_file):
    path = tender_file(bids=[
        {"bidder": "A", "contract_value": 480000, "contributions": []},
        {"bidder": "B", "contributions": []},
    ])
    result = evaluate_tender(*load_tender(path))
    assert [b.obligation.amount for b in result.bids] == [D("24000.00"), D("25000.00")]
    assert [b.base_from_bid for b in result.bids] == [True, False]


def test_counting_cap_holds_across_lines_of_one_candidate(tender_file):
    path = tender_file([
        {"block": "participatiewet", "candidate": "K-1", "hours_per_week": 36, "months": 18},
        {"block": "participatiewet", "candidate": "K-1", "hours_per_week": 36, "months": 12},
        {"block": "participatiewet", "candidate": "K-2", "hours_per_week": 36, "months": 12},
    ])
    lines = evaluate_tender(*load_tender(path)).bids[0].lines
    assert [line.months_counted for line in lines] == [18, 6, 12]
    assert lines[1].credit == D("20000.00")


def test_shortfall_suggestions_close_the_gap(tender_file):
    path = tender_file([{"block": "ww", "hours_per_week": 36, "months": 12}])
    bid = evaluate_tender(*load_tender(path)).bids[0]
    assert not bid.met and bid.shortfall == D("5000.00")
    kinds = {s.kind for s in bid.suggestions}
    assert "full_time_months" in kinds and "amount" in kinds
    for s in bid.suggestions:
        if s.kind == "full_time_months":
            assert s.value * s.quantity / 12 >= bid.shortfall
            assert s.value * (s.quantity - 1) / 12 < bid.shortfall


def test_every_problem_of_a_tender_is_reported_at_once(tender_file):
    """Unknown blocks with a missing fact: all told, by line, as invalid input (exit 5 is for
    unknown references alone; docs/exit-codes.md)."""
    path = tender_file([
        {"block": "participatiewet", "hours_per_week": 36},
        {"block": "participatiewt", "hours_per_week": 36, "months": 2},
        {"block": "sw_inkoop", "amount": 100},
    ])
    with pytest.raises(InvalidInputError) as err:
        evaluate_tender(*load_tender(path))
    assert [p.line for p in err.value.problems] == sorted(p.line for p in err.value.problems)
    keys = [(p.key, p.field) for p in err.value.problems]
    assert ("block_unknown", "block") in keys
    assert ("block_not_in_menu", "block") in keys
    assert ("fact_missing", "months") in keys
    unknown = next(p for p in err.value.problems if p.key == "block_unknown")
    assert "participatiewet" in unknown.params["hint"]
    not_here = next(p for p in err.value.problems if p.key == "block_not_in_menu")
    assert "holland-rijnland-leiden@2023-09" in not_here.params["elsewhere"]


def test_missing_facts_alone_are_invalid_input(tender_file):
    path = tender_file([{"block": "mvo_uren"}], menu="utrecht")
    with pytest.raises(InvalidInputError) as err:
        evaluate_tender(*load_tender(path))
    assert err.value.problems[0].field == "hours"


def test_wage_sum_base_needs_a_wage_sum(tender_file):
    path = tender_file([], base="wage_sum")
    with pytest.raises(InvalidInputError):
        evaluate_tender(*load_tender(path))
    path = tender_file([], base="wage_sum", wage_sum=200000, name="ok.yaml")
    obligation = evaluate_tender(*load_tender(path)).bids[0].obligation
    # the threshold tests the contract value (500,000: in scope), the rate applies to the wage sum
    assert obligation.amount == D("10000.00") and obligation.base_source == "tender_wage_sum"
    path = tender_file([], base="wage_sum", wage_sum=200000, contract_value=210000, name="small.yaml")
    assert evaluate_tender(*load_tender(path)).bids[0].obligation.below_threshold  # 210,000 < 215,000


def test_evaluate_bid_alone_refuses_a_bid_without_its_wage_sum(tender_file):
    """evaluate_bid, called without evaluate_tender's checks, used to value such a bid's obligation
    as 0 (a missing base read as 0 cents); it now says what is missing, as evaluate_tender does."""
    tender, _ = load_tender(tender_file([{"block": "ww", "hours_per_week": 36, "months": 6}], base="wage_sum"))
    terms = tender_terms(tender, menu("haaglanden-zhc"))
    with pytest.raises(InvalidInputError) as err:
        evaluate_bid(tender.bids[0], tender, menu("haaglanden-zhc"), terms)
    assert [(p.key, p.field, p.params) for p in err.value.problems] == [("wage_sum_missing", "wage_sum",
                                                                          {"bidder": "Aannemer A"})]
