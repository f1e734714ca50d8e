"""The `impactkit` command. Only typer is imported here: `impactkit --help` must stay fast,
so every command imports the core (pydantic, openpyxl, ...) when it runs."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from impactkit import __version__
from impactkit.cli import assess as assess_cmd
from impactkit.cli import check as check_cmd
from impactkit.cli import menus as menus_cmd
from impactkit.cli import monitor as monitor_cmd
from impactkit.cli import obligation as obligation_cmd
from impactkit.cli import plan as plan_cmd
from impactkit.cli import score as score_cmd
from impactkit.cli.common import files_read_by_impactkit, settings, stop_on_sigterm
from impactkit.cli.usage import Group

app = typer.Typer(
    name="impactkit",
    cls=Group,  # usage errors in the reader's language
    help="Social return (bouwblokkenmethode) and Impactpad impact measurement for Dutch public procurement.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs more than the rest of --help
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"impactkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    lang: Annotated[
        Optional[str],
        typer.Option("--lang", help="Language of messages and reports: en or nl (default: IMPACTKIT_LANG, then the locale)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback when something fails.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Social return (bouwblokkenmethode) and Impactpad impact measurement for Dutch public procurement."""
    from impactkit.i18n import resolve_lang

    try:
        chosen = resolve_lang(lang)
    except ValueError as exc:
        if lang:
            raise typer.BadParameter(f"unknown language {lang!r}; use en or nl", param_hint="--lang") from None
        # the language came from the environment: name the variable, not an option nobody gave
        raise typer.BadParameter(f"unknown language {exc.args[0]!r}; use en or nl (or unset IMPACTKIT_LANG)",
                                 param_hint="IMPACTKIT_LANG") from None
    state = settings(ctx)
    state.lang = chosen
    state.debug = debug


app.command("check", short_help="Check every bid of a tender against its obligation.")(check_cmd.check)
app.command("obligation", short_help="The obligation for a contract value under a menu's rule.")(obligation_cmd.obligation)
app.command("score", short_help="Score many bids from spreadsheets into a results workbook.")(score_cmd.score)
app.command("template", short_help="Write an empty bids workbook to send to bidders.")(score_cmd.template)
app.command("plan", short_help="The least-cost choice of your options that meets an obligation.")(plan_cmd.plan)
app.add_typer(assess_cmd.app, name="assess", short_help="Your Impactpad self-assessment, year by year.")
app.add_typer(monitor_cmd.app, name="monitor", short_help="Follow contracts from award to the final check.")
app.add_typer(menus_cmd.app, name="menus", short_help="List, show, start and validate menus of building blocks.")
files_read_by_impactkit(app)


def main() -> None:
    stop_on_sigterm()
    app()
