"""Rich rendering of one menu for `impactkit menus show`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from impactkit.cli.render import menu_heading, rule_text
from impactkit.engine.bridge import purchase_credits
from impactkit.engine.obligation import terms_for
from impactkit.i18n import Translator
from impactkit.menus import MenuChoice, shipped_menus
from impactkit.report.explain import note_text


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
        console.print(escape(note_text(key, params, tr)), style="yellow")

    table = Table(title=tr("block") + "s" if tr.lang == "en" else "Bouwblokken", title_justify="left")
    for title, justify in (("id", "left"), ("label", "left"), ("unit", "left"), ("value", "right"),
                           ("cap_months", "right"), ("min_hours", "right"), ("bonuses", "left"), ("source", "left")):
        table.add_column(tr(title), justify=justify)
    for block in menu.blocks:
        if block.alias_of is not None:
            table.add_row(escape(block.id), f"→ {escape(block.alias_of)}", "", "", "", "", "", "")
            continue
        table.add_row(
            escape(block.id),
            escape(tr.label(block.label)),
            escape(tr("unit_" + block.unit)),
            escape(tr.eur(block.value)) if block.value is not None else "",
            escape(tr.number(block.cap_months)) if block.cap_months is not None else "",
            escape(tr.number(block.min_hours_per_week)) if block.min_hours_per_week is not None else "",
            escape(", ".join(block.bonuses)),
            escape(block.source or ""),
        )
    console.print(table)
    if menu.bonuses:
        bonus_table = Table(title=tr("bonuses"), title_justify="left")
        for title in ("id", "label", "value", "when", "group", "source"):
            bonus_table.add_column(tr(title), justify="right" if title == "value" else "left")
        for bonus in menu.bonuses:
            bonus_table.add_row(
                escape(bonus.id), escape(tr.label(bonus.label)), escape(tr.eur(bonus.value)),
                escape(_when(bonus, tr)),
                escape(bonus.group or "") + (f" ({tr('one_off')})" if bonus.one_off else f" ({tr('pro_rated')})"),
                escape(bonus.source),
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
