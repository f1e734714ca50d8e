"""The ledger: registering a contract, importing realisations, reviewing claims, the status
and the portfolio. Credits are recomputed here by the engine from the stored facts."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from impactkit.rules.terms import ObligationTerms
from impactkit.engine.stack import evaluate_bid, evaluate_tender, tender_terms
from impactkit.errors import InvalidInputError, Problem, UnknownReferenceError
from impactkit.menus import Menu, load_menu_text
from impactkit.menus.registry import shipped_text
from impactkit.money import ZERO, cents
from impactkit.monitor.store import Store
from impactkit.io.tender_file import load_tender
from impactkit.model.tender import Bid, Contribution, TenderFile, TenderInfo

FACTS = ("hours_per_week", "months", "hours", "days", "amount", "age", "permanent_contract", "statushouder",
         "work_limitation", "hired_after_internship")


def facts_of(c: Contribution) -> dict:
    out = {}
    for name in FACTS:
        value = getattr(c, name)
        if value is None or value is False:
            continue
        out[name] = str(value) if isinstance(value, Decimal) else value
    return out


def fingerprint(contract_id: str, kind: str, period: str | None, c: Contribution) -> str:
    key = json.dumps([contract_id, kind, period, c.block, c.candidate, facts_of(c)], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@dataclass
class Contract:
    id: str
    bidder: str
    title: str | None
    buyer: str | None
    menu: Menu
    terms: dict
    base_amount: Decimal
    obligation: Decimal
    start: date
    end: date

    def tender_file(self) -> TenderFile:
        info = TenderInfo(id=self.id, menu=self.menu.ref, contract_value=self.base_amount, **self.terms)
        return TenderFile(tender=info, bids=())


def register(store: Store, tender_path: Path, bidder: str, start: date, end: date) -> Contract:
    """Register an awarded contract: obligation, menu version and the accepted plan."""
    tender_file, lines = load_tender(tender_path)
    result = evaluate_tender(tender_file, lines)
    bids = [b for b in result.bids if b.bidder == bidder]
    if not bids:
        raise UnknownReferenceError(Problem("monitor_bid_unknown", {"bidder": bidder, "known": ", ".join(
            b.bidder for b in result.bids)}, file=str(tender_path)))
    if end <= start:
        raise InvalidInputError(Problem("monitor_dates", {"start": start, "end": end}))
    bid = bids[0]
    source_bid = next(b for b in tender_file.bids if b.bidder == bidder)
    menu = result.menu
    menu_yaml = shipped_text(menu) if result.choice.origin == "shipped" else Path(result.choice.origin).read_text(
        encoding="utf-8")
    t = tender_file.tender
    terms = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in {
        "rate": t.rate, "threshold": t.threshold, "threshold_inclusive": t.threshold_inclusive, "cap": t.cap,
        "pso_discount": t.pso_discount, "hours_basis": t.hours_basis, "base": t.base}.items() if v is not None}
    contract = Contract(t.id, bidder, t.title, t.buyer, menu, terms, bid.obligation.base, bid.obligation.amount,
                        start, end)
    with store.transaction() as db:
        if db.execute("SELECT 1 FROM contracts WHERE id = ?", (t.id,)).fetchone():
            raise InvalidInputError(Problem("monitor_contract_exists", {"id": t.id}))
        db.execute(
            "INSERT INTO contracts (id, bidder, title, buyer, menu_ref, menu_yaml, terms, base_amount, obligation,"
            " start_date, end_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, date('now'))",
            (t.id, bidder, t.title, t.buyer, menu.ref, menu_yaml, json.dumps(terms), str(contract.base_amount),
             str(contract.obligation), start.isoformat(), end.isoformat()))
        for c in source_bid.contributions:
            _insert(db, t.id, "planned", None, c, "planned", None, f"{tender_path.name}")
        store.audit("init", {"contract": t.id, "bidder": bidder, "obligation": str(contract.obligation),
                             "menu": menu.ref, "planned_lines": len(source_bid.contributions)})
    return contract


def _insert(db, contract_id, kind, period, c: Contribution, status, evidence, source) -> bool:
    cur = db.execute(
        "INSERT OR IGNORE INTO lines (contract_id, kind, period, block, candidate, facts, status, evidence, source,"
        " fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (contract_id, kind, period, c.block, c.candidate, json.dumps(facts_of(c)), status, evidence, source,
         fingerprint(contract_id, kind, period, c)))
    return cur.rowcount == 1


def load_contract(store: Store, contract_id: str) -> Contract:
    row = store.db.execute("SELECT * FROM contracts WHERE id = ?", (contract_id,)).fetchone()
    if row is None:
        known = [r[0] for r in store.db.execute("SELECT id FROM contracts ORDER BY id LIMIT 20")]
        raise UnknownReferenceError(Problem("monitor_contract_unknown", {"id": contract_id,
                                                                         "known": ", ".join(known) or "-"}))
    return _contract(row)


_MENUS: dict[str, Menu] = {}


def _contract(row) -> Contract:
    key = hashlib.sha256(row["menu_yaml"].encode()).hexdigest()
    if key not in _MENUS:
        _MENUS[key] = load_menu_text(row["menu_yaml"], f"menu of {row['id']}")
    terms = json.loads(row["terms"])
    return Contract(row["id"], row["bidder"], row["title"], row["buyer"], _MENUS[key], terms,
                    Decimal(row["base_amount"]), Decimal(row["obligation"]), date.fromisoformat(row["start_date"]),
                    date.fromisoformat(row["end_date"]))


def contribution(row) -> Contribution:
    return Contribution(block=row["block"], candidate=row["candidate"], **json.loads(row["facts"]))


@dataclass
class PeriodStatus:
    period: str
    accepted: Decimal = ZERO
    claimed: Decimal = ZERO
    rejected: Decimal = ZERO


@dataclass
class Status:
    contract: Contract
    planned: Decimal
    accepted: Decimal
    claimed: Decimal
    periods: list[PeriodStatus] = field(default_factory=list)
    on: date = field(default_factory=date.today)

    @property
    def elapsed(self) -> Decimal:
        total = (self.contract.end - self.contract.start).days
        done = min(max((self.on - self.contract.start).days, 0), total)
        return Decimal(done) / Decimal(total)

    @property
    def planned_to_date(self) -> Decimal:
        """The plan spread evenly over the contract's time: what should be realised by now."""
        return cents(self.planned * self.elapsed)

    @property
    def projected(self) -> Decimal | None:
        """Accepted value at the end date if the pace so far continues."""
        if self.elapsed == 0:
            return None
        return cents(self.accepted / self.elapsed)

    @property
    def withheld_if_ended(self) -> Decimal:
        """The shortfall rule: the unrealised part of the obligation is withheld."""
        return max(ZERO, self.contract.obligation - self.accepted)

    @property
    def risk(self) -> str:
        if self.accepted >= self.contract.obligation:
            return "met"
        projected = self.projected
        if projected is None:
            return "not_started"
        if projected >= self.contract.obligation:
            return "on_track"
        if projected >= self.contract.obligation * Decimal("0.8"):
            return "at_risk"
        return "high_risk"


def _credits(contract: Contract, rows) -> list[Decimal]:
    """Credit of each line, in order, with counting caps across the contract's lines."""
    rows = list(rows)
    live = [r for r in rows if r["frozen_credit"] is None]
    contributions = tuple(contribution(r) for r in live)
    tender_file = contract.tender_file()
    terms: ObligationTerms = tender_terms(tender_file, contract.menu)
    result = evaluate_bid(Bid(bidder=contract.bidder, contributions=contributions), tender_file, contract.menu, terms)
    credits = iter(line.credit for line in result.lines)
    return [Decimal(r["frozen_credit"]) if r["frozen_credit"] is not None else next(credits) for r in rows]


def status(store: Store, contract_id: str, on: date | None = None) -> Status:
    contract = load_contract(store, contract_id)
    return _status(store, contract, on or date.today())


def _status(store: Store, contract: Contract, on: date) -> Status:
    planned_rows = store.db.execute("SELECT * FROM lines WHERE contract_id = ? AND kind = 'planned' ORDER BY id",
                                    (contract.id,)).fetchall()
    planned = sum(_credits(contract, planned_rows), ZERO)
    rows = store.db.execute("SELECT * FROM lines WHERE contract_id = ? AND kind = 'realised' AND status != 'rejected'"
                            " ORDER BY period, id", (contract.id,)).fetchall()
    accepted_rows = [r for r in rows if r["status"] == "accepted"]
    claimed_rows = [r for r in rows if r["status"] == "claimed"]
    periods: dict[str, PeriodStatus] = {}
    accepted = claimed = ZERO
    # one valuation: accepted lines first, then the claims as if accepted after them (caps included)
    both = accepted_rows + claimed_rows
    for n, (r, credit) in enumerate(zip(both, _credits(contract, both))):
        period = periods.setdefault(r["period"], PeriodStatus(r["period"]))
        if n < len(accepted_rows):
            period.accepted += credit
            accepted += credit
        else:
            period.claimed += credit
            claimed += credit
    return Status(contract, planned, accepted, claimed, [periods[p] for p in sorted(periods)], on)


def portfolio(store: Store, on: date | None = None) -> list[Status]:
    rows = store.db.execute("SELECT * FROM contracts ORDER BY end_date, id").fetchall()
    return [_status(store, _contract(row), on or date.today()) for row in rows]


def claimed_lines(store: Store, contract_id: str | None = None) -> list:
    sql = "SELECT * FROM lines WHERE kind = 'realised' AND status = 'claimed'"
    params: tuple = ()
    if contract_id:
        sql += " AND contract_id = ?"
        params = (contract_id,)
    return store.db.execute(sql + " ORDER BY contract_id, period, id", params).fetchall()


def review(store: Store, decisions: dict[int, str]) -> int:
    """Accept or reject claimed lines by id, in one transaction."""
    with store.transaction() as db:
        for line_id, decision in decisions.items():
            row = db.execute("SELECT status FROM lines WHERE id = ? AND kind = 'realised'", (line_id,)).fetchone()
            if row is None:
                raise UnknownReferenceError(Problem("monitor_line_unknown", {"id": line_id}))
            db.execute("UPDATE lines SET status = ? WHERE id = ?", (decision, line_id))
            store.audit("review", {"line": line_id, "from": row["status"], "to": decision})
    return len(decisions)


def forget(store: Store, candidate: str) -> int:
    """Remove a candidate's reference and age; accepted credit is kept as a frozen amount."""
    with store.transaction() as db:
        rows = db.execute("SELECT DISTINCT contract_id FROM lines WHERE candidate = ?", (candidate,)).fetchall()
        changed = 0
        for (contract_id,) in rows:
            contract = load_contract(store, contract_id)
            all_rows = db.execute("SELECT * FROM lines WHERE contract_id = ? AND kind = 'realised' AND status = "
                                  "'accepted' ORDER BY period, id", (contract_id,)).fetchall()
            for r, credit in zip(all_rows, _credits(contract, all_rows)):
                if r["candidate"] == candidate and r["frozen_credit"] is None:
                    db.execute("UPDATE lines SET frozen_credit = ? WHERE id = ?", (str(credit), r["id"]))
            token = "forgotten-" + secrets.token_hex(4)
            for r in db.execute("SELECT id, facts FROM lines WHERE contract_id = ? AND candidate = ?",
                                (contract_id, candidate)).fetchall():
                facts = json.loads(r["facts"])
                facts.pop("age", None)
                db.execute("UPDATE lines SET candidate = ?, facts = ? WHERE id = ?", (token, json.dumps(facts), r["id"]))
                changed += 1
        store.audit("forget", {"lines": changed})  # the reference itself is not logged
    return changed


def import_file(store: Store, path: Path) -> tuple[int, int]:
    """Add the realisations of a file in one transaction: all rows or none. Returns (new, known)."""
    from impactkit.monitor.importer import read_realisations

    contracts = {row["id"]: _contract(row) for row in store.db.execute("SELECT * FROM contracts")}
    realisations = read_realisations(path, contracts)
    new = 0
    with store.transaction() as db:
        for r in realisations:
            new += _insert(db, r.contract, "realised", r.period, r.contribution, r.status, r.evidence,
                           f"{r.source}:{r.row}")
        store.audit("import", {"file": Path(path).name, "rows": len(realisations), "new": new,
                               "already_imported": len(realisations) - new})
    return new, len(realisations) - new
