"""Rich rendering of a profile document (`assess.profile.document`) and of the region's
summary and an enterprise's history (`assess.summary`)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from impactkit.i18n import Translator

MARK = {True: "[green]✓[/green]", False: "[red]✗[/red]", None: "[yellow]?[/yellow]"}


def _origin(origin: str, tr: Translator) -> str:
    return f"[dim]\\[{escape(tr('assess_origin_' + origin))}][/dim]"


def _cited(source: dict) -> str:
    return f"[dim]\\[{escape(source['tag'])}] {escape(source['url'])}[/dim]"


def sources_line(sources: list[dict], tr: Translator) -> str:
    """Where each part comes from, grouped by origin, on one paragraph."""
    groups: dict[str, list[str]] = {}
    for s in sources:
        groups.setdefault(s["origin"], []).append(s["short"])
    return f"{tr('assess_sources_title')}: " + " · ".join(
        f"{tr('assess_origin_' + origin)}: {', '.join(parts)}" for origin, parts in groups.items())


def render(doc: dict, tr: Translator, console: Console) -> None:
    ent = doc["enterprise"]
    title = tr("assess_profile_title", name=ent["name"] or tr("unknown"))
    meta = " · ".join(x for x in (ent["municipality"], str(ent["year"]) if ent["year"] else None) if x)
    console.print(f"[bold]{escape(title)}[/bold]" + (f" ({escape(meta)})" if meta else ""))
    for item in doc["enterprise_answers"]:
        console.print(f"{escape(item['label'])}: {escape(item['text'])}")
    if doc["to_confirm"]:
        console.print(escape(tr("assess_to_confirm_note", count=len(doc["to_confirm"]))), style="yellow")
    if doc["themes"]:
        console.print(escape(tr("assess_level_origin")), style="dim")
    else:
        console.print(escape(tr("assess_nothing_yet")), style="yellow")
    for theme in doc["themes"]:
        console.print()
        console.rule(f"[bold]{escape(theme['name'])}: {escape(tr('assess_level', level=theme['level']))}[/bold]"
                     f" — {escape(theme['level_name'])}", align="left")
        if theme["next_level"]:
            p = theme["next_level_progress"]
            console.print(escape(tr("assess_next", level=theme["next_level"], met=p["met"], required=p["required"])))
            for gap in theme["gaps"]:
                console.print(f"  • {escape(gap['text'])}")
        if theme["next_indicators"]:
            console.print(escape(tr("assess_start_measuring")))
            for ind in theme["next_indicators"]:
                refs = f" [dim]{escape('; '.join(ind['refs']))}[/dim]" if ind["refs"] else ""
                console.print(f"  • {escape(ind['name'])} ({escape(ind['unit'])}; {escape(', '.join(ind['methods']))}) "
                              f"{_origin(ind['source'], tr)}{refs}")
        console.print(f"{escape(tr('assess_sdg'))} {_origin('impactkit', tr)}: {escape(', '.join(theme['sdg_targets']))}")
        if theme["unanswered"]:
            console.print(escape(f"{tr('assess_not_answered')}: {', '.join(u['label'] for u in theme['unanswered'])}"),
                          style="yellow")
    if doc["measured"]:
        console.print()
        year = ent["year"]
        console.print(f"[bold]{escape(tr('assess_measured_title', year=year) if year else tr('assess_measured_title_no_year'))}[/bold]")
        for m in doc["measured"]:
            console.print(f"  {escape(m['name'])}: {escape(m['shown'])} {_origin(m['source'], tr)}")
        if doc["measures"]["r_ladder_position_text"]:
            console.print(f"  {escape(doc['measures']['r_ladder_position_text'])} {_origin('impactkit', tr)}")
    if doc["social_return"] is not None:
        render_social_return(doc["social_return"], tr, console)
    console.print()
    console.print(escape(sources_line(doc["sources"], tr)), style="dim")
    console.print(escape(doc["note"] + " " + tr("assess_not_official")), style="dim")


def render_social_return(sr: dict, tr: Translator, console: Console) -> None:
    console.print()
    console.rule(f"[bold]{escape(tr('assess_bridge_title'))}[/bold]", align="left")
    own = sr["own_region"]
    where = ", ".join(x for x in (own["municipality"], own["region"]) if x)
    console.print(f"[bold]{escape(tr('assess_your_region'))}{escape(' (' + where + ')') if where else ''}:[/bold] "
                  f"{escape(own['text'])} " + " ".join(_cited(s) for s in own["sources"]))
    console.print(escape(tr("assess_bridge_intro", order=tr.eur(sr["order"]))))
    for menu in sr["menus"]:
        for row in menu["rows"]:
            console.print(f"  {MARK[row['eligible']]} [bold]{escape(menu['name'])}[/bold] ({escape(menu['menu'])}): "
                          f"{escape(row['label'])}")
            console.print(f"      {escape(row['basis_text'])}; {escape(row['credit_text'])}")
            console.print(f"      {escape(row['criterion_text'])}")
    without = [m for m in sr["menus"] if not m["rows"]]
    if without:
        console.print(escape(tr("assess_no_purchase_block_title")) + ":")
    for menu in without:
        console.print(f"  – {escape(menu['name'])} ({escape(menu['menu'])})"
                      + (f": {escape(menu['no_purchase_text'])} " + " ".join(_cited(s) for s in menu["no_purchase_sources"])
                         if menu["no_purchase_sources"] else ""))
    for ref in sr["reference"]:
        console.print(f"{escape(ref['text'])}: {escape(ref['met_text'])} {_cited(ref['source'])}")
    pso = sr["pso"]
    console.print(escape(f"{pso['text']} {pso['level_text']} {pso['menus_text']} ")
                  + " ".join(_cited(s) for s in pso["sources"]))
    console.print(escape(tr("assess_menu_sources")), style="dim")


# the region's summary and one enterprise's history ------------------------------------------

def _level_table(rows: list[dict], years: list[int], tr: Translator) -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column(tr("assess_theme"))
    table.add_column(tr("assess_year"), justify="right")
    for level in range(6):
        table.add_column(tr("assess_level_short", level=level), justify="right")
    table.add_column(tr("assess_total"), justify="right")
    for row in rows:
        for year in years:
            counts = row["counts"].get(str(year))
            if counts is None:
                continue
            table.add_row(escape(row["name"]), str(year), *[str(counts[str(n)]) for n in range(6)], str(sum(counts.values())))
    return table


def render_summary(doc: dict, tr: Translator, console: Console) -> None:
    console.print(f"[bold]{escape(doc['title'])}[/bold]")
    console.print(escape(doc["subtitle"]))
    for line in doc["per_year"]:
        console.print(f"  {escape(line['text'])}")
    console.print()
    console.print(f"[bold]{escape(tr('assess_summary_levels'))}[/bold] {_origin('impactpad', tr)} {_origin('impactkit', tr)}")
    console.print(_level_table(doc["themes"], doc["years"], tr))
    for move in doc["movement"]:
        console.print()
        console.print(f"[bold]{escape(move['title'])}[/bold]")
        console.print("  " + escape(move["text"]))
        for theme in move["themes"]:
            console.print(f"  {escape(theme['text'])}")
        for change in move["changes"]:
            console.print(f"    {escape(change['text'])}", style="dim")
    console.print()
    console.print(f"[bold]{escape(tr('assess_summary_sdg'))}[/bold] {_origin('impactkit', tr)}")
    sdg = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    sdg.add_column(tr("assess_sdg_target"))
    for year in doc["years"]:
        sdg.add_column(str(year), justify="right")
    for row in doc["sdg"]:
        sdg.add_row(escape(row["target"]), *[str(row["counts"].get(str(y), 0)) for y in doc["years"]])
    console.print(sdg)
    if doc["measures"]:
        console.print()
        console.print(f"[bold]{escape(tr('assess_summary_measures'))}[/bold]")
        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        table.add_column(tr("assess_indicator"))
        for year in doc["years"]:
            table.add_column(str(year), justify="right")
        for row in doc["measures"]:
            table.add_row(escape(row["name"]), *[escape(row["shown"].get(str(y), "")) for y in doc["years"]])
        console.print(table)
    console.print()
    for note in doc["notes"]:
        console.print(escape(note), style="dim")
    console.print(escape(sources_line(doc["sources"], tr)), style="dim")


def render_history(doc: dict, tr: Translator, console: Console) -> None:
    console.print(f"[bold]{escape(doc['title'])}[/bold]")
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column(tr("assess_theme"))
    for year in doc["years"]:
        table.add_column(str(year), justify="right")
    table.add_column(tr("assess_change"), justify="right")
    for row in doc["themes"]:
        table.add_row(escape(row["name"]), *[escape(row["shown"].get(str(y), "–")) for y in doc["years"]],
                      escape(row["change_text"]))
    console.print(table)
    for row in doc["themes"]:
        if row["gaps"]:
            console.print(escape(f"{row['name']}: {tr('assess_history_next', level=row['next_level'])} "
                                 + "; ".join(row["gaps"])), style="dim")
    if doc["measures"]:
        console.print()
        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        table.add_column(tr("assess_indicator"))
        for year in doc["years"]:
            table.add_column(str(year), justify="right")
        for row in doc["measures"]:
            table.add_row(escape(row["name"]), *[escape(row["shown"].get(str(y), "")) for y in doc["years"]])
        console.print(table)
    for note in doc["notes"]:
        console.print(escape(note), style="dim")
    console.print(escape(sources_line(doc["sources"], tr)), style="dim")
