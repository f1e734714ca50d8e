"""A block as people name it: its id, its Dutch or English label, or the template's "Label [id]".

Every command that reads a block from a user's file finds it here, and every "unknown block"
message takes its nearest blocks from here, comparing the labels as well as the ids (a sheet
says "WW uitkering" where the menu's id is `ww` and its label "WW-uitkering").
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from impactkit.model.menu import Menu

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_QUALIFIER = re.compile(r"\([^)]*\)")
CUTOFF = 0.6


def normal(text: str) -> str:
    """Case, accents, spaces, hyphens and punctuation aside: "WW uitkering" -> "wwuitkering"."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    return _NOT_ALNUM.sub("", plain)


def _names(block) -> tuple[set[str], set[str]]:
    """(exact names, names without a qualifier) of a block, normalised: its id and its labels; a
    label without its part in brackets ("Opleiding en bijzondere begeleiding (gemaakte kosten)")."""
    exact = {normal(block.id)}
    short = set()
    if block.label is not None:
        for text in (block.label.nl, block.label.en):
            exact.add(normal(text))
            short.add(normal(_QUALIFIER.sub(" ", text)))
    return exact - {""}, short - {""}


def find_block(menu: Menu, text: str) -> str | None:
    """The id of the block `text` names in `menu`, or None.

    Taken as naming a block: its id, "Label [id]" (the template's dropdown), its Dutch or English
    label, or that label without its part in brackets where no other block's label reads the same,
    each compared without regard to case, accents, spaces, hyphens and punctuation."""
    text = str(text).strip()
    if menu.block(text) is not None:
        return text
    if text.endswith("]") and "[" in text:
        inner = text[text.rfind("[") + 1:-1].strip()
        return inner if menu.block(inner) is not None else None
    key = normal(text)
    if not key:
        return None
    for rank in (0, 1):
        found = {block.id for block in menu.blocks if key in _names(block)[rank]}
        if len(found) == 1:
            return found.pop()
        if found:
            return None
    return None


def _score(key: str, names: set[str]) -> float:
    best = 0.0
    for name in names:
        ratio = difflib.SequenceMatcher(None, key, name).ratio()
        if len(key) >= 3 and len(name) >= 3 and (key in name or name in key):
            ratio = max(ratio, 0.8)
        best = max(best, ratio)
    return best


def nearest_blocks(menu: Menu, text: str, other_ids=(), n: int = 3) -> list[str]:
    """The ids of the blocks of `menu` nearest to `text`, comparing ids and labels; when none is
    near, the nearest of `other_ids` (blocks of other menus) by their ids."""
    key = normal(text)
    scored = []
    for position, block in enumerate(menu.blocks):
        exact, short = _names(block)
        score = _score(key, exact | short) if key else 0.0
        if score >= CUTOFF:
            scored.append((-score, position, block.id))
    near = [block_id for _, _, block_id in sorted(scored)[:n]]
    if near or not other_ids:
        return near
    return difflib.get_close_matches(str(text).strip().lower(), sorted(other_ids), n=n, cutoff=0.5)


def bonus_named(menu: Menu, text: str) -> dict | None:
    """When `text` names one of the menu's bonuses (given where a block belongs): the blocks that
    carry it and the fact that earns it, for the message that says how to claim it."""
    key = normal(text)
    for bonus in menu.bonuses:
        if key == normal(bonus.id):
            blocks = [b.id for b in menu.blocks if bonus.id in b.bonuses]
            condition = (f"age: {bonus.when.age_min}" if bonus.when.age_min is not None
                         else f"{bonus.when.flag}: ja")
            return {"bonus": bonus.id, "blocks": ", ".join(blocks) or "-", "condition": condition}
    return None


def unknown_block(menu: Menu, text: str, every_id=None) -> tuple[str, dict]:
    """Why `text` names no block of `menu`, as (message key, its parameters), the same for every
    command: a block of other menus only (which have it, and the nearest here), one of the menu's
    bonuses given as a block (which blocks carry it), or no block at all (the nearest ids)."""
    from impactkit.menus.registry import all_block_ids, menus_with_block

    every_id = set(all_block_ids()) if every_id is None else every_id
    if text in every_id:
        return "block_not_in_menu", {"block": text, "menu": menu.ref,
                                     "hint": ", ".join(nearest_blocks(menu, text)) or "-",
                                     "elsewhere": ", ".join(menus_with_block(text)) or "-"}
    bonus = bonus_named(menu, text)
    if bonus is not None:
        return "block_is_bonus", {"menu": menu.ref, **bonus}
    near = nearest_blocks(menu, text, every_id | {b.id for b in menu.blocks})
    return "block_unknown", {"block": text, "menu": menu.ref, "hint": ", ".join(near) or "-"}
