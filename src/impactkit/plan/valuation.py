"""The one place where `plan` asks the rules what contributions are worth.

`value_line` values one contribution under the tender's menu and terms: every coefficient of
the plan's model (the credit of a person at given hours and months, with counting caps, minimum
hours and bonuses; the credit per euro of purchases or per volunteer hour) comes from it.
`check_bid` runs a whole bid through `impactkit.engine.evaluate_tender`, the code of
`impactkit check`: every plan the command prints or writes is checked that way, so the figures
shown are the checked ones. When the rules kernel replaces the engine's valuation, only this
module changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from impactkit.engine import evaluate_tender
from impactkit.engine.stack import BidResult, TenderResult, value_contributions
from impactkit.rules.compile import compile_rules
from impactkit.io.yamlio import LineMap
from impactkit.menus.registry import MenuChoice
from impactkit.model.tender import Bid, Contribution, TenderFile
from impactkit.money import ZERO


@dataclass(frozen=True)
class Valued:
    credit: Decimal
    months_counted: Decimal


@dataclass(frozen=True)
class Setting:
    """A tender, the bid being planned (without the planned lines) and the menu chosen for it."""

    tender_file: TenderFile  # holding only the planned bid, with the contributions it already has
    lines: LineMap  # where problems point; its file's folder resolves a menu given as a path
    choice: MenuChoice
    result: TenderResult  # the bid as it stands, checked
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def menu(self):
        return self.choice.menu

    @property
    def terms(self):
        return self.result.terms

    @property
    def bid(self) -> Bid:
        return self.tender_file.bids[0]

    @property
    def standing(self) -> BidResult:
        return self.result.bids[0]


def settle(tender_file: TenderFile, lines: LineMap, choice: MenuChoice | None = None) -> Setting:
    """Check the tender with its one bid as it stands (problems point at its lines)."""
    result = evaluate_tender(tender_file, lines, choice)
    return Setting(tender_file, lines, result.choice, result)


def value_line(setting: Setting, contribution: Contribution, already: Decimal = ZERO) -> Valued:
    """What one contribution is worth under the tender's menu and terms (remembered per setting:
    a plan asks the same question for many options with the same block and facts)."""
    key = (contribution.block, contribution.hours_per_week, contribution.months, contribution.hours,
           contribution.days, contribution.amount, contribution.age, tuple(contribution.flags.values()), already)
    found = setting.memo.get(key)
    if found is None:
        rules = setting.memo.get("rules")
        if rules is None:
            rules = setting.memo["rules"] = compile_rules(setting.menu, setting.terms)
        lines: tuple[Contribution, ...] = (contribution,)
        if already:  # the same person's months already counted in this block come first
            earlier = Contribution.model_construct(block=contribution.block, candidate=contribution.candidate,
                                                   hours_per_week=setting.terms.hours_basis, months=already)
            lines = (earlier, contribution)
        line = value_contributions(rules, lines)[-1]
        found = setting.memo[key] = Valued(line.credit, line.months_counted)
    return found


def value_lines(setting: Setting, contributions: list[Contribution]) -> list[Valued]:
    """Many contributions, each worth what it is on its own (each taken as a different person),
    valued in one pass of the rules."""
    rules = setting.memo.get("rules")
    if rules is None:
        rules = setting.memo["rules"] = compile_rules(setting.menu, setting.terms)
    alone = tuple(c.model_copy(update={"candidate": None}) for c in contributions)
    return [Valued(line.credit, line.months_counted) for line in value_contributions(rules, alone)]


def check_bid(setting: Setting, contributions: tuple[Contribution, ...]) -> TenderResult:
    """The bid with these contributions, checked end to end as `impactkit check` does."""
    bid = setting.bid.model_copy(update={"contributions": tuple(contributions)})
    tender_file = setting.tender_file.model_copy(update={"bids": (bid,)})
    return evaluate_tender(tender_file, LineMap(setting.lines.file, {}), setting.choice)


def share_caps(setting: Setting) -> tuple:
    """The menu's limits on the share of the obligation a category of blocks may fill, as the
    blocks (with their aliases) each covers; credit above a cap does not count."""
    from impactkit.plan.options import ShareCap

    menu = setting.menu
    out = []
    for cap in menu.share_caps:
        blocks = {b.id for b in menu.blocks if b.alias_of is None and b.category == cap.category}
        out.append(ShareCap(frozenset(blocks), cap.max_share, cap.category))
    return tuple(out)


def months_counted(result: TenderResult, candidate: str, block_id: str) -> Decimal:
    """Months already counted for a candidate and block by the lines of a checked bid."""
    return sum((line.months_counted for line in result.bids[0].lines
                if line.candidate == candidate and line.counted_as == block_id), ZERO)
