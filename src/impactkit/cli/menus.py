"""`impactkit menus`: list, show, find by municipality, compare, start and validate menus of building blocks."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from impactkit.cli.common import emit_json, output_suffix, reported_errors, show_problems, stdout_console, translator

app = typer.Typer(help="List, show, find by municipality, compare, start and validate menus of building blocks.",
                  no_args_is_help=True)


@app.command("list")
def list_menus(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list instead of a table.")] = False,
) -> None:
    """List the shipped menus: every version with its validity, completeness and where its rows come from."""
    with reported_errors(ctx):
        from rich.markup import escape
        from rich.table import Table

        from impactkit.menus import shipped_menus
        from impactkit.report.check_json import menu_summary

        tr = translator(ctx)
        menus = shipped_menus()
        if as_json:
            emit_json([{**menu_summary(m, tr), "blocks": len(m.blocks),
                        "municipalities": [name for name, _ in m.members()],
                        "not_encoded": len(m.not_encoded)} for m in menus])
            return
        table = Table()
        table.add_column(tr("menu"), ratio=1)
        table.add_column(tr("valid_from"), no_wrap=True)
        table.add_column(tr("status"), no_wrap=True)
        table.add_column(tr("source_status"), no_wrap=True)
        table.add_column("#", justify="right")
        for m in menus:
            status = tr(m.status)
            kind = tr("status_" + m.source_kind)
            table.add_row(f"[bold]{escape(m.ref)}[/bold]\n[dim]{escape(tr.label(m.name))}[/dim]", escape(tr.day(m.valid_from)),
                          f"[red]{escape(status)}[/red]" if m.status == "partial" else escape(status),
                          escape(kind) if m.source_status == "primary" else f"[yellow]{escape(kind)}[/yellow]",
                          str(sum(1 for b in m.blocks if b.alias_of is None)))
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
        from impactkit.i18n import LANGUAGES, Translator
        from impactkit.menus import resolve_menu

        tr = translator(ctx)
        choice = resolve_menu(ref, on.date() if on else None)
        if as_json:
            menu = choice.menu
            doc = menu.model_dump(mode="json", by_alias=True)
            doc["ref"] = menu.ref
            doc["origin"] = choice.origin
            # the menu's texts as written ({nl, en} or plain); a standard text also in its words
            both = {lang: Translator(lang) for lang in LANGUAGES}
            doc["assumptions"] = [
                {**dumped, **{lang: t.label(item) for lang, t in both.items()}} if isinstance(dumped, dict) else dumped
                for item, dumped in zip(menu.assumptions, doc["assumptions"])
            ]
            for section in ("blocks", "bonuses"):  # where each row comes from
                for row in doc[section]:
                    if row.get("source"):
                        row["source_status"] = menu.row_status(row["source"])
            emit_json(doc)
            return
        from impactkit.cli.menus_render import render_menu

        render_menu(choice, tr, stdout_console())


@app.command("for")
def for_municipality(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A municipality (Emmen, 's-Hertogenbosch, Gemeente Súdwest-Fryslân) or region.")],
    on: Annotated[
        Optional[datetime], typer.Option("--date", "-d", formats=["%Y-%m-%d"], help="Name the version in force on this date.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Which menu a municipality uses; where none is published, its coordination point, neighbouring tables
    and how to start your own."""
    with reported_errors(ctx):
        from impactkit.cli.menus_for_render import answer_document, render_answer
        from impactkit.errors import Problem, UnknownReferenceError
        from impactkit.menus.municipalities import lookup

        answer = lookup(name)
        if not answer.known:
            raise UnknownReferenceError(Problem("municipality_unknown", {"name": name, "hint": ", ".join(answer.suggestions)}))
        day = on.date() if on else None
        if as_json:
            emit_json(answer_document(answer, day, translator(ctx)))
            return
        render_answer(answer, day, translator(ctx), stdout_console())


@app.command("diff")
def diff(
    ctx: typer.Context,
    first: Annotated[str, typer.Argument(help="Menu id, id@version or file: the menu before.")],
    second: Annotated[str, typer.Argument(help="Menu id, id@version or file: the menu after.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the changes as JSON.")] = False,
) -> None:
    """What changed between two menus or versions: blocks added or removed, values, caps, bonuses, rules."""
    with reported_errors(ctx):
        from impactkit.cli.menus_for_render import diff_document, render_diff
        from impactkit.menus import resolve_menu
        from impactkit.menus.diff import diff_menus

        a, b = resolve_menu(first).menu, resolve_menu(second).menu
        changes = diff_menus(a, b)
        if as_json:
            emit_json(diff_document(a, b, changes))
            return
        render_diff(a, b, changes, translator(ctx), stdout_console())


@app.command("new")
def new(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--from", help="Menu (id, id@version or file) to start from.")],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of printing.")
    ] = None,
    menu_id: Annotated[
        Optional[str], typer.Option("--id", help="Id of your menu (default: from the output file name, else my-menu).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> None:
    """Start your own region's menu from a copy: a fresh id, the values to edit, the copied region's
    sources, assumptions and municipalities left out."""
    with reported_errors(ctx):
        from impactkit.menus.starter import menu_id_from, starter_text

        new_id = menu_id_from(menu_id or (output.stem if output is not None else None))
        if menu_id is not None and new_id != menu_id:
            raise typer.BadParameter(translator(ctx)("menu_id_form", example=new_id), param_hint="--id")
        text = starter_text(source, new_id)
        if output is None:
            typer.echo(text, nl=False)
            return
        from impactkit.io.atomic import refuse_existing, refuse_overwriting_inputs, write_text_atomic

        refuse_overwriting_inputs(output, [source] if Path(source).is_file() else [])
        output_suffix(ctx, output, "--output", "yaml")
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
        from impactkit.i18n.problems import message_text
        from impactkit.menus import load_menu_file
        from impactkit.menus.notices import secondary_notice_text
        from impactkit.menus.starter import copy_warnings

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
            notice = secondary_notice_text(menu, tr)
            if notice:
                stdout_console().print(notice, markup=False, style="yellow")
            for key, params in copy_warnings(menu):
                stdout_console().print(message_text(key, params, tr), markup=False, style="yellow")
        if worst:
            raise typer.Exit(worst if worst != int(ExitCode.OK) else 0)
