"""`impactkit assess`: the Impactpad self-assessment, interactive and resumable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from impactkit.cli.common import emit_json, reported_errors, stderr_console, stdout_console, translator

DEFAULT_SAVE = Path("impactkit-answers.yaml")


def assess(
    ctx: typer.Context,
    answers: Annotated[Optional[Path], typer.Option("--answers", "-a", help="Answers file to resume from.")] = None,
    save: Annotated[Optional[Path], typer.Option("--save", "-s", help="Save answers here as you go "
                                                 "(default: the --answers file, else impactkit-answers.yaml).")] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never ask; report what is missing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (see README).")] = False,
    md: Annotated[Optional[Path], typer.Option("--md", help="Write a one-page Markdown summary.")] = None,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Write a workbook with answers and results.")] = None,
) -> None:
    """Self-assess your impact on the Impactpad growth path, per theme."""
    with reported_errors(ctx):
        from impactkit.assess.answers import Assessment, load, save as save_answers
        from impactkit.assess.levels import evaluate
        from impactkit.assess.model import catalogue
        from impactkit.assess.outputs import document, markdown, write_markdown, write_workbook

        from impactkit.io.atomic import refuse_overwriting_inputs

        tr = translator(ctx)
        cat = catalogue()
        target = save or answers or DEFAULT_SAVE
        for output in (md, xlsx):
            if output is not None:
                refuse_overwriting_inputs(output, [answers, target])
        source = answers if answers is not None else (target if not no_input and target.exists() else None)
        assessment = load(source, cat) if source is not None else Assessment()
        if not no_input:
            from impactkit.cli.interview import interview

            err = stderr_console()
            if source is not None:
                err.print(tr("assess_resuming", path=str(source)), markup=False)
            try:
                interview(cat, assessment, tr, lambda: save_answers(assessment, target))
            except (KeyboardInterrupt, typer.Abort, EOFError):
                save_answers(assessment, target)
                err.print("\n" + tr("assess_interrupted", path=str(target)), markup=False)
                raise typer.Exit(130) from None
            save_answers(assessment, target)
            err.print(tr("assess_saved", path=str(target)), markup=False)
        results = evaluate(cat, assessment)
        if md is not None:
            write_markdown(markdown(cat, assessment, results, tr), md)
        if xlsx is not None:
            write_workbook(cat, assessment, results, tr, xlsx)
        if as_json:
            emit_json(document(cat, assessment, results, tr))
        else:
            from impactkit.cli.assess_render import render

            render(cat, assessment, results, tr, stdout_console())
        for path in (p for p in (md, xlsx) if p is not None):
            stderr_console().print(tr("written", path=str(path)), markup=False)
