"""The rules kernel against the rules as sroi.md writes them, on random users' menus.

The oracle below is a plain reading of sroi.md sections 3 and 4 in exact fractions, line by line,
written for the test and independent of the kernel's integer columns. Random menus have odd
counting caps, minimum hours, hours bases, bonuses (exclusive groups, one-off), invoice factors,
term overrides, PSO discounts per trede and a wage-sum base.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactkit.engine import evaluate_bid, terms_for
from impactkit.engine.stack import tender_terms
from impactkit.model.menu import Menu
from impactkit.model.tender import Bid, Contribution, TenderFile, TenderInfo

two_places = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
hours_2 = st.decimals(min_value=Decimal(0), max_value=Decimal(60), places=2)
months_2 = st.decimals(min_value=Decimal(0), max_value=Decimal(40), places=2)
share_4 = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(1), places=4)


@st.composite
def menus(draw) -> Menu:
    bonuses = [
        {"id": "b_50", "label": {"nl": "50+", "en": "50+"}, "value": str(draw(two_places)), "group": "age",
         "when": {"age_min": 50}, "source": "s"},
        {"id": "b_55", "label": {"nl": "55+", "en": "55+"}, "value": str(draw(two_places)), "group": "age",
         "when": {"age_min": 55}, "source": "s"},
        {"id": "b_vast", "label": {"nl": "vast", "en": "permanent"}, "value": str(draw(two_places)),
         "when": {"flag": "permanent_contract"}, "one_off": draw(st.booleans()), "source": "s"},
        {"id": "b_status", "label": {"nl": "status", "en": "status"}, "value": str(draw(two_places)),
         "when": {"flag": "statushouder"}, "one_off": draw(st.booleans()), "source": "s"},
    ]
    cap = draw(st.none() | st.decimals(min_value=Decimal("0.01"), max_value=Decimal(36), places=2))
    minimum = draw(st.none() | st.decimals(min_value=Decimal(0), max_value=Decimal(40), places=2))
    blocks = [
        {"id": "p", "label": {"nl": "P", "en": "P"}, "unit": "per_year", "value": str(draw(two_places)),
         "cap_months": None if cap is None else str(cap),
         "min_hours_per_week": None if minimum is None else str(minimum),
         "bonuses": draw(st.lists(st.sampled_from(["b_50", "b_55", "b_vast", "b_status"]), unique=True)),
         "source": "s"},
        {"id": "m", "label": {"nl": "M", "en": "M"}, "unit": "per_month", "value": str(draw(two_places)),
         "cap_months": None if cap is None else str(cap), "source": "s"},
        {"id": "h", "label": {"nl": "H", "en": "H"}, "unit": "per_hour", "value": str(draw(two_places)), "source": "s"},
        {"id": "d", "label": {"nl": "D", "en": "D"}, "unit": "per_day", "value": str(draw(two_places)), "source": "s"},
        {"id": "i", "label": {"nl": "I", "en": "I"}, "unit": "invoice", "factor": str(draw(share_4)), "source": "s"},
        {"id": "c", "label": {"nl": "C", "en": "C"}, "unit": "actual_cost", "source": "s"},
    ]
    tredes = draw(st.dictionaries(st.sampled_from(["1", "2", "3", "30+"]), share_4, max_size=4))
    return Menu.model_validate({
        "schema": 1, "id": "random", "version": "1", "name": "random", "valid_from": "unknown",
        "status": "complete", "sources": [{"id": "s", "url": "https://example.org/s", "title": "s"}],
        "hours_basis": str(draw(st.decimals(min_value=Decimal(1), max_value=Decimal(40), places=2))),
        "obligation": {"rate": str(draw(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal(1), places=6))),
                       "threshold": draw(st.none() | st.integers(0, 400_000)), "source": "s",
                       "threshold_inclusive": draw(st.booleans()), "cap": draw(st.none() | st.integers(0, 50_000)),
                       "pso_discount": None if (flat := draw(st.none() | share_4)) is None else str(flat),
                       "pso_discount_by_trede": {k: str(v) for k, v in tredes.items()} or None},
        "bonuses": bonuses, "blocks": blocks,
    })


@st.composite
def lines(draw):
    block = draw(st.sampled_from(["p", "p", "p", "m", "h", "d", "i", "c"]))
    facts = {"block": block, "candidate": draw(st.sampled_from([None, "K-1", "K-2"]))}
    if block == "p":
        facts |= {"hours_per_week": draw(hours_2), "months": draw(months_2), "age": draw(st.none() | st.integers(15, 100)),
                  "permanent_contract": draw(st.booleans()), "statushouder": draw(st.booleans())}
    elif block == "m":
        facts["months"] = draw(months_2)
    elif block == "h":
        facts["hours"] = draw(st.decimals(min_value=0, max_value=2000, places=2))
    elif block == "d":
        facts |= {"days": draw(st.decimals(min_value=0, max_value=30, places=2)),
                  "amount": draw(st.decimals(min_value=0, max_value=10**6, places=2))}
    else:
        facts["amount"] = draw(st.decimals(min_value=0, max_value=10**7, places=2))
    return Contribution(**facts)


def half_up(x: Fraction) -> Fraction:
    return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)


def oracle_lines(menu: Menu, basis: Decimal, contributions) -> list[Fraction]:
    """Each line's credit by sroi.md section 4, computed line after line in fractions."""
    counted_so_far: dict[tuple, Fraction] = {}
    one_off_paid: set[tuple] = set()
    out = []
    for c in contributions:
        block = menu.block(c.block)
        key = (c.candidate, block.id) if c.candidate else None
        cap = None if block.cap_months is None else Fraction(block.cap_months)
        if block.unit in ("per_year", "per_month"):
            months = Fraction(c.months)
            below = block.unit == "per_year" and block.min_hours_per_week is not None and c.hours_per_week < block.min_hours_per_week
            if below:
                months = Fraction(0)
            before = counted_so_far.get(key, Fraction(0)) if key else Fraction(0)
            counted = months if cap is None else max(Fraction(0), min(months, cap - before))
            if key:
                counted_so_far[key] = before + counted
            if block.unit == "per_month":
                out.append(half_up(Fraction(block.value) * counted))
                continue
            if below:
                out.append(Fraction(0))
                continue
            share = min(Fraction(c.hours_per_week) / Fraction(basis), Fraction(1)) * counted / 12
            total = Fraction(block.value) * share
            applicable = [menu.bonus(b) for b in block.bonuses]
            holds = [b for b in applicable if b.when.age_min is not None and c.age is not None
                     and c.age >= b.when.age_min] + [b for b in applicable if b.when.flag and getattr(c, b.when.flag)]
            ages = [b for b in holds if b.group == "age"]
            best_age = max(ages, key=lambda b: b.value) if ages else None
            for bonus in holds:
                if bonus.group == "age" and bonus is not best_age:
                    continue
                if bonus.one_off:
                    paid = (c.candidate, block.id, bonus.id) if c.candidate else None
                    if paid in one_off_paid:
                        continue
                    if paid:
                        one_off_paid.add(paid)
                    total += Fraction(bonus.value)
                else:
                    total += Fraction(bonus.value) * share
            out.append(half_up(total))
        elif block.unit == "per_hour":
            out.append(half_up(Fraction(block.value) * Fraction(c.hours)))
        elif block.unit == "per_day":
            out.append(half_up(min(Fraction(c.amount), Fraction(block.value) * Fraction(c.days))))
        elif block.unit == "invoice":
            out.append(half_up(Fraction(c.amount) * Fraction(block.factor)))
        else:
            out.append(Fraction(c.amount))
    return out


def oracle_obligation(menu: Menu, tender: TenderInfo, bid: Bid) -> Fraction:
    terms = tender_terms(TenderFile(tender=tender), menu)
    base = Fraction(bid.contract_value if bid.contract_value is not None else tender.contract_value)
    if terms.base == "wage_sum":
        base = Fraction(bid.wage_sum if bid.wage_sum is not None else tender.wage_sum)
    scope = Fraction(tender.contract_value)
    amount = half_up(base * Fraction(terms.rate))
    if terms.threshold is not None:
        passes = scope >= terms.threshold if terms.threshold_inclusive else scope > terms.threshold
        if not passes:
            return Fraction(0)
    if terms.cap is not None:
        amount = min(amount, Fraction(terms.cap))
    pct = None
    if bid.pso_trede and bid.pso_trede in terms.pso_discount_by_trede:
        pct = terms.pso_discount_by_trede[bid.pso_trede]
    elif bid.claims_pso and terms.pso_discount is not None:
        pct = terms.pso_discount
    if pct is not None:
        amount -= half_up(amount * Fraction(pct))
    return amount


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menus(), st.lists(lines(), min_size=1, max_size=8), st.none() | st.decimals(min_value=1, max_value=40, places=2))
def test_every_line_is_the_rules_rounded_once(menu, contributions, basis_override):
    tender = TenderFile(tender=TenderInfo(id="T", menu="x", contract_value=Decimal(500000), hours_basis=basis_override))
    terms = tender_terms(tender, menu)
    result = evaluate_bid(Bid(bidder="B", contributions=tuple(contributions)), tender, menu, terms)
    expected = oracle_lines(menu, terms.hours_basis, contributions)
    assert [Fraction(line.credit) for line in result.lines] == expected
    assert all(line.credit >= 0 for line in result.lines)
    assert result.credited == sum((line.credit for line in result.lines), Decimal(0))


@settings(max_examples=250, deadline=None)
@given(menus(), st.integers(0, 2_000_000), st.none() | st.integers(0, 2_000_000), st.sampled_from(
    [None, "1", "2", "3", "30+"]), st.booleans(), st.booleans(), st.none() | st.integers(1, 2_000_000))
def test_every_obligation_follows_section_3(menu, value, price, trede, certified, wage_base, wage_sum):
    tender = TenderInfo(id="T", menu="x", contract_value=Decimal(value),
                        base="wage_sum" if wage_base and wage_sum else None,
                        wage_sum=Decimal(wage_sum) if wage_sum else None)
    bid = Bid(bidder="B", contract_value=None if price is None else Decimal(price), pso_certified=certified,
              pso_trede=trede)
    file = TenderFile(tender=tender, bids=(bid,))
    result = evaluate_bid(bid, file, menu, tender_terms(file, menu))
    assert Fraction(result.obligation.amount) == oracle_obligation(menu, tender, bid)
    assert result.obligation.amount >= 0
    if bid.claims_pso and result.obligation.discount == 0 and result.obligation.pso_discount is None:
        assert any(key.startswith("note_pso") for key, _ in result.notes)  # a PSO claim is never silently ignored


@settings(max_examples=150, deadline=None)
@given(menus(), hours_2, hours_2, months_2, months_2, st.none() | st.integers(15, 100), st.booleans())
def test_credit_is_monotone_in_hours_and_months(menu, h1, h2, m1, m2, age, permanent):
    lo_h, hi_h = sorted((h1, h2))
    lo_m, hi_m = sorted((m1, m2))

    def credit(h, m):
        c = Contribution(block="p", hours_per_week=h, months=m, age=age, permanent_contract=permanent)
        file = TenderFile(tender=TenderInfo(id="T", menu="x", contract_value=Decimal(1)))
        return evaluate_bid(Bid(bidder="B", contributions=(c,)), file, menu, terms_for(menu)).credited

    low = credit(lo_h, lo_m)
    assert credit(hi_h, lo_m) >= low and credit(lo_h, hi_m) >= low
