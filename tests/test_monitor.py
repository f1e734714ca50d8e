"""`impactkit monitor` on both backends: the life of a contract, the ledger rule (a row is a row; the
same file or the same line id adds nothing), imports that are all or nothing, review conflicts,
crashes and forgetting a candidate."""

from datetime import date
from decimal import Decimal

import pytest
import yaml

from impactkit.engine import evaluate_tender
from impactkit.engine.stack import evaluate_bid, tender_terms
from impactkit.errors import InvalidInputError, UnknownReferenceError
from impactkit.io.tender_file import load_tender
from impactkit.model.tender import Bid, Contribution
from impactkit.monitor import ledger
from impactkit.monitor.forget import forget
from impactkit.monitor.imports import import_file
from impactkit.monitor.review import claimed_lines, review
from impactkit.monitor.store import open_store

from .conftest import EXAMPLES
from .monitor_backends import spec  # noqa: F401  (fixture)

HEADER = "contract,periode,bouwblok,kandidaat,uren_per_week,maanden,bedrag,leeftijd,status,bewijs\n"


@pytest.fixture
def store(spec):  # noqa: F811
    s = open_store(spec, command="test")
    ledger.register(s, EXAMPLES / "tender.yaml", "Aannemer A", date(2024, 1, 1), date(2025, 12, 31))
    yield s
    s.close()


def write(tmp_path, name, rows, header=HEADER):
    path = tmp_path / name
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def claimed_ids(store):
    return [c.row["id"] for c in claimed_lines(store)]


def count(store, where="kind = 'realised'"):
    return store.one(f"SELECT count(*) AS n FROM lines WHERE {where}")["n"]


def credited(contract, *contributions):
    """The engine's value of these contributions as one bid under the contract's menu and terms."""
    terms = tender_terms(contract.tender_file(), contract.menu)
    bid = Bid(bidder="A", contributions=contributions)
    return evaluate_bid(bid, contract.tender_file(), contract.menu, terms).credited


def test_the_life_of_a_contract(store, tmp_path):
    obligation = ledger.load_contract(store, "GEM-2024-017").obligation
    assert obligation == Decimal("24000.00")
    q1 = write(tmp_path, "q1.csv", ["GEM-2024-017,2024-Q1,participatiewet,K-001,24,3,,56,ingediend,loonstrook",
                                    "GEM-2024-017,2024-Q1,ww,K-009,36,3,,,ingediend,"])
    assert import_file(store, q1).new == 2
    first, second = claimed_ids(store)
    review(store, {first: "accepted", second: "rejected"})
    q2 = write(tmp_path, "q2.csv", ["GEM-2024-017,2024-Q2,participatiewet,K-001,24,3,,56,ingediend,loonstrook"])
    import_file(store, q2)
    review(store, {i: "accepted" for i in claimed_ids(store)})
    q3 = tmp_path / "q3.yaml"
    q3.write_text("realisations:\n  - {contract: GEM-2024-017, period: 2024-Q3, block: participatiewet, "
                  "candidate: K-001, hours_per_week: 24, months: 3, age: 56}\n", encoding="utf-8")
    import_file(store, q3)

    mid = ledger.status(store, "GEM-2024-017", date(2024, 10, 1))
    assert [p.period for p in mid.periods] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    # the same valuation as check: the contract's lines as one bid (caps and one-off bonuses over its life)
    contract = ledger.load_contract(store, "GEM-2024-017")
    quarter = Contribution(block="participatiewet", candidate="K-001", hours_per_week=24, months=3, age=56)
    assert mid.accepted == credited(contract, quarter, quarter)
    assert mid.claimed == credited(contract, quarter, quarter, quarter) - credited(contract, quarter, quarter)
    tender_file, _ = load_tender(EXAMPLES / "tender.yaml")
    plan = next(b for b in evaluate_tender(tender_file).bids if b.bidder == "Aannemer A")
    assert mid.planned == plan.credited
    assert mid.projected == (mid.accepted / mid.elapsed).quantize(Decimal("0.01"))
    assert mid.projected > obligation and mid.risk == "on_track"
    assert mid.planned_to_date == (mid.planned * mid.elapsed).quantize(Decimal("0.01"))
    late = ledger.status(store, "GEM-2024-017", date(2025, 6, 30))
    assert late.projected < obligation and late.risk == "at_risk"
    last_day = ledger.status(store, "GEM-2024-017", date(2025, 12, 31))
    assert last_day.elapsed < 1  # the end date is the contract's last day: on it, that day has yet to pass
    final = ledger.status(store, "GEM-2024-017", date(2026, 1, 1))
    assert final.elapsed == 1 and final.risk in ("at_risk", "high_risk")
    assert final.withheld_if_ended == obligation - mid.accepted
    # the audit log says who did what with which command
    actions = [r["action"] for r in store.query("SELECT action FROM audit ORDER BY id")]
    assert actions[0] == "init" and actions.count("import") == 3 and "review" in actions
    users = store.query("SELECT DISTINCT os_user, db_user, command FROM audit")
    assert {r["command"] for r in users} == {"test"} and all(r["os_user"] for r in users)
    assert all(r["db_user"] for r in users) == (store.dialect == "postgresql")


def test_two_equal_invoices_are_two_lines_and_noted(store, tmp_path):
    invoice = "GEM-2024-017,2024-Q1,opleidingskosten,,,,450,,ingediend,factuur 2024-031"
    path = write(tmp_path, "q1.csv", [invoice, invoice, invoice.replace("2024-031", "2024-032")])
    result = import_file(store, path)
    assert result.new == 3 and result.known == 0
    ids = claimed_ids(store)
    assert result.identical == [ids]  # all three: same period, block and amount (evidence does not count)
    claims = claimed_lines(store)
    assert [c.identical_to for c in claims] == [[ids[1], ids[2]], [ids[0], ids[2]], [ids[0], ids[1]]]
    review(store, {i: "accepted" for i in ids})
    contract = ledger.load_contract(store, "GEM-2024-017")
    amount = Contribution(block="opleidingskosten", amount=450)
    assert ledger.status(store, "GEM-2024-017").accepted == credited(contract, amount, amount, amount)
    assert credited(contract, amount, amount, amount) == 3 * credited(contract, amount) > 0


def test_the_same_file_again_adds_nothing_by_its_bytes(store, tmp_path):
    rows = ["GEM-2024-017,2024-Q1,opleidingskosten,,,,450,,ingediend,"] * 2  # two equal invoices
    path = write(tmp_path, "q1.csv", rows)
    assert import_file(store, path).new == 2
    again = import_file(store, path)
    assert again.new == 0 and again.same_file["file_name"] == "q1.csv" and again.rows == 2
    renamed = tmp_path / "renamed.csv"
    renamed.write_bytes(path.read_bytes())  # the same bytes under another name: the same file
    assert import_file(store, renamed).same_file is not None
    other = write(tmp_path, "q1b.csv", rows + ["GEM-2024-017,2024-Q1,ww,K-2,36,3,,,ingediend,"])
    assert import_file(store, other).new == 3  # another file: every row is a line
    assert count(store) == 5
    digests = [r["digest"] for r in store.query("SELECT digest FROM imports")]
    assert len(digests) == 2 and all(len(d) == 64 for d in digests)


def test_rows_with_a_known_line_id_add_nothing(store, tmp_path):
    header = "regel," + HEADER
    first = write(tmp_path, "a.csv", ["R-1,GEM-2024-017,2024-Q1,opleidingskosten,,,,450,,ingediend,f1",
                                      "R-2,GEM-2024-017,2024-Q1,opleidingskosten,,,,450,,ingediend,f1"], header)
    assert import_file(store, first).new == 2
    # a later file repeats R-2 (the same realisation) and adds R-3
    second = write(tmp_path, "b.csv", ["R-2,GEM-2024-017,2024-Q1,opleidingskosten,,,,450,,ingediend,f1",
                                       "R-3,GEM-2024-017,2024-Q1,opleidingskosten,,,,450,,ingediend,f1"], header)
    result = import_file(store, second)
    assert (result.new, result.known) == (1, 1)
    assert count(store) == 3
    # the same line id with other facts contradicts the ledger: nothing is imported
    third = write(tmp_path, "c.csv", ["R-4,GEM-2024-017,2024-Q2,opleidingskosten,,,,100,,ingediend,f4",
                                      "R-1,GEM-2024-017,2024-Q1,opleidingskosten,,,,999,,ingediend,f1"], header)
    with pytest.raises(InvalidInputError) as err:
        import_file(store, third)
    assert [(p.key, p.line, p.field) for p in err.value.problems] == [("monitor_line_ref_conflict", 3, "line_ref")]
    twice = write(tmp_path, "d.csv", ["R-9,GEM-2024-017,2024-Q2,opleidingskosten,,,,100,,ingediend,",
                                      "R-9,GEM-2024-017,2024-Q2,opleidingskosten,,,,200,,ingediend,"], header)
    with pytest.raises(InvalidInputError) as err:
        import_file(store, twice)
    assert [(p.key, p.line, p.params["row"]) for p in err.value.problems] == [("monitor_line_ref_twice", 3, 2)]
    assert count(store) == 3


def test_init_keeps_every_planned_line(spec, tmp_path):  # noqa: F811
    line = {"block": "participatiewet", "hours_per_week": 36, "months": 12}
    tender = tmp_path / "t.yaml"
    tender.write_text(yaml.safe_dump({"tender": {"id": "T-2", "menu": "haaglanden-zhc", "contract_value": 500000},
                                      "bids": [{"bidder": "B", "contributions": [dict(line), dict(line), dict(line, months=6)]}]}),
                      encoding="utf-8")
    with open_store(spec) as s:
        ledger.register(s, tender, "B", date(2024, 1, 1), date(2024, 12, 31))
        assert count(s, "kind = 'planned'") == 3
        tender_file, _ = load_tender(tender)
        assert ledger.status(s, "T-2").planned == evaluate_tender(tender_file).bids[0].credited


def test_import_is_all_or_nothing_and_lists_every_bad_row(store, tmp_path):
    path = write(tmp_path, "bad.csv", [
        "GEM-2024-017,2024-Q1,participatiewet,K-1,24,3,,,ingediend,",
        "GEM-9999,2024-Q1,participatiewet,K-1,24,3,,,ingediend,",
        "GEM-2024-017,2024-Q5,ww,K-2,36,3,,,ingediend,",
        "GEM-2024-017,2024-Q1,ww,K-2,70,3,,,ingediend,",
        "GEM-2024-017,2024-Q1,ww,K-2,36,,,,ingediend,",
        "GEM-2024-017,2024-Q1,ww,K-2,36,3,,,misschien,",
    ])
    before = count(store, "1 = 1")
    with pytest.raises(InvalidInputError) as err:
        import_file(store, path)
    found = [(p.line, p.field, p.key) for p in err.value.problems]
    assert found == [(3, "contract", "monitor_contract_unknown"), (4, "period", "monitor_period"),
                     (5, "hours_per_week", "value_max"), (6, "months", "fact_missing"),
                     (7, "status", "monitor_status")]
    assert count(store, "1 = 1") == before
    assert store.one("SELECT count(*) AS n FROM imports")["n"] == 0


def test_a_crash_mid_import_leaves_the_ledger_as_it_was(store, tmp_path, monkeypatch):
    path = write(tmp_path, "q1.csv", [f"GEM-2024-017,2024-Q1,ww,K-{i},36,1,,,ingediend," for i in range(5)])
    before = count(store, "1 = 1")
    real = store.insert_many

    def crash(table, columns, rows):
        real(table, columns, rows[:2])
        raise RuntimeError("power failure")

    monkeypatch.setattr(store, "insert_many", crash)
    with pytest.raises(RuntimeError):
        import_file(store, path)
    monkeypatch.undo()
    assert count(store, "1 = 1") == before
    assert import_file(store, path).new == 5  # the failed import left no digest behind either


def test_two_advisers_reviewing_the_same_line_get_a_conflict(store, spec, tmp_path):  # noqa: F811
    import_file(store, write(tmp_path, "q1.csv", ["GEM-2024-017,2024-Q1,ww,K-2,36,3,,,ingediend,"]))
    (line,) = claimed_ids(store)
    with open_store(spec, command="bram") as bram:
        bram.os_user = "bram"
        assert [c.row["id"] for c in claimed_lines(bram)] == [line]  # both see the claim
        store.os_user = "anna"
        review(store, {line: "accepted"})
        with pytest.raises(InvalidInputError) as err:
            review(bram, {line: "rejected"})
    (problem,) = err.value.problems
    assert problem.key == "monitor_review_conflict_accepted" and problem.params["by"].startswith("anna")
    row = store.one("SELECT status, reviewed_by FROM lines WHERE id = ?", (line,))
    assert row["status"] == "accepted" and row["reviewed_by"].startswith("anna")
    with pytest.raises(UnknownReferenceError):
        review(store, {999999: "accepted"})


def test_forget_keeps_the_accepted_credit(store, tmp_path):
    path = write(tmp_path, "q1.csv", ["GEM-2024-017,2024-H1,participatiewet,K-77,24,6,,58,ingediend,loonstrook Jan Jansen",
                                      "GEM-2024-017,2024-Q3,participatiewet,K-77,24,3,,58,ingediend,loonstrook 2"])
    import_file(store, path)
    first, second = claimed_ids(store)
    review(store, {first: "accepted"})
    before = ledger.status(store, "GEM-2024-017", date(2024, 10, 1))
    result = forget(store, "K-77")
    assert (result.lines, result.contracts) == (2, 1)
    rows = store.query("SELECT * FROM lines WHERE kind = 'realised'")
    assert all(r["candidate"] != "K-77" and r["age"] is None and r["evidence"] is None and r["forgotten_on"]
               for r in rows)
    assert len({r["candidate"] for r in rows}) == 1  # still one person for the caps, under a random token
    audit = [dict(r) for r in store.query("SELECT * FROM audit")]
    assert "K-77" not in repr(audit) and audit[-1]["action"] == "forget"
    after = ledger.status(store, "GEM-2024-017", date(2024, 10, 1))
    contract = ledger.load_contract(store, "GEM-2024-017")
    aged = Contribution(block="participatiewet", candidate="K", hours_per_week=24, months=6, age=58)
    assert after.accepted == before.accepted == credited(contract, aged)
    # the claim lost the age bonus it had through the age, nothing else
    plain = Contribution(block="participatiewet", candidate="K", hours_per_week=24, months=3)
    assert after.claimed == credited(contract, aged.model_copy(update={"age": None}), plain) - credited(
        contract, aged.model_copy(update={"age": None}))
    with pytest.raises(UnknownReferenceError):  # no line carries it any more
        forget(store, "K-77")


def test_every_fact_of_a_contribution_has_a_column_and_comes_back_the_same(store, tmp_path):
    from impactkit.model.facts import FLAGS, NUMERIC_FACTS
    from impactkit.monitor.lines import VALUE_COLUMNS, contribution_of, fact_values
    from impactkit.monitor.schema import FACT_COLUMNS

    facts = set(Contribution.model_fields) - {"block", "candidate", "note"}
    assert facts == {*NUMERIC_FACTS, *FLAGS, "supplier_pso_trede"}  # a new fact needs a column and a migration
    assert len(FACT_COLUMNS) == len(facts)
    c = Contribution(block="opleidingskosten", candidate="K-1", hours_per_week="12.34", months=7, hours=3, days=2,
                     amount="1234.56", age=61, permanent_contract=True, work_limitation=True, supplier_pso_trede="2")
    row = (1, "C", "realised", "2024-Q1", "accepted", c.block, c.candidate, *fact_values(c), None)
    assert len(row) == len(VALUE_COLUMNS) and contribution_of(row) == c
    path = write(tmp_path, "t.csv", ["GEM-2024-017,2024-Q1,opleidingskosten,,,,450,,ingediend,,2"],
                 header=HEADER.rstrip("\n") + ",pso_trede_leverancier\n")
    import_file(store, path)
    assert store.one("SELECT supplier_pso_trede FROM lines WHERE kind = 'realised'")["supplier_pso_trede"] == "2"
