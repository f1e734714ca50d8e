"""The bridge from social enterprises to social return: what a purchase is worth to a buyer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from impactkit.engine.stack import value_contribution
from impactkit.model.menu import Block, Menu
from impactkit.model.tender import Contribution

PURCHASE_BLOCKS = ("sw_inkoop", "sociale_onderneming_inkoop")


@dataclass(frozen=True)
class PurchaseCredit:
    menu: Menu
    block: Block
    amount: Decimal
    credit: Decimal


def purchase_credits(menu: Menu, amount: Decimal = Decimal(10000)) -> list[PurchaseCredit]:
    """What an order of `amount` (excl. VAT) from an SW company or social enterprise counts for."""
    out = []
    for block_id in PURCHASE_BLOCKS:
        block = menu.resolve(block_id)
        if block is None:
            continue
        line = value_contribution(menu, Contribution(block=block_id, amount=amount))
        out.append(PurchaseCredit(menu, block, amount, line.credit))
    return out
