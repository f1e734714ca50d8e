"""`impactkit score` and `impactkit template`: batch scoring bids from spreadsheets."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from impactkit.cli.common import emit_json, reported_errors, stderr_console, stdout_console, translator

SHOWN_REJECTIONS = 20
SHOWN_BIDS = 50


def score(
    ctx: typer.Context,
    inputs: Annotated[list[Path], typer.Argument(help="One .xlsx, one .csv, or two .csv files (tenders, contributions).")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the results workbook (.xlsx).")] = None,
    csv_dir: Annotated[Optional[Path], typer.Option("--csv", help="Write summary.csv, lines.csv and rejected.csv here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON (see README).")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with code 1 when any row was rejected.")] = False,
) -> None:
    """Score every bid in spreadsheets of tenders and contributions."""
    with reported_errors(ctx):
        from impactkit.batch.score import score as run_score
        from impactkit.errors import ExitCode
        from impactkit.report.score_files import counts, score_document, write_score_csv, write_score_workbook
        from impactkit.io.sheets.read import read_input

        from impactkit.io.atomic import refuse_output_set, refuse_overwriting_inputs

        tr = translator(ctx)
        if output is not None:
            refuse_overwriting_inputs(output, inputs)
        if csv_dir is not None:
            refuse_output_set([csv_dir / n for n in ("summary.csv", "lines.csv", "rejected.csv")], inputs, csv_dir)
        with _progress(tr) as step:
            step("read")
            batch = read_input(inputs)
            result = run_score(batch, tr, step)
            step("write")
            if output is not None:
                write_score_workbook(result, tr, output, inputs=inputs)
            if csv_dir is not None:
                write_score_csv(result, tr, csv_dir, inputs=inputs)
        if as_json:
            emit_json(score_document(result, tr))
        else:
            _render(result, tr)
        err = stderr_console()
        numbers = counts(result)
        for path in (p for p in (output, csv_dir) if p is not None):
            err.print(tr("written", path=str(path)), markup=False)
        err.print(tr("score_counts", **numbers), markup=False)
        if batch.tenders is not None:
            err.print(tr("score_tender_counts", **numbers), markup=False)
        if strict and result.rejections:
            raise typer.Exit(int(ExitCode.NOT_MET))


def _progress(tr):
    """A progress display on a terminal; silent in pipes, files and CI."""
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext(lambda name: None)

    @contextlib.contextmanager
    def run():
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        phases = ["read", "tenders", "validate", "value", "explain", "bids", "write"]
        with Progress(SpinnerColumn(), TextColumn("{task.description:<24}"), BarColumn(), TimeElapsedColumn(),
                      console=stderr_console(), transient=True) as progress:
            task = progress.add_task(tr("progress_read"), total=len(phases))

            def step(name: str) -> None:
                progress.update(task, description=tr("progress_" + name), completed=phases.index(name))

            yield step

    return run()


def _render(result, tr) -> None:
    from decimal import Decimal

    from rich.markup import escape
    from rich.table import Table

    from impactkit.report.score_files import rejection_text, secondary_notices

    console = stdout_console()
    table = Table(title=tr("summary"), title_justify="left")
    for key, justify in (("tender", "left"), ("bidder", "left"), ("obligation", "right"), ("credited", "right"),
                         ("coverage", "right"), ("met_header", "left"), ("rank", "right"), ("rows_rejected", "right")):
        table.add_column(tr(key), justify=justify, no_wrap=justify == "right",
                         min_width=14 if key in ("tender", "bidder") else None)
    for bid in result.bids[:SHOWN_BIDS]:
        coverage = "" if bid.coverage is None else tr.percent(bid.coverage.quantize(Decimal("0.001")))
        table.add_row(escape(bid.tender_id), escape(bid.bidder), escape(tr.eur(bid.obligation.amount)),
                      escape(tr.eur(bid.credited)), escape(coverage),
                      f"[green]{tr('yes')}[/green]" if bid.met else f"[red]{tr('no')}[/red]", str(bid.rank),
                      str(bid.rejected or ""))
    console.print(table)
    met = sum(1 for b in result.bids if b.met)
    console.print(tr("score_bids", bids=len(result.bids), tenders=len({b.tender_id for b in result.bids}), met=met),
                  markup=False)
    for source, header in result.ignored:
        console.print(tr("score_ignored", sheet=source, headers=header), markup=False, style="yellow")
    for notice in secondary_notices(result, tr):
        console.print(notice, markup=False, style="yellow")
    if result.rejections:
        console.print(tr("score_rejected_head", shown=min(SHOWN_REJECTIONS, len(result.rejections)),
                         total=len(result.rejections)), markup=False)
        for r in result.rejections[:SHOWN_REJECTIONS]:
            column = f", {r.column}" if r.column else ""
            value = f" ({r.value})" if r.value else ""
            console.print(f"  {r.source}, {tr('row').lower()} {r.row}{column}{value}: {rejection_text(r, tr)}",
                          markup=False, soft_wrap=True)


def template(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="The workbook to write (.xlsx).")],
    menu: Annotated[Optional[str], typer.Option("--menu", "-m", help="Menu whose blocks fill the dropdown.")] = None,
    municipality: Annotated[
        Optional[str], typer.Option("--municipality", help="The municipality instead of a menu: its menu in force.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write an empty bids workbook to send to bidders (instructions, dropdowns, example rows)."""
    with reported_errors(ctx):
        from impactkit.cli.common import menu_choice
        from impactkit.io.atomic import refuse_existing
        from impactkit.io.template import write_template

        refuse_existing(target, force)
        tr = translator(ctx)
        choice = menu_choice(menu or (None if municipality else "haaglanden-zhc"), municipality)
        write_template(choice.menu, target, inputs=[None if choice.origin == "shipped" else choice.origin])
        stderr_console().print(tr("template_written", path=str(target), menu=choice.menu.ref), markup=False)
