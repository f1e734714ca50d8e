"""Starting one's own menu from a shipped one, and noticing a copy that was never made one's own.

`starter_text` keeps the structure and the values to edit (blocks, bonuses, the obligation
rule) and drops what belongs to the copied region: its id and name, municipalities, sources,
assumptions, eligibility rules, notes and rows not computed. Every row then cites one
placeholder source, which `copy_warnings` (and `impactkit menus validate`) points out until it
is replaced, as it points out values still equal to a shipped menu's.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import yaml

from impactkit.menus.registry import resolve_menu, shipped_menus
from impactkit.model.menu import Menu

PLACEHOLDER_URL = "https://example.org/replace-with-the-page-your-values-come-from"
OWN_SOURCE = "own"
_DROPPED = ("region", "municipalities", "municipalities_note", "municipalities_source", "more_municipalities",
            "coordination", "source_status", "not_encoded", "valid_from_note", "status_note", "assumptions",
            "eligibility", "edition", "obligation_sources")


def menu_id_from(text: str | None) -> str:
    """A menu id from a file name or a word: lower case letters, digits and dashes."""
    word = re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")
    return word[:64] or "my-menu"


def starter_text(source_ref: str, new_id: str = "my-menu") -> str:
    """A copy of a menu, prepared as the start of a user's own menu with the id `new_id`."""
    menu = resolve_menu(source_ref).menu
    data = menu.model_dump(mode="python", by_alias=True, exclude_defaults=True)
    for name in _DROPPED:
        data.pop(name, None)
    data = {"schema": 1, "id": new_id, "version": "1",
            "name": f"{new_id} (started from {menu.ref}; replace with your region's name)",
            "municipalities": [],
            **{k: v for k, v in data.items() if k not in ("schema", "id", "version", "name")}}
    data["valid_from"] = "unknown"
    data["status"] = "complete"
    data["sources"] = [{"id": OWN_SOURCE, "url": PLACEHOLDER_URL,
                        "title": "REPLACE: the page or document of your region that states these values",
                        "recorded": date.today()}]
    data["obligation"] = {**menu.obligation.model_dump(mode="python"), "source": OWN_SOURCE}
    for share_cap in data.get("share_caps", []):
        share_cap["source"] = OWN_SOURCE
    for bonus in data.get("bonuses", []):
        bonus["source"] = OWN_SOURCE
        bonus["label"], bonus["when"] = _Flow(bonus["label"]), _Flow(bonus["when"])
    for block in data["blocks"]:
        block.pop("note", None)
        if "label" in block:
            block["label"] = _Flow(block["label"])
        if "bonuses" in block:
            block["bonuses"] = _FlowList(block["bonuses"])
        if "source" in block:
            block["source"] = OWN_SOURCE
    header = (
        f"# Your own menu, started from impactkit's {menu.ref}.\n"
        "# The copied region's sources, assumptions and municipalities are left out. Change name,\n"
        "# municipalities, valid_from, the source (every value must come from it) and the values;\n"
        "# list under `assumptions` every rule you follow where your source is silent.\n"
        "# Check it with: impactkit menus validate FILE\n"
    )
    return header + yaml.dump(_plain(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                              default_flow_style=False, width=1000)


class _Flow(dict):
    """A mapping written on one line ({nl: ..., en: ...})."""


class _FlowList(list):
    """A list written on one line ([a, b])."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _plain(value):
    """Decimals as YAML numbers (whole) or quoted decimals (rates), recursively; flow containers kept."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) >= 1 else str(value)
    if isinstance(value, _Flow):
        return _Flow({k: _plain(v) for k, v in value.items()})
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, _FlowList):
        return _FlowList(_plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _signature(menu: Menu) -> tuple:
    """What a menu credits: its rule, blocks and bonuses without labels, notes or sources."""
    rule = menu.obligation.model_dump(exclude={"source", "assumed"})
    blocks = sorted((b.id, b.alias_of, b.unit, b.value, b.factor, b.cap_months, b.min_hours_per_week,
                     tuple(sorted(b.bonuses))) for b in menu.blocks)
    bonuses = sorted((b.id, b.value, b.group, b.one_off, b.when.age_min, b.when.flag) for b in menu.bonuses)
    return (tuple(sorted(rule.items())), menu.hours_basis, tuple(blocks), tuple(bonuses))


def copy_warnings(menu: Menu) -> list[tuple[str, dict]]:
    """Warnings for a user's menu that is still a copy: placeholder sources, a shipped menu's values or id."""
    out: list[tuple[str, dict]] = []
    for src in menu.sources:
        if src.url == PLACEHOLDER_URL:
            out.append(("menu_placeholder_source", {"id": src.id}))
    shipped = shipped_menus()
    if any(m.ref == menu.ref and m == menu for m in shipped):
        return out  # a shipped menu itself
    mine = _signature(menu)
    same = [m.ref for m in shipped if _signature(m) == mine]
    if same:
        out.append(("menu_unchanged_copy", {"ref": same[0]}))
    if any(m.id == menu.id for m in shipped):
        out.append(("menu_id_shipped", {"id": menu.id}))
    return out
