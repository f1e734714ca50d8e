"""`impactkit check`: every bid of a tender valued and stacked against its obligation.

Orchestration only: the rules (valuation, obligation, share caps) are the kernel's in
`impactkit.rules`, called here with plain-Python columns for a bid's few lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from impactkit.engine.suggest import Suggestion, suggestions_for
from impactkit.errors import InputFileError, InvalidInputError, Problem, UnknownReferenceError, every_problem
from impactkit.i18n import Translator
from impactkit.io.yamlio import LineMap
from impactkit.menus.municipalities import resolve_tender_menu
from impactkit.menus.registry import MenuChoice
from impactkit.model.facts import FLAGS, NUMERIC_FACTS, PERSON_UNITS, TREDES
from impactkit.model.menu import Menu
from impactkit.model.tender import Bid, Contribution, TenderFile, TenderInfo
from impactkit.money import ZERO
from impactkit.rules.columns import PYTHON, Backend
from impactkit.rules.compile import Rules, compile_obligation, compile_rules
from impactkit.rules.explain import Note, explain_line, line_notes, obligation_notes
from impactkit.rules.obligation import Obligation, obligations, one_obligation
from impactkit.rules.shares import category_codes, share_excess
from impactkit.rules.terms import ObligationTerms, terms_for
from impactkit.rules.valuation import FactColumns, LineValue, line_value, value_lines
from impactkit.menus.lookup import unknown_block


@dataclass(frozen=True)
class Line:
    """One contribution as valued: its kernel result and what a reviewer should know about it."""

    index: int
    block: str  # as entered
    candidate: str | None
    value: LineValue
    notes: tuple[Note, ...] = ()

    @property
    def credit(self) -> Decimal:
        return Decimal(self.value.credit).scaleb(-2)

    @property
    def counted_as(self) -> str:
        return self.value.block.id

    @property
    def unit(self) -> str:
        return self.value.block.unit

    @property
    def months_counted(self) -> Decimal:
        return Decimal(self.value.counted).scaleb(-2)

    def explanation(self, tr: Translator) -> str:
        return explain_line(self.value, list(self.notes), tr, self.candidate)


@dataclass(frozen=True)
class ShareCap:
    """A category of blocks that reached its cap on a share of the obligation."""

    category: str
    share: Decimal
    total: Decimal
    cap: Decimal
    excess: Decimal  # not counted
    source: str


@dataclass(frozen=True)
class BidResult:
    bidder: str
    obligation: Obligation
    lines: tuple[Line, ...]
    credited: Decimal  # the lines' credit, less what share caps do not count
    suggestions: tuple[Suggestion, ...] = ()
    notes: tuple[Note, ...] = field(default=())
    share_caps: tuple[ShareCap, ...] = ()

    @property
    def base_from_bid(self) -> bool:
        return self.obligation.base_source.startswith("bid")

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
        kind=t.kind,
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
    if choice is None:
        choice = tender_menu(tender_file.tender, lines)
    menu = choice.menu
    terms = tender_terms(tender_file, menu)
    check_bids(tender_file, menu, terms, lines)
    bids = tuple(evaluate_bid(bid, tender_file, menu, terms) for bid in tender_file.bids)
    return TenderResult(tender_file, choice, terms, bids)


def tender_menu(tender: TenderInfo, lines: LineMap) -> MenuChoice:
    """The menu a tender names (a menu file relative to its file), or its municipality's; an
    unknown menu or a menu file that cannot be read is told at the tender's line."""
    try:
        base_dir = Path(lines.file).parent if lines.file != "<tender>" else None
        return resolve_tender_menu(tender.menu, tender.municipality, tender.reference_date, base_dir)
    except UnknownReferenceError as exc:
        given = "menu" if tender.menu is not None else "municipality"
        raise UnknownReferenceError([_at(p, lines, ("tender",), given) for p in exc.problems]) from None
    except InputFileError as exc:  # a menu file that cannot be read: point at the tender's line
        problems = [lines.problem("menu_file_" + p.key, ("tender",), "menu", menu_path=p.file, **p.params)
                    if p.key in ("file_not_found", "file_not_a_file") else p for p in exc.problems]
        raise InputFileError(problems) from None


def _at(problem: Problem, lines: LineMap, path: tuple, field_name: str) -> Problem:
    return lines.problem(problem.key, path, field_name, **problem.params)


def bid_base(bid: Bid, tender_file: TenderFile, terms: ObligationTerms) -> tuple[Decimal | None, str]:
    """The amount a bid's obligation is measured against, and where it came from."""
    name = terms.base
    own = getattr(bid, name)
    if own is not None:
        return own, "bid_price" if name == "contract_value" else "bid_wage_sum"
    return getattr(tender_file.tender, name), "tender_value" if name == "contract_value" else "tender_wage_sum"


def check_bids(tender_file: TenderFile, menu: Menu, terms: ObligationTerms, lines: LineMap) -> None:
    """Collect every problem with the bids before valuing anything."""
    rules = compile_rules(menu, terms)
    unknown: list[Problem] = []
    invalid: list[Problem] = []
    for b, bid in enumerate(tender_file.bids):
        if bid_base(bid, tender_file, terms)[0] is None:
            invalid.append(lines.problem("wage_sum_missing", ("bids", b), "wage_sum", bidder=bid.bidder))
        for c, contribution in enumerate(bid.contributions):
            contribution_problems(rules, contribution, lines, ("bids", b, "contributions", c), unknown, invalid)
    error = every_problem(unknown, invalid)  # every problem, in the order of the file's lines
    if error is not None:
        raise error


def contribution_problems(rules: Rules, contribution: Contribution, lines: LineMap, path: tuple,
                          unknown: list[Problem], invalid: list[Problem]) -> None:
    """A contribution's block not in the menu (to `unknown`), the facts its block needs but it lacks
    and a supplier's trede the block does not value (to `invalid`)."""
    block = rules.block(contribution.block)
    if block is None:
        unknown.append(block_problem(contribution.block, rules.menu, lines, path))
        return
    for name in rules.required_facts(contribution.block):
        if getattr(contribution, name) is None:
            invalid.append(lines.problem("fact_missing", path, name, block=contribution.block, valued=block.unit))
    trede = contribution.supplier_pso_trede
    if trede is not None and block.factor_by_trede and trede not in block.factor_by_trede:
        invalid.append(lines.problem("trede_not_in_menu", path, "supplier_pso_trede", trede=trede,
                                     block=block.id, known=", ".join(block.factor_by_trede)))


def block_problem(block_id: str, menu: Menu, lines: LineMap, path: tuple) -> Problem:
    """An unknown block, or one the chosen menu lacks, with the nearest ids."""
    key, params = unknown_block(menu, block_id)
    return lines.problem(key, path, "block", **params)


def _hundredths(value: Decimal | None) -> int:
    """Hundredths (or cents), rounded half-up: the quantities of a file count to two decimals."""
    return 0 if value is None else int((value * 100).to_integral_value(ROUND_HALF_UP))


def fact_columns(contributions: tuple[Contribution, ...], xp: Backend = PYTHON) -> FactColumns:
    """The kernel's columns for contributions from a file (quantities in hundredths, amounts in cents)."""
    col = xp.col
    numbers = {name: col([_hundredths(getattr(c, name)) for c in contributions])
               for name in NUMERIC_FACTS if name != "age"}
    flags = {name: col([bool(getattr(c, name)) for c in contributions]) for name in FLAGS}
    return FactColumns(
        **numbers, **flags,
        age=col([c.age if c.age is not None else -1 for c in contributions]),
        supplier_trede=col([TREDES.index(c.supplier_pso_trede) if c.supplier_pso_trede else -1
                            for c in contributions]),
    )


def value_contributions(rules: Rules, contributions: tuple[Contribution, ...]) -> tuple[Line, ...]:
    """Value the contributions of one bid (or one contract over its life) with the kernel."""
    blocks = [rules.row(c.block) for c in contributions]  # checked: every block is in the menu
    keys = PYTHON.col([b.key for b in blocks])
    candidates: dict[str, int] = {}
    person = PYTHON.col([candidates.setdefault(c.candidate, len(candidates)) if c.candidate else -1 - i
                         for i, c in enumerate(contributions)])
    facts = fact_columns(contributions)
    valued = value_lines(rules.blocks, keys, facts, person, rules.basis, PYTHON)
    seen: dict[tuple, int] = {}
    out = []
    for i, (c, block) in enumerate(zip(contributions, blocks)):
        same = seen.setdefault(_identity(c, block.id), i)
        present = frozenset(name for name in NUMERIC_FACTS if getattr(c, name) is not None)
        value = line_value(block, rules.basis, valued, facts, i)
        notes = line_notes(value, c.block, present, c.candidate is not None,
                           identical_to=same + 1 if same != i else None)
        out.append(Line(i, c.block, c.candidate, value, tuple(notes)))
    return tuple(out)


def _identity(c: Contribution, block_id: str) -> tuple:
    return (block_id, c.candidate, *(getattr(c, n) for n in NUMERIC_FACTS), *(getattr(c, f) for f in FLAGS),
            c.supplier_pso_trede)


def evaluate_bid(bid: Bid, tender_file: TenderFile, menu: Menu, terms: ObligationTerms) -> BidResult:
    rules = compile_rules(menu, terms)
    lines = value_contributions(rules, bid.contributions)
    base, source = bid_base(bid, tender_file, terms)
    if base is None:  # evaluate_tender's check_bids says so with the line; a caller of evaluate_bid alone hears it here
        raise InvalidInputError(Problem("wage_sum_missing", {"bidder": bid.bidder}, field="wage_sum"))
    scope = tender_file.tender.contract_value
    trede = TREDES.index(bid.pso_trede) if bid.pso_trede else -1
    col = PYTHON.col
    columns = obligations(rules.obligation, col([_hundredths(base)]), col([_hundredths(scope)]),
                          col([bid.claims_pso]), col([trede]), PYTHON)
    obligation = one_obligation(columns, 0, base_kind=terms.base, base=base, base_source=source, scope_value=scope,
                                terms=terms, trede=trede)
    caps = _share_caps(rules, lines, obligation)
    total = sum((line.credit for line in lines), ZERO)
    credited = total - sum((c.excess for c in caps), ZERO)
    notes = obligation_notes(obligation, terms.threshold_needs_kind, tuple(terms.pso_discount_by_trede))
    notes += [("note_share_cap", {"category": c.category, "share": c.share, "total": c.total, "cap": c.cap,
                                  "excess": c.excess}) for c in caps if c.excess]
    shortfall = max(ZERO, obligation.amount - credited)
    suggestions = suggestions_for(menu, shortfall, terms.hours_basis) if shortfall > 0 else ()
    return BidResult(bid.bidder, obligation, lines, credited, tuple(suggestions), tuple(notes), tuple(caps))


def _share_caps(rules: Rules, lines: tuple[Line, ...], obligation: Obligation) -> tuple[ShareCap, ...]:
    if not rules.share_caps or not lines:
        return ()
    col = PYTHON.col
    keys = [line.value.block.key for line in lines]
    found = share_excess(rules, category_codes(rules, keys, PYTHON), col([line.value.credit for line in lines]),
                         col([0] * len(lines)), col([_hundredths(obligation.amount)] * len(lines)), PYTHON)
    out = []
    for name, (total, cap, excess) in found.items():
        if total[0]:
            share = rules.menu.share_caps[list(rules.share_caps).index(name)]
            out.append(ShareCap(name, share.max_share, Decimal(total[0]).scaleb(-2), Decimal(cap[0]).scaleb(-2),
                                Decimal(excess[0]).scaleb(-2), share.source))
    return tuple(out)


def value_contribution(menu: Menu, contribution: Contribution, hours_basis: Decimal | None = None) -> Line:
    """One contribution valued on its own (as the only line of a bid) under the menu's own rule."""
    terms = terms_for(menu, hours_basis=hours_basis)
    return value_contributions(compile_rules(menu, terms), (contribution,))[0]


def compute_obligation(base: Decimal, terms: ObligationTerms, pso_certified: bool = False,
                       pso_trede: str | None = None, scope_value: Decimal | None = None) -> Obligation:
    """The obligation for one base amount (the `obligation` command): the threshold tests `scope_value`
    (the contract value) when given, else the base itself."""
    scope = base if scope_value is None else scope_value
    trede = TREDES.index(pso_trede) if pso_trede else -1
    col = PYTHON.col
    columns = obligations(compile_obligation(terms), col([_hundredths(base)]), col([_hundredths(scope)]),
                          col([pso_certified or trede >= 0]), col([trede]), PYTHON)
    return one_obligation(columns, 0, base_kind=terms.base, base=base, base_source=terms.base, scope_value=scope,
                          terms=terms, trede=trede)


__all__ = ["BidResult", "Line", "PERSON_UNITS", "ShareCap", "TenderResult", "compute_obligation", "evaluate_bid",
           "evaluate_tender", "tender_terms", "value_contribution"]
