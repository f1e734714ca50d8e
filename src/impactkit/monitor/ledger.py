"""The ledger: registering a contract, its status and the portfolio. Credits are never stored: they
are recomputed by the engine from the stored facts, all of a contract's lines as one bid, so the
counting caps and the one-off bonuses hold over the contract's life and monitor, check and score
agree. (Importing, reviewing and forgetting live in imports.py, review.py and forget.py.)"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import cast

import pandas as pd

from impactkit.engine.stack import evaluate_tender
from impactkit.errors import InvalidInputError, Problem, UnknownReferenceError
from impactkit.menus import Menu, load_menu_text
from impactkit.menus.registry import shipped_text
from impactkit.model.names import bidder_key
from impactkit.model.tender import TenderFile, TenderInfo
from impactkit.money import ZERO, cents, to_decimal
from impactkit.monitor.lines import LINE_COLUMNS, VALUE_COLUMNS, fact_values
from impactkit.monitor.periods import last_begun_month, period_key, start_index_sql
from impactkit.monitor.store import Store, now
from impactkit.io.tender_file import load_tender

CONTRACT_COLUMNS = ("id", "bidder", "title", "buyer", "menu_ref", "menu_digest", "terms", "base_amount", "obligation",
                    "start_date", "end_date")


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


@dataclass
class Award:
    """An awarded contract as its tender file gives it, checked, and not yet in a ledger."""

    contract: Contract
    menu_yaml: str  # the menu's full text: a later menu change never alters a running contract
    planned: tuple  # the awarded bid's contributions, every one (identical ones too)


def award(tender_path: Path, bidder: str, start: date, end: date, contract_id: str | None = None) -> Award:
    """The awarded contract from its tender file, checked before any ledger is touched: its dates (the end
    date is the contract's last day, after the first), the bidder (see awarded_bidder), the obligation
    and the plan. Its id is the tender's, or `contract_id` (a second contract from one tender: lots, a
    framework)."""
    if end <= start:
        raise InvalidInputError(Problem("monitor_dates", {"start": start, "end": end}, field="end"))
    tender_file, lines = load_tender(tender_path)
    result = evaluate_tender(tender_file, lines)
    bidder = awarded_bidder([b.bidder for b in result.bids], bidder, str(tender_path))
    bid = next(b for b in result.bids if b.bidder == bidder)
    source_bid = next(b for b in tender_file.bids if b.bidder == bidder)
    menu = result.menu
    menu_yaml = shipped_text(menu) if result.choice.origin == "shipped" else Path(result.choice.origin).read_text(
        encoding="utf-8")
    t = tender_file.tender
    if contract_id is not None:
        t = t.model_copy(update={"id": contract_id})
    terms = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in {
        "rate": t.rate, "threshold": t.threshold, "threshold_inclusive": t.threshold_inclusive, "cap": t.cap,
        "pso_discount": t.pso_discount, "hours_basis": t.hours_basis, "base": t.base}.items() if v is not None}
    contract = Contract(t.id, bidder, t.title, t.buyer, menu, terms, bid.obligation.base, bid.obligation.amount,
                        start, end)
    return Award(contract, menu_yaml, tuple(source_bid.contributions))


def record(store: Store, awarded: Award) -> Contract:
    """Register an awarded contract in the ledger: obligation, menu version and the accepted plan."""
    contract, menu_yaml = awarded.contract, awarded.menu_yaml
    digest = hashlib.sha256(menu_yaml.encode("utf-8")).hexdigest()
    with store.write():
        if store.one("SELECT 1 AS x FROM contracts WHERE id = ?", (contract.id,)):
            raise InvalidInputError(Problem("monitor_contract_exists", {"id": contract.id,
                                                                        "example": f"{contract.id}-2"}))
        if not store.one("SELECT 1 AS x FROM menus WHERE digest = ?", (digest,)):
            store.execute("INSERT INTO menus (digest, ref, yaml) VALUES (?, ?, ?)",
                          (digest, contract.menu.ref, menu_yaml))
        store.execute(
            f"INSERT INTO contracts ({', '.join(CONTRACT_COLUMNS)}, created_at) VALUES ({', '.join('?' * 12)})",
            (contract.id, contract.bidder, contract.title, contract.buyer, contract.menu.ref, digest,
             json.dumps(contract.terms), str(contract.base_amount), str(contract.obligation),
             contract.start.isoformat(), contract.end.isoformat(), now()))
        store.insert_many("lines", LINE_COLUMNS, [
            (contract.id, "planned", None, c.block, c.candidate, *fact_values(c), "planned", None, None, None, n)
            for n, c in enumerate(awarded.planned, start=1)])
        store.audit("init", {"contract": contract.id, "bidder": contract.bidder, "obligation": str(contract.obligation),
                             "menu": contract.menu.ref, "planned_lines": len(awarded.planned)})
    return contract


def register(store: Store, tender_path: Path, bidder: str, start: date, end: date,
             contract_id: str | None = None) -> Contract:
    """Register an awarded contract: obligation, menu version and the accepted plan (every planned line)."""
    return record(store, award(tender_path, bidder, start, end, contract_id))


def awarded_bidder(names: list[str], given: str, tender: str) -> str:
    """The tender's name of the bidder given: exactly, else the name that is the same but for case,
    spaces, punctuation, accents, '&' or 'en' and the spelling of the legal form (as score joins
    bidders: 'aannemer a', 'Dubbel b.v.', 'bouwbedrijf muller en zn' for 'Bouwbedrijf Müller & Zn.').
    A tender holds one bid per bidder by that same comparison (model.tender), so one name matches at
    most one bid. No match is an error naming the bids."""
    if given in names:
        return given
    key = bidder_key(given)
    for name in names:
        if key and bidder_key(name) == key:
            return name
    raise UnknownReferenceError(Problem("monitor_bid_unknown", {"bidder": given, "known": ", ".join(names)}, file=tender))


class Contracts:
    """The registered contracts, read once each (menus parsed once per version)."""

    def __init__(self, store: Store):
        self.store = store
        self._menus: dict[str, Menu] = {}
        self._loaded: dict[str, Contract | None] = {}

    def _menu(self, digest: str) -> Menu:
        if digest not in self._menus:
            row = self.store.one("SELECT ref, yaml FROM menus WHERE digest = ?", (digest,))
            self._menus[digest] = load_menu_text(row["yaml"], f"menu {row['ref']}")
        return self._menus[digest]

    def _contract(self, row) -> Contract:
        return Contract(row["id"], row["bidder"], row["title"], row["buyer"], self._menu(row["menu_digest"]),
                        json.loads(row["terms"]), Decimal(row["base_amount"]), Decimal(row["obligation"]),
                        date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"]))

    def get(self, contract_id: str) -> Contract | None:
        if contract_id not in self._loaded:
            row = self.store.one(f"SELECT {', '.join(CONTRACT_COLUMNS)} FROM contracts WHERE id = ?", (contract_id,))
            self._loaded[contract_id] = None if row is None else self._contract(row)
        return self._loaded[contract_id]

    def all(self) -> list[Contract]:
        rows = self.store.query(f"SELECT {', '.join(CONTRACT_COLUMNS)} FROM contracts ORDER BY end_date, id")
        out = [self._contract(row) for row in rows]
        self._loaded.update((c.id, c) for c in out)
        return out

    def known(self, limit: int = 20) -> list[str]:
        return [r["id"] for r in self.store.query("SELECT id FROM contracts ORDER BY id LIMIT ?", (limit,))]

    def require(self, contract_id: str) -> Contract:
        contract = self.get(contract_id)
        if contract is None:
            raise UnknownReferenceError(Problem("monitor_contract_unknown", {"id": contract_id,
                                                                             "known": ", ".join(self.known()) or "-"}))
        return contract


def load_contract(store: Store, contract_id: str) -> Contract:
    return Contracts(store).require(contract_id)


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
    later_lines: int = 0  # not rejected realised lines of periods that begin on `on` or later: not counted
    months_over: list = field(default_factory=list)  # months.Overrun: a person's months beyond a period's

    @property
    def days(self) -> tuple[int, int]:
        """(days passed, days the contract lasts). The end date is the contract's last day, so it lasts
        end - start + 1 days; a day is taken at its start: 0 days have passed on the first day, and
        every day but the last on the last day."""
        total = (self.contract.end - self.contract.start).days + 1
        return min(max((self.on - self.contract.start).days, 0), total), total

    @property
    def share(self) -> Fraction:
        """The share of the contract's time passed, exact."""
        done, total = self.days
        return Fraction(done, total)

    @property
    def elapsed(self) -> Decimal:
        """The share of the time passed, for display (the figures are computed from `share`)."""
        return to_decimal(self.share)

    @property
    def planned_to_date(self) -> Decimal:
        """The plan spread evenly over the contract's time: what should be realised by now."""
        return cents(Fraction(self.planned) * self.share)

    @property
    def pace(self) -> Decimal | None:
        """Accepted value at the end date if the pace so far went on in a straight line."""
        if self.share == 0:
            return None
        return cents(Fraction(self.accepted) / self.share)

    @property
    def projected(self) -> Decimal | None:
        """Accepted value expected at the end date: the pace so far, but never more than the plan's value
        (or what is accepted already, when that is more). A straight line knows no counting caps: a
        candidate whose cap is reached adds nothing, however long the contract runs; the plan is valued
        with the caps, and it is what the contractor committed to."""
        pace = self.pace
        if pace is None:
            return None
        return min(pace, max(self.planned, self.accepted))

    @property
    def plan_shortfall(self) -> Decimal:
        """How far the plan's value falls short of the obligation (0 when it meets it)."""
        return max(ZERO, self.contract.obligation - self.planned)

    @property
    def penalty_rate(self) -> Decimal:
        """The share of the unfilled obligation withheld or charged (the menu's, e.g. 125%; else 100%)."""
        rate = self.contract.menu.obligation.penalty_rate
        return Decimal(1) if rate is None else rate

    @property
    def withheld_if_ended(self) -> Decimal:
        """The shortfall rule: the unrealised part of the obligation x the menu's penalty rate is withheld."""
        return cents(max(ZERO, self.contract.obligation - self.accepted) * self.penalty_rate)

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


def _credits(contract: Contract, rows: list[tuple]) -> list[Decimal]:
    """Credit of each line (rows of VALUE_COLUMNS, in order): the lines are one bid for the kernel."""
    from impactkit.monitor.valuation import value_groups

    return [Decimal(c).scaleb(-2) for c in value_groups([(contract, rows)])[0]]


_KIND, _PERIOD, _STATUS = VALUE_COLUMNS.index("kind"), VALUE_COLUMNS.index("period"), VALUE_COLUMNS.index("status")
_ORDER = {"planned": 0, "accepted": 1, "claimed": 2}


def valuation_order(rows: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """The planned lines, and the realised ones as they are valued: accepted lines first, then the claims
    as if accepted after them (caps included), each by period and id."""
    planned = [r for r in rows if r[_KIND] == "planned"]
    realised = sorted((r for r in rows if r[_KIND] == "realised"),
                      key=lambda r: (_ORDER[r[_STATUS]], period_key(r[_PERIOD]), r[0]))
    return planned, realised


def statuses(contracts: list[Contract], rows: list[tuple], on: date, later: dict[str, int] | None = None) -> list[Status]:
    """Each contract's status from its lines (rows of VALUE_COLUMNS in VALUATION_ORDER): every
    contract's plan and realised lines valued in one call of the kernel, then summed per period."""
    from impactkit.monitor.months import overruns
    from impactkit.monitor.valuation import value_sorted

    by_id = {c.id: c for c in contracts}
    columns = list(zip(*rows))
    credit = value_sorted(by_id, columns)
    if not rows:
        columns = [()] * len(VALUE_COLUMNS)
    over = overruns(by_id, *(columns[VALUE_COLUMNS.index(name)] for name in (
        "id", "contract_id", "kind", "period", "block", "candidate", "months_100")))
    frame = pd.DataFrame({"contract": columns[1], "kind": columns[_KIND], "period": columns[_PERIOD],
                          "status": columns[_STATUS], "credit": credit})
    frame["period"] = frame["period"].fillna("")
    planned = frame[frame["kind"] == "planned"].groupby("contract")["credit"].sum().to_dict()
    realised = frame[frame["kind"] == "realised"].groupby(["contract", "period", "status"])["credit"].sum()
    periods: dict[str, dict[str, PeriodStatus]] = {c.id: {} for c in contracts}
    totals: dict[str, dict[str, int]] = {c.id: {"accepted": 0, "claimed": 0} for c in contracts}
    for key, cents_ in realised.items():
        contract_id, period, state = cast(tuple[str, str, str], key)  # the three columns grouped by
        entry = periods[contract_id].setdefault(period, PeriodStatus(period))
        setattr(entry, state, getattr(entry, state) + Decimal(int(cents_)).scaleb(-2))
        totals[contract_id][state] += int(cents_)
    return [Status(c, Decimal(int(planned.get(c.id, 0))).scaleb(-2),
                   Decimal(totals[c.id]["accepted"]).scaleb(-2), Decimal(totals[c.id]["claimed"]).scaleb(-2),
                   [periods[c.id][p] for p in sorted(periods[c.id], key=period_key)], on,
                   (later or {}).get(c.id, 0), over.get(c.id, [])) for c in contracts]


_VALUE_SQL = f"SELECT {', '.join(VALUE_COLUMNS)} FROM lines WHERE status != 'rejected'"
#: on a date, the realised lines of the periods begun before it count (a day is taken at its start, as
#: the time passed is); the lines of later periods are realisations that cannot have happened yet
_BEGUN = f" AND (kind = 'planned' OR {start_index_sql()} <= ?)"
_LATER_SQL = (f"SELECT contract_id, count(*) AS n FROM lines WHERE kind = 'realised' AND status != 'rejected'"
              f" AND {start_index_sql()} > ?")


_NOTHING_BEGUN = 0  # a month index before every period: no realised line counts


def _later(store: Store, last: int, contract_id: str | None = None) -> dict[str, int]:
    """Per contract, how many realised lines belong to periods that begin after the month `last`."""
    where, params = (" AND contract_id = ?", (last, contract_id)) if contract_id else ("", (last,))
    return {r["contract_id"]: int(r["n"]) for r in store.query(_LATER_SQL + where + " GROUP BY contract_id", params)}


def value_rows(store: Store, contract_id: str) -> list[tuple]:
    """The contract's planned and not rejected realised lines (VALUE_COLUMNS), by id."""
    return store.tuples(_VALUE_SQL + " AND contract_id = ? ORDER BY id", (contract_id,))


def status(store: Store, contract_id: str, on: date | None = None) -> Status:
    """The contract's status on a date (default today): its plan, and the realised lines of the
    periods begun before that date, with the decisions as they stand now."""
    from impactkit.monitor.valuation import VALUATION_ORDER

    on = on or date.today()
    with store.read():
        contract = Contracts(store).require(contract_id)
        # before its first day nothing of a contract can have been realised, whatever its first period
        last = last_begun_month(on) if on > contract.start else _NOTHING_BEGUN
        rows = store.tuples(_VALUE_SQL + _BEGUN + " AND contract_id = ? " + VALUATION_ORDER, (last, contract_id))
        later = _later(store, last, contract_id)
    return statuses([contract], rows, on, later)[0]


def portfolio(store: Store, on: date | None = None) -> list[Status]:
    """Every contract's status on a date (default today), from one read of the lines."""
    from impactkit.monitor.valuation import VALUATION_ORDER

    on = on or date.today()
    last = last_begun_month(on)
    with store.read():
        contracts = Contracts(store).all()
        rows = store.tuples(_VALUE_SQL + _BEGUN + " " + VALUATION_ORDER, (last,))
        later = _later(store, last)
        waiting = {c.id for c in contracts if on <= c.start}  # not started on that date: nothing realised yet
        if waiting:
            rows = [r for r in rows if not (r[_KIND] == "realised" and r[1] in waiting)]
            later.update({k: n for k, n in _later(store, _NOTHING_BEGUN).items() if k in waiting})
    return statuses(contracts, rows, on, later)
