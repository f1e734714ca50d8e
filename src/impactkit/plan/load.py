"""Reading a plan file: the tender (a tender file, or written out in the plan), the bid, the options.

Every problem of a plan file is told in one run, in the order of its lines: where the file does
not validate, the tender (written out, or the tender file it names) and the bid are still read as
far as they validate, and every option that validates on its own is checked as `prepare` checks
it (plan/checks.py), against the tender's menu when that is found.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from impactkit.engine.second_look import with_later_problems
from impactkit.engine.stack import tender_menu
from impactkit.errors import Collected, ImpactkitError, InvalidInputError
from impactkit.io.tender_file import InvalidTender, load_tender
from impactkit.io.validation import problems_from_validation
from impactkit.io.yamlio import LineMap, load_yaml
from impactkit.menus.registry import MenuChoice
from impactkit.model.tender import Bid, TenderFile, TenderInfo
from impactkit.plan.checks import option_problems
from impactkit.plan.model import Option, PlanBid, PlanFile, PlanTender
from impactkit.plan.valuation import Setting, settle


@dataclass(frozen=True)
class Loaded:
    plan: PlanFile
    lines: LineMap  # of the plan file
    setting: Setting
    tender_path: Path | None  # the tender file the plan names, if any
    bid_is_new: bool

    @property
    def inputs(self) -> list[Path]:
        """Every file the plan was read from (an output may be none of them)."""
        found = [Path(self.lines.file)]
        if self.tender_path is not None:
            found.append(self.tender_path)
        origin = self.setting.choice.origin
        if origin != "shipped":
            found.append(Path(origin))
        return found


@dataclass(frozen=True)
class _Tender:
    """The plan's tender as far as it was read: its header and menu, and the tender file's bids."""

    info: TenderInfo
    choice: MenuChoice
    lines: LineMap  # where its problems point
    path: Path | None  # the tender file, if the plan names one
    tender_file: TenderFile | None  # the tender file read whole (None: written out in the plan)


def load_plan(path: Path) -> Loaded:
    path = Path(path)
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise InvalidInputError(lines.problem("value_not_mapping", (), None, got=type(data).__name__))
    told = Collected()
    try:
        plan: PlanFile | None = PlanFile.model_validate(data)
    except ValidationError as exc:
        told.invalid += problems_from_validation(exc, lines, model=PlanFile)
        plan = None
    tender = _tender(data, lines, path, told)
    bid_ok, plan_bid = (True, plan.bid) if plan is not None else _bid_alone(data)
    settled = None
    if tender is not None and bid_ok:
        try:
            settled = _settle(tender, plan_bid, lines)
        except ImpactkitError as exc:
            told.add(exc)
    options, ids = (list(enumerate(plan.options)), None) if plan is not None else _valid_options(data.get("options"))
    unknown, invalid = option_problems(options, tender.choice.menu if tender is not None else None, lines, ids)
    told.unknown += unknown
    told.invalid += invalid
    error = told.error(lines.file)
    if error is not None:
        raise error
    if plan is None or settled is None or tender is None:  # each is None only with a problem told
        raise ValueError("a plan without problems was not read")
    return Loaded(plan, lines, settled[0], tender.path, settled[1])


def _tender(data: dict, lines: LineMap, path: Path, told: Collected) -> _Tender | None:
    """The tender the plan names or writes out, with its menu; None (its problems told) if it
    cannot be read that far."""
    if "tender" not in data:  # the validation said so
        return None
    raw = data["tender"]
    if isinstance(raw, str):
        tender_path = Path(raw) if Path(raw).is_absolute() else path.parent / raw
        return _tender_file(tender_path, told)
    if not isinstance(raw, dict):
        told.invalid.append(lines.problem("plan_tender_shape", (), "tender", got=str(raw)[:40]))
        return None
    try:
        info = PlanTender.model_validate(raw)
    except ValidationError as exc:
        told.invalid += problems_from_validation(exc, lines, ("tender",), model=PlanTender)
        return None
    try:
        return _Tender(info, tender_menu(info, lines), lines, None, None)
    except ImpactkitError as exc:
        told.add(exc)
        return None


def _tender_file(tender_path: Path, told: Collected) -> _Tender | None:
    """A tender file's tender and menu, its problems told (those its valid parts would meet next
    too, as `check` tells them); a header that validates still gives the menu for the options."""
    try:
        tender_file, tender_lines = load_tender(tender_path)
    except InvalidTender as exc:
        told.invalid += with_later_problems(exc)
        return _header_only(tender_path, exc, told)
    except ImpactkitError as exc:
        told.add(exc)
        return None
    try:
        choice = tender_menu(tender_file.tender, tender_lines)
    except ImpactkitError as exc:
        told.add(exc)
        return None
    return _Tender(tender_file.tender, choice, tender_lines, tender_path, tender_file)


def _header_only(tender_path: Path, invalid: InvalidTender, told: Collected) -> _Tender | None:
    """The header and menu of a tender file whose bids do not validate (no bid is planned then)."""
    try:
        info = TenderInfo.model_validate(invalid.data.get("tender") if isinstance(invalid.data, dict) else None)
    except ValidationError:  # told by load_tender
        return None
    try:
        return _Tender(info, tender_menu(info, invalid.lines), invalid.lines, tender_path, None)
    except ImpactkitError as exc:
        told.add(exc)
        return None


def _bid_alone(data: dict) -> tuple[bool, PlanBid | None]:
    """The plan's bid where the plan file does not validate: (whether it validates, the bid)."""
    try:
        return True, PlanFile.model_validate({"tender": None, "bid": data.get("bid")}).bid
    except ValidationError:  # its problems are among the file's
        return False, None


def _valid_options(raw: object) -> tuple[list[tuple[int, Option]], list[tuple[int, str]]]:
    """The options that validate on their own, with their positions, and every option's id."""
    if not isinstance(raw, list):
        return [], []
    options, ids = [], []
    for i, item in enumerate(raw):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            ids.append((i, item["id"].strip()))
        try:
            options.append((i, Option.model_validate(item)))
        except ValidationError:  # its problems are among the file's
            continue
    return options, ids


def _settle(tender: _Tender, plan_bid: PlanBid | None, lines: LineMap) -> tuple[Setting, bool] | None:
    """The tender with the one bid to plan, checked as it stands: (the setting, whether the bid is
    new); None where the tender file did not validate (its problems are told)."""
    if tender.path is None:  # written out in the plan
        if plan_bid is None:
            raise InvalidInputError(lines.problem("plan_bid_needed", (), "bid"))
        return settle(TenderFile(tender=tender.info, bids=(_new_bid(plan_bid),)), lines, tender.choice), True
    tender_file = tender.tender_file
    if tender_file is None:
        return None
    bidders = [b.bidder for b in tender_file.bids]
    wanted = plan_bid.bidder if plan_bid is not None else None
    if wanted is None:
        if len(bidders) != 1:
            raise InvalidInputError(lines.problem("plan_bid_needed", (), "bid"))
        wanted = bidders[0]
    if wanted in bidders:
        if plan_bid is not None and plan_bid.has_details:
            raise InvalidInputError(lines.problem("plan_bid_details", ("bid",), None, bidder=wanted))
        position = bidders.index(wanted)
        index: int | None = position
        bid, new = tender_file.bids[position], False
    elif bidders:
        hint = ", ".join(difflib.get_close_matches(wanted, bidders, n=1, cutoff=0.6)) or "-"
        raise InvalidInputError(lines.problem("plan_bid_unknown", ("bid",), "bidder", bidder=wanted,
                                              known=", ".join(bidders), hint=hint))
    elif plan_bid is not None:  # a new bid, as the plan describes it
        index, new, bid = None, True, _new_bid(plan_bid)
    else:  # a tender without bids: plan_bid_needed above made the plan name its bid
        raise ValueError("no bid to plan")
    single = tender_file.model_copy(update={"bids": (bid,)})
    return settle(single, _only_bid(tender.lines, index), tender.choice), new


def _new_bid(plan_bid: PlanBid) -> Bid:
    return Bid(bidder=plan_bid.bidder, contract_value=plan_bid.contract_value, wage_sum=plan_bid.wage_sum,
               pso_certified=bool(plan_bid.pso_certified))


def _only_bid(lines: LineMap, index: int | None) -> LineMap:
    """The tender file's lines with the planned bid as bid 0 (problems point at its real lines)."""
    kept = {}
    for key, line in lines.lines.items():
        if len(key) >= 2 and key[0] == "bids":
            if key[1] != index:
                continue
            key = ("bids", 0, *key[2:])
        kept[key] = line
    return LineMap(lines.file, kept)
