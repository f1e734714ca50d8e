"""The rule fields of the regional menus hold their published figures (regions.md section 2), and
`check` and `obligation` apply them: PSO discounts per trede, purchases valued by the supplier's
trede, caps on shares of the obligation, thresholds per kind of contract, the penalty rate.

Expected amounts are computed here from the published percentages, not copied from a report."""

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from impactkit.menus import resolve_menu

CONTRACT = Decimal(1_000_000)

# (menu, PSO trede, discount on the obligation as published; 1 = exemption)
PUBLISHED_PSO = [
    ("holland-rijnland-leiden", "1", "0.25"), ("holland-rijnland-leiden", "2", "0.50"),
    ("holland-rijnland-leiden", "3", "0.75"), ("holland-rijnland-leiden", "30+", "0.75"),  # "trede 3 (or PSO 30+)"
    ("oost-nederland@V05-2023-04", "1", "0.10"), ("oost-nederland@V05-2023-04", "2", "0.25"),
    ("oost-nederland@V05-2023-04", "3", "0.50"), ("oost-nederland@V05-2023-04", "30+", "1"),
    ("oost-nederland@2026", "1", "0.10"), ("oost-nederland@2026", "2", "0.25"),
    ("oost-nederland@2026", "3", "0.50"), ("oost-nederland@2026", "30+", "1"),
    ("provincie-noord-holland", "1", "0.10"), ("provincie-noord-holland", "2", "0.25"),
    ("provincie-noord-holland", "3", "0.50"), ("provincie-noord-holland", "30+", "1"),
    ("noordoost-brabant", "2", "1"), ("noordoost-brabant", "3", "1"), ("noordoost-brabant", "30+", "1"),
    ("west-friesland", "2", "1"), ("west-friesland", "3", "1"),
]

# (menu, invoice block, supplier's PSO trede, share of the invoice that counts)
PUBLISHED_PURCHASES = [
    ("noordoost-brabant", "pso_inkoop", "1", "0.10"), ("noordoost-brabant", "pso_inkoop", "2", "0.20"),
    ("noordoost-brabant", "pso_inkoop", "3", "0.30"), ("noordoost-brabant", "pso_inkoop", "30+", "1"),
    ("oost-nederland@V05-2023-04", "pso_inkoop", "1", "0.10"), ("oost-nederland@V05-2023-04", "pso_inkoop", "2", "0.20"),
    ("oost-nederland@V05-2023-04", "pso_inkoop", "3", "0.30"),
    ("oost-nederland@2026", "pso_inkoop", "1", "0.10"), ("oost-nederland@2026", "pso_inkoop", "2", "0.20"),
    ("oost-nederland@2026", "pso_inkoop", "3", "0.30"),
]

# (menu, category, its blocks, max share of the obligation as published)
PUBLISHED_SHARE_CAPS = [
    ("rijnmond", "social_investment", ["sociaal_investeren"], "0.25"),
    ("rijnmond", "open_fulfilment", ["open_invulling"], "0.10"),
    ("rijnmond-mvs", "social_investment", ["sociaal_investeren"], "0.25"),
    ("rijnmond-mvs", "maatwerk", ["maatwerk"], "0.10"),
    ("oost-nederland@2026", "pso_purchases", ["pso_inkoop"], "0.50"),
]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _obligation(invoke, *args) -> dict:
    result = invoke("obligation", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["obligation"]


@pytest.mark.parametrize("ref, trede, pct", PUBLISHED_PSO)
def test_pso_discount_per_trede(invoke, ref, trede, pct):
    menu = resolve_menu(ref).menu
    assert menu.obligation.pso_discount_by_trede[trede] == Decimal(pct)
    # the figure is traced to its (secondary) source
    assert menu.obligation_source("pso_discount_by_trede").status == "secondary"
    ob = _obligation(invoke, "-m", ref, "-v", CONTRACT, "--pso-trede", trede)
    gross = _cents(CONTRACT * menu.obligation.rate)
    assert ob["pso_trede"] == trede and Decimal(ob["pso_discount"]) == Decimal(pct)
    assert Decimal(ob["amount"]) == gross - _cents(gross * Decimal(pct))


@pytest.mark.parametrize("ref, trede", [("noordoost-brabant", "1"), ("west-friesland", "1"), ("west-friesland", "30+")])
def test_a_trede_the_source_gives_no_discount_for_keeps_the_obligation(invoke, ref, trede):
    assert trede not in resolve_menu(ref).menu.obligation.pso_discount_by_trede
    ob = _obligation(invoke, "-m", ref, "-v", CONTRACT, "--pso-trede", trede)
    assert Decimal(ob["amount"]) == _cents(CONTRACT * resolve_menu(ref).menu.obligation.rate)


def _check(invoke, tender_file, menu, contributions, contract=CONTRACT):
    path = tender_file(contributions, menu=menu, contract_value=int(contract))
    result = invoke("check", path, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["bids"][0]


@pytest.mark.parametrize("ref, block_id, trede, share", PUBLISHED_PURCHASES)
def test_purchases_count_by_the_suppliers_trede(invoke, tender_file, ref, block_id, trede, share):
    block = resolve_menu(ref).menu.block(block_id)
    assert block.unit == "invoice" and block.factor_by_trede[trede] == Decimal(share)
    bid = _check(invoke, tender_file, ref, [{"block": block_id, "amount": 10000, "supplier_pso_trede": trede}])
    assert Decimal(bid["lines"][0]["credit"]) == _cents(Decimal(10000) * Decimal(share))


def test_a_purchase_without_the_suppliers_trede_is_refused_with_its_line(invoke, tender_file):
    path = tender_file([{"block": "pso_inkoop", "amount": 10000}], menu="noordoost-brabant")
    result = invoke("check", path)
    assert result.exit_code == 4 and "supplier_pso_trede" in result.stderr


@pytest.mark.parametrize("ref, category, blocks, share", PUBLISHED_SHARE_CAPS)
def test_caps_on_shares_of_the_obligation(invoke, tender_file, ref, category, blocks, share):
    menu = resolve_menu(ref).menu
    cap = next(c for c in menu.share_caps if c.category == category)
    assert cap.max_share == Decimal(share) and menu.source(cap.source).status == "secondary"
    assert {b.id for b in menu.blocks if b.category == category} == set(blocks)
    obligation = _cents(CONTRACT * menu.obligation.rate)
    limit = _cents(obligation * Decimal(share))
    line = {"block": blocks[0], "amount": int(limit) + 5000}
    if menu.block(blocks[0]).factor_by_trede:  # a purchase: worth its invoice times the trede's share
        line = {"block": blocks[0], "amount": int(limit * 20), "supplier_pso_trede": "1"}
    bid = _check(invoke, tender_file, ref, [line])
    worth = Decimal(bid["lines"][0]["credit"])
    assert worth > limit and Decimal(bid["credited"]) == limit  # the line keeps its worth, the bid counts the cap
    capped = next(c for c in bid["share_caps"] if c["category"] == category)
    assert Decimal(capped["cap"]) == limit and Decimal(capped["not_counted"]) == worth - limit


def test_caps_of_two_categories_hold_each_on_its_own(invoke, tender_file):
    menu = resolve_menu("rijnmond").menu
    obligation = _cents(Decimal(400000) * menu.obligation.rate)
    lines = [{"block": "sociaal_investeren", "amount": 8000}, {"block": "open_invulling", "amount": 3000},
             {"block": "mvo_uren", "hours": 10}]
    bid = _check(invoke, tender_file, "rijnmond", lines, contract=400000)
    expected = (min(Decimal(8000), obligation * Decimal("0.25")) + min(Decimal(3000), obligation * Decimal("0.10"))
                + 10 * menu.block("mvo_uren").value)
    assert Decimal(bid["credited"]) == expected


@pytest.mark.parametrize("kind, threshold", [("works", 250000), ("services", 100000), ("supplies", 100000)])
def test_the_friese_eis_thresholds_per_kind(invoke, kind, threshold):
    menu = resolve_menu("fryslan").menu
    assert menu.obligation.threshold_by_kind[kind] == threshold
    assert menu.obligation_source("threshold_by_kind").url.startswith("http://www.dwaande.nl/")
    below = _obligation(invoke, "-m", "fryslan", "-v", threshold - 1, "--kind", kind)
    at = _obligation(invoke, "-m", "fryslan", "-v", threshold, "--kind", kind)  # "vanaf": the threshold itself counts
    assert below["below_threshold"] is True and Decimal(below["amount"]) == 0
    assert Decimal(at["amount"]) == _cents(Decimal(threshold) * menu.obligation.rate)
    # without a kind, Súdwest-Fryslân's rule (no threshold) applies
    assert Decimal(_obligation(invoke, "-m", "fryslan", "-v", 1000)["amount"]) == _cents(1000 * menu.obligation.rate)


def test_rijnmond_penalty_rate_as_published():
    menu = resolve_menu("rijnmond").menu
    assert menu.obligation.penalty_rate == Decimal("1.25")
    assert menu.obligation_source("penalty_rate").status == "secondary"
    assert resolve_menu("rijnmond-mvs").menu.obligation.penalty_rate is None  # the MVS variant states none


def test_rows_now_computed_are_no_longer_listed_as_pending():
    for ref in ("rijnmond", "rijnmond-mvs", "noordoost-brabant", "oost-nederland@2026", "provincie-noord-holland",
                "west-friesland"):
        needs = {row.needs for row in resolve_menu(ref).menu.not_encoded}
        assert not needs & {"pso_trede", "share_cap", "penalty", "threshold_by_kind"}, ref


def test_an_obligation_source_must_name_a_set_field_and_a_known_source(write):
    from impactkit.errors import InvalidInputError
    from impactkit.menus import load_menu_file

    text = """
    schema: 1
    id: mine
    version: "1"
    name: Mine
    valid_from: unknown
    status: complete
    sources: [{id: src, url: "https://example.org/x", title: T}]
    hours_basis: 36
    obligation: {rate: "0.05", source: src}
    obligation_sources: {pso_discount_by_trede: src, colour: src, threshold: elsewhere}
    blocks: [{id: nug, label: {nl: a, en: b}, unit: per_year, value: 1000, source: src}]
    """
    with pytest.raises(InvalidInputError) as err:
        load_menu_file(write("m.yaml", text))
    found = {(p.field, p.key) for p in err.value.problems}
    assert found == {("pso_discount_by_trede", "ref_rule_field_unset"), ("colour", "ref_rule_field_unknown"),
                     ("threshold", "ref_rule_field_unset"), ("threshold", "ref_source_unknown")}
