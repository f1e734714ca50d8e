"""`impactkit assess`: the Impactpad self-assessment, a yearly profile, interactive and resumable;
`assess history` (one enterprise over the years) and `assess summary` (the region's view)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from impactkit.cli.common import emit_json, output_name, reported_errors, stderr_console, stdout_console, translator

DEFAULT_SAVE = Path("impactkit-answers.yaml")

app = typer.Typer(
    help="Self-assess your impact on the Impactpad growth path, per theme, year by year.",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def next_year_file(last: Path, year: int | None) -> Path:
    """Where a new year's answers go by default: the year in the name moved on, else '-YEAR' added."""
    if year is not None and str(year - 1) in last.stem:
        return last.with_name(last.stem.replace(str(year - 1), str(year)) + last.suffix)
    suffix = f"-{year}" if year is not None else "-next"
    return last.with_name(re.sub(r"-?next$", "", last.stem) + suffix + last.suffix)


def _written(tr, paths) -> None:
    for path in (p for p in paths if p is not None):
        stderr_console().print(tr("written", path=str(path)), markup=False)


@app.callback(invoke_without_command=True)
def assess(
    ctx: typer.Context,
    answers: Annotated[Optional[Path], typer.Option("--answers", "-a", help="Answers file to resume from.")] = None,
    save: Annotated[Optional[Path], typer.Option("--save", "-s", help="Save answers here as you go "
                                                 "(default: the --answers file, else impactkit-answers.yaml).")] = None,
    revise: Annotated[bool, typer.Option("--revise", help="Go through the 'no's, the missing evidence and any answer "
                                         "you pick, then what is still unanswered.")] = False,
    from_: Annotated[Optional[Path], typer.Option("--from", help="Start a new year from last year's answers file: "
                                                  "every answer is shown to keep (Enter) or change.")] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never ask; report what is missing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (see docs/assess.md).")] = False,
    md: Annotated[Optional[Path], typer.Option("--md", help="Write the one-page profile as Markdown.")] = None,
    html: Annotated[Optional[Path], typer.Option("--html", help="Write the one-page profile as HTML (print it to PDF "
                                                 "from a browser).")] = None,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Write a workbook with the profile, answers and "
                                                 "results.")] = None,
) -> None:
    """Self-assess your impact on the Impactpad growth path, per theme, year by year."""
    if ctx.invoked_subcommand is not None:
        return
    with reported_errors(ctx):
        from impactkit.assess.answers import Assessment
        from impactkit.assess.levels import evaluate
        from impactkit.assess.model import catalogue
        from impactkit.assess.profile import document
        from impactkit.assess.reading import load
        from impactkit.assess.saving import AnswersFile
        from impactkit.errors import OutputError, Problem
        from impactkit.io.atomic import refuse_overwriting_inputs
        from impactkit.io.yamlio import read_text

        tr = translator(ctx)
        cat = catalogue()
        if from_ is not None and answers is not None:
            raise typer.BadParameter(tr("assess_from_or_answers"), param_hint="--from")
        if revise and answers is None and from_ is None and not (save or DEFAULT_SAVE).exists():
            raise typer.BadParameter(tr("assess_revise_needs_file"), param_hint="--revise")
        if no_input and answers is None and from_ is None:
            raise typer.BadParameter(tr("assess_no_input_needs_file"), param_hint="--no-input")
        if from_ is not None:
            assessment = _not_empty(load(from_, cat), from_).next_year()
            target = save or next_year_file(from_, assessment.year)
            refuse_overwriting_inputs(target, [from_])
            if target.exists():
                raise OutputError(Problem("assess_new_year_exists", {"path": str(target)}, file=str(target)))
            source = None
        else:
            target = save or answers or DEFAULT_SAVE
            source = answers if answers is not None else (target if not no_input and target.exists() else None)
            assessment = load(source, cat) if source is not None else Assessment()
            if no_input and source is not None:  # --no-input needs --answers (refused above without it)
                _not_empty(assessment, source)
        inputs = [p for p in (answers, from_, target, source) if p is not None]
        for output, option, kind in ((md, "--md", "markdown"), (html, "--html", "html"), (xlsx, "--xlsx", "workbook")):
            output_name(ctx, output, option, kind, inputs)
        err = stderr_console()
        # the file the answers are saved in: edited in place, never rewritten (docs/assess.md)
        answers_file = AnswersFile(cat, target, assessment, read_text(source) if source is not None else None,
                                   source=source, inputs=(from_,))
        if from_ is not None:
            err.print(tr("assess_new_year", year=assessment.year or "?", source=str(from_), path=str(target)),
                      markup=False)
            answers_file.save(assessment)
            answers_file = AnswersFile(cat, target, assessment, read_text(target), source=target, own=False,
                                       inputs=(from_,))
        if not no_input:
            from impactkit.cli.interview import interview

            if source is not None:
                err.print(tr("assess_resuming", path=str(source)), markup=False)
            try:
                def save_now() -> None:
                    answers_file.save(assessment)

                interview(cat, assessment, tr, save_now, revise=revise)
            except (KeyboardInterrupt, typer.Abort, EOFError):
                saved = answers_file.save(assessment)
                _said_aside(tr, saved)
                err.print("\n" + tr("assess_interrupted", path=str(saved.path)), markup=False)
                raise typer.Exit(130) from None
            _said_saved(tr, answers_file.save(assessment))
        results = evaluate(cat, assessment)
        doc = document(cat, assessment, results, tr)
        _write_profile(cat, assessment, doc, tr, md, html, xlsx, inputs)
        if as_json:
            emit_json(doc)
        else:
            from impactkit.cli.assess_render import render

            render(doc, tr, stdout_console())
        _written(tr, (md, html, xlsx))


def _said_aside(tr, saved) -> None:
    if saved.left is not None:
        stderr_console().print(tr("assess_saved_aside", source=str(saved.left), path=str(saved.path)),
                               style="yellow", markup=False)


def _said_saved(tr, saved) -> None:
    """Where the answers are, and what happened to the user's file."""
    _said_aside(tr, saved)
    if saved.left is not None:
        return
    if saved.edited and saved.written:
        key = "assess_saved_edited_confirmed" if saved.counts["confirmed"] else "assess_saved_edited"
        text = tr(key, path=str(saved.path), **saved.counts)
    elif not saved.written and not any(saved.counts.values()):
        text = tr("assess_saved_unchanged", path=str(saved.path))
    else:
        text = tr("assess_saved", path=str(saved.path))
    stderr_console().print(text, markup=False)


def _not_empty(assessment, path: Path):
    """An answers file that holds nothing cannot be reported on (nor carried into a new year)."""
    if assessment.is_empty:
        from impactkit.errors import InvalidInputError, Problem

        raise InvalidInputError(Problem("assess_answers_empty", {"path": str(path)}, file=str(path)))
    return assessment


def _write_profile(cat, assessment, doc, tr, md, html, xlsx, inputs) -> None:
    from impactkit.assess.outputs import markdown, write_html, write_markdown, write_workbook

    if md is not None:
        write_markdown(markdown(doc, tr), md, inputs)
    if html is not None:
        from impactkit.assess.html import profile_html

        write_html(profile_html(doc, tr), html, inputs)
    if xlsx is not None:
        write_workbook(cat, assessment, doc, tr, xlsx, inputs)


Files = Annotated[list[Path], typer.Argument(help="Answers files (one per enterprise and year), or folders of them.",
                                             show_default=False)]


@app.command("summary")
def summary(
    ctx: typer.Context,
    files: Files,
    names: Annotated[bool, typer.Option("--names", help="Show enterprise names (default: pseudonyms).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help="Write the summary as a one-page HTML report.")] = None,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Write the summary as a workbook with charts.")] = None,
) -> None:
    """The region's view: many enterprises' profiles per theme, level and year, pseudonymised."""
    with reported_errors(ctx):
        from impactkit.assess.model import catalogue
        from impactkit.assess.summary import answer_files, read_profiles, summary as build
        from impactkit.assess.summary_outputs import summary_html, write_summary_workbook
        from impactkit.io.atomic import write_text_atomic

        tr = translator(ctx)
        cat = catalogue()
        inputs = answer_files(files)
        output_name(ctx, xlsx, "--xlsx", "workbook", inputs)
        output_name(ctx, html, "--html", "html", inputs)
        doc = build(cat, read_profiles(cat, files), tr, names=names)
        if xlsx is not None:
            write_summary_workbook(doc, tr, xlsx, inputs)
        if html is not None:
            from impactkit.io.ownership import marked

            write_text_atomic(html, marked(summary_html(doc, tr)), inputs=inputs)  # io/ownership.py
        if as_json:
            emit_json(doc)
        else:
            from impactkit.cli.assess_render import render_summary

            render_summary(doc, tr, stdout_console())
        _written(tr, (xlsx, html))


@app.command("history")
def history(
    ctx: typer.Context,
    files: Files,
    as_json: Annotated[bool, typer.Option("--json", help="Print the history as JSON.")] = False,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Write the history as a workbook with a chart.")] = None,
) -> None:
    """One enterprise's progress per theme over the years, from its yearly answers files."""
    with reported_errors(ctx):
        from impactkit.assess.model import catalogue
        from impactkit.assess.summary import answer_files, history as build, read_profiles
        from impactkit.assess.summary_outputs import write_history_workbook

        tr = translator(ctx)
        cat = catalogue()
        inputs = answer_files(files)
        output_name(ctx, xlsx, "--xlsx", "workbook", inputs)
        doc = build(cat, read_profiles(cat, files), tr)
        if xlsx is not None:
            write_history_workbook(doc, tr, xlsx, inputs)
        if as_json:
            emit_json(doc)
        else:
            from impactkit.cli.assess_render import render_history

            render_history(doc, tr, stdout_console())
        _written(tr, (xlsx,))
