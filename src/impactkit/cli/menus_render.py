"""Rich rendering of one menu for `impactkit menus show`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from impactkit.cli.render import menu_heading, rule_text
from impactkit.engine.bridge import purchase_credits
from impactkit.rules.terms import terms_for
from impactkit.i18n import Translator
from impactkit.menus import MenuChoice, shipped_menus
from impactkit.i18n.problems import message_text


def _when(bonus, tr: Translator) -> str:
    if bonus.when.age_min is not None:
        return tr("when_age", age=bonus.when.age_min)
    return tr("when_flag_" + bonus.when.flag)


def render_menu(choice: MenuChoice, tr: Translator, console: Console) -> None:
    menu = choice.menu
    console.print(menu_heading(menu, tr))
    if menu.status_note:
        console.print(escape(menu.status_note), style="red")
    if menu.municipalities:
        console.print(f"{escape(tr('municipalities'))}: {escape(', '.join(menu.municipalities))}")
    versions = [m.ref for m in shipped_menus() if m.id == menu.id]
    if len(versions) > 1:
        console.print(f"{escape(tr('versions'))}: {escape(', '.join(versions))}")
    console.print(escape(rule_text(terms_for(menu), tr)), style="dim")
    for key, params in choice.notes:
        console.print(escape(message_text(key, params, tr)), style="yellow")

    table = Table(title=tr("blocks"), title_justify="left")
    block_sources = {b.source for b in menu.blocks if b.alias_of is None}
    table.add_column(tr("block"), ratio=3, min_width=24)
    table.add_column(tr("unit"), ratio=1)
    table.add_column(tr("value"), justify="right", no_wrap=True)
    table.add_column(tr("limits"), ratio=1)
    table.add_column(tr("bonuses"), ratio=1)
    if len(block_sources) > 1:
        table.add_column(tr("source"), no_wrap=True)
    for block in menu.blocks:
        if block.alias_of is not None:
            row = [f"[bold]{escape(block.id)}[/bold] → {escape(block.alias_of)}", "", "", "", ""]
        else:
            limits = []
            if block.cap_months is not None:
                limits.append(tr("limit_cap", months=tr.number(block.cap_months)))
            if block.min_hours_per_week is not None:
                limits.append(tr("limit_min_hours", hours=tr.number(block.min_hours_per_week)))
            row = [
                f"[bold]{escape(block.id)}[/bold]\n[dim]{escape(tr.label(block.label))}[/dim]",
                escape(tr("unit_" + block.unit)),
                escape(tr.eur(block.value)) if block.value is not None else "",
                escape(", ".join(limits)),
                escape(", ".join(b.removeprefix("bonus_") for b in block.bonuses)),
            ]
        if len(block_sources) > 1:
            row.append(escape(block.source or ""))
        table.add_row(*row)
    console.print(table)
    if menu.bonuses:
        bonus_table = Table(title=tr("bonuses"), title_justify="left")
        bonus_table.add_column(tr("bonus"), ratio=3, min_width=24)
        bonus_table.add_column(tr("value"), justify="right", no_wrap=True)
        bonus_table.add_column(tr("when"), ratio=1)
        bonus_table.add_column(tr("kind"), ratio=1)
        for bonus in menu.bonuses:
            kind = tr("one_off") if bonus.one_off else tr("pro_rated")
            if bonus.group:
                kind += f"; {tr('group').lower()} {bonus.group}"
            bonus_table.add_row(
                f"[bold]{escape(bonus.id)}[/bold]\n[dim]{escape(tr.label(bonus.label))}[/dim]",
                escape(tr.eur(bonus.value)),
                escape(_when(bonus, tr)),
                escape(kind),
            )
        console.print(bonus_table)
    console.print(f"[bold]{escape(tr('sources'))}[/bold]")
    for src in menu.sources:
        recorded = f" ({tr('recorded').lower()} {src.recorded.isoformat()})" if src.recorded else ""
        console.print(f"  {escape(src.id)}: {escape(src.title)}\n    {escape(src.url)}{escape(recorded)}")
    console.print(f"[bold]{escape(tr('purchase_bridge'))}[/bold]")
    credits = purchase_credits(menu)
    for pc in credits:
        console.print("  " + escape(tr("purchase_bridge_text", amount=tr.eur(pc.amount), credit=tr.eur(pc.credit),
                                         label=f"{pc.block.id}: {tr.label(pc.block.label)}")))
    if not credits:
        console.print("  " + escape(tr("purchase_bridge_none")))
    for title, items in (("assumptions", menu.assumptions), ("eligibility", menu.eligibility)):
        if items:
            console.print(f"[bold]{escape(tr(title))}[/bold]")
            for item in items:
                console.print(f"  • {escape(item)}")
