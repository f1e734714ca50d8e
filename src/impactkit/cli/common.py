"""What every command shares: the language, the consoles and turning errors into exit codes."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from dataclasses import dataclass

import typer

from impactkit.errors import ExitCode

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # no room left to write
# click's ClickException, whether typer vendors click or depends on it
_CLICK_ERRORS = tuple(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


@dataclass
class Settings:
    lang: str = "en"
    debug: bool = False
    db: object = None  # monitor: the ledger file


def settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def translator(ctx: typer.Context):
    from impactkit.i18n import Translator

    return Translator(settings(ctx).lang)


def stdout_console():
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    console.on_broken_pipe = _output_closed  # rich would exit with 1, the code of --strict
    return console


def _output_closed() -> None:
    """The reader of the output went away (`impactkit ... | head`): stop quietly, exit 141."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the final flush does not complain
    raise SystemExit(int(ExitCode.PIPE_CLOSED))


def stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)  # messages stay on one line


@contextlib.contextmanager
def reported_errors(ctx: typer.Context):
    """Show impactkit errors as messages with their exit code; never a traceback for bad input."""
    from impactkit.errors import ImpactkitError

    try:
        yield
    except ImpactkitError as exc:
        if settings(ctx).debug:
            raise
        show_problems(ctx, exc.problems)
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except BrokenPipeError:
        _output_closed()
    except (typer.Exit, typer.Abort, SystemExit, *_CLICK_ERRORS):
        raise
    except OSError as exc:
        if exc.errno not in _FULL:
            raise _bug(ctx, exc) from None
        # a full disk or quota while printing (impactkit ... > file): the files it writes itself
        # report this as an OutputError already
        from impactkit.errors import Problem

        show_problems(ctx, [Problem("output_unwritable", {"reason": exc.strerror or str(exc)})])
        raise typer.Exit(int(ExitCode.OUTPUT)) from None
    except Exception as exc:
        raise _bug(ctx, exc) from None


def _bug(ctx: typer.Context, exc: Exception) -> typer.Exit:
    """A bug: say so plainly, keep the traceback for --debug."""
    if settings(ctx).debug or os.environ.get("IMPACTKIT_DEBUG"):
        raise exc
    tr = translator(ctx)
    from rich.markup import escape

    stderr_console().print(f"[red]{escape(tr('error'))}:[/red] {escape(tr('internal_error', reason=repr(exc)))}")
    return typer.Exit(int(ExitCode.INTERNAL))


def show_problems(ctx: typer.Context, problems) -> None:
    from rich.markup import escape

    from impactkit.i18n.problems import problem_text

    tr = translator(ctx)
    console = stderr_console()
    for problem in problems:
        console.print(f"[red]{escape(tr('error'))}:[/red] {escape(problem_text(problem, tr))}")
    if len(problems) > 1:
        console.print(escape(tr("problems_found", count=len(problems))))


def files_read_by_impactkit(app: typer.Typer) -> typer.Typer:
    """Leave the reading of every file to impactkit.

    typer gives each path parameter click's check that an existing path is readable, which
    stops an unreadable file with a usage error (exit 2) before the command runs. impactkit
    opens its files itself and reports a file it cannot read with exit 3 and the reason (as it
    does a missing one), so the check is turned off here, once, for every command of `app`,
    including commands added later."""
    import inspect
    from typing import Annotated, get_args, get_origin, get_type_hints

    from typer.models import ParameterInfo

    def callbacks(group: typer.Typer):
        if group.registered_callback is not None and group.registered_callback.callback is not None:
            yield group.registered_callback.callback
        for command in group.registered_commands:
            yield command.callback
        for sub in group.registered_groups:
            yield from callbacks(sub.typer_instance)

    for callback in callbacks(app):
        # the modules use `from __future__ import annotations`: typer evaluates the annotation
        # strings anew each time it builds the command, so the evaluated ones are kept
        hints = get_type_hints(callback, include_extras=True)
        for name, param in inspect.signature(callback).parameters.items():
            hint = hints.get(name)
            infos = list(get_args(hint)[1:]) if get_origin(hint) is Annotated else []
            infos.append(param.default)
            for info in infos:
                if isinstance(info, ParameterInfo):
                    info.readable = False
        callback.__annotations__ = hints
    return app


def stop_on_sigterm() -> None:
    """A terminated run (SIGTERM: `timeout`, `kill`, a service manager) ends like an interrupted
    one: the write in progress is abandoned and its temporary file removed (exit 143)."""
    import signal

    def stop(signum, frame):
        raise SystemExit(int(ExitCode.TERMINATED))

    with contextlib.suppress(ValueError, OSError, AttributeError):  # not the main thread; no SIGTERM
        signal.signal(signal.SIGTERM, stop)


def emit_json(document: dict) -> None:
    import json

    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def menu_choice(menu: str | None, municipality: str | None, on=None, required: bool = True):
    """The menu a command was asked for: by --menu, or by --municipality (never both)."""
    if menu and municipality:
        raise typer.BadParameter("give --menu or --municipality, not both", param_hint="--municipality")
    if municipality:
        from impactkit.menus.municipalities import menu_for_municipality

        return menu_for_municipality(municipality, on)
    if menu:
        from impactkit.menus import resolve_menu

        return resolve_menu(menu, on)
    if required:
        raise typer.BadParameter("give the menu (--menu ID) or the municipality (--municipality NAME)",
                                 param_hint="--menu")
    return None


def amount_option(text: str, option: str, *, rate: bool = False):
    """An amount (or, with `rate`, a fraction such as 0.05 or 5%) given on the command line, read as
    people type it: "800.000" and "€ 800.000,00" are 800000 (the Dutch reading of a spreadsheet
    cell, io/sheets/numbers.py), "500000.50" keeps its cents. Refused with a usage error naming the
    option and what to write."""
    from decimal import Decimal

    from impactkit.io.sheets.numbers import parse_number

    value = parse_number(text.replace("_", ""))
    if rate:
        if value is None or not value.is_finite() or not (0 < value <= 1):
            raise typer.BadParameter(f"not a rate: {text!r} (write 5% or 0.05)", param_hint=option)
        return value
    if value is None or not value.is_finite():
        raise typer.BadParameter(f"not an amount: {text!r} (write 500000, 500.000 or 500000.00)", param_hint=option)
    if value < 0 or value > Decimal("1e12"):
        raise typer.BadParameter(f"must be an amount from 0 to 1,000,000,000,000: {text!r}", param_hint=option)
    return value.quantize(Decimal("0.01"))
