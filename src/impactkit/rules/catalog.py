"""The blocks of several menus compiled once, with one key per (menu, block as entered).

The batch scorer and the monitor value rows of many menus in one call of the kernel: `blocks`
holds every menu's valuing blocks one after the other, and `entries` finds a row's block.
"""

from __future__ import annotations

from dataclasses import dataclass

from impactkit.model.menu import Menu
from impactkit.rules.compile import CompiledBlock, Rules, compile_rules
from impactkit.rules.terms import terms_for


@dataclass
class BlockIndex:
    """`entries` numbers each (menu position, block id as entered); `blocks` are the valuing blocks of
    all menus one after the other (the kernel's keys), so one call values rows of many menus. Menus
    are told apart by identity, not by reference: a ledger may hold two texts of one menu version."""

    menus: list[Menu]
    rules: list[Rules]  # per menu, under the menu's own terms (for blocks and share caps)
    blocks: list[CompiledBlock]
    entries: dict[tuple[int, str], int]
    entry_key: list[int]  # entry -> position in `blocks`
    entry_id: list[str]  # entry -> the block id as entered
    entry_menu: list[int]  # entry -> position in `menus`

    def block_of_entry(self, entry: int) -> CompiledBlock:
        return self.blocks[self.entry_key[entry]]

    def position(self, menu: Menu) -> int:
        return next(i for i, m in enumerate(self.menus) if m is menu)


def block_index(menus: list[Menu]) -> BlockIndex:
    """Every menu compiled under its own terms (the tender's terms only change the obligation and the
    hours basis, which the kernel takes per row)."""
    index = BlockIndex([], [], [], {}, [], [], [])
    for menu in menus:
        if any(m is menu for m in index.menus):
            continue
        rules = compile_rules(menu, terms_for(menu))
        position = len(index.menus)
        offset = len(index.blocks)
        index.menus.append(menu)
        index.rules.append(rules)
        index.blocks.extend(rules.blocks)
        for block_id, compiled in rules.by_id.items():
            index.entries[(position, block_id)] = len(index.entry_key)
            index.entry_key.append(offset + compiled.key)
            index.entry_id.append(block_id)
            index.entry_menu.append(position)
    return index
