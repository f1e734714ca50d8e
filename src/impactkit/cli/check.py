"""`impactkit check TENDER.yaml`: does each bid meet its social-return obligation?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from impactkit.cli.common import emit_json, reported_errors, stdout_console, translator


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
) -> None:
    """Check every bid of a tender against its social-return obligation.

    Prints each bid's obligation, every credited line with its explanation, met or not,
    and ways to close a shortfall. Exit codes: see the README.
    """
    with reported_errors(ctx):
        from impactkit.engine import evaluate_tender
        from impactkit.errors import ExitCode
        from impactkit.cli.common import menu_choice
        from impactkit.io.tender_file import load_tender

        from impactkit.io.atomic import refuse_overwriting_inputs

        tr = translator(ctx)
        if xlsx is not None:
            refuse_overwriting_inputs(xlsx, [tender])
        tender_file, lines = load_tender(tender)
        choice = menu_choice(menu, municipality, tender_file.tender.reference_date, required=False)
        result = evaluate_tender(tender_file, lines, choice)
        if xlsx is not None:
            from impactkit.report.check_workbook import write_check_workbook

            menu_file = result.choice.origin if result.choice.origin != "shipped" else None
            write_check_workbook(result, tr, xlsx, inputs=[tender, menu_file])
        if as_json:
            from impactkit.report.check_json import tender_document

            emit_json(tender_document(result, tr))
        else:
            from impactkit.cli.render import render_check

            render_check(result, tr, stdout_console())
        if xlsx is not None:
            from impactkit.cli.common import stderr_console

            stderr_console().print(tr("written", path=str(xlsx)), markup=False)
        if strict and not all(bid.met for bid in result.bids):
            raise typer.Exit(int(ExitCode.NOT_MET))
