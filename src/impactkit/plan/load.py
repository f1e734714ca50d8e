"""Reading a plan file: the tender (a tender file, or written out in the plan), the bid, the options."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from impactkit.errors import InvalidInputError
from impactkit.io.tender_file import load_tender
from impactkit.io.validation import problems_from_validation
from impactkit.io.yamlio import LineMap, load_yaml
from impactkit.model.tender import Bid, TenderFile
from impactkit.plan.model import PlanFile, PlanTender
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


def load_plan(path: Path) -> Loaded:
    path = Path(path)
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise InvalidInputError(lines.problem("value_not_mapping", (), None, got=type(data).__name__))
    try:
        plan = PlanFile.model_validate(data)
    except ValidationError as exc:  # with the problems of a tender written out in the plan: one wave
        problems = problems_from_validation(exc, lines, model=PlanFile) + _tender_problems(data.get("tender"), lines)
        raise InvalidInputError(sorted(problems, key=lambda p: p.line or 0)) from None
    if isinstance(plan.tender, str):
        return _from_tender_file(plan, lines, path)
    if not isinstance(plan.tender, dict):
        raise InvalidInputError(lines.problem("plan_tender_shape", (), "tender", got=str(plan.tender)[:40]))
    try:
        tender = PlanTender.model_validate(plan.tender)
    except ValidationError as exc:
        raise InvalidInputError(problems_from_validation(exc, lines, ("tender",), model=PlanTender)) from None
    if plan.bid is None:
        raise InvalidInputError(lines.problem("plan_bid_needed", (), "bid"))
    bid = Bid(bidder=plan.bid.bidder, contract_value=plan.bid.contract_value, wage_sum=plan.bid.wage_sum,
              pso_certified=bool(plan.bid.pso_certified))
    setting = settle(TenderFile(tender=tender, bids=(bid,)), lines)
    return Loaded(plan, lines, setting, None, True)


def _tender_problems(tender: object, lines: LineMap) -> list:
    """The problems of a tender written out in the plan (none for a tender file's name)."""
    if not isinstance(tender, dict):
        return []
    try:
        PlanTender.model_validate(tender)
    except ValidationError as exc:
        return problems_from_validation(exc, lines, ("tender",), model=PlanTender)
    return []


def _from_tender_file(plan: PlanFile, lines: LineMap, path: Path) -> Loaded:
    tender_path = Path(plan.tender)
    if not tender_path.is_absolute():
        tender_path = path.parent / tender_path
    tender_file, tender_lines = load_tender(tender_path)
    bidders = [b.bidder for b in tender_file.bids]
    wanted = plan.bid.bidder if plan.bid is not None else None
    if wanted is None:
        if len(bidders) != 1:
            raise InvalidInputError(lines.problem("plan_bid_needed", (), "bid"))
        wanted = bidders[0]
    if wanted in bidders:
        if plan.bid is not None and plan.bid.has_details:
            raise InvalidInputError(lines.problem("plan_bid_details", ("bid",), None, bidder=wanted))
        index = bidders.index(wanted)
        bid, new = tender_file.bids[index], False
    elif bidders:
        hint = ", ".join(difflib.get_close_matches(wanted, bidders, n=1, cutoff=0.6)) or "-"
        raise InvalidInputError(lines.problem("plan_bid_unknown", ("bid",), "bidder", bidder=wanted,
                                              known=", ".join(bidders), hint=hint))
    elif plan.bid is not None:  # a new bid, as the plan describes it
        index, new = None, True
        bid = Bid(bidder=wanted, contract_value=plan.bid.contract_value, wage_sum=plan.bid.wage_sum,
                  pso_certified=bool(plan.bid.pso_certified))
    else:  # a tender without bids: plan_bid_needed above made the plan name its bid
        raise ValueError("no bid to plan")
    single = tender_file.model_copy(update={"bids": (bid,)})
    setting = settle(single, _only_bid(tender_lines, index))
    return Loaded(plan, lines, setting, tender_path, new)


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
