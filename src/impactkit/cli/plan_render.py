"""Rich rendering of a plan for the terminal. All text from input files is escaped."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from impactkit.cli.render import menu_heading, rule_text
from impactkit.i18n import Translator
from impactkit.i18n.problems import message_text
from impactkit.plan.load import Loaded
from impactkit.plan.solve import LEAST_COST, Outcome, Plan
from impactkit.rules.explain import explain_obligation


def render_plan(outcome: Outcome, loaded: Loaded, tr: Translator, console: Console) -> None:
    best = outcome.best
    t = best.result.tender_file.tender
    tender = " ".join(escape(x) for x in (t.id, t.title) if x) + (f" ({escape(t.buyer)})" if t.buyer else "")
    console.print(f"[bold]{escape(tr('plan_title', bidder=best.bid.bidder))}[/bold] — {escape(tr('tender'))} {tender}")
    console.print(menu_heading(best.result.menu, tr))
    console.print(escape(rule_text(best.result.terms, tr)), style="dim")
    for key, params in best.result.choice.notes:
        console.print(escape(message_text(key, params, tr)), style="yellow")
    console.print(f"{escape(tr('obligation'))}: {escape(explain_obligation(best.bid.obligation, tr))}")
    console.print()
    console.print(f"[bold]{escape(_heading(outcome, tr))}[/bold]")
    console.print(plan_table(best, tr))
    console.print(_verdict(best, outcome, tr))
    if outcome.status == "infeasible":
        _render_extensions(outcome, tr, console)
    elif outcome.alternatives:
        console.print()
        console.print(escape(tr("plan_alternatives")))
        for n, plan in enumerate(outcome.alternatives, start=1):
            console.print(f"  {n}. {escape(_alternative(plan, best, outcome, tr))}")
        if not outcome.alternatives_proved:
            console.print(escape(tr("plan_alternatives_unproved")), style="dim")
    elif outcome.status != "infeasible" and best.used:
        # within a budget the plan is the most credit it buys, met or not: no other combination gives as much
        console.print(escape(tr("plan_no_alternatives_budget" if outcome.budget is not None else "plan_no_alternatives")),
                      style="dim")
    for key, params in outcome.notes:
        console.print(escape(message_text(key, params, tr)), style="yellow")
    console.print()
    console.print(escape(tr("plan_checked")), style="dim")
    console.print(escape(tr("rounding_rule")), style="dim")


def _heading(outcome: Outcome, tr: Translator) -> str:
    if outcome.status == "infeasible":
        return tr("plan_infeasible")
    # least cost, or the most credit within the budget (solve: a budget sets that mode)
    title = tr("plan_least_cost") if outcome.budget is None else tr("plan_budget_title", budget=tr.eur(outcome.budget))
    proof = tr("plan_proved", solver="HiGHS") if outcome.status == "optimal" else tr(
        "plan_time_limit", gap=f"{outcome.gap:.2%}")
    return f"{title} ({proof})"


def plan_table(plan: Plan, tr: Translator) -> Table:
    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column("#", justify="right")
    table.add_column(tr("plan_option"))
    table.add_column(tr("block"))
    table.add_column(tr("candidate"))
    table.add_column(tr("credit"), justify="right", no_wrap=True)
    table.add_column(tr("plan_cost"), justify="right", no_wrap=True)
    table.add_column(tr("explanation"), overflow="fold")
    for planned, line in zip(plan.lines, plan.bid.lines):
        option = planned.option or tr("plan_in_bid")
        if planned.committed and planned.option:
            option += f" ({tr('plan_committed')})"
        table.add_row(str(line.index + 1), escape(option), escape(line.block), escape(line.candidate or ""),
                      escape(tr.eur(line.credit)), escape(tr.eur(planned.cost)), escape(line.explanation(tr)))
    return table


def _verdict(plan: Plan, outcome: Outcome, tr: Translator) -> str:
    head = (f"{escape(tr('credited'))} [bold]{escape(tr.eur(plan.credited))}[/bold] / "
            f"{escape(tr('obligation'))} [bold]{escape(tr.eur(plan.obligation))}[/bold]: ")
    if plan.met:
        text = f"[green]✓ {escape(tr('met'))}[/green], {escape(tr('plan_margin', margin=tr.eur(plan.margin)))}"
    else:
        text = f"[red]✗ {escape(tr('plan_short', short=tr.eur(-plan.margin)))}[/red]"
    cost = tr("plan_cost_total", cost=tr.eur(plan.cost))
    if outcome.budget is not None:
        cost = tr("plan_cost_budget", cost=tr.eur(plan.cost), budget=tr.eur(outcome.budget))
    return head + text + f"; [bold]{escape(cost)}[/bold]"


def _alternative(plan: Plan, best: Plan, outcome: Outcome, tr: Translator) -> str:
    used = ", ".join(sorted(plan.used)) or tr("none")
    if outcome.mode == LEAST_COST:
        return tr("plan_alternative", options=used, cost=tr.eur(plan.cost), extra=tr.eur(plan.cost - best.cost),
                  credited=tr.eur(plan.credited))
    return tr("plan_alternative_budget", options=used, credited=tr.eur(plan.credited),
              less=tr.eur(best.credited - plan.credited), cost=tr.eur(plan.cost))


def extension_text(extension, tr: Translator) -> str:
    if extension.field == "amount":
        current, extended = tr.eur(extension.current), tr.eur(extension.extended)
    else:
        current, extended = tr.number(extension.current), tr.number(extension.extended)
    return tr("plan_extension_" + extension.field, option=extension.option, current=current, extended=extended,
              cost=tr.eur(extension.extra_cost))


def _render_extensions(outcome: Outcome, tr: Translator, console: Console) -> None:
    console.print()
    if not outcome.extensions:
        console.print(escape(tr("plan_no_extension")))
        return
    console.print(escape(tr("plan_extensions")))
    for extension in outcome.extensions:
        console.print(f"  • {escape(extension_text(extension, tr))}")
