"""One person's months in a period: a period holds no more months of one candidate in one block than it
lasts within the contract (docs/monitor.md, "A person's months fit their period").

A period's room is its calendar months that have a day within the contract (a quarter 3, a half-year 6,
a month 1; fewer for a period that lies partly outside the contract). A row alone may not claim more
than its period's room (`row_problem`); for a block valued per person (model.facts.PERSON_UNITS), the
months of one candidate in one block within a period, counted over every line and row that lies within
it, may not either (`over`). Periods are months, quarters and half-years: two of them are either
disjoint or one lies within the other, so checking each period that holds a line or row is enough.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from impactkit.errors import Problem
from impactkit.model.facts import PERSON_UNITS
from impactkit.monitor.periods import Period, parse_period

if TYPE_CHECKING:
    from impactkit.monitor.importer import Realisation

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Held:
    """Months of one candidate in one block: a line of the ledger, or a row of the file being imported."""

    period: Period
    months: int  # hundredths
    kind: str  # "line" or "row"
    ref: int  # the line's id, or the row's number


def room(period: Period, contract) -> tuple:
    """(first day, last day, months) of the period within the contract: the months a person can realise in it."""
    return period.within(contract.start, contract.end)


def row_problem(months: Decimal, period: Period, contract) -> tuple[str, dict] | None:
    """A row alone that claims more months than its period lasts, or than the part of it within the contract."""
    if months > period.months:
        return "monitor_months_beyond_period", {"months": months, "period": period.text, "length": period.months}
    first, last, inside = room(period, contract)
    if months > inside:  # months before the contract's start or after its end are no realisations of it
        return "monitor_months_beyond_contract", {"months": months, "period": period.text, "inside": inside,
                                                  "first": first, "last": last, "id": contract.id,
                                                  "start": contract.start, "end": contract.end}
    return None


def per_person(block) -> bool:
    """Is the block valued per person (its months are a person's time)?"""
    return block is not None and block.unit in PERSON_UNITS


def _within(inner: Period, outer: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def over(held: Iterable[Held], new: Held, contract) -> tuple[Period, list[Held]] | None:
    """The smallest period whose room `new` would exceed, together with what is held within it (the
    candidate's lines and rows of the same block); None when it fits."""
    held = list(held)
    periods = {new.period} | {h.period for h in held if _within(new.period, h.period)}
    for period in sorted(periods, key=lambda p: (p.end - p.start, p.start)):
        inside = [h for h in held if _within(h.period, period)]
        if sum(h.months for h in inside) + new.months > room(period, contract)[2] * 100:
            return period, inside
    return None


def as_months(hundredths: int) -> Decimal:
    return Decimal(hundredths) / _HUNDRED


def over_params(candidate: str, block: str, new: Held, period: Period, inside: list[Held], contract) -> dict:
    """What a refusal names: the candidate, block and period, the months there already and which lines or
    rows hold them, the months added, and the period's room (its length, or its part within the contract)."""
    already = sum(h.months for h in inside)
    first, last, length = room(period, contract)
    if length == period.months:
        limit = Problem("monitor_room_period", {"period": period.text, "length": length})
    else:
        limit = Problem("monitor_room_contract", {"period": period.text, "length": length, "first": first,
                                                  "last": last, "id": contract.id, "start": contract.start,
                                                  "end": contract.end})
    shown = [Problem(f"monitor_held_{h.kind}" + ("" if h.period == period else "_in"),
                     {"ref": h.ref, "period": h.period.text, "months": as_months(h.months)}) for h in inside[:10]]
    if len(inside) > 10:
        shown.append(Problem("monitor_held_more", {"count": len(inside) - 10}))
    return {"candidate": candidate, "block": block, "period": period.text, "already": as_months(already),
            "held": tuple(shown), "months": as_months(new.months), "total": as_months(already + new.months),
            "limit": limit}


def hundredths(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _held_lines(store, contract, keys: set[tuple[str, str]], status: str) -> dict[tuple[str, str], list[Held]]:
    """The contract's realised lines of these (candidate, block) pairs, per pair: those not rejected
    (status "not rejected") or the accepted ones (status "accepted"), by id."""
    condition = "status != 'rejected'" if status == "not rejected" else "status = 'accepted'"
    held: dict[tuple[str, str], list[Held]] = defaultdict(list)
    for line in store.query("SELECT id, period, block, candidate, months_100 FROM lines WHERE contract_id = ?"
                            f" AND kind = 'realised' AND {condition} AND candidate IS NOT NULL"
                            " AND months_100 IS NOT NULL ORDER BY id", (contract.id,)):
        block = contract.menu.resolve(line["block"])
        key = (line["candidate"], block.id if block is not None else "")
        period = parse_period(line["period"])
        if key in keys and per_person(block) and period is not None:
            held[key].append(Held(period, int(line["months_100"]), "line", int(line["id"])))
    return held


def months_problems(store, contracts, rows: list[Realisation]) -> list[Problem]:
    """The rows of a file that would give a candidate more months of a block valued per person in a
    period than it has, counting the ledger's lines that are not rejected and the rows above them (a
    refused row adds nothing for the rows below it). Rows the file rejects itself (--with-status) count
    for nothing."""
    new: list[tuple[Realisation, tuple[str, str], Period, int]] = []
    for r in rows:
        candidate, count, period = r.contribution.candidate, r.contribution.months, parse_period(r.period)
        if r.per_person and r.status != "rejected" and candidate is not None and count is not None and period:
            new.append((r, (candidate, r.block_id), period, hundredths(count)))
    problems: list[Problem] = []
    for contract_id in sorted({r.contract for r, _, _, _ in new}):
        contract = contracts.get(contract_id)
        mine = [item for item in new if item[0].contract == contract_id]
        held = _held_lines(store, contract, {key for _, key, _, _ in mine}, "not rejected")
        for r, key, period, amount in mine:
            entry = Held(period, amount, "row", r.row)
            found = over(held[key], entry, contract)
            if found is None:
                held[key].append(entry)
                continue
            params = over_params(key[0], r.block_id, entry, found[0], found[1], contract)
            problems.append(Problem("monitor_months_over_row", params, file=r.source, line=r.row, field="months"))
    return problems


def acceptance_problems(store, contracts, lines: list) -> list[Problem]:
    """The claimed lines (rows by column name: id, contract_id, period, block, candidate, months_100) whose
    acceptance would give a candidate more accepted months of a block valued per person in a period than
    it has, counting the lines accepted already and those accepted before them in this review (by id)."""
    problems: list[Problem] = []
    for contract_id in sorted({line["contract_id"] for line in lines}):
        contract = contracts.get(contract_id)
        mine = []
        for line in sorted((x for x in lines if x["contract_id"] == contract_id), key=lambda x: x["id"]):
            block = contract.menu.resolve(line["block"])
            period = parse_period(line["period"])
            if per_person(block) and line["candidate"] is not None and line["months_100"] is not None and period:
                mine.append((line, block.id, period))
        held = _held_lines(store, contract, {(line["candidate"], b) for line, b, _ in mine}, "accepted")
        for line, block_id, period in mine:
            key = (line["candidate"], block_id)
            entry = Held(period, int(line["months_100"]), "line", int(line["id"]))
            found = over(held[key], entry, contract)
            if found is None:
                held[key].append(entry)
                continue
            params = over_params(key[0], block_id, entry, found[0], found[1], contract)
            problems.append(Problem("monitor_months_over_line", {"id": line["id"], **params}))
    return problems


@dataclass
class Overrun:
    """More months of one candidate in one block within a period than it has, among the realised lines
    that are not rejected (lines imported before the importer checked this)."""

    candidate: str
    block: str
    period: Period
    lines: list[Held]
    contract: object

    @property
    def total(self) -> int:
        return sum(h.months for h in self.lines)

    def problem(self) -> Problem:
        params = over_params(self.candidate, self.block, Held(self.period, 0, "line", 0), self.period, self.lines,
                             self.contract)
        return Problem("monitor_months_over_note", params)

    def document(self) -> dict:
        return {"candidate": self.candidate, "block": self.block, "period": self.period.text,
                "months": str(as_months(self.total)), "room": room(self.period, self.contract)[2],
                "lines": [h.ref for h in self.lines]}


def overruns(contracts: dict, ids, contract_ids, kinds, periods, blocks, candidates, months_100) -> dict[str, list[Overrun]]:
    """Per contract, the periods in which a candidate has more months of a block valued per person than
    the period has, among the realised lines given (columns, e.g. the not rejected lines status reads).

    Column-wise, as status reads every line of every contract: most candidates' lines are of one
    length of period (quarters, say), and their sums per period are compared with the period's room at
    once; a candidate with lines of periods of different lengths (a quarter and a half-year) is checked
    period by period, nested periods included. A period is told once, and not when a period within it
    is told already (that excess is its reason)."""
    import numpy as np
    import pandas as pd

    months = np.array(months_100, dtype=np.float64)  # None -> nan; exact below 2**53
    candidate_code, candidate_values = pd.factorize(np.array(candidates, dtype=object))
    keep = np.flatnonzero((np.array(kinds, dtype=object) == "realised") & (candidate_code >= 0) & ~np.isnan(months))
    if not len(keep):
        return {}
    contract_code, contract_values = pd.factorize(np.array(contract_ids, dtype=object)[keep])
    block_code, block_values = pd.factorize(np.array(blocks, dtype=object)[keep])
    pair_code, pair_values = pd.factorize(contract_code * len(block_values) + block_code)
    block_ids: dict[str, int] = {}  # the block that values a line (an alias followed), when valued per person
    pair_block = np.full(len(pair_values), -1, dtype=np.int64)
    for k, value in enumerate(pair_values.tolist()):
        c, b = divmod(value, len(block_values))
        block = contracts[contract_values[c]].menu.resolve(block_values[b])
        if block is not None and per_person(block):
            pair_block[k] = block_ids.setdefault(block.id, len(block_ids))
    row_block = pair_block[pair_code]
    chosen = row_block >= 0
    if not chosen.any():
        return {}
    keep, contract_code, row_block = keep[chosen], contract_code[chosen], row_block[chosen]
    candidate_code, months = candidate_code[keep], months[keep]
    period_code, period_values = pd.factorize(np.array(periods, dtype=object)[keep])
    parsed: list[Period] = []
    for text in period_values:
        period = parse_period(str(text))
        assert period is not None  # stored periods are well-formed
        parsed.append(period)
    length = np.array([p.months for p in parsed], dtype=np.int64)[period_code]
    person = pd.factorize(contract_code * (len(candidate_values) + 1) + candidate_code)[0]
    person = pd.factorize(person * (len(block_ids) + 1) + row_block)[0]
    lengths = np.zeros(person.max() + 1, dtype=np.int64)  # how many lengths of period each person's lines have
    for n in (1, 3, 6):
        lengths += np.bincount(person, weights=length == n, minlength=len(lengths)) > 0
    mixed = lengths[person] > 1
    group = pd.factorize(person * (len(parsed) + 1) + period_code)[0]
    total = np.bincount(group, weights=months)
    first = np.zeros(len(total), dtype=np.int64)
    first[group] = np.arange(len(group))  # a row of each group (its rows share contract and period)
    pair = pd.factorize(contract_code[first] * (len(parsed) + 1) + period_code[first])
    rooms = np.array([room(parsed[v % (len(parsed) + 1)], contracts[contract_values[v // (len(parsed) + 1)]])[2] * 100
                      for v in pair[1].tolist()], dtype=np.float64)
    over_room = (total > rooms[pair[0]])[group] & ~mixed
    pick = np.flatnonzero(over_room | mixed)
    block_names = list(block_ids)
    line_ids = np.array(ids, dtype=object)[keep]
    out: dict[str, list[Overrun]] = defaultdict(list)
    groups: dict[tuple, list[Held]] = defaultdict(list)
    for i in pick.tolist():
        key = (int(contract_code[i]), int(candidate_code[i]), int(row_block[i]), -1 if mixed[i] else int(period_code[i]))
        groups[key].append(Held(parsed[period_code[i]], int(months[i]), "line", int(line_ids[i])))
    for (c, cand, block, period), held in groups.items():
        contract, name, block_id = contracts[contract_values[c]], str(candidate_values[cand]), block_names[block]
        held.sort(key=lambda h: h.ref)
        if period >= 0:
            out[contract.id].append(Overrun(name, block_id, parsed[period], held, contract))
            continue
        told: list[Period] = []
        for p in sorted({h.period for h in held}, key=lambda p: (p.end - p.start, p.start)):
            inside = [h for h in held if _within(h.period, p)]
            if sum(h.months for h in inside) > room(p, contract)[2] * 100 and not any(_within(t, p) for t in told):
                told.append(p)
                out[contract.id].append(Overrun(name, block_id, p, inside, contract))
    for found in out.values():
        found.sort(key=lambda o: (o.period.start, o.period.months, o.candidate, o.block))
    return dict(out)
