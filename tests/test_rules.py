"""The rules of sroi.md sections 3 and 4 that were sharpened: the threshold on the contract value,
the base each bid is measured on, one-off bonuses once per candidate, PSO per trede, share caps,
thresholds per kind of contract, BSN-like references, lines without a candidate, identical lines,
and the explanation texts in both languages."""

from decimal import Decimal

import pytest

from impactkit.engine import evaluate_tender
from impactkit.errors import ExitCode, InvalidInputError
from impactkit.i18n import Translator
from impactkit.io.tender_file import load_tender
from impactkit.model.facts import looks_like_bsn

D = Decimal

USER_MENU = """
schema: 1
id: proef-regio
version: "1"
name: Proefregio
valid_from: 2025-01-01
status: complete
sources: [{id: s, url: "https://example.org/bouwblokken", title: Tabel}]
hours_basis: 36
obligation:
  rate: 0.05
  source: s
  threshold_by_kind: {works: 250000, services: 100000}
  pso_discount_by_trede: {1: 0.25, 2: 0.5, 3: 0.75, 30+: 1}
bonuses:
  - {id: vast, label: {nl: Vast contract, en: Permanent contract}, value: 10000, one_off: true,
     when: {flag: permanent_contract}, source: s}
share_caps:
  - {category: maatwerk, max_share: 0.25, source: s}
blocks:
  - {id: participatiewet, label: {nl: P-wet, en: P-wet}, unit: per_year, value: 40000, cap_months: 24,
     bonuses: [vast], source: s}
  - {id: pso_inkoop, label: {nl: Inkoop PSO, en: PSO purchases}, unit: invoice,
     factor_by_trede: {1: 0.1, 2: 0.2, 3: 0.3, 30+: 1}, source: s}
  - {id: maatwerk, label: {nl: Maatwerk, en: Custom}, unit: by_agreement, category: maatwerk, source: s}
"""


@pytest.fixture
def user_menu(write):
    return write("proef.yaml", USER_MENU)


def check(tender_file, **kwargs):
    return evaluate_tender(*load_tender(tender_file(**kwargs)))


def test_the_threshold_tests_the_contract_value_not_a_lower_bid_price(tender_file):
    # Den Haag: from 215,000. The contract is 300,000: in scope, so a bid priced 200,000 still owes 5% of it
    result = check(tender_file, bids=[{"bidder": "Laag", "contract_value": 200000}], contract_value=300000)
    ob = result.bids[0].obligation
    assert not ob.below_threshold and ob.amount == D("10000.00")
    assert ob.base_source == "bid_price" and ob.scope_value == D("300000.00")
    # a contract under the threshold is out of scope whatever a bid's price
    result = check(tender_file, bids=[{"bidder": "Hoog", "contract_value": 300000}], contract_value=200000,
                   name="small.yaml")
    assert result.bids[0].obligation.below_threshold and result.bids[0].obligation.amount == 0


def test_one_off_bonus_counts_once_per_candidate_and_block(tender_file, user_menu):
    lines = [{"block": "participatiewet", "candidate": "K-1", "hours_per_week": 36, "months": 6,
              "permanent_contract": True} for _ in range(3)]
    lines.append({"block": "participatiewet", "candidate": "K-2", "hours_per_week": 36, "months": 6,
                  "permanent_contract": True})
    bid = check(tender_file, contributions=lines, menu=str(user_menu)).bids[0]
    # 20,000 for half a year each; the 10,000 one-off once for K-1 (first line) and once for K-2
    assert [line.credit for line in bid.lines] == [D("30000.00"), D("20000.00"), D("20000.00"), D("30000.00")]
    assert bid.lines[1].value.parts[1].repeat
    assert "already counted" in bid.lines[1].explanation(Translator("en"))


def test_pso_discount_per_trede_is_named_in_the_report(tender_file, user_menu):
    bids = [{"bidder": f"T{t}", "pso_trede": t} for t in (1, 2, "3", "30+")] + [{"bidder": "Geen"}]
    result = check(tender_file, bids=bids, menu=str(user_menu), kind="services", contract_value=400000)
    amounts = [b.obligation.amount for b in result.bids]
    assert amounts == [D("15000.00"), D("10000.00"), D("5000.00"), D("0.00"), D("20000.00")]
    tr = Translator("en")
    from impactkit.rules.explain import explain_obligation

    assert "PSO trede 2: discount 50% = -€10,000.00" in explain_obligation(result.bids[1].obligation, tr)


def test_a_pso_claim_is_never_silently_ignored(tender_file):
    # Haaglanden states no PSO percentage: the report says so
    bid = check(tender_file, bids=[{"bidder": "PSO", "pso_trede": 2}]).bids[0]
    assert bid.obligation.discount == 0
    assert [k for k, _ in bid.notes] == ["note_pso_trede_unknown"]


def test_the_threshold_per_kind_of_contract(tender_file, user_menu):
    works = check(tender_file, bids=[{"bidder": "A"}], menu=str(user_menu), kind="works", contract_value=200000)
    services = check(tender_file, bids=[{"bidder": "A"}], menu=str(user_menu), kind="services",
                     contract_value=200000, name="s.yaml")
    assert works.bids[0].obligation.below_threshold and works.bids[0].obligation.amount == 0
    assert services.bids[0].obligation.amount == D("10000.00")
    unknown = check(tender_file, bids=[{"bidder": "A"}], menu=str(user_menu), contract_value=200000, name="u.yaml")
    assert "note_threshold_kind" in [k for k, _ in unknown.bids[0].notes]


def test_share_cap_counts_a_category_up_to_its_share(tender_file, user_menu):
    lines = [{"block": "maatwerk", "amount": 4000}, {"block": "maatwerk", "amount": 3000},
             {"block": "participatiewet", "candidate": "K-1", "hours_per_week": 36, "months": 3}]
    bid = check(tender_file, contributions=lines, menu=str(user_menu), kind="services", contract_value=400000).bids[0]
    # obligation 20,000: maatwerk counts at most 25% = 5,000 of its 7,000
    assert bid.obligation.amount == D("20000.00")
    assert bid.credited == D("5000.00") + D("10000.00")
    (cap,) = bid.share_caps
    assert (cap.total, cap.cap, cap.excess) == (D("7000.00"), D("5000.00"), D("2000.00"))
    assert [k for k, _ in bid.notes] == ["note_share_cap"]


def test_purchases_valued_by_the_suppliers_trede(tender_file, user_menu):
    lines = [{"block": "pso_inkoop", "amount": 10000, "supplier_pso_trede": t} for t in ("1", "2", "3", "30+")]
    bid = check(tender_file, contributions=lines, menu=str(user_menu)).bids[0]
    assert [line.credit for line in bid.lines] == [D("1000.00"), D("2000.00"), D("3000.00"), D("10000.00")]
    with pytest.raises(InvalidInputError) as err:
        check(tender_file, contributions=[{"block": "pso_inkoop", "amount": 10000}], menu=str(user_menu),
              name="no-trede.yaml")
    assert err.value.problems[0].field == "supplier_pso_trede"


@pytest.mark.parametrize("reference, bsn", [("111222333", True), ("123456782", True), ("123.456.782", True),
                                            ("123456789", False), ("K-001", False), ("12345678", False)])
def test_bsn_like_references_are_recognised(reference, bsn):
    assert looks_like_bsn(reference) is bsn


def test_a_bsn_as_candidate_is_refused_with_its_line(invoke, tender_file):
    path = tender_file([{"block": "participatiewet", "candidate": "111222333", "hours_per_week": 36, "months": 1}])
    result = invoke("check", path)
    assert result.exit_code == ExitCode.INVALID
    assert "field candidate: looks like a BSN" in result.stderr and "111222333" not in result.stderr.split(":")[-1]


def test_lines_without_candidate_and_identical_lines_are_noted(tender_file):
    lines = [{"block": "ww", "hours_per_week": 36, "months": 10}, {"block": "ww", "hours_per_week": 36, "months": 10},
             {"block": "opleidingskosten", "amount": 450}, {"block": "opleidingskosten", "amount": 450}]
    bid = check(tender_file, contributions=lines).bids[0]
    # each line without a candidate is a person of its own: the 12-month cap does not add up across them
    assert [line.credit for line in bid.lines] == [D("16666.67"), D("16666.67"), D("450.00"), D("450.00")]
    assert [k for k, _ in bid.lines[0].notes] == ["note_no_candidate"]
    assert ("note_identical", {"line": 3}) in bid.lines[3].notes and bid.credited == D("34233.34")


GOLDEN = {
    ("en", "participatiewet", 24, 6, 56): "40,000 × 24/36 × 6/12 = 13,333.333…; cap 24 months; + Bonus aged 55 or "
                                          "over: 10,000 × 24/36 × 6/12 = 3,333.333…; line 16,666.67 (rounded once)",
    ("nl", "participatiewet", 24, 6, 56): "40.000 × 24/36 × 6/12 = 13.333,333…; maximaal 24 maanden; + Bonus "
                                          "55-plusser: 10.000 × 24/36 × 6/12 = 3.333,333…; regel 16.666,67 (één keer "
                                          "afgerond)",
    ("en", "ww", 40, 18, None): "20,000 × 36/36 × 12/12 = 20,000.00; 40 hours a week counts as 36; 18 months "
                                "worked, 12 counted (cap 12 months)",
    ("nl", "ww", 40, 18, None): "20.000 × 36/36 × 12/12 = 20.000,00; 40 uur per week telt als 36; 18 maanden "
                                "gewerkt, 12 geteld (maximaal 12 maanden)",
}


@pytest.mark.parametrize("key", list(GOLDEN), ids=[f"{k[0]}-{k[1]}" for k in GOLDEN])
def test_golden_explanations(tender_file, key):
    lang, block, hours, months, age = key
    line = {"block": block, "candidate": "K-1", "hours_per_week": hours, "months": months}
    if age:
        line["age"] = age
    bid = check(tender_file, contributions=[line]).bids[0]
    assert bid.lines[0].explanation(Translator(lang)) == GOLDEN[key]


def test_certified_without_a_trede_is_asked_for_the_trede(invoke):
    # Leiden states a discount per trede only: a certified contractor must say which trede
    result = invoke("obligation", "--menu", "holland-rijnland-leiden", "--value", "800000", "--pso")
    assert result.exit_code == 0
    assert "depends on the PSO trede" in result.stdout.replace("\n", " ") and "€40,000.00" in result.stdout


def test_score_says_the_pso_trede_behind_an_obligation(invoke, tmp_path):
    import json

    path = tmp_path / "pso.csv"
    path.write_text("Aanbesteding;Menu;Opdrachtwaarde;Inschrijver;PSO trede;Bouwblok;Kandidaat;Uren per week;Maanden\n"
                    "L1;holland-rijnland-leiden;800000;P BV;2;participatiewet;A;36;6\n", encoding="utf-8")
    terminal = invoke("score", path)
    assert "PSO trede 2: discount 50%" in terminal.stdout.replace("\n", " ")
    (bid,) = json.loads(invoke("score", path, "--json").stdout)["bids"]
    detail = bid["obligation_detail"]
    assert (detail["pso"], detail["pso_trede"], detail["discount"], bid["obligation"]) == ("trede", "2", "20000.00",
                                                                                           "20000.00")
