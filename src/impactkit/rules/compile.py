"""A menu and a tender's terms, compiled into exact integer coefficients for the kernel.

Values become cents, quantities hundredths, shares and rates exact fractions (numerator,
denominator). The menu model already limits every field to what these represent exactly (two
decimals for values, caps and hours, four for shares); compiling checks it again and refuses
anything else, so the kernel never rounds a menu value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from impactkit.model.facts import FLAGS, TREDES
from impactkit.model.menu import Block, Bonus, Menu, Unit
from impactkit.rules.columns import Column
from impactkit.rules.terms import ObligationTerms

Ratio = tuple[int, int]  # numerator, denominator


def scaled(value: Decimal, scale: int, what: str) -> int:
    """`value` x `scale` as an exact integer; refuses a value with more decimals than it allows."""
    product = Decimal(value) * scale
    if product != product.to_integral_value():
        raise ValueError(f"{what} {value} has more decimals than impactkit computes exactly")
    return int(product)


def ratio(value: Decimal) -> Ratio:
    f = Fraction(Decimal(value))
    return f.numerator, f.denominator


@dataclass(frozen=True, eq=False)
class CompiledBonus:
    bonus: Bonus
    position: int  # in the block's list of bonuses
    value: int  # cents
    age_min: int | None
    flag: str | None
    group: str | None
    one_off: bool


@dataclass(frozen=True, eq=False)
class CompiledBlock:
    key: int  # position in Rules.blocks
    block: Block  # the valuing block (an alias resolved)
    unit: Unit
    value: int  # cents; 0 for units that take the amount given
    cap: int | None  # hundredths of months
    min_hours: int | None  # hundredths of hours a week
    factor: Ratio | None  # None: only the supplier's PSO trede decides (factor_by_trede)
    factor_by_trede: dict[str, Ratio]
    bonuses: tuple[CompiledBonus, ...]  # highest value first: the order exclusive groups are decided in
    category: str | None

    @property
    def id(self) -> str:
        return self.block.id


NONE = -1  # "not stated", for integer fields that are never negative


@dataclass(frozen=True, eq=False)
class CompiledObligation:
    """The obligation rule as integers. Each field is one number, or a column with one number per
    bid (the batch scorer's tenders each have their own terms); NONE where the rule is silent."""

    rate_num: Column
    rate_den: Column
    threshold: Column  # cents
    inclusive: Column  # bool
    cap: Column  # cents
    flat_num: Column  # the PSO discount for any certified contractor
    flat_den: Column
    trede_num: tuple[int, ...]  # the PSO discount per trede, by position in TREDES
    trede_den: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Rules:
    """Everything the kernel needs to value lines and obligations under one menu and one tender's terms."""

    menu: Menu
    terms: ObligationTerms
    basis: int  # hundredths of hours a week
    blocks: tuple[CompiledBlock, ...]
    by_id: dict[str, CompiledBlock]  # every block id of the menu, aliases included
    obligation: CompiledObligation
    share_caps: dict[str, tuple[Ratio, str]]  # category -> (max share, source id)

    def block(self, block_id: str) -> CompiledBlock | None:
        return self.by_id.get(block_id)

    def row(self, block_id: str) -> CompiledBlock:
        """The block that values `block_id`, for an id known to be in the menu (a checked line's)."""
        found = self.by_id.get(block_id)
        if found is None:
            raise KeyError(f"{self.menu.ref} has no block {block_id!r}")
        return found

    def required_facts(self, block_id: str) -> tuple[str, ...]:
        from impactkit.model.facts import REQUIRED_FACTS

        compiled = self.by_id[block_id]
        extra = ("supplier_pso_trede",) if compiled.factor is None else ()
        return REQUIRED_FACTS[compiled.unit] + extra


def _bonus(menu: Menu, bonus_id: str, position: int) -> CompiledBonus | None:
    bonus = menu.bonus(bonus_id)
    if bonus is None:
        return None
    flag = bonus.when.flag
    assert flag is None or flag in FLAGS
    return CompiledBonus(bonus, position, scaled(bonus.value, 100, f"bonus {bonus.id}"), bonus.when.age_min, flag,
                         bonus.group, bonus.one_off)


def _block(menu: Menu, block: Block, key: int) -> CompiledBlock:
    bonuses = [b for b in (_bonus(menu, bid, i) for i, bid in enumerate(block.bonuses)) if b is not None]
    bonuses.sort(key=lambda b: (-b.value, b.position))
    by_trede: dict[str, Ratio] = {t: ratio(share) for t, share in (block.factor_by_trede or {}).items()}
    # a block that states only a factor per trede has no general factor: the trede is needed
    factor = ratio(block.factor) if not by_trede or "factor" in block.model_fields_set else None
    return CompiledBlock(
        key=key,
        block=block,
        unit=block.row_unit,
        value=scaled(block.value, 100, f"value of {block.id}") if block.value is not None else 0,
        cap=scaled(block.cap_months, 100, f"cap_months of {block.id}") if block.cap_months is not None else None,
        min_hours=(scaled(block.min_hours_per_week, 100, f"min_hours_per_week of {block.id}")
                   if block.min_hours_per_week is not None else None),
        factor=factor,
        factor_by_trede=by_trede,
        bonuses=tuple(bonuses),
        category=block.category,
    )


_OBLIGATIONS: dict[ObligationTerms, CompiledObligation] = {}


def compile_obligation(terms: ObligationTerms) -> CompiledObligation:
    """The obligation rule of `terms` as integers (compiled once per distinct terms)."""
    found = _OBLIGATIONS.get(terms)
    if found is None:
        if len(_OBLIGATIONS) > 10_000:
            _OBLIGATIONS.clear()
        found = _OBLIGATIONS[terms] = _compile_obligation(terms)
    return found


def _compile_obligation(terms: ObligationTerms) -> CompiledObligation:
    rate = ratio(terms.rate)
    flat = ratio(terms.pso_discount) if terms.pso_discount is not None else (NONE, 1)
    tredes = [ratio(terms.pso_discount_by_trede[t]) if t in terms.pso_discount_by_trede else (NONE, 1)
              for t in TREDES]
    return CompiledObligation(
        rate_num=rate[0], rate_den=rate[1],
        threshold=scaled(terms.threshold, 100, "threshold") if terms.threshold is not None else NONE,
        inclusive=terms.threshold_inclusive,
        cap=scaled(terms.cap, 100, "cap") if terms.cap is not None else NONE,
        flat_num=flat[0], flat_den=flat[1],
        trede_num=tuple(t[0] for t in tredes), trede_den=tuple(t[1] for t in tredes),
    )


_CACHE: dict[tuple[int, ObligationTerms], Rules] = {}


def compile_rules(menu: Menu, terms: ObligationTerms) -> Rules:
    """Compile once per menu and terms (both are immutable)."""
    key = (id(menu), terms)
    found = _CACHE.get(key)
    if found is not None and found.menu is menu:
        return found
    if len(_CACHE) > 256:
        _CACHE.clear()
    rules = _compile(menu, terms)
    _CACHE[key] = rules
    return rules


def _compile(menu: Menu, terms: ObligationTerms) -> Rules:
    blocks: list[CompiledBlock] = []
    by_id: dict[str, CompiledBlock] = {}
    for block in menu.blocks:
        if block.alias_of is None:
            compiled = _block(menu, block, len(blocks))
            blocks.append(compiled)
            by_id[block.id] = compiled
    for block in menu.blocks:
        if block.alias_of is not None and block.alias_of in by_id:
            by_id[block.id] = by_id[block.alias_of]
    caps = {c.category: (ratio(c.max_share), c.source) for c in menu.share_caps}
    return Rules(menu, terms, scaled(terms.hours_basis, 100, "hours_basis"), tuple(blocks), by_id,
                 compile_obligation(terms), caps)
