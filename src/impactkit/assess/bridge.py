"""The bridge from an impact enterprise to social return: in which shipped menus a buyer's
purchase from it counts, what EUR 10,000 is worth there, and whether it meets the criteria."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from impactkit.assess.answers import Assessment
from impactkit.engine.bridge import purchase_credits
from impactkit.menus import Block, Menu, shipped_menus

# Recognition of a social enterprise as stated in the domain notes (Haaglanden, [V]):
STAFF_MIN = Decimal(30)  # % of staff with a distance to the labour market
TRADE_MIN = Decimal(50)  # % of income from trade
CRITERIA_SOURCE = "https://www.sociaalondernemenhaaglanden.nl/"
ORDER = Decimal(10000)


@dataclass(frozen=True)
class BridgeRow:
    menu: Menu
    block: Block
    credit: Decimal  # what a EUR 10,000 order counts for
    eligible: bool | None  # None: not enough answers to tell
    reason: str  # message key


def newest_menus() -> list[Menu]:
    newest: dict[str, Menu] = {}
    for menu in shipped_menus():
        if menu.id not in newest or menu.edition > newest[menu.id].edition:
            newest[menu.id] = menu
    return list(newest.values())


def eligibility(block_id: str, assessment: Assessment) -> tuple[bool | None, str]:
    answers = assessment.bridge
    if block_id == "sw_inkoop":
        sw = answers.get("sw_company")
        if sw is None:
            return None, "bridge_sw_unknown"
        return (True, "bridge_sw_yes") if sw else (False, "bridge_sw_no")
    staff, trade = answers.get("target_group_staff_share"), answers.get("trade_income_share")
    if staff is None or trade is None:
        return None, "bridge_criteria_unknown"
    if staff >= STAFF_MIN and trade >= TRADE_MIN:
        return True, "bridge_criteria_met"
    return False, "bridge_criteria_not_met"


def bridge_rows(assessment: Assessment) -> list[BridgeRow]:
    rows = []
    for menu in newest_menus():
        for credit in purchase_credits(menu, ORDER):
            eligible, reason = eligibility(credit.block.id, assessment)
            rows.append(BridgeRow(menu, credit.block, credit.credit, eligible, reason))
    return rows


def applies(assessment: Assessment) -> bool:
    """The bridge is shown to enterprises that employ people from the target groups."""
    return "arbeidsparticipatie" in assessment.themes or bool(assessment.bridge)
