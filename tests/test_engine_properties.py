"""Invariants of the engine, checked on random contributions over every shipped menu."""

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.engine import compute_obligation, terms_for, value_contribution
from impactkit.engine.stack import evaluate_bid
from impactkit.menus import shipped_menus
from impactkit.money import ZERO
from impactkit.model.tender import Bid, Contribution, TenderFile, TenderInfo

MENUS = shipped_menus()
YEARLY = [(m, b) for m in MENUS for b in m.blocks if b.unit == "per_year"]

hours = st.decimals(min_value=0, max_value=60, places=1)
months = st.decimals(min_value=0, max_value=120, places=1)
ages = st.one_of(st.none(), st.integers(min_value=15, max_value=100))
flags = st.fixed_dictionaries({k: st.booleans() for k in
                               ("permanent_contract", "statushouder", "work_limitation", "hired_after_internship")})
amounts = st.decimals(min_value=0, max_value=10_000_000, places=2)


def yearly(menu, block, h, m, age, fl):
    return value_contribution(menu, Contribution(block=block.id, hours_per_week=h, months=m, age=age, **fl))


@settings(max_examples=300)
@given(st.sampled_from(YEARLY), hours, months, ages, flags)
def test_credit_is_never_negative_and_caps_hold(pair, h, m, age, fl):
    menu, block = pair
    line = yearly(menu, block, h, m, age, fl)
    assert line.credit >= 0
    exact = sum(p.exact for p in line.value.parts)
    assert abs(Fraction(line.credit) - exact) <= Fraction(1, 200)  # the parts, rounded once
    if block.cap_months is not None:
        assert line.months_counted <= block.cap_months
        top = block.value + sum(menu.bonus(b).value for b in block.bonuses)
        assert line.credit <= top * block.cap_months / 12 + Decimal("0.01")


@settings(max_examples=300)
@given(st.sampled_from(YEARLY), hours, hours, months, months, ages, flags)
def test_credit_is_monotone_in_hours_and_months(pair, h1, h2, m1, m2, age, fl):
    menu, block = pair
    lo_h, hi_h = sorted((h1, h2))
    lo_m, hi_m = sorted((m1, m2))
    low = yearly(menu, block, lo_h, lo_m, age, fl).credit
    assert yearly(menu, block, hi_h, lo_m, age, fl).credit >= low
    assert yearly(menu, block, lo_h, hi_m, age, fl).credit >= low


@settings(max_examples=300)
@given(st.sampled_from(YEARLY), hours, months)
def test_block_credit_is_the_exact_formula_rounded_half_up(pair, h, m):
    menu, block = pair
    line = yearly(menu, block, h, m, None, {})
    if block.min_hours_per_week is not None and h < block.min_hours_per_week:
        assert line.credit == 0
        return
    counted = m if block.cap_months is None else min(m, block.cap_months)
    exact = Fraction(block.value) * min(Fraction(h) / Fraction(menu.hours_basis), Fraction(1)) * Fraction(counted) / 12
    half_up_cents = math.floor(exact * 100 + Fraction(1, 2))  # exact, independent of the engine's rounding
    assert line.value.block_credit == half_up_cents
    assert line.credit * 100 == half_up_cents  # no bonus applies without age or flags


@settings(max_examples=200)
@given(st.sampled_from(MENUS), amounts, amounts)
def test_obligation_is_bounded_and_monotone_above_the_threshold(menu, a, b):
    terms = terms_for(menu)
    lo, hi = sorted((a, b))
    ob_lo, ob_hi = compute_obligation(lo, terms), compute_obligation(hi, terms)
    for ob in (ob_lo, ob_hi):
        assert 0 <= ob.amount <= (terms.cap if terms.cap is not None else ob.gross)
    if not ob_lo.below_threshold:
        assert ob_hi.amount >= ob_lo.amount


contribution_rows = st.lists(
    st.tuples(st.sampled_from(["K-1", "K-2", None]), hours, months), min_size=1, max_size=6
)


@settings(max_examples=200)
@given(st.sampled_from(YEARLY), contribution_rows)
def test_months_counted_per_candidate_never_exceed_the_cap(pair, rows):
    menu, block = pair
    contributions = tuple(
        Contribution(block=block.id, candidate=c, hours_per_week=h, months=m) for c, h, m in rows
    )
    tender = TenderFile(tender=TenderInfo(id="T", menu=menu.ref, contract_value=Decimal(100000)), bids=())
    bid = evaluate_bid(Bid(bidder="X", contributions=contributions), tender, menu, terms_for(menu))
    assert bid.credited == sum((line.credit for line in bid.lines), ZERO)
    if block.cap_months is not None:
        for candidate in ("K-1", "K-2"):
            total = sum(line.months_counted for line in bid.lines if line.candidate == candidate)
            assert total <= block.cap_months
