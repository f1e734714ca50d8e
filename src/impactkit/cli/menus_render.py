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


def _source_cell(menu, source_id: str | None, tr: Translator) -> str:
    """The source a row cites, marked when it is secondary."""
    if source_id is None:
        return ""
    if menu.row_status(source_id) == "secondary":
        return f"{escape(source_id)}\n[yellow]{escape(tr('status_secondary'))}[/yellow]"
    return escape(source_id)


def render_menu(choice: MenuChoice, tr: Translator, console: Console) -> None:
    menu = choice.menu
    console.print(menu_heading(menu, tr))
    if menu.valid_from_note:
        console.print(escape(tr.label(menu.valid_from_note)), style="dim")
    if menu.status_note:
        console.print(escape(tr.label(menu.status_note)), style="red")
    if menu.municipalities:
        console.print(f"{escape(tr('municipalities'))}: {escape(', '.join(menu.municipalities))}")
    for group in menu.more_municipalities:
        src = menu.source(group.source)
        note = f": {tr.label(group.note)}" if group.note else ""
        console.print("  " + escape(tr("municipalities_more", names=", ".join(group.names), source=src.id,
                                         status=tr("status_" + src.status)) + note),
                      style="yellow" if src.status == "secondary" else None)
    if menu.municipalities_note:
        console.print("  " + escape(tr.label(menu.municipalities_note)), style="dim")
    if menu.coordination is not None:
        url = f" {menu.coordination.url}" if menu.coordination.url else ""
        console.print(f"{escape(tr('coordination'))}: {escape(tr.label(menu.coordination.name) + url)}")
    versions = [m.ref for m in shipped_menus() if m.id == menu.id]
    if len(versions) > 1:
        console.print(f"{escape(tr('versions'))}: {escape(', '.join(versions))}")
    console.print(escape(rule_text(terms_for(menu), tr)), style="dim")
    if menu.obligation.penalty_rate is not None:
        console.print("  " + escape(tr("penalty_text", pct=tr.percent(menu.obligation.penalty_rate))), style="dim")
    for cap in menu.share_caps:
        status = tr("status_" + menu.row_status(cap.source))
        console.print("  " + escape(tr("share_cap_text", category=cap.category, pct=tr.percent(cap.max_share),
                                       source=cap.source, status=status)), style="dim")
    for name, source_id in menu.obligation_sources.items():
        status = tr("status_" + menu.row_status(source_id))
        console.print("  " + escape(tr("rule_field_source", field=name, source=source_id, status=status)),
                      style="yellow" if menu.row_status(source_id) == "secondary" else "dim")
    for key, params in choice.notes:
        console.print(escape(message_text(key, params, tr)), style="yellow")

    table = Table(title=tr("blocks"), title_justify="left")
    block_sources = {b.source for b in menu.blocks if b.alias_of is None} | {b.source for b in menu.bonuses}
    table.add_column(tr("block"), ratio=3)
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
                escape(tr("unit_" + block.row_unit)),
                escape(tr.eur(block.value)) if block.value is not None else "",
                escape(", ".join(limits)),
                escape(", ".join(b.removeprefix("bonus_") for b in block.bonuses)),
            ]
        if len(block_sources) > 1:
            row.append(_source_cell(menu, block.source, tr))
        table.add_row(*row)
    console.print(table)
    notes = [b for b in menu.blocks if b.note]
    if notes:
        console.print(f"[bold]{escape(tr('block_notes'))}[/bold]")
        for block in notes:
            console.print(f"  • [bold]{escape(block.id)}[/bold]: {escape(tr.label(block.note))}")
    if menu.bonuses:
        bonus_table = Table(title=tr("bonuses"), title_justify="left")
        bonus_table.add_column(tr("bonus"), ratio=3)
        bonus_table.add_column(tr("value"), justify="right", no_wrap=True)
        bonus_table.add_column(tr("when"), ratio=1)
        bonus_table.add_column(tr("kind"), ratio=1)
        if len(block_sources) > 1:
            bonus_table.add_column(tr("source"), no_wrap=True)
        for bonus in menu.bonuses:
            kind = tr("one_off") if bonus.one_off else tr("pro_rated")
            if bonus.group:
                kind += f"; {tr('group').lower()} {bonus.group}"
            cells = [
                f"[bold]{escape(bonus.id)}[/bold]\n[dim]{escape(tr.label(bonus.label))}[/dim]",
                escape(tr.eur(bonus.value)),
                escape(_when(bonus, tr)),
                escape(kind),
            ]
            if len(block_sources) > 1:
                cells.append(_source_cell(menu, bonus.source, tr))
            bonus_table.add_row(*cells)
        console.print(bonus_table)
    if menu.not_encoded:
        console.print(f"[bold]{escape(tr('not_encoded_title'))}[/bold]")
        for pending in menu.not_encoded:
            text = tr("not_encoded_text", label=tr.label(pending.label), value=tr.label(pending.value),
                      needs=tr("needs_" + pending.needs))
            note = f". {tr.label(pending.note)}" if pending.note else ""
            console.print(f"  • {escape(text + note)} [dim]({escape(pending.source)})[/dim]")
    console.print(f"[bold]{escape(tr('sources'))}[/bold]")
    for src in menu.sources:
        recorded = f" ({tr('recorded').lower()} {src.recorded.isoformat()})" if src.recorded else ""
        status = f" [yellow]{escape(tr('status_secondary'))}[/yellow]" if src.status == "secondary" else ""
        console.print(f"  {escape(src.id)}{status}: {escape(tr.label(src.title))}\n    {escape(src.url)}{escape(recorded)}")
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
                console.print(f"  • {escape(tr.label(item))}")
