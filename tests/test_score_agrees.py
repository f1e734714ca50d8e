"""`impactkit score` gives exactly the numbers and words of `impactkit check`."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactkit.batch.score import score
from impactkit.engine import evaluate_tender
from impactkit.i18n import Translator
from impactkit.menus import shipped_menus
from impactkit.model.menu import REQUIRED_FACTS
from impactkit.rules.explain import explain_line
from impactkit.io.sheets.read import read_input
from impactkit.model.tender import Bid, Contribution, TenderFile, TenderInfo

from .batchfiles import tender_rows, write_xlsx

MENUS = shipped_menus()
two = lambda lo, hi: st.decimals(min_value=lo, max_value=hi, places=2)  # noqa: E731


@st.composite
def contributions(draw, menu):
    block = draw(st.sampled_from(menu.blocks))
    target = menu.resolve(block.id)
    facts = {
        "hours_per_week": draw(two(0, 60)),
        "months": draw(two(0, 120)),
        "hours": draw(two(0, 5000)),
        "days": draw(two(0, 300)),
        "amount": draw(two(0, 200000)),
    }
    data = {name: facts[name] for name in REQUIRED_FACTS[target.unit]}
    if target.factor_by_trede:  # a purchase valued by the supplier's PSO trede needs the trede
        data["supplier_pso_trede"] = draw(st.sampled_from(sorted(target.factor_by_trede)))
    if draw(st.booleans()):  # sometimes a fact the unit does not use
        extra = draw(st.sampled_from(sorted(facts)))
        data.setdefault(extra, facts[extra])
    return Contribution(
        block=block.id,
        candidate=draw(st.sampled_from([None, "K-1", "K-2"])),
        age=draw(st.one_of(st.none(), st.integers(15, 100))),
        permanent_contract=draw(st.booleans()),
        statushouder=draw(st.booleans()),
        work_limitation=draw(st.booleans()),
        hired_after_internship=draw(st.booleans()),
        **data,
    )


@st.composite
def tenders(draw):
    menu = draw(st.sampled_from(MENUS))
    bids = []
    for i in range(draw(st.integers(1, 3))):
        rows = draw(st.lists(contributions(menu), min_size=1, max_size=6))
        price = draw(st.one_of(st.none(), two(0, 3_000_000)))
        bids.append(Bid(bidder=f"Bieder {i}", contract_value=price, contributions=tuple(rows)))
    info = TenderInfo(id="T-1", menu=menu.ref, contract_value=draw(two(0, 5_000_000)))
    return TenderFile(tender=info, bids=tuple(bids))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tenders(), st.booleans(), st.sampled_from(["en", "nl"]))
def test_score_and_check_agree(tmp_path_factory, tender_file, as_text, lang):
    tr = Translator(lang)
    folder = tmp_path_factory.mktemp("agree")
    path = write_xlsx(folder / "bids.xlsx", *tender_rows(tender_file, as_text))
    result = score(read_input([path]), tr)
    expected = evaluate_tender(tender_file)
    assert result.rejections == []
    assert len(result.bids) == len(expected.bids)
    for got, want in zip(result.bids, expected.bids):
        assert got.bidder == want.bidder
        assert got.obligation == want.obligation
        assert got.credited == want.credited
    want_lines = [(b.bidder, line) for b in expected.bids for line in b.lines]
    assert len(result.lines) == len(want_lines)
    for (_, line), credit, text in zip(want_lines, result.lines["credit"], result.explain()["explanation"]):
        assert Decimal(int(credit)) / 100 == line.credit
        identical = [n for n in line.notes if n[0] == "note_identical"]
        if not identical:
            assert text == line.explanation(tr)
        else:  # check numbers the bid's lines, score names the sheet row of the identical one
            other = [n for n in line.notes if n[0] != "note_identical"]
            assert text.startswith(explain_line(line.value, other, tr, line.candidate))
