"""A tender file that fails validation: the problems its valid parts would meet next.

`check` looks at a tender in two stages: the file's shape (pydantic), then each contribution
against the menu (blocks, the facts they need, a supplier's trede). Without this module a user who
fixes the first wave meets a second. When the tender's own header validates and its menu
resolves, every contribution that validates on its own is checked against the menu the way
`check` checks it, and those problems join the first ones, in the order of the file's lines.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from impactkit.engine.stack import contribution_problems
from impactkit.errors import ImpactkitError, Problem
from impactkit.io.tender_file import InvalidTender
from impactkit.io.yamlio import LineMap
from impactkit.menus.municipalities import resolve_tender_menu
from impactkit.menus.registry import MenuChoice
from impactkit.model.tender import Contribution, TenderInfo
from impactkit.rules.compile import compile_rules
from impactkit.rules.terms import terms_for

ChoiceFor = Callable[[date | None], MenuChoice | None]


def with_later_problems(invalid: InvalidTender, choice_for: ChoiceFor | None = None) -> list[Problem]:
    """The problems of a tender file that failed validation, and the menu problems of its valid
    contributions; `choice_for(reference_date)` gives the menu a command was asked for, if any."""
    try:
        later = _menu_problems(invalid.data, invalid.lines, choice_for)
    except (ImpactkitError, ValidationError, TypeError, ValueError):  # the header is broken too: fix that first
        return invalid.problems
    seen = {(p.line, p.field) for p in invalid.problems}
    extra = [p for p in later if (p.line, p.field) not in seen]
    return sorted(invalid.problems + extra, key=lambda p: (p.line or 0))


def _menu_named(tender: object) -> tuple[str | None, str | None, date | None]:
    """The menu, municipality and reference date a tender names, also when another of its fields
    is wrong (a reference date that cannot be read counts as none: the menu in force today)."""
    try:
        info = TenderInfo.model_validate(tender)
        return info.menu, info.municipality, info.reference_date
    except ValidationError:
        pass
    if not isinstance(tender, dict):
        return None, None, None
    menu, municipality, on = tender.get("menu"), tender.get("municipality"), tender.get("reference_date")
    return (menu if isinstance(menu, str) else None, municipality if isinstance(municipality, str) else None,
            on if isinstance(on, date) else None)


def _menu_problems(data: object, lines: LineMap, choice_for: ChoiceFor | None) -> list[Problem]:
    if not isinstance(data, dict) or not isinstance(data.get("bids"), list):
        return []
    menu, municipality, on = _menu_named(data.get("tender"))
    choice = choice_for(on) if choice_for is not None else None
    if choice is None:
        if menu is None and municipality is None:
            return []
        choice = resolve_tender_menu(menu, municipality, on, Path(lines.file).parent)
    rules = compile_rules(choice.menu, terms_for(choice.menu))
    unknown: list[Problem] = []
    invalid: list[Problem] = []
    for b, bid in enumerate(data["bids"]):
        contributions = bid.get("contributions") if isinstance(bid, dict) else None
        for c, raw in enumerate(contributions if isinstance(contributions, list) else []):
            try:
                contribution = Contribution.model_validate(raw)
            except ValidationError:  # its own problems are among the first ones
                continue
            contribution_problems(rules, contribution, lines, ("bids", b, "contributions", c), unknown, invalid)
    return unknown + invalid
