"""`impactkit score` and `impactkit template`: batch scoring bids from spreadsheets."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from impactkit.cli.common import emit_json, output_name, output_suffix, reported_errors, stderr_console, stdout_console, translator

if TYPE_CHECKING:  # rich is imported by the commands that print
    from rich.console import JustifyMethod

SHOWN_REJECTIONS = 20
SHOWN_BIDS = 50


def score(
    ctx: typer.Context,
    inputs: Annotated[list[Path], typer.Argument(
        metavar="FILE", help="The spreadsheets with the tenders and the contributions, as many as they are spread over: .xlsx, "
             ".xlsm, .ods, .xls, .csv, .tsv or .txt, in any mix.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the results workbook (.xlsx).")] = None,
    csv_dir: Annotated[Optional[Path], typer.Option("--csv", help="Write summary.csv, lines.csv and rejected.csv here.")] = None,
    csv_dialect: Annotated[Optional[str], typer.Option(
        "--csv-dialect", metavar="plain|excel|excel-nl",
        help="How the --csv files are written: plain (the default, for programs: UTF-8, ',' and decimal points), "
             "excel (UTF-8 with a byte order mark, for Excel with English settings) or excel-nl (UTF-8 with a byte "
             "order mark, ';' and decimal commas, for Excel with Dutch settings).")] = None,
    explain: Annotated[bool, typer.Option(
        "--explain", help="lines.csv also carries each line's explanation (the workbook and JSON always do).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON (see README).")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with code 1 when any row was rejected.")] = False,
) -> None:
    """Score every bid in spreadsheets of tenders and contributions."""
    with reported_errors(ctx):
        from impactkit.batch.score import score as run_score
        from impactkit.errors import ExitCode
        from impactkit.report.score_files import counts, score_document, write_score_csv, write_score_workbook
        from impactkit.io.sheets.read import read_input

        from impactkit.io.atomic import refuse_output_set
        from impactkit.report.score_csv import CSV_FILES

        tr = translator(ctx)
        dialect = _csv_dialect(tr, csv_dialect, csv_dir)
        if output is not None:
            output_name(ctx, output, "--output", "workbook", inputs, hint=tr("output_csv_hint"))
        if csv_dir is not None:
            refuse_output_set([csv_dir / n for n in CSV_FILES], inputs, csv_dir)
        with _progress(tr) as step:
            step("read")
            batch = read_input(inputs)
            result = run_score(batch, tr, step)
            step("write")
            if output is not None:
                write_score_workbook(result, tr, output, inputs=inputs)
            if csv_dir is not None:
                write_score_csv(result, tr, csv_dir, inputs=inputs, explain=explain, dialect=dialect)
        if as_json:
            emit_json(score_document(result, tr))
        else:
            _render(result, tr)
        err = stderr_console()
        numbers = counts(result)
        for path in (p for p in (output, csv_dir) if p is not None):
            err.print(tr("written", path=str(path)), markup=False)
        err.print(tr("score_counts", **numbers), markup=False)
        if numbers["tender_rows_in"]:
            err.print(tr("score_tender_counts", **numbers), markup=False)
        if strict and result.rejections:
            raise typer.Exit(int(ExitCode.NOT_MET))


def _csv_dialect(tr, name: str | None, csv_dir: Path | None):
    """The dialect `--csv-dialect` names (plain when not given); it shapes the files of --csv only."""
    from impactkit.report.score_csv import DIALECTS, PLAIN

    if name is None:
        return PLAIN
    known = DIALECTS.get(name.strip().lower())
    if known is None:
        raise typer.BadParameter(tr("option_not_csv_dialect", got=name, known=", ".join(DIALECTS)),
                                 param_hint="--csv-dialect")
    if csv_dir is None:
        raise typer.BadParameter(tr("option_csv_dialect_without_csv"), param_hint="--csv-dialect")
    return known


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
    """Per tender its bids by rank, as the workbook's first sheet shows them; then notes and rejections."""
    from decimal import Decimal

    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from impactkit.report.score_files import base_text, note_text, overview, rejection_text, secondary_notices

    console = stdout_console()
    tenders, left = overview(result, tr, SHOWN_BIDS)
    for tender in tenders:
        table = Table(title=escape(tender["title"]), title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                      pad_edge=False)
        columns: tuple[tuple[str, JustifyMethod], ...] = (
            ("rank", "right"), ("bidder", "left"), ("met_header", "left"), ("coverage", "right"), ("credited", "right"),
            ("obligation", "right"), ("shortfall", "right"), ("computed_as", "left"))
        for key, justify in columns:
            table.add_column(tr(key), justify=justify, no_wrap=justify == "right" or key == "met_header")
        for item in tender["bids"]:
            bid = item["bid"]
            coverage = "" if bid.coverage is None else tr.percent(bid.coverage.quantize(Decimal("0.001")))
            met = f"[green]{tr('yes')}[/green]" if bid.met else f"[red]{tr('no')}[/red]"
            table.add_row(str(bid.rank), escape(bid.bidder) + (" *" if bid.rejected else ""), met, escape(coverage),
                          escape(tr.eur(bid.credited)), escape(tr.eur(bid.obligation.amount)),
                          escape(tr.eur(bid.shortfall)) if not bid.met else "", escape(item["short"]))
        console.print(table)
    met_bids = sum(1 for b in result.bids if b.met)
    console.print(tr("score_bids", bids=len(result.bids), tenders=len(tenders) + left, met=met_bids), markup=False)
    if any(b.rejected for b in result.bids):
        console.print(tr("score_incomplete_mark"), markup=False)
    if left:
        console.print(tr("score_bids_more", shown=sum(len(t["bids"]) for t in tenders)), markup=False)
    bases = [(result.bids[i], result.base(i)) for i in result.noted_bases()]
    if bases:
        console.print(tr("score_base_notes_head"), markup=False, style="yellow")
        for bid, base in bases[:SHOWN_REJECTIONS]:
            console.print(f"  {bid.tender_id} {bid.bidder}: {base_text(base, tr)}", markup=False, soft_wrap=True)
    if result.notes:
        console.print(tr("score_notes_head", shown=min(SHOWN_REJECTIONS, len(result.notes)), total=len(result.notes)),
                      markup=False, style="yellow")
        for note in result.notes[:SHOWN_REJECTIONS]:
            where = "".join(f", {part}" for part in (f"{tr('row').lower()} {note.row}" if note.row else None, note.column)
                            if part)
            console.print(f"  {note.source}{where}: {note_text(note, tr)}", markup=False, soft_wrap=True)
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
    menu: Annotated[Optional[list[str]], typer.Option(
        "--menu", "-m", help="A menu bidders may use (repeat for several); its blocks fill the dropdown.")] = None,
    municipality: Annotated[
        Optional[str], typer.Option("--municipality", help="The municipality instead of a menu: its menu in force.")
    ] = None,
    tender: Annotated[Optional[Path], typer.Option(
        "--tender", "-t", help="A tender file (YAML) whose tender is filled in on the tenders sheet.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write an empty bids workbook to send to bidders (instructions, dropdowns, example rows)."""
    with reported_errors(ctx):
        from impactkit.cli.common import menu_choice
        from impactkit.io.atomic import refuse_existing, refuse_overwriting_inputs
        from impactkit.io.template import write_template

        refuse_overwriting_inputs(target, [tender, *(m for m in (menu or []) if Path(m).is_file())])
        output_suffix(ctx, target, "TARGET", "workbook")
        refuse_existing(target, force)
        tr = translator(ctx)
        info = None
        choices = []
        if tender is not None:
            from impactkit.io.tender_file import load_tender
            from impactkit.menus.municipalities import resolve_tender_menu

            info = load_tender(tender)[0].tender  # its menu, or its municipality's menu in force
            choices.append(resolve_tender_menu(info.menu, info.municipality, info.reference_date, tender.parent))
        if municipality:
            choices.append(menu_choice(None, municipality))
        choices += [menu_choice(ref, None) for ref in (menu or [])]
        if not choices:
            choices.append(menu_choice("haaglanden-zhc", None))
        menus = list({c.menu.ref: c.menu for c in choices}.values())
        menu_files = [c.origin for c in choices if c.origin != "shipped"]
        write_template(menus, target, info, inputs=[tender, *menu_files])
        stderr_console().print(tr("template_written", path=str(target), menu=", ".join(m.ref for m in menus)),
                               markup=False)
