"""Stacking contributions against each bid's obligation."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from impactkit.engine.obligation import Obligation, ObligationTerms, compute_obligation, terms_for
from impactkit.engine.suggest import Suggestion, suggestions_for
from impactkit.engine.valuation import Line, missing_facts, value_contribution
from impactkit.errors import InputFileError, InvalidInputError, Problem, UnknownReferenceError
from impactkit.model.menu import Menu
from impactkit.menus.registry import MenuChoice, all_block_ids, menus_with_block, resolve_menu
from impactkit.money import ZERO
from impactkit.model.tender import Bid, TenderFile
from impactkit.io.yamlio import LineMap


@dataclass(frozen=True)
class BidResult:
    bidder: str
    obligation: Obligation
    base_from_bid: bool
    lines: tuple[Line, ...]
    credited: Decimal
    suggestions: tuple[Suggestion, ...] = ()
    notes: tuple[tuple[str, dict], ...] = field(default=())

    @property
    def met(self) -> bool:
        return self.credited >= self.obligation.amount

    @property
    def shortfall(self) -> Decimal:
        return max(ZERO, self.obligation.amount - self.credited)

    @property
    def surplus(self) -> Decimal:
        return max(ZERO, self.credited - self.obligation.amount)


@dataclass(frozen=True)
class TenderResult:
    tender_file: TenderFile
    choice: MenuChoice
    terms: ObligationTerms
    bids: tuple[BidResult, ...]

    @property
    def menu(self) -> Menu:
        return self.choice.menu


def tender_terms(tender_file: TenderFile, menu: Menu) -> ObligationTerms:
    t = tender_file.tender
    return terms_for(
        menu,
        rate=t.rate,
        base=t.base,
        threshold=t.threshold,
        threshold_inclusive=t.threshold_inclusive,
        cap=t.cap,
        pso_discount=t.pso_discount,
        hours_basis=t.hours_basis,
    )


def evaluate_tender(tender_file: TenderFile, lines: LineMap | None = None, choice: MenuChoice | None = None) -> TenderResult:
    """Check every bid of a tender; raises with every problem found, each with its line."""
    lines = lines or LineMap("<tender>", {})
    tender = tender_file.tender
    if choice is None:
        try:
            base_dir = Path(lines.file).parent if lines.file != "<tender>" else None
            choice = resolve_menu(tender.menu, tender.reference_date, base_dir)
        except UnknownReferenceError as exc:
            raise UnknownReferenceError([_at(p, lines, ("tender",), "menu") for p in exc.problems]) from None
        except InputFileError as exc:  # a menu file that cannot be read: point at the tender's line
            problems = [lines.problem("menu_file_" + p.key, ("tender",), "menu", menu_path=p.file, **p.params)
                        if p.key in ("file_not_found", "file_not_a_file") else p for p in exc.problems]
            raise InputFileError(problems) from None
    menu = choice.menu
    terms = tender_terms(tender_file, menu)
    check_bids(tender_file, menu, terms, lines)
    bids = tuple(evaluate_bid(bid, tender_file, menu, terms) for bid in tender_file.bids)
    return TenderResult(tender_file, choice, terms, bids)


def _at(problem: Problem, lines: LineMap, path: tuple, field_name: str) -> Problem:
    return lines.problem(problem.key, path, field_name, **problem.params)


def bid_base(bid: Bid, tender_file: TenderFile, terms: ObligationTerms) -> tuple[Decimal | None, bool]:
    """The amount the bid's obligation is measured against, and whether the bid gave it."""
    name = terms.base
    own = getattr(bid, name)
    if own is not None:
        return own, True
    return getattr(tender_file.tender, name), False


def check_bids(tender_file: TenderFile, menu: Menu, terms: ObligationTerms, lines: LineMap) -> None:
    """Collect every problem with the bids before valuing anything."""
    unknown: list[Problem] = []
    invalid: list[Problem] = []
    known_ids = None
    for b, bid in enumerate(tender_file.bids):
        if bid_base(bid, tender_file, terms)[0] is None:
            invalid.append(lines.problem("wage_sum_missing", ("bids", b), "wage_sum", bidder=bid.bidder))
        for c, contribution in enumerate(bid.contributions):
            path = ("bids", b, "contributions", c)
            block = menu.resolve(contribution.block)
            if block is None:
                known_ids = known_ids or sorted(set(all_block_ids()) | {x.id for x in menu.blocks})
                unknown.append(block_problem(contribution.block, menu, known_ids, lines, path))
                continue
            for name in missing_facts(block, contribution):
                invalid.append(
                    lines.problem("fact_missing", path, name, block=contribution.block, unit=block.unit)
                )
    if unknown:
        raise UnknownReferenceError(unknown + invalid)
    if invalid:
        raise InvalidInputError(invalid)


def block_problem(block_id: str, menu: Menu, known_ids: list[str], lines: LineMap, path: tuple) -> Problem:
    """An unknown block, or one the chosen menu lacks, with the nearest ids."""
    in_menu = [b.id for b in menu.blocks]
    if block_id in known_ids:
        elsewhere = ", ".join(menus_with_block(block_id)) or "-"
        return lines.problem(
            "block_not_in_menu", path, "block", block=block_id, menu=menu.ref, elsewhere=elsewhere,
            hint=", ".join(difflib.get_close_matches(block_id, in_menu, n=3, cutoff=0.5)) or "-",
        )
    hint = difflib.get_close_matches(block_id, in_menu, n=3, cutoff=0.5) or difflib.get_close_matches(
        block_id, known_ids, n=3, cutoff=0.5
    )
    return lines.problem("block_unknown", path, "block", block=block_id, menu=menu.ref, hint=", ".join(hint) or "-")


def evaluate_bid(bid: Bid, tender_file: TenderFile, menu: Menu, terms: ObligationTerms) -> BidResult:
    base, from_bid = bid_base(bid, tender_file, terms)
    obligation = compute_obligation(base, terms, bid.pso_certified)
    notes: list[tuple[str, dict]] = []
    if bid.pso_certified and not terms.pso_discount:
        notes.append(("note_pso_unknown", {}))
    counted: dict[tuple[str, str], Decimal] = {}
    valued = []
    for index, contribution in enumerate(bid.contributions):
        block = menu.resolve(contribution.block)
        key = (contribution.candidate, block.id) if contribution.candidate else None
        already = counted.get(key, ZERO) if key else ZERO
        line = value_contribution(menu, contribution, index, terms.hours_basis, already)
        if key:
            counted[key] = already + line.months_counted
        valued.append(line)
    credited = sum((line.credit for line in valued), ZERO)
    shortfall = max(ZERO, obligation.amount - credited)
    suggestions = suggestions_for(menu, shortfall, terms.hours_basis) if shortfall > 0 else ()
    return BidResult(bid.bidder, obligation, from_bid, tuple(valued), credited, tuple(suggestions), tuple(notes))
