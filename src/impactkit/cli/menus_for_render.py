"""Rendering `impactkit menus for NAME` and `impactkit menus diff A B` (terminal and JSON)."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from impactkit.i18n import Translator
from impactkit.i18n.problems import message_text
from impactkit.menus.diff import Change
from impactkit.menus.municipalities import Answer, Listing, Place
from impactkit.menus.registry import in_force, resolve_menu
from impactkit.model.menu import Menu

_FINDING_KEY = {"no_table": "for_no_table", "rules_only": "for_rules_only", "withdrawn": "for_withdrawn",
                "region": "for_region"}


def _status(menu: Menu, tr: Translator) -> str:
    return f"{tr(menu.status)}, {tr('status_' + menu.source_kind)}"


def render_answer(answer: Answer, on: date | None, tr: Translator, console: Console) -> None:
    name = answer.name or answer.query
    if len(answer.listings) > 1:
        console.print(f"[bold]{escape(tr('for_conflict', name=name, count=len(answer.listings)))}[/bold]")
        for listing in answer.listings:
            _versions(listing, tr, console, indent="  ")
        console.print(escape(tr("for_use_conflict")))
    elif answer.listings:
        listing = answer.listings[0]
        if len(listing.versions) == 1:
            menu, source = listing.versions[0]
            console.print(f"[bold]{escape(tr('for_menu', name=name, ref=menu.ref, menu_name=tr.label(menu.name)))}[/bold]")
            _membership(menu, source, tr, console, "  ")
        else:
            console.print(f"[bold]{escape(tr('for_versions', name=name, id=listing.menu_id))}[/bold]")
            _versions(listing, tr, console, indent="  ")
            choice = in_force([m for m, _ in listing.versions], on)
            shown_on = tr("for_on", date=tr.day(on)) if on else ""
            console.print("  " + escape(tr("for_in_force", on=shown_on, ref=choice.menu.ref)))
            for key, params in choice.notes:
                console.print("  " + escape(message_text(key, params, tr)), style="yellow")
        console.print(escape(tr("for_use", id=_use_ref(listing), name=_quoted(name))))
    place = answer.place
    if not answer.listings and place is not None:
        _place(name, place, tr, console)
    facts = [p for p in answer.places if p is not place or answer.listings]
    for extra in facts:
        if extra.facts:
            console.print(f"[bold]{escape(tr('for_facts', name=name))}[/bold]")
            _facts(extra, tr, console)


def _use_ref(listing: Listing) -> str:
    """The id, or id@version when other versions of the menu do not list the municipality."""
    from impactkit.menus.registry import shipped_menus

    versions = [m for m in shipped_menus() if m.id == listing.menu_id]
    return listing.menu_id if len(versions) == len(listing.versions) else listing.versions[-1][0].ref


def _quoted(name: str) -> str:
    return f'"{name}"' if any(c in name for c in " '") else name


def _membership(menu: Menu, source, tr: Translator, console: Console, indent: str) -> None:
    status = tr("status_" + source.status)
    console.print(indent + escape(tr("listed_by", source=source.id, status=status)),
                  style="yellow" if source.status == "secondary" else None)
    console.print(f"{indent}  {escape(source.url)}", style="dim")
    console.print(indent + escape(tr("for_table_status", status=tr(menu.status), kind=tr("status_" + menu.source_kind))))
    if menu.coordination is not None:
        console.print(indent + f"{escape(tr('coordination'))}: {escape(tr.label(menu.coordination.name))}")
        if menu.coordination.url:
            console.print(f"{indent}  {escape(menu.coordination.url)}", style="dim")


def _versions(listing: Listing, tr: Translator, console: Console, indent: str) -> None:
    for menu, source in listing.versions:
        console.print(f"{indent}[bold]{escape(menu.ref)}[/bold] {escape(tr.label(menu.name))}")
        _membership(menu, source, tr, console, indent + "  ")


def _place(name: str, place: Place, tr: Translator, console: Console) -> None:
    key = _FINDING_KEY.get(place.finding, "for_no_table")
    console.print(f"[bold]{escape(tr(key, name=name, region=tr.label(place.region)))}[/bold]")
    if place.summary:
        console.print(escape(tr.label(place.summary)))
    if place.coordination:
        console.print(f"{escape(tr('coordination'))}: {escape(tr.label(place.coordination['name']))}")
        if place.coordination.get("url"):
            console.print(f"  {escape(place.coordination['url'])}", style="dim")
    if place.facts:
        console.print(f"[bold]{escape(tr('for_known'))}[/bold]")
        _facts(place, tr, console)
    if place.neighbours:
        console.print(f"[bold]{escape(tr('for_neighbours'))}[/bold]")
        table = Table(show_header=False, show_edge=False, pad_edge=False, box=None)
        table.add_column(no_wrap=True)
        table.add_column()
        table.add_column(no_wrap=True)
        for menu_id in place.neighbours:
            menu = resolve_menu(menu_id).menu
            table.add_row("  " + escape(menu.ref), escape(tr.label(menu.name)), escape(_status(menu, tr)))
        console.print(table)
    if place.finding == "region":
        return
    start = place.start_from or (place.neighbours[0] if place.neighbours else "haaglanden-zhc")
    file = _file_name(name)
    console.print(f"[bold]{escape(tr('for_start_own'))}[/bold]")
    console.print(f"  impactkit menus new --from {escape(start)} -o {escape(file)}")
    console.print("  " + escape(tr("for_start_steps", file=file)))


def _facts(place: Place, tr: Translator, console: Console) -> None:
    for fact in place.facts:
        console.print(f"  • [{escape(fact.tag)}] {escape(tr.label(fact.text))}")
        if fact.url:
            console.print(f"    {escape(fact.url)}", style="dim")


def _file_name(name: str) -> str:
    from impactkit.menus.starter import menu_id_from

    return menu_id_from(name) + ".yaml"


def answer_document(answer: Answer, on: date | None, tr: Translator) -> dict:
    """The JSON of `menus for`; the texts of menus and places in the reader's language."""
    menus = []
    for listing in answer.listings:
        choice = in_force([m for m, _ in listing.versions], on)
        menus.append({
            "id": listing.menu_id,
            "in_force": choice.menu.ref,
            "versions": [{"ref": m.ref, "name": tr.label(m.name), "status": m.status, "source_status": m.source_status,
                          "listed_by": {"id": s.id, "url": s.url, "status": s.status}} for m, s in listing.versions],
        })
    place = answer.place if not answer.listings else None
    return {
        "query": answer.query,
        "name": answer.name,
        "menus": menus,
        "conflict": len(menus) > 1,
        "place": None if place is None else {
            "region": tr.label(place.region), "finding": place.finding, "summary": tr.label(place.summary) or None,
            "coordination": place.coordination and {**place.coordination, "name": tr.label(place.coordination["name"])},
            "neighbours": list(place.neighbours), "start_from": place.start_from,
        },
        "facts": [{"text": tr.label(f.text), "tag": f.tag, "url": f.url} for p in answer.places for f in p.facts],
    }


# menus diff ---------------------------------------------------------------------------------
def _shown(value, tr: Translator) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict) and set(value) == {"nl", "en"}:  # a text in two languages
        return tr.label(value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {_shown(v, tr)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_shown(v, tr) for v in value) or "—"
    return str(value)


def render_diff(a: Menu, b: Menu, changes: list[Change], tr: Translator, console: Console) -> None:
    console.print(f"[bold]{escape(tr('diff_title', a=a.ref, b=b.ref))}[/bold]")
    if not changes:
        console.print(escape(tr("diff_none")))
        return
    table = Table(show_edge=False, pad_edge=False)
    table.add_column(tr("change"), no_wrap=True)
    table.add_column(tr("item"))
    table.add_column(tr("before"))
    table.add_column(tr("after"))
    for c in changes:
        item = c.item if c.field is None or c.field == c.item else f"{c.item}.{c.field}"
        table.add_row(escape(f"{tr('diff_' + c.kind)} {tr('diff_section_' + c.section)}"), escape(item),
                      escape(_shown(c.old, tr)), escape(_shown(c.new, tr)))
    console.print(table)
    console.print(escape(tr("diff_count", count=len(changes))), style="dim")


def diff_document(a: Menu, b: Menu, changes: list[Change]) -> dict:
    return {"from": a.ref, "to": b.ref,
            "changes": [{"kind": c.kind, "section": c.section, "item": c.item, "field": c.field,
                         "before": c.old, "after": c.new} for c in changes]}
