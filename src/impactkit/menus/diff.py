"""What changed between two menus or two versions of one menu.

The comparison works on the menus' data (``model_dump``), so every field counts, including
fields added to the model later: blocks and bonuses are matched by id (added, removed, and
each changed field with its old and new value), the obligation rule field by field, the rows
not computed yet by label, the municipalities by name, and the remaining top-level fields
(hours basis, status, caps on shares ...) as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from impactkit.model.menu import Menu

# fields that describe a menu but do not change what it credits
_DESCRIPTIVE = {"schema", "id", "version", "edition", "name", "sources", "assumptions", "eligibility",
                "valid_from_note", "status_note", "municipalities_note", "municipalities_source", "region",
                "coordination", "obligation_sources"}
_SECTIONS = ("blocks", "bonuses", "obligation", "not_encoded", "municipalities", "more_municipalities")


@dataclass(frozen=True)
class Change:
    """One difference. kind: added, removed or changed; section: block, bonus, rule, row, municipality, menu."""

    kind: str
    section: str
    item: str  # block or bonus id, field name, row label or municipality
    field: str | None = None
    old: Any = None
    new: Any = None


def diff_menus(a: Menu, b: Menu) -> list[Change]:
    """The changes that turn menu `a` into menu `b`, in a stable order."""
    da, db = a.model_dump(mode="json"), b.model_dump(mode="json")
    changes: list[Change] = []
    changes += _top(da, db)
    changes += _by_id("rule", {"obligation": da["obligation"]}, {"obligation": db["obligation"]})
    changes += _by_id("block", _keyed(da["blocks"]), _keyed(db["blocks"]))
    changes += _by_id("bonus", _keyed(da["bonuses"]), _keyed(db["bonuses"]))
    changes += _by_id("row", _keyed(da["not_encoded"], key=lambda r: r["label"]["en"]),
                      _keyed(db["not_encoded"], key=lambda r: r["label"]["en"]))
    names_a = {n for n, _ in a.members()}
    names_b = {n for n, _ in b.members()}
    changes += [Change("added", "municipality", n) for n in sorted(names_b - names_a)]
    changes += [Change("removed", "municipality", n) for n in sorted(names_a - names_b)]
    return changes


def _keyed(items: list[dict], key=lambda x: x["id"]) -> dict[str, dict]:
    return {key(x): x for x in items}


def _top(da: dict, db: dict) -> list[Change]:
    out = []
    for name in sorted(set(da) | set(db)):
        if name in _DESCRIPTIVE or name in _SECTIONS:
            continue
        if da.get(name) != db.get(name):
            out.append(Change("changed", "menu", name, name, da.get(name), db.get(name)))
    return out


def _by_id(section: str, old: dict[str, dict], new: dict[str, dict]) -> list[Change]:
    out = []
    for item in new:
        if item not in old:
            out.append(Change("added", section, item, None, None, _summary(new[item])))
    for item in old:
        if item not in new:
            out.append(Change("removed", section, item, None, _summary(old[item]), None))
    for item in old:
        if item not in new:
            continue
        a, b = old[item], new[item]
        if a.get("alias_of") != b.get("alias_of"):  # a block became (or stopped being) another's alias
            out.append(Change("changed", section, item, "alias_of", _summary(a), _summary(b)))
            continue
        for name in sorted(set(a) | set(b)):
            va, vb = a.get(name), b.get(name)
            if isinstance(va, list) and isinstance(vb, list) and all(isinstance(x, str) for x in va + vb):
                va, vb = sorted(va), sorted(vb)  # attached bonuses: the order does not matter
            if name in ("label", "note", "source") or va == vb:
                continue
            out.append(Change("changed", section, item, name, a.get(name), b.get(name)))
    return out


def _summary(row: dict) -> dict:
    """The fields of a block, bonus or row that say what it is worth (for added and removed items)."""
    keep = ("unit", "value", "cap_months", "min_hours_per_week", "alias_of", "one_off", "when", "needs", "factor")
    out = {}
    for k, v in row.items():
        if isinstance(v, dict):
            v = {x: y for x, y in v.items() if y is not None}
        if k in keep and v not in (None, (), [], {}) and not (k == "factor" and v == "1") and not (k == "one_off" and not v):
            out[k] = v
    return out
