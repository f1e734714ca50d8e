"""`impactkit plan PLAN.yaml`: the least-cost way to meet an obligation with what you can offer."""

from __future__ import annotations

from decimal import Decimal

from pathlib import Path
from typing import Annotated, Optional

import typer

from impactkit.cli.common import amount_option, emit_json, output_name, reported_errors, stdout_console, translator


def plan(
    ctx: typer.Context,
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="Plan file (YAML): the tender, your bid and your options.")],
    budget: Annotated[
        Optional[str], typer.Option("--budget", help="Instead of the least cost: the most credit for at most this many euros.")
    ] = None,
    alternatives: Annotated[int, typer.Option("--alternatives", min=0, max=20, help="How many next-best plans to show.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as a JSON document (see docs/plan.md).")] = False,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Also write the plan as an Excel workbook.")] = None,
    write_bid: Annotated[
        Optional[Path],
        typer.Option("--write-bid", help="Write the plan as a bid: a tender file (.yaml) for check, or a bids workbook (.xlsx) for score."),
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, max=3600, help="Stop the search after this many seconds (default 60).")
    ] = 60.0,
) -> None:
    """Find the least-cost combination of your options that meets the obligation.

    Every option is valued by the tender's menu with the rules of impactkit check; the plan is
    solved exactly (HiGHS), checked line by line as a bid, and can be written as one.
    """
    with reported_errors(ctx):
        from impactkit.errors import OutputError, Problem
        from impactkit.io.atomic import refuse_overwriting_inputs
        from impactkit.io.ownership import refuse_replacing_foreign
        from impactkit.plan import BudgetTooSmall, load_plan, prepare, solve

        tr = translator(ctx)
        output_name(ctx, xlsx, "--xlsx", "workbook", [plan_path])
        limit = amount_option(budget, "--budget", ctx) if budget is not None else None
        loaded = load_plan(plan_path)
        for target in (xlsx, write_bid):
            if target is not None:
                refuse_overwriting_inputs(target, loaded.inputs)
        refuse_replacing_foreign(write_bid)  # a file impactkit did not write is never replaced
        if xlsx is not None and write_bid is not None and Path(xlsx).resolve() == Path(write_bid).resolve():
            raise OutputError(Problem("output_is_input", {"input": str(xlsx)}, file=str(write_bid)))
        prepared = prepare(loaded.plan, loaded.setting, loaded.lines)
        try:
            outcome = solve(prepared, limit, alternatives, time_limit)
        except BudgetTooSmall as exc:
            from impactkit.errors import InvalidInputError

            costs: dict[str, Decimal] = {}
            for line in prepared.fixed:
                if line.option is not None:
                    costs[line.option] = costs.get(line.option, Decimal(0)) + line.cost
            positions = {option.id: n for n, option in enumerate(loaded.plan.options)}
            named = ", ".join(f"{name} ({tr.eur(cost)}, {tr('plan_line_word')} {loaded.lines.line(('options', positions[name])) or '?'})"
                              for name, cost in costs.items() if name in positions)
            raise InvalidInputError(Problem("plan_budget_too_small", {
                "committed": tr.eur(exc.committed), "budget": tr.eur(limit), "options": named or "-"},
                file=loaded.lines.file)) from None
        if xlsx is not None:
            from impactkit.report.plan_outputs import write_plan_workbook

            write_plan_workbook(outcome, loaded, tr, xlsx)
        if write_bid is not None:
            from impactkit.plan.bid import write_bid_workbook, write_bid_yaml

            if write_bid.suffix.lower() == ".xlsx":
                write_bid_workbook(loaded, outcome.best, write_bid)
            else:
                heading = tr("plan_bid_heading", plan=str(plan_path), cost=tr.eur(outcome.best.cost))
                write_bid_yaml(loaded, outcome.best, write_bid, heading)
        if as_json:
            from impactkit.report.plan_outputs import plan_document

            emit_json(plan_document(outcome, loaded, tr))
        else:
            from impactkit.cli.plan_render import render_plan

            render_plan(outcome, loaded, tr, stdout_console())
        from impactkit.cli.common import stderr_console

        for target in (xlsx, write_bid):
            if target is not None:
                stderr_console().print(tr("written", path=str(target)), markup=False)
