"""The bridge from an impact enterprise to its customers' social return: per shipped menu, what
part of a buyer's order from the enterprise counts (invoice, labour cost, wage cost), who is
recognised according to which source, the PSO route, and the enterprise's own region.

Valuation is not done here: every credit comes from `impactkit.engine.bridge.purchase_credits`,
the same code `check` uses. This module only decides which amount to ask it about and says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from impactkit.assess.answers import Assessment
from impactkit.assess.model import Catalogue, Cited, NoPurchaseBlock, PsoRoute, Recognition, Region, municipality_key
from impactkit.engine.bridge import purchase_credits
from impactkit.menus import Block, Menu, shipped_menus

ORDER = Decimal(10000)  # the example order, excl. VAT
CENT = Decimal("0.01")
PART_BASES = ("labour_cost", "wage_cost")  # only a part of the order counts


@dataclass(frozen=True)
class PurchaseRow:
    """One purchase block of one menu, seen from the enterprise."""

    menu: Menu
    block: Block
    basis: str  # invoice, labour_cost, wage_cost or costs
    wording: str | None  # the source's wording where impactkit records it
    amount: Decimal | None  # the part of the example order that counts as the basis (None: not known)
    credit: Decimal | None  # what that amount is worth (purchase_credits), None when the amount is not known
    criterion: str  # sw_company, recognition (criteria stated for this menu), not_published
    recognition: Recognition | None
    eligible: bool | None  # None: not answered, or the buyer decides
    own_trede: str | None = None  # the enterprise's PSO trede as the menu names them ("1", "30+")

    @property
    def factor(self) -> Decimal:
        return self.block.factor

    @property
    def by_trede(self) -> dict[str, Decimal]:
        """The share of the invoice that counts per PSO trede of the supplier, where the menu says so."""
        return {trede: share for trede, share in (self.block.factor_by_trede or {}).items()}


@dataclass(frozen=True)
class MenuBridge:
    menu: Menu
    rows: tuple[PurchaseRow, ...]
    no_block: NoPurchaseBlock | None  # what is known about purchases in a menu without a purchase block
    local: bool  # the menu names the enterprise's municipality (or its region does)

    @property
    def pso_discount(self) -> Decimal | None:
        return self.menu.obligation.pso_discount

    @property
    def pso_discount_by_trede(self) -> dict[str, Decimal]:
        return dict(getattr(self.menu.obligation, "pso_discount_by_trede", None) or {})


@dataclass(frozen=True)
class OwnRegion:
    municipality: str | None
    region: Region | None  # impactkit's notes on the municipality's region
    named: tuple[Menu, ...]  # shipped menus that name the municipality
    via_region: tuple[Menu, ...]  # shipped menus the region's notes point to

    @property
    def menus(self) -> tuple[Menu, ...]:
        return self.named + self.via_region

    @property
    def note(self) -> Region | None:
        """The region's notes, unless a shipped menu names the municipality itself."""
        return None if self.named and not self.via_region else self.region


@dataclass(frozen=True)
class Bridge:
    menus: tuple[MenuBridge, ...]
    own: OwnRegion
    reference: tuple[tuple[Recognition, bool | None], ...]  # published criteria, and whether they are met
    pso: PsoRoute  # the PSO route facts
    pso_level: str | None
    labour_cost_share: Decimal | None
    order: Decimal = ORDER
    sources: tuple[Cited, ...] = field(default=())

    @property
    def with_purchases(self) -> list[MenuBridge]:
        return [m for m in self.menus if m.rows]

    @property
    def without_purchases(self) -> list[MenuBridge]:
        return [m for m in self.menus if not m.rows]


def newest_menus() -> list[Menu]:
    newest: dict[str, Menu] = {}
    for menu in shipped_menus():
        if menu.id not in newest or menu.edition > newest[menu.id].edition:
            newest[menu.id] = menu
    return sorted(newest.values(), key=lambda m: m.id)


def applies(assessment: Assessment) -> bool:
    """The bridge is shown to enterprises that employ people from the target groups."""
    return "arbeidsparticipatie" in assessment.themes or bool(assessment.bridge)


def part_of_order(share: Decimal | None, order: Decimal = ORDER) -> Decimal | None:
    """The labour-cost part of an order (half-up to cents), from the enterprise's labour-cost share."""
    if share is None:
        return None
    return (order * share / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def meets(recognition: Recognition, assessment: Assessment) -> bool | None:
    staff = assessment.bridge.get("target_group_staff_share")
    trade = assessment.bridge.get("trade_income_share")
    if staff is None or trade is None:
        return None
    return staff >= recognition.staff_min and trade >= recognition.trade_min


def menu_trede(level: str | None) -> str | None:
    """The enterprise's PSO level as menus name tredes: trede_2 -> "2", 30_plus -> "30+"."""
    if level is None or not (level.startswith("trede_") or level == "30_plus"):
        return None
    return "30+" if level == "30_plus" else level.removeprefix("trede_")


def _basis(cat: Catalogue, menu: Menu, block: Block) -> tuple[str, str | None]:
    recorded = cat.bridge.basis(menu.id, menu.version, block.id)
    if recorded is not None:
        return recorded.basis, recorded.wording
    if block.factor_by_trede:
        return "by_trede", None
    return ("costs" if block.unit == "actual_cost" else "invoice"), None


def _credits(menu: Menu, amount: Decimal) -> dict[str, Decimal]:
    return {c.block.id: c.credit for c in purchase_credits(menu, amount)}


def menu_bridge(cat: Catalogue, menu: Menu, assessment: Assessment, local: bool) -> MenuBridge:
    rows = []
    share = assessment.bridge.get("labour_cost_share")
    whole = {c.block.id: c for c in purchase_credits(menu, ORDER)}
    for credit in whole.values():
        block = credit.block
        basis, wording = _basis(cat, menu, block)
        amount: Decimal | None = ORDER
        value: Decimal | None = credit.credit
        if basis in PART_BASES:
            amount = part_of_order(share)
            value = None if amount is None else _credits(menu, amount).get(block.id)
        elif basis in ("costs", "by_trede"):
            # the costs as evidenced, or a share by the supplier's PSO trede: no figure without them
            amount = value = None
        recognition = None
        if block.id == "sw_inkoop":
            criterion = "sw_company"
            eligible = assessment.bridge.get("sw_company")
        else:
            recognition = cat.bridge.recognition_for(menu.id)
            criterion = "recognition" if recognition else "not_published"
            eligible = meets(recognition, assessment) if recognition else None
        rows.append(PurchaseRow(menu, block, basis, wording, amount, value, criterion, recognition, eligible,
                                menu_trede(assessment.bridge.get("pso"))))
    no_block = None if rows else cat.bridge.no_purchase(menu.id)
    return MenuBridge(menu, tuple(rows), no_block, local)


def own_region(cat: Catalogue, municipality: str | None, menus: list[Menu]) -> OwnRegion:
    key = municipality_key(municipality)
    region = cat.bridge.region_of(municipality)
    named = [m for m in menus if key and key in {municipality_key(x) for x in m.municipalities}]
    via = [m for m in menus if region is not None and m.id in region.menus and m not in named]
    return OwnRegion(municipality, region, tuple(named), tuple(via))


def bridge(cat: Catalogue, assessment: Assessment) -> Bridge:
    menus = newest_menus()
    own = own_region(cat, assessment.municipality, menus)
    local_ids = {m.id for m in own.menus}
    parts = [menu_bridge(cat, m, assessment, m.id in local_ids) for m in menus]
    parts.sort(key=lambda p: (not p.local, not p.rows, p.menu.id))
    reference = tuple((r, meets(r, assessment)) for r in cat.bridge.recognition)
    return Bridge(tuple(parts), own, reference, cat.bridge.pso, assessment.bridge.get("pso"),
                  assessment.bridge.get("labour_cost_share"))
