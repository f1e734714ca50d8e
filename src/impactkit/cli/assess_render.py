"""Rich rendering of an assessment's results."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from impactkit.assess.answers import Assessment
from impactkit.assess.bridge import STAFF_MIN, TRADE_MIN, applies, bridge_rows
from impactkit.assess.levels import ThemeResult, r_ladder_position, target_group_share
from impactkit.assess.model import Catalogue
from impactkit.assess.outputs import gap_text
from impactkit.i18n import Translator


def render(cat: Catalogue, assessment: Assessment, results: list[ThemeResult], tr: Translator,
           console: Console) -> None:
    console.print(f"[bold]{escape(tr('assess_title', name=assessment.name or tr('unknown')))}[/bold]")
    for res in results:
        theme = cat.theme(res.theme)
        console.print()
        name = tr.label(cat.level(res.level).name) if res.level else tr("assess_no_level")
        console.rule(f"[bold]{escape(tr.label(theme.name))}: {escape(tr('assess_level', level=res.level))}[/bold]"
                     f" — {escape(name)}", align="left")
        if res.level < 5:
            console.print(escape(tr("assess_next", level=res.level + 1, met=res.next_required - len(res.gaps),
                                    required=res.next_required)))
            for gap in res.gaps:
                console.print(f"  • {escape(gap_text(gap, tr))}")
            if res.next_indicators:
                console.print(escape(tr("assess_start_measuring")))
                for ind in res.next_indicators:
                    methods = ", ".join(tr.label(m) for m in ind.methods)
                    console.print(f"  • {escape(tr.label(ind.name))} ({escape(ind.unit)}; {escape(methods)})"
                                  + (f" [dim]{escape('; '.join(ind.refs))}[/dim]" if ind.refs else ""))
        console.print(f"{escape(tr('assess_sdg'))}: {escape(', '.join(res.sdg_targets))}", style="dim")
        if res.unanswered:
            console.print(escape(tr("assess_unanswered", count=len(res.unanswered),
                                    ids=", ".join(q.id for q in res.unanswered))), style="yellow")
    share, position = target_group_share(assessment), r_ladder_position(assessment)
    if share is not None or position is not None:
        console.print()
    if share is not None:
        console.print(escape(tr("assess_share", share=tr.number(share))))
    if position is not None:
        console.print(escape(tr("assess_r_position", position=tr.number(position))))
    if applies(assessment):
        console.print()
        console.rule(f"[bold]{escape(tr('assess_bridge_title'))}[/bold]", align="left")
        for row in bridge_rows(assessment):
            mark = {True: "[green]✓[/green]", False: "[red]✗[/red]", None: "[yellow]?[/yellow]"}[row.eligible]
            console.print(f"  {mark} {escape(row.menu.ref)} ({escape(row.block.id)}): "
                          f"{escape(tr('assess_bridge_row', credit=tr.eur(row.credit)))}; "
                          f"{escape(tr(row.reason, staff=STAFF_MIN, trade=TRADE_MIN))}")
    console.print()
    console.print(escape(tr("assess_no_total")), style="dim")
