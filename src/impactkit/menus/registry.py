"""The shipped menus (package data) and how a reference picks one menu version.

A reference is a menu id (the version in force on a date, else the newest), ``id@version``,
or the path of a user's own menu file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from pydantic import ValidationError

from impactkit.errors import InvalidInputError, Problem, UnknownReferenceError
from impactkit.model.menu import Menu
from impactkit.io.validation import problems_from_validation
from impactkit.io.yamlio import parse_yaml, read_text

SHIPPED_PACKAGE = "impactkit.blocks"


@dataclass(frozen=True)
class MenuChoice:
    """A menu and how it was chosen (notes are message keys with parameters)."""

    menu: Menu
    origin: str  # "shipped" or the path of a user's menu file
    notes: tuple[tuple[str, dict], ...] = field(default=())


def load_menu_text(text: str, file: str) -> Menu:
    """Parse and validate one menu document; every problem is reported with its line."""
    data, lines = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise InvalidInputError(lines.problem("value_not_mapping", (), None, got=type(data).__name__))
    try:
        menu = Menu.model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(problems_from_validation(exc, lines, model=Menu)) from None
    refs = menu.reference_problems()
    if refs:
        raise InvalidInputError([_located(lines, path, key, params) for path, key, params in refs])
    return menu


def _located(lines, path: tuple, key: str, params: dict) -> Problem:
    if isinstance(path[-1], str):
        return lines.problem(key, path[:-1], path[-1], **params)
    return lines.problem(key, path, None, **params)


def load_menu_file(path: Path) -> Menu:
    return load_menu_text(read_text(path), str(path))


@lru_cache(maxsize=1)
def shipped_menus() -> tuple[Menu, ...]:
    """Every menu version shipped with impactkit, sorted by id and edition."""
    menus = []
    for entry in files(SHIPPED_PACKAGE).iterdir():
        if entry.name.endswith(".yaml"):
            menus.append(load_menu_text(entry.read_text(encoding="utf-8"), f"blocks/{entry.name}"))
    return tuple(sorted(menus, key=lambda m: (m.id, m.edition)))


def shipped_text(menu: Menu) -> str:
    """The YAML text of a shipped menu version."""
    for entry in files(SHIPPED_PACKAGE).iterdir():
        if entry.name == f"{menu.id}@{menu.version}.yaml":
            return entry.read_text(encoding="utf-8")
    raise UnknownReferenceError(Problem("menu_unknown", {"ref": menu.ref, "hint": ""}))


def _looks_like_path(ref: str) -> bool:
    return "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml"))


def resolve_menu(ref: str, on: date | None = None, base_dir: Path | None = None) -> MenuChoice:
    """Choose a menu version for a reference, optionally in force on a date.

    A relative path is taken from `base_dir` (the folder of the tender file) when given.
    """
    ref = ref.strip()
    if _looks_like_path(ref) or (Path(ref).is_file() and "@" not in ref):
        path = Path(ref)
        if base_dir is not None and not path.is_absolute():
            path = base_dir / path
        menu = load_menu_file(path)
        notes = []
        if on is not None and menu.valid_from is not None and menu.valid_from > on:
            notes.append(("menu_not_yet_valid", {"ref": menu.ref, "valid_from": menu.valid_from, "date": on}))
        return MenuChoice(menu, origin=str(path), notes=tuple(notes))

    menus = shipped_menus()
    menu_id, _, version = ref.partition("@")
    versions = [m for m in menus if m.id == menu_id]
    if not versions:
        ids = sorted({m.id for m in menus})
        raise UnknownReferenceError(
            Problem("menu_unknown", {"ref": ref, "hint": _hint(menu_id, ids), "known": ", ".join(ids)})
        )
    if version:
        match = [m for m in versions if m.version == version]
        if not match:
            known = ", ".join(m.ref for m in versions)
            raise UnknownReferenceError(Problem("menu_version_unknown", {"ref": ref, "known": known}))
        return MenuChoice(match[0], origin="shipped", notes=_explicit_notes(match[0], on))
    return in_force(versions, on)


def _explicit_notes(menu: Menu, on: date | None) -> tuple:
    if on is not None and menu.valid_from is not None and menu.valid_from > on:
        return (("menu_not_yet_valid", {"ref": menu.ref, "valid_from": menu.valid_from, "date": on}),)
    return ()


def in_force(versions: list[Menu], on: date | None) -> MenuChoice:
    newest = max(versions, key=lambda m: m.edition)
    if on is None:
        notes = []
        if len(versions) > 1:
            notes.append(("menu_newest_chosen", {"ref": newest.ref, "id": newest.id}))
        return MenuChoice(newest, origin="shipped", notes=tuple(notes))
    dated = [m for m in versions if m.valid_from is not None and m.valid_from <= on]
    if dated:
        chosen = max(dated, key=lambda m: (m.valid_from, m.edition))
        return MenuChoice(chosen, origin="shipped")
    undated = [m for m in versions if m.valid_from is None]
    if undated:
        chosen = max(undated, key=lambda m: m.edition)
        return MenuChoice(
            chosen, origin="shipped", notes=(("menu_validity_unknown", {"ref": chosen.ref, "id": chosen.id}),)
        )
    earliest = min(versions, key=lambda m: m.valid_from or date.max)  # here every version has its date
    raise UnknownReferenceError(
        Problem(
            "menu_not_in_force",
            {"id": earliest.id, "date": on, "valid_from": earliest.valid_from, "ref": earliest.ref},
        )
    )


def _hint(word: str, options: list[str]) -> str:
    return ", ".join(difflib.get_close_matches(word, options, n=3, cutoff=0.5))


def menus_with_block(block_id: str) -> list[str]:
    """Refs of the shipped menus that have a block (or alias) with this id."""
    return [m.ref for m in shipped_menus() if m.block(block_id) is not None]


def all_block_ids() -> list[str]:
    return sorted({b.id for m in shipped_menus() for b in m.blocks})
