"""`impactkit check TENDER.yaml`: does each bid meet its social-return obligation?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from impactkit.cli.common import emit_json, output_name, reported_errors, stdout_console, translator


def check(
    ctx: typer.Context,
    tender: Annotated[Path, typer.Argument(help="Tender file (YAML) with the bids and their contributions.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as a JSON document (see README).")] = False,
    xlsx: Annotated[
        Optional[Path], typer.Option("--xlsx", help="Also write an Excel workbook for the archive to this file.")
    ] = None,
    menu: Annotated[
        Optional[str], typer.Option("--menu", "-m", help="Use this menu instead of the tender's (id, id@version or path).")
    ] = None,
    municipality: Annotated[
        Optional[str], typer.Option("--municipality", help="Use the menu in force for this municipality instead of the tender's.")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with code 1 when any bid does not meet its obligation.")
    ] = False,
    plan: Annotated[
        Optional[Path], typer.Option("--plan", help="A plan file naming this tender, a bid and what that bidder can "
                                     "still offer: its shortfall is closed at least cost (see docs/plan.md).")
    ] = None,
) -> None:
    """Check every bid of a tender against its social-return obligation.

    Prints each bid's obligation, every credited line with its explanation, met or not,
    and ways to close a shortfall. Exit codes: see the README.
    """
    with reported_errors(ctx):
        from impactkit.engine import evaluate_tender
        from impactkit.errors import ExitCode, InvalidInputError
        from impactkit.cli.common import menu_choice
        from impactkit.io.tender_file import InvalidTender, load_tender


        tr = translator(ctx)
        # before the work; the tender's own menu file is known once it is read
        output_name(ctx, xlsx, "--xlsx", "workbook", [tender, menu if menu and Path(menu).is_file() else None])
        try:
            tender_file, lines = load_tender(tender)
        except InvalidTender as exc:  # with what its valid contributions would meet next: one wave
            from impactkit.engine.second_look import with_later_problems

            raise InvalidInputError(with_later_problems(
                exc, lambda on: menu_choice(menu, municipality, on, required=False))) from None
        choice = menu_choice(menu, municipality, tender_file.tender.reference_date, required=False)
        result = evaluate_tender(tender_file, lines, choice)
        if xlsx is not None:
            from impactkit.report.check_workbook import write_check_workbook

            menu_file = result.choice.origin if result.choice.origin != "shipped" else None
            write_check_workbook(result, tr, xlsx, inputs=[tender, menu_file])
        planned = _plan_for(plan, tender_file) if plan is not None else None
        if as_json:
            from impactkit.report.check_json import tender_document

            document = tender_document(result, tr)
            if planned is not None:
                from impactkit.report.plan_outputs import plan_document

                document["plan"] = plan_document(planned[1], planned[0], tr)
            emit_json(document)
        else:
            from impactkit.cli.render import render_check

            console = stdout_console()
            render_check(result, tr, console)
            if planned is not None:
                from impactkit.cli.plan_render import render_plan

                console.print()
                console.rule(tr("check_plan_title", plan=str(plan)), align="left")
                render_plan(planned[1], planned[0], tr, console)
        if xlsx is not None:
            from impactkit.cli.common import stderr_console

            stderr_console().print(tr("written", path=str(xlsx)), markup=False)
        if strict and not all(bid.met for bid in result.bids):
            raise typer.Exit(int(ExitCode.NOT_MET))


def _plan_for(path: Path, tender_file):
    """The plan file's least-cost way to close its bid's shortfall; the plan must name this tender."""
    from impactkit.errors import InvalidInputError, Problem
    from impactkit.plan import load_plan, prepare, solve

    loaded = load_plan(path)
    planned_tender = loaded.setting.tender_file.tender.id
    if planned_tender != tender_file.tender.id:
        raise InvalidInputError(Problem("check_plan_other_tender", {"plan": planned_tender,
                                                                    "tender": tender_file.tender.id}, file=str(path)))
    return loaded, solve(prepare(loaded.plan, loaded.setting, loaded.lines), None, 3, 60.0)
