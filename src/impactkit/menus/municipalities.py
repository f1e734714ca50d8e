"""The way in by municipality: which shipped menu(s) a municipality uses, or what is known instead.

Every shipped menu lists its municipalities (with the source that says so); ``places.yaml``
holds the places without a table of their own (with their coordination point, what is known
and the neighbouring tables) and extra facts on places that have one. Names match forgivingly:
case, accents, punctuation, a leading "Gemeente", and known other names ("Den Bosch").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.resources import files

import yaml
from pydantic import TypeAdapter

from impactkit.errors import Problem, UnknownReferenceError
from impactkit.menus.registry import MenuChoice, in_force, resolve_menu, shipped_menus
from impactkit.model.menu import Menu, Source, Text

_PREFIX = re.compile(r"^(gemeente|municipality of|municipality|gem)\s+")


def normalise(name: str) -> str:
    """A name as compared: no accents, lower case, words of letters and digits only."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return _PREFIX.sub("", text)


#: the texts of places.yaml are, like a menu's, plain or bilingual {nl, en} (shown with Translator.label)
_TEXT: TypeAdapter[Text] = TypeAdapter(Text)


def _text(value) -> Text:
    return _TEXT.validate_python(value)


def _optional_text(value) -> Text | None:
    return None if value is None else _text(value)


@dataclass(frozen=True)
class Fact:
    text: Text
    tag: str  # P, S or D (regions.md)
    url: str | None = None


@dataclass(frozen=True)
class Place:
    """A place from places.yaml: no table of its own, or extra facts about one that has a menu."""

    id: str
    region: Text
    names: tuple[str, ...]
    finding: str  # no_table, rules_only, withdrawn, region, facts
    summary: Text | None = None
    coordination: dict | None = None  # name (a Text) and url
    neighbours: tuple[str, ...] = ()
    start_from: str | None = None
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Listing:
    """One menu id that lists a municipality: the versions that do, each with the source saying so."""

    menu_id: str
    versions: tuple[tuple[Menu, Source], ...]

    @property
    def newest(self) -> Menu:
        return max((m for m, _ in self.versions), key=lambda m: m.edition)


@dataclass(frozen=True)
class Answer:
    query: str
    name: str | None  # as spelled where it was found
    listings: tuple[Listing, ...] = ()
    places: tuple[Place, ...] = ()
    suggestions: tuple[str, ...] = field(default=())

    @property
    def known(self) -> bool:
        return bool(self.listings or self.places)

    @property
    def place(self) -> Place | None:
        """The entry that describes a place without a menu (not one holding only extra facts)."""
        return next((p for p in self.places if p.finding != "facts" or p.neighbours), None)


@lru_cache(maxsize=1)
def _places_data() -> tuple[dict[str, str], tuple[Place, ...]]:
    data = yaml.safe_load(files("impactkit.menus").joinpath("places.yaml").read_text(encoding="utf-8"))
    aliases = {normalise(k): v for k, v in (data.get("aliases") or {}).items()}
    places = tuple(
        Place(
            id=p["id"], region=_text(p["region"]), names=tuple(p["names"]), finding=p["finding"],
            summary=_optional_text(p.get("summary")),
            coordination={**p["coordination"], "name": _text(p["coordination"]["name"])} if p.get("coordination") else None,
            neighbours=tuple(p.get("neighbours") or ()), start_from=p.get("start_from"),
            facts=tuple(Fact(_text(f["text"]), f["tag"], f.get("url")) for f in p.get("facts") or ()),
        )
        for p in data["places"]
    )
    return aliases, places


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[tuple[Menu, str, Source]]], dict[str, list[Place]], dict[str, str]]:
    by_menu: dict[str, list[tuple[Menu, str, Source]]] = {}
    spelled: dict[str, str] = {}
    for menu in shipped_menus():
        for name, source in menu.members():
            key = normalise(name)
            by_menu.setdefault(key, []).append((menu, name, source))
            spelled.setdefault(key, name)
    _, places = _places_data()
    by_place: dict[str, list[Place]] = {}
    for place in places:
        for name in place.names:
            key = normalise(name)
            by_place.setdefault(key, []).append(place)
            spelled.setdefault(key, name)
    return by_menu, by_place, spelled


def known_names() -> list[str]:
    """Every municipality or region name impactkit can answer for, as spelled in its data."""
    return sorted(set(_index()[2].values()), key=normalise)


def lookup(query: str) -> Answer:
    """What impactkit knows about a municipality (or a region name)."""
    aliases, _ = _places_data()
    by_menu, by_place, spelled = _index()
    key = normalise(query)
    key = normalise(aliases[key]) if key in aliases else key
    if key not in spelled:
        options = {normalise(n): n for n in spelled.values()}
        near = difflib.get_close_matches(key, list(options), n=3, cutoff=0.75)
        return Answer(query, None, suggestions=tuple(options[n] for n in near))
    grouped: dict[str, list[tuple[Menu, Source]]] = {}
    for menu, _, source in by_menu.get(key, []):
        grouped.setdefault(menu.id, []).append((menu, source))
    listings = tuple(Listing(menu_id, tuple(sorted(v, key=lambda x: x[0].edition))) for menu_id, v in grouped.items())
    return Answer(query, spelled[key], listings, tuple(by_place.get(key, [])))


def menu_for_municipality(query: str, on: date | None = None) -> MenuChoice:
    """The menu version a municipality uses on a date; an error says plainly when there is none or more than one.

    Among the versions of a menu only those that list the municipality are considered.
    """
    answer = lookup(query)
    if not answer.listings:
        raise UnknownReferenceError(_no_menu_problem(answer))
    if len(answer.listings) > 1:
        refs = ", ".join(listing.newest.ref for listing in answer.listings)
        raise UnknownReferenceError(Problem("municipality_ambiguous", {"name": answer.name, "menus": refs}))
    listing = answer.listings[0]
    choice = in_force([m for m, _ in listing.versions], on)
    source = dict((m.ref, s) for m, s in listing.versions)[choice.menu.ref]
    note = ("note_municipality_secondary" if source.status == "secondary" else "note_municipality",
            {"name": answer.name, "ref": choice.menu.ref, "source": source.id})
    return MenuChoice(choice.menu, choice.origin, (note, *choice.notes))


def resolve_tender_menu(menu: str | None, municipality: str | None, on: date | None = None,
                        base_dir=None) -> MenuChoice:
    """A tender's menu: the one it names, else the one in force for its municipality."""
    if menu is not None:
        return resolve_menu(menu, on, base_dir)
    if municipality is None:  # the tender model requires one of the two
        raise ValueError("a tender names its menu or its municipality")
    return menu_for_municipality(municipality, on)


def _no_menu_problem(answer: Answer) -> Problem:
    if not answer.known:
        return Problem("municipality_unknown", {"name": answer.query, "hint": ", ".join(answer.suggestions)})
    place = answer.place
    neighbours = ", ".join(place.neighbours) if place and place.neighbours else "-"
    start = (place.start_from if place and place.start_from else None) or "haaglanden-zhc"
    return Problem("municipality_no_menu", {"name": answer.name, "neighbours": neighbours, "start": start})


def membership_note(name: str, menu: Menu) -> tuple[str, dict]:
    """How a tender's municipality relates to the menu it uses: listed (by which source) or not."""
    key = normalise(name)
    aliases, _ = _places_data()
    key = normalise(aliases[key]) if key in aliases else key
    for member, source in menu.members():
        if normalise(member) == key:
            kind = "note_municipality_secondary" if source.status == "secondary" else "note_municipality"
            return kind, {"name": member, "ref": menu.ref, "source": source.id}
    return "note_municipality_not_listed", {"name": name, "ref": menu.ref}
