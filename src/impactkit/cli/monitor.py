"""`impactkit monitor`: a ledger of contracts and realisations, from award to the final check."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from impactkit.cli.common import emit_json, reported_errors, settings, stderr_console, stdout_console, translator

app = typer.Typer(help="Follow contracts' social return from award to the final check.", no_args_is_help=True)
DateOption = Annotated[Optional[datetime], typer.Option("--on", formats=["%Y-%m-%d"],
                                                        help="Measure on this date instead of today.")]


@app.callback()
def options(
    ctx: typer.Context,
    db: Annotated[Optional[Path], typer.Option("--db", help="The ledger file (default: IMPACTKIT_DB, else the "
                                               "per-user data folder).")] = None,
) -> None:
    """Follow contracts' social return from award to the final check."""
    settings(ctx).db = db


def _store(ctx: typer.Context):
    from impactkit.monitor.store import Store, default_path

    path = getattr(settings(ctx), "db", None) or default_path()
    return Store(path, command="impactkit " + " ".join(sys.argv[1:]))


@app.command("init")
def init(
    ctx: typer.Context,
    tender: Annotated[Path, typer.Argument(help="The tender file with the awarded bid.")],
    bid: Annotated[str, typer.Option("--bid", help="The bidder that was awarded the contract.")],
    start: Annotated[datetime, typer.Option("--start", formats=["%Y-%m-%d"], help="Start of the contract.")],
    end: Annotated[datetime, typer.Option("--end", formats=["%Y-%m-%d"], help="End of the contract.")],
) -> None:
    """Register an awarded contract: obligation, menu version and the accepted plan."""
    with reported_errors(ctx):
        from impactkit.monitor.ledger import register

        tr = translator(ctx)
        store = _store(ctx)
        contract = register(store, tender, bid, start.date(), end.date())
        stderr_console().print(tr("monitor_registered", id=contract.id, bidder=contract.bidder,
                                  obligation=tr.eur(contract.obligation), menu=contract.menu.ref), markup=False)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Realisations (.yaml, .csv or .xlsx).")],
) -> None:
    """Add realisations; a file with one bad row changes nothing and lists every bad row."""
    with reported_errors(ctx):
        from impactkit.monitor.ledger import import_file

        tr = translator(ctx)
        new, known = import_file(_store(ctx), file)
        stderr_console().print(tr("monitor_imported", new=new, known=known), markup=False)


@app.command("review")
def review(
    ctx: typer.Context,
    accept: Annotated[Optional[list[int]], typer.Option("--accept", help="Accept this claimed line (repeatable).")] = None,
    reject: Annotated[Optional[list[int]], typer.Option("--reject", help="Reject this claimed line (repeatable).")] = None,
    contract: Annotated[Optional[str], typer.Option("--contract", help="Only this contract's claims.")] = None,
    list_only: Annotated[bool, typer.Option("--list", help="Only list the claimed lines with their ids.")] = False,
) -> None:
    """Accept or reject claimed lines, by id or one by one."""
    with reported_errors(ctx):
        from impactkit.monitor.ledger import claimed_lines, review as decide

        tr = translator(ctx)
        store = _store(ctx)
        if list_only:
            from impactkit.cli.monitor_render import list_claims

            list_claims(claimed_lines(store, contract), tr, stdout_console())
            return
        decisions = {i: "accepted" for i in accept or []} | {i: "rejected" for i in reject or []}
        if not decisions:
            from impactkit.cli.monitor_render import ask_decisions

            decisions = ask_decisions(claimed_lines(store, contract), tr)
        count = decide(store, decisions)
        stderr_console().print(tr("monitor_reviewed", count=count), markup=False)


@app.command("status")
def status(
    ctx: typer.Context,
    contract: Annotated[Optional[str], typer.Argument(help="Contract id (default: every contract).")] = None,
    on: DateOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Planned versus realised per period, the projection, the risk and what would be withheld."""
    with reported_errors(ctx):
        from impactkit.monitor.ledger import portfolio, status as one

        tr = translator(ctx)
        store = _store(ctx)
        day = on.date() if on else None
        statuses = [one(store, contract, day)] if contract else portfolio(store, day)
        if as_json:
            from impactkit.cli.monitor_render import status_document

            emit_json([status_document(s) for s in statuses])
            return
        from impactkit.cli.monitor_render import render_status

        if not statuses:
            stderr_console().print(tr("monitor_empty", path=str(store.path)), markup=False)
        for s in statuses:
            render_status(s, tr, stdout_console())


@app.command("portfolio")
def portfolio_(
    ctx: typer.Context,
    on: DateOption = None,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Also write a workbook with a chart per contract.")] = None,
) -> None:
    """All contracts at a glance: obligation, realised, at risk, ending soon."""
    with reported_errors(ctx):
        from impactkit.cli.monitor_render import render_portfolio
        from impactkit.monitor.ledger import portfolio

        from impactkit.io.atomic import refuse_overwriting_inputs

        tr = translator(ctx)
        store = _store(ctx)
        if xlsx is not None:
            refuse_overwriting_inputs(xlsx, [store.path])
        statuses = portfolio(store, on.date() if on else None)
        if not statuses:
            stderr_console().print(tr("monitor_empty", path=str(store.path)), markup=False)
        render_portfolio(statuses, tr, stdout_console())
        if xlsx is not None:
            from impactkit.monitor.workbook import write_portfolio

            write_portfolio(statuses, tr, xlsx)
            stderr_console().print(tr("written", path=str(xlsx)), markup=False)


@app.command("forget")
def forget(
    ctx: typer.Context,
    candidate: Annotated[str, typer.Argument(help="The candidate reference to forget.")],
) -> None:
    """Remove a candidate's details on request; accepted credit is kept."""
    with reported_errors(ctx):
        from impactkit.monitor.ledger import forget as run

        tr = translator(ctx)
        count = run(_store(ctx), candidate)
        stderr_console().print(tr("monitor_forgotten", count=count), markup=False)
