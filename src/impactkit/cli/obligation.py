"""`impactkit obligation`: the quick question "what is the obligation for this contract"."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Optional

import typer

from impactkit.cli.common import amount_option, emit_json, reported_errors, stdout_console, translator


def obligation(
    ctx: typer.Context,
    value: Annotated[str, typer.Option("--value", "-v", help="Contract value excl. VAT in euros, e.g. 500000 or 500.000.")],
    menu: Annotated[
        Optional[str], typer.Option("--menu", "-m", help="Menu id, id@version, or path to a menu file.")
    ] = None,
    municipality: Annotated[
        Optional[str], typer.Option("--municipality", help="The municipality instead of a menu: its menu in force.")
    ] = None,
    on: Annotated[
        Optional[datetime], typer.Option("--date", "-d", formats=["%Y-%m-%d"], help="Reference date (selects the menu version).")
    ] = None,
    rate: Annotated[Optional[str], typer.Option(help="Override the menu's rate, e.g. 5% or 0.05.")] = None,
    threshold: Annotated[Optional[str], typer.Option(help="Override the menu's threshold in euros.")] = None,
    cap: Annotated[Optional[str], typer.Option(help="Override the menu's cap in euros.")] = None,
    pso: Annotated[bool, typer.Option("--pso", help="The contractor is PSO certified (applies a known PSO discount).")] = False,
    pso_trede: Annotated[Optional[str], typer.Option(
        "--pso-trede", help="The contractor's PSO trede (1, 2, 3 or 30+): applies the menu's discount for it.")] = None,
    kind: Annotated[Optional[str], typer.Option(
        "--kind", help="works, services or supplies: picks the menu's threshold where it differs per kind.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON document instead of the report.")] = False,
) -> None:
    """The obligation for a contract value under a menu's rule."""
    with reported_errors(ctx):
        from rich.markup import escape

        from impactkit.engine import compute_obligation, terms_for
        from impactkit.report.check_json import menu_summary, obligation_dict, terms_dict
        from impactkit.rules.explain import explain_obligation
        from impactkit.i18n.problems import message_text

        tr = translator(ctx)
        day = on.date() if on else None
        base = amount_option(value, "--value", ctx)
        overrides = {"rate": amount_option(rate, "--rate", ctx, rate=True) if rate else None,
                     "threshold": amount_option(threshold, "--threshold", ctx) if threshold else None,
                     "cap": amount_option(cap, "--cap", ctx) if cap else None}
        trede = None
        if pso_trede is not None:
            from impactkit.model.facts import TREDES

            trede = pso_trede.strip().lower().removeprefix("trede").strip()
            if trede not in TREDES:
                raise typer.BadParameter(translator(ctx)("option_not_trede", got=pso_trede), param_hint="--pso-trede")
        if kind is not None and kind not in ("works", "services", "supplies"):
            raise typer.BadParameter(translator(ctx)("option_not_kind", got=kind), param_hint="--kind")
        from impactkit.cli.common import menu_choice

        choice = menu_choice(menu, municipality, day)
        terms = terms_for(choice.menu, kind=kind, **overrides)
        result = compute_obligation(base, terms, pso_certified=pso, pso_trede=trede)
        from impactkit.rules.explain import obligation_notes

        notes = [message_text(k, p, tr) for k, p in [*choice.notes, *obligation_notes(result, terms.threshold_needs_kind,
                                                                                tuple(terms.pso_discount_by_trede))]]
        if as_json:
            emit_json({"menu": menu_summary(choice.menu, tr, choice.origin), "menu_notes": notes,
                       "terms": terms_dict(terms), "obligation": obligation_dict(result, tr)})
            return
        console = stdout_console()
        console.print(f"[bold]{escape(tr('obligation_for', value=tr.eur(base), ref=choice.menu.ref))}[/bold]")
        console.print(escape(explain_obligation(result, tr)))
        console.print(f"[bold]{escape(tr('obligation'))}: {escape(tr.eur(result.amount))}[/bold]")
        from impactkit.cli.render import rule_text

        console.print(escape(rule_text(terms, tr, set_by="command")), style="dim")
        for note in notes:
            console.print(escape(note), style="yellow")
        from impactkit.menus.notices import secondary_notice_text

        notice = secondary_notice_text(choice.menu, tr)
        if notice:
            console.print(escape(notice), style="yellow")
