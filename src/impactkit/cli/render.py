"""Rich rendering of results for the terminal. All text from input files is escaped."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from impactkit.rules.terms import ObligationTerms
from impactkit.engine.stack import BidResult, TenderResult
from impactkit.i18n import Translator
from impactkit.menus.notices import secondary_notice_text
from impactkit.model.menu import Menu
from impactkit.engine.suggest import explain_suggestion
from impactkit.rules.explain import explain_obligation
from impactkit.i18n.problems import message_text


def rule_text(terms: ObligationTerms, tr: Translator, set_by: str = "tender") -> str:
    """The rule in force; `set_by` says who overrode the menu's figures: the tender, or the command line."""
    parts = [tr("rule_text", rate=tr.percent(terms.rate), base=tr("base_" + terms.base))]
    if terms.threshold is not None:
        parts.append(tr("threshold_text", op="≥" if terms.threshold_inclusive else ">", threshold=tr.eur(terms.threshold)))
    else:
        parts.append(tr("no_threshold"))
    if terms.cap is not None:
        parts.append(tr("cap_text", cap=tr.eur(terms.cap)))
    if terms.pso_discount:
        parts.append(tr("pso_text", pct=tr.percent(terms.pso_discount)))
    if terms.pso_discount_by_trede:
        tredes = ", ".join(f"{t}: {tr.percent(p)}" for t, p in terms.pso_discount_by_trede.items())
        parts.append(tr("pso_trede_text", tredes=tredes))
    if terms.threshold_by_kind and "threshold" not in terms.overridden:
        kinds = ", ".join(f"{tr('kind_' + k)} {tr.eur(v)}" for k, v in terms.threshold_by_kind.items())
        parts.append(tr("threshold_kind_text", kinds=kinds, kind=tr("kind_" + terms.kind) if terms.kind else "-"))
    basis = f"{tr('hours_basis')} {tr.number(terms.hours_basis)} h"
    parts.append(basis + (f" ({tr('hours_basis_assumed')})" if terms.hours_basis_assumed else ""))
    text = f"{tr('rule')}: " + "; ".join(parts)
    if terms.overridden:
        key = "overridden" if set_by == "tender" else "overridden_command"
        text += f" ({tr(key, names=', '.join(terms.overridden))})"
    if terms.assumed:
        text += f". {tr('rule_assumed')}"
    return text


def menu_heading(menu: Menu, tr: Translator) -> str:
    source = menu.sources[0]
    status = f" [red]{escape(tr('menu_status_partial'))}[/red]" if menu.status == "partial" else ""
    notice = secondary_notice_text(menu, tr)  # one line whenever rows rest on a secondary source
    return (
        f"{escape(tr('menu'))}: [bold]{escape(menu.ref)}[/bold] {escape(tr.label(menu.name))}, "
        f"{escape(tr('valid_from'))} {escape(tr.day(menu.valid_from))}{status}\n"
        f"{escape(tr('source'))}: {escape(source.url)}"
        + (f"\n[yellow]{escape(notice)}[/yellow]" if notice else "")
    )


#: past this many lines in a tender, lines are printed one per row without a table (a table of
#: 20,000 lines takes rich most of a minute to lay out; the compact rows stay fast)
COMPACT_AFTER = 400


def render_check(result: TenderResult, tr: Translator, console: Console) -> None:
    t = result.tender_file.tender
    title = " — ".join(escape(x) for x in (t.id, t.title) if x)
    console.print(f"[bold]{escape(tr('tender'))} {title}[/bold]" + (f" ({escape(t.buyer)})" if t.buyer else ""))
    console.print(menu_heading(result.menu, tr))
    console.print(escape(rule_text(result.terms, tr)), style="dim")
    if t.municipality:
        from impactkit.menus.municipalities import membership_note

        key, params = membership_note(t.municipality, result.menu)
        if (key, params) not in result.choice.notes:
            console.print(escape(message_text(key, params, tr)), style=None if key == "note_municipality" else "yellow")
    for key, params in result.choice.notes:
        console.print(escape(message_text(key, params, tr)), style="yellow")
    if not result.bids:
        console.print(escape(tr("no_bids")))
    compact = sum(len(bid.lines) for bid in result.bids) > COMPACT_AFTER
    if compact:
        console.print(escape(tr("compact_report", count=COMPACT_AFTER)), style="dim")
    for bid in result.bids:
        console.print()
        _render_bid(bid, tr, console, compact)
    if len(result.bids) > 1:
        console.print()
        console.print(_summary_table(result, tr))
    console.print()
    console.print(escape(tr("rounding_rule")), style="dim")
    if result.menu.assumptions:
        console.print(escape(tr("assumptions_hint", count=len(result.menu.assumptions), ref=result.menu.ref)), style="dim")


def _compact_lines(bid: BidResult, tr: Translator) -> str:
    """One row per line, aligned by column, without a table: block, candidate, credit, explanation."""
    block_width = max(len(line.block) for line in bid.lines)
    candidate_width = max(len(line.candidate or "") for line in bid.lines)
    credits = [tr.eur(line.credit) for line in bid.lines]
    credit_width = max(len(c) for c in credits)
    return "\n".join(
        f"{line.index + 1:>3} {line.block:<{block_width}} {line.candidate or '':<{candidate_width}} "
        f"{credit:>{credit_width}}  {line.explanation(tr)}" for line, credit in zip(bid.lines, credits))


def _render_bid(bid: BidResult, tr: Translator, console: Console, compact: bool = False) -> None:
    console.rule(f"[bold]{escape(tr('bid'))}: {escape(bid.bidder)}[/bold]", align="left")
    console.print(f"{escape(tr('obligation'))}: {escape(explain_obligation(bid.obligation, tr))}")
    for key, params in bid.notes:
        console.print(escape(message_text(key, params, tr)), style="yellow")
    if bid.lines and compact:
        console.out(_compact_lines(bid, tr), highlight=False)
    elif bid.lines:
        table = Table(show_edge=False, pad_edge=False, expand=False)
        table.add_column("#", justify="right")
        table.add_column(tr("block"))
        table.add_column(tr("candidate"))
        table.add_column(tr("credit"), justify="right", no_wrap=True)
        table.add_column(tr("explanation"), overflow="fold")
        for line in bid.lines:
            table.add_row(
                str(line.index + 1),
                escape(line.block),
                escape(line.candidate or ""),
                escape(tr.eur(line.credit)),
                escape(line.explanation(tr)),
            )
        console.print(table)
    else:
        console.print(escape(tr("no_contributions")), style="dim")
    verdict = f"[green]✓ {escape(tr('met'))}[/green]" if bid.met else f"[red]✗ {escape(tr('not_met'))}[/red]"
    console.print(
        f"{escape(tr('credited'))} [bold]{escape(tr.eur(bid.credited))}[/bold] / "
        f"{escape(tr('obligation'))} [bold]{escape(tr.eur(bid.obligation.amount))}[/bold]: {verdict}"
        + (f", {escape(tr('verdict_surplus', amount=tr.eur(bid.surplus)))}" if bid.met else
           f", [bold]{escape(tr('verdict_shortfall', amount=tr.eur(bid.shortfall)))}[/bold]")
    )
    if bid.suggestions:
        console.print(escape(tr("to_close")))
        for suggestion in bid.suggestions:
            console.print(f"  • {escape(explain_suggestion(suggestion, tr))}")


def _summary_table(result: TenderResult, tr: Translator) -> Table:
    table = Table(title=tr("summary"), title_justify="left")
    table.add_column(tr("bidder"))
    for name in ("obligation", "credited", "shortfall", "surplus"):
        table.add_column(tr(name), justify="right", no_wrap=True)
    table.add_column(tr("met_header"))
    for bid in result.bids:
        table.add_row(
            escape(bid.bidder),
            escape(tr.eur(bid.obligation.amount)),
            escape(tr.eur(bid.credited)),
            escape(tr.eur(bid.shortfall)),
            escape(tr.eur(bid.surplus)),
            f"[green]{escape(tr('yes'))}[/green]" if bid.met else f"[red]{escape(tr('no'))}[/red]",
        )
    return table
