"""`impactkit monitor`: a ledger of contracts and realisations, from award to the final check."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Annotated, Optional

import typer

from impactkit.cli.common import (emit_json, output_name, reported_errors, settings, show_notes, stderr_console,
                                  stdout_console, translator)

app = typer.Typer(help="Follow contracts' social return from award to the final check.", no_args_is_help=True)
DateOption = Annotated[Optional[datetime], typer.Option(
    "--on", formats=["%Y-%m-%d"], help="Measure on this date instead of today: only the periods begun before it count.")]
NOT_LOGGED = "(reference not logged)"


@app.callback()
def options(
    ctx: typer.Context,
    db: Annotated[Optional[str], typer.Option(
        "--db", metavar="FILE|URL", help="The ledger: a SQLite file or a postgresql:// URL (default: IMPACTKIT_DB, "
        "else a file in the per-user data folder). Give a password through PGPASSWORD or ~/.pgpass, not in the URL.")
    ] = None,
) -> None:
    """Follow contracts' social return from award to the final check."""
    settings(ctx).db = db


def audit_command(ctx: typer.Context) -> str:
    """The command as the audit log records it: its name and arguments, never the ledger's URL or a
    candidate's reference."""
    from impactkit.monitor.dbspec import redact

    parts = ["impactkit", "monitor", ctx.info_name or "?"]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if value is None or value is False or value == [] or value == ():
            continue
        if param.name == "candidate":
            value = NOT_LOGGED
        elif param.name == "to":
            value = redact(value)
        elif isinstance(value, datetime):
            value = value.date().isoformat()
        values = value if isinstance(value, (list, tuple)) else [value]
        flag = param.opts[0] if getattr(param, "param_type_name", "") == "option" else None
        for item in values:
            if flag and item is True:
                parts.append(flag)
            else:
                parts.extend([flag, str(item)] if flag else [str(item)])
    return " ".join(parts)


@contextlib.contextmanager
def ledger(ctx: typer.Context, write: bool, create: bool = False):
    """The ledger of --db / IMPACTKIT_DB, closed afterwards; write=False also serves a read-only ledger.
    Only `init` creates a ledger (`create`): for any other command a ledger file that does not exist is
    an error (exit 3), but for reading the default ledger of someone who has registered nothing yet."""
    from impactkit.monitor.store import open_store

    store = open_store(settings(ctx).db, command=audit_command(ctx), write=write, create=create)
    try:
        yield store
    finally:
        store.close()


@app.command("init")
def init(
    ctx: typer.Context,
    tender: Annotated[str, typer.Argument(help="The tender file with the awarded bid.")],
    bid: Annotated[str, typer.Option("--bid", help="The bidder that was awarded the contract.")],
    start: Annotated[datetime, typer.Option("--start", formats=["%Y-%m-%d"], help="First day of the contract.")],
    end: Annotated[datetime, typer.Option("--end", formats=["%Y-%m-%d"],
                                          help="Last day of the contract (after --start).")],
    contract_id: Annotated[Optional[str], typer.Option(
        "--id", help="The contract's id, when it is not the tender's (a second contract from one tender).")] = None,
) -> None:
    """Register an awarded contract: obligation, menu version and the accepted plan. The end date is the
    contract's last day. A failed init leaves no ledger file behind."""
    with reported_errors(ctx):
        from pathlib import Path

        from impactkit.io.text import first_unsafe
        from impactkit.monitor.ledger import award, record
        from impactkit.monitor.store import removed_on_failure

        tr = translator(ctx)
        if contract_id is not None:
            contract_id = contract_id.strip()
            if not 0 < len(contract_id) <= 100 or first_unsafe(contract_id) is not None:
                raise typer.BadParameter(tr("option_contract_id", got=contract_id), param_hint="--id")
        if end <= start:  # refused as a date that does not exist is: a usage error, before any file is read
            raise typer.BadParameter(tr("monitor_dates", start=start.date(), end=end.date()), param_hint="'--end'")
        awarded = award(Path(tender), bid, start.date(), end.date(), contract_id)  # before the ledger is touched
        with removed_on_failure(settings(ctx).db), ledger(ctx, write=True, create=True) as store:
            contract = record(store, awarded)
        stderr_console().print(tr("monitor_registered", id=contract.id, bidder=contract.bidder,
                                  obligation=tr.eur(contract.obligation), menu=contract.menu.ref), markup=False)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="Realisations (.yaml, .csv or .xlsx).")],
    with_status: Annotated[bool, typer.Option("--with-status", help="Take the file's status column as decided: "
                                              "accepted/goedgekeurd and rejected/afgewezen lines skip review. "
                                              "Without it such rows are refused.")] = False,
) -> None:
    """Add realisations as claims: every row is a line. The same file again, or rows whose line id
    (regel) the ledger has, add nothing. A file with one bad row changes nothing and lists every bad row."""
    with reported_errors(ctx):
        from pathlib import Path

        from impactkit.cli.monitor_render import import_report
        from impactkit.monitor.imports import import_file

        with ledger(ctx, write=True) as store:
            result = import_file(store, Path(file), with_status)
        import_report(result, translator(ctx), stderr_console())


@app.command("review")
def review(
    ctx: typer.Context,
    accept: Annotated[Optional[list[int]], typer.Option("--accept", help="Accept this claimed line (repeatable).")] = None,
    reject: Annotated[Optional[list[int]], typer.Option("--reject", help="Reject this claimed line (repeatable).")] = None,
    contract: Annotated[Optional[str], typer.Option("--contract", help="Only this contract's claims.")] = None,
    list_only: Annotated[bool, typer.Option("--list", help="Only list the claimed lines with their ids.")] = False,
) -> None:
    """Accept or reject claimed lines, by id or one by one. The same decision again changes nothing; a
    line decided the other way meanwhile is a conflict (exit 4), never overwritten."""
    with reported_errors(ctx):
        from impactkit.cli.monitor_render import ask_decisions, list_claims
        from impactkit.monitor.review import claimed_lines, review as decide

        tr = translator(ctx)
        refuse_contrary_options(accept or [], reject or [], list_only, tr)
        with ledger(ctx, write=not list_only) as store:
            if list_only:
                list_claims(claimed_lines(store, contract), tr, stdout_console())
                return
            decisions = {i: "accepted" for i in accept or []} | {i: "rejected" for i in reject or []}
            if decisions:
                reviewed = decide(store, decisions)  # all or nothing
                count = reviewed.changed
                show_notes(ctx, reviewed.unchanged)
                if not count:
                    return  # each line had its decision already: it said so
            else:
                count = ask_decisions(store, claimed_lines(store, contract), tr, decide)  # each as it is made
        stderr_console().print(tr("monitor_reviewed", count=count), markup=False)


def refuse_contrary_options(accept: list[int], reject: list[int], list_only: bool, tr) -> None:
    """A line both accepted and rejected, or decisions beside --list, is a usage error (exit 2), before
    the ledger is opened: which of two contrary options was meant is not for impactkit to guess."""
    both = sorted(set(accept) & set(reject))
    if both:
        raise typer.BadParameter(tr("monitor_review_both", count=len(both), ids=", ".join(f"#{i}" for i in both)),
                                 param_hint="--accept / --reject")
    if list_only and (accept or reject):
        raise typer.BadParameter(tr("monitor_review_list_and_decide"), param_hint="--list")


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
        day = on.date() if on else None
        with ledger(ctx, write=False) as store:
            statuses = [one(store, contract, day)] if contract else portfolio(store, day)
            where = store.where
        if as_json:
            from impactkit.cli.monitor_render import status_document

            emit_json([status_document(s) for s in statuses])
            return
        from impactkit.cli.monitor_render import render_status

        if not statuses:
            stderr_console().print(tr("monitor_empty", path=where), markup=False)
        for s in statuses:
            render_status(s, tr, stdout_console())


@app.command("portfolio")
def portfolio_(
    ctx: typer.Context,
    on: DateOption = None,
    xlsx: Annotated[Optional[str], typer.Option("--xlsx", help="Also write a workbook with a chart per contract.")] = None,
) -> None:
    """All contracts at a glance: obligation, realised, at risk, ending soon."""
    with reported_errors(ctx):
        from pathlib import Path

        from impactkit.cli.monitor_render import render_portfolio
        from impactkit.monitor.ledger import portfolio

        tr = translator(ctx)
        with ledger(ctx, write=False) as store:
            inputs = [store.path] if store.path is not None else []
            output_name(ctx, xlsx, "--xlsx", "workbook", inputs)  # never the ledger itself
            statuses = portfolio(store, on.date() if on else None)
            where = store.where
        if not statuses:
            stderr_console().print(tr("monitor_empty", path=where), markup=False)
        render_portfolio(statuses, tr, stdout_console())
        if xlsx is not None:
            from impactkit.monitor.workbook import write_portfolio

            write_portfolio(statuses, tr, Path(xlsx), inputs=inputs)
            stderr_console().print(tr("written", path=str(xlsx)), markup=False)


@app.command("forget")
def forget(
    ctx: typer.Context,
    candidate: Annotated[str, typer.Argument(help="The candidate reference to forget.")],
) -> None:
    """Remove a candidate's reference, age, flags and evidence on request; accepted credit is kept."""
    with reported_errors(ctx):
        from impactkit.monitor.forget import forget as run

        tr = translator(ctx)
        with ledger(ctx, write=True) as store:
            result = run(store, candidate)
        stderr_console().print(tr("monitor_forgotten", count=result.lines), markup=False)
        if not result.scrubbed:
            stderr_console().print(tr("monitor_scrub_pending"), markup=False)


@app.command("migrate")
def migrate(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", metavar="URL|FILE", help="An empty ledger to copy into, e.g. "
                                    "postgresql://user@host/database.")],
    on: DateOption = None,
) -> None:
    """Copy this ledger into an empty one (a shared PostgreSQL database) and verify the copy."""
    with reported_errors(ctx):
        from impactkit.monitor.copy import migrate_ledger

        tr = translator(ctx)
        with ledger(ctx, write=False) as source:
            result, where = migrate_ledger(source, to, audit_command(ctx), on.date() if on else None)
        rows = result.rows
        stderr_console().print(tr("monitor_copied", contracts=rows["contracts"], lines=rows["lines"],
                                  imports=rows["imports"], audit=rows["audit"], target=where,
                                  verified=result.contracts_verified), markup=False)


@app.command("log")
def log(
    ctx: typer.Context,
    last: Annotated[int, typer.Option("--last", min=1, help="How many of the latest entries.")] = 20,
) -> None:
    """The audit log: who changed what, when, with which command."""
    with reported_errors(ctx):
        from impactkit.cli.monitor_render import render_log

        with ledger(ctx, write=False) as store:
            rows = store.query("SELECT id, at, os_user, db_user, command, action, detail FROM audit"
                               " ORDER BY id DESC LIMIT ?", (last,))
        render_log(list(reversed(rows)), translator(ctx), stdout_console())
