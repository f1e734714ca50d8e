"""The blocks of every menu a batch uses, compiled once, with one key per (menu, block as entered)."""

from __future__ import annotations

from dataclasses import dataclass

from impactkit.model.menu import Menu
from impactkit.rules.compile import CompiledBlock, Rules, compile_rules
from impactkit.rules.terms import terms_for


@dataclass
class BlockIndex:
    """`entries` numbers each (menu ref, block id as entered); `blocks` are the valuing blocks of all
    menus one after the other (the kernel's keys), so one call values rows of many menus."""

    menus: dict[str, Menu]
    rules: dict[str, Rules]  # per menu ref, under the menu's own terms (for blocks and share caps)
    blocks: list[CompiledBlock]
    entries: dict[tuple[str, str], int]
    entry_key: list[int]  # entry -> position in `blocks`
    entry_id: list[str]  # entry -> the block id as entered
    entry_menu: list[str]

    def block_of_entry(self, entry: int) -> CompiledBlock:
        return self.blocks[self.entry_key[entry]]


def block_index(menus: list[Menu]) -> BlockIndex:
    index = BlockIndex({}, {}, [], {}, [], [], [])
    for menu in menus:
        if menu.ref in index.menus:
            continue
        rules = compile_rules(menu, terms_for(menu))
        offset = len(index.blocks)
        index.menus[menu.ref] = menu
        index.rules[menu.ref] = rules
        index.blocks.extend(rules.blocks)
        for block_id, compiled in rules.by_id.items():
            index.entries[(menu.ref, block_id)] = len(index.entry_key)
            index.entry_key.append(offset + compiled.key)
            index.entry_id.append(block_id)
            index.entry_menu.append(menu.ref)
    return index
