"""`impactkit menus`: list, show, start and validate menus of building blocks."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from impactkit.cli.common import emit_json, reported_errors, show_problems, stdout_console, translator

app = typer.Typer(help="List, show, start and validate menus of building blocks.", no_args_is_help=True)


@app.command("list")
def list_menus(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list instead of a table.")] = False,
) -> None:
    """List the shipped menus: every version with its validity and completeness."""
    with reported_errors(ctx):
        from rich.markup import escape
        from rich.table import Table

        from impactkit.menus import shipped_menus
        from impactkit.report.check_json import menu_summary

        tr = translator(ctx)
        menus = shipped_menus()
        if as_json:
            emit_json([{**menu_summary(m), "blocks": len(m.blocks), "municipalities": list(m.municipalities)}
                       for m in menus])
            return
        table = Table()
        table.add_column(tr("menu"), no_wrap=True)
        table.add_column(tr("valid_from"), no_wrap=True)
        table.add_column(tr("status"))
        table.add_column("#", justify="right")
        table.add_column(tr("name"))
        for m in menus:
            status = tr(m.status)
            table.add_row(escape(m.ref), escape(tr.day(m.valid_from)),
                          f"[red]{escape(status)}[/red]" if m.status == "partial" else escape(status),
                          str(sum(1 for b in m.blocks if b.alias_of is None)), escape(m.name))
        stdout_console().print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Menu id (newest version), id@version, or path to a menu file.")],
    on: Annotated[
        Optional[datetime], typer.Option("--date", "-d", formats=["%Y-%m-%d"], help="Show the version in force on this date.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the menu as JSON.")] = False,
) -> None:
    """Show one menu: its rule, every block with value, unit, caps and source, and its assumptions."""
    with reported_errors(ctx):
        from impactkit.menus import resolve_menu

        tr = translator(ctx)
        choice = resolve_menu(ref, on.date() if on else None)
        if as_json:
            menu = choice.menu
            doc = menu.model_dump(mode="json", by_alias=True)
            doc["ref"] = menu.ref
            doc["origin"] = choice.origin
            emit_json(doc)
            return
        from impactkit.cli.menus_render import render_menu

        render_menu(choice, tr, stdout_console())


@app.command("new")
def new(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--from", help="Shipped menu (id or id@version) to start from.")],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of printing.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> None:
    """Print a copy of a shipped menu to start your own region's menu from."""
    with reported_errors(ctx):
        from impactkit.menus import starter_text

        text = starter_text(source)
        if output is None:
            typer.echo(text, nl=False)
            return
        from impactkit.io.atomic import refuse_existing, write_text_atomic

        refuse_existing(output, force)
        write_text_atomic(output, text, inputs=[source] if Path(source).is_file() else [])
        tr = translator(ctx)
        from impactkit.cli.common import stderr_console

        stderr_console().print(tr("written", path=str(output)), markup=False)


@app.command("validate")
def validate(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Menu files (YAML) to check.")],
) -> None:
    """Check menu files and explain every problem with its line."""
    with reported_errors(ctx):
        from impactkit.errors import ExitCode, ImpactkitError
        from impactkit.menus import load_menu_file

        tr = translator(ctx)
        worst = 0
        for path in files:
            try:
                menu = load_menu_file(path)
            except ImpactkitError as exc:
                show_problems(ctx, exc.problems)
                worst = max(worst, int(exc.exit_code))
                continue
            bonuses = len(menu.bonuses)
            blocks = sum(1 for b in menu.blocks if b.alias_of is None)
            stdout_console().print(
                tr("menu_valid", file=str(path), ref=menu.ref, blocks=blocks, bonuses=bonuses), markup=False
            )
            if menu.status == "partial":
                stdout_console().print(tr("menu_partial"), markup=False, style="yellow")
        if worst:
            raise typer.Exit(worst if worst != int(ExitCode.OK) else 0)
