"""Menus of building blocks: the model, the shipped menus and how a menu is chosen."""

from impactkit.model.menu import Block, Bonus, Label, Menu, ObligationRule, Source
from impactkit.menus.registry import (
    MenuChoice,
    load_menu_file,
    load_menu_text,
    resolve_menu,
    shipped_menus,
)
from impactkit.menus.starter import starter_text

__all__ = [
    "Block",
    "Bonus",
    "Label",
    "Menu",
    "MenuChoice",
    "ObligationRule",
    "Source",
    "load_menu_file",
    "load_menu_text",
    "resolve_menu",
    "shipped_menus",
    "starter_text",
]
