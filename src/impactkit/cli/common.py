"""What every command shares: the language, the consoles and turning errors into exit codes."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass

import typer

from impactkit.errors import ExitCode

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

    return Console(highlight=False, soft_wrap=False)


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
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort, SystemExit, *_CLICK_ERRORS):
        raise
    except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
        if settings(ctx).debug or os.environ.get("IMPACTKIT_DEBUG"):
            raise
        tr = translator(ctx)
        from rich.markup import escape

        stderr_console().print(f"[red]{escape(tr('error'))}:[/red] {escape(tr('internal_error', reason=repr(exc)))}")
        raise typer.Exit(int(ExitCode.INTERNAL)) from None


def show_problems(ctx: typer.Context, problems) -> None:
    from rich.markup import escape

    from impactkit.i18n.problems import problem_text

    tr = translator(ctx)
    console = stderr_console()
    for problem in problems:
        console.print(f"[red]{escape(tr('error'))}:[/red] {escape(problem_text(problem, tr))}")
    if len(problems) > 1:
        console.print(escape(tr("problems_found", count=len(problems))))


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
