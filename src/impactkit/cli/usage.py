"""Usage errors in the reader's language.

typer (through click) words its usage errors in English: "Usage:", "Try ... for help.", "Error:
Invalid value for '--on': ...". The root command of impactkit catches each usage error on its
way out and gives it a `show` that writes the same frame and message from the catalogues, in the
language of `--lang`. Messages impactkit wrote itself (a BadParameter from a command) are already
in that language; click's and typer's own are recognised by their wording and translated, and
what is not recognised is shown as it came.
"""

from __future__ import annotations

import re
import types
from typing import Any

import typer
from typer.core import TyperGroup

_USAGE_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")

# click's and typer's wordings (typer validates values with pydantic): pattern -> catalogue key
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Invalid value for (?P<hint>.+?): (?P<message>.*)$", re.S), "usage_invalid_value"),
    (re.compile(r"^No such option: (?P<name>\S+?)(?: Did you mean (?P<hint>\S+?)\?)?"
                r"(?: \(Possible options: (?P<options>.*)\))?$"), "usage_no_such_option"),
    (re.compile(r"^No such command '(?P<name>[^']*)'\.(?: Did you mean '(?P<hint>[^']*)'\?)?$"), "usage_no_such_command"),
    (re.compile(r"^Missing argument '(?P<name>[^']*)'\.?$"), "usage_missing_argument"),
    (re.compile(r"^Missing option '(?P<name>[^']*)'\.?"), "usage_missing_option"),
    (re.compile(r"^Option '(?P<name>[^']*)' requires an argument\.?$"), "usage_needs_value"),
    (re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((?P<args>.*)\)$"), "usage_extra_arguments"),
]
_VALUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:Value error, )?'(?P<got>[^']*)' does not match the formats? .*$"), "usage_not_a_date"),
    (re.compile(r"^Input should be a valid integer.*$"), "usage_not_an_integer"),
    (re.compile(r"^Input should be greater than or equal to (?P<n>-?\d+)$"), "usage_at_least"),
    (re.compile(r"^Input should be less than or equal to (?P<n>-?\d+)$"), "usage_at_most"),
    (re.compile(r"^'(?P<got>[^']*)' is not one of (?P<choices>.*?)\.?$"), "usage_not_one_of"),
]


def _value_text(message: str, tr) -> str:
    for pattern, key in _VALUES:
        found = pattern.match(message.strip())
        if found:
            return tr(key, **found.groupdict())
    return message


def message_text(message: str, tr) -> str:
    """A usage error's message in the reader's language (unknown wordings as they came)."""
    for pattern, key in _MESSAGES:
        found = pattern.match(message)
        if not found:
            continue
        parts = {k: v or "" for k, v in found.groupdict().items()}
        if key == "usage_invalid_value":
            return tr(key, hint=parts["hint"], message=_value_text(parts["message"], tr))
        params: dict[str, object] = {k: v for k, v in parts.items() if k not in ("hint", "options")}
        if key == "usage_extra_arguments":
            params["count"] = len(parts["args"].split())
        text = tr(key, **params)
        if parts.get("hint"):
            hint = parts["hint"] if key == "usage_no_such_option" else f"'{parts['hint']}'"
            text += " " + tr("usage_did_you_mean", hint=hint)
        if parts.get("options"):
            text += " " + tr("usage_possible_options", options=parts["options"])
        return text
    return message


def _usage_line(ctx, tr) -> str:
    line = ctx.get_usage()
    line = re.sub(r"^Usage:", tr("usage_usage"), line)
    return line.replace("[OPTIONS]", tr("usage_options")).replace("COMMAND [ARGS]...", tr("usage_command_args"))


def _translator(ctx):
    from impactkit.cli.common import Settings, translator
    from impactkit.i18n import Translator, resolve_lang

    root = ctx.find_root() if ctx is not None else None
    if root is not None and isinstance(root.obj, Settings):
        return translator(ctx)
    try:  # before the root's options took effect: --lang as parsed, else the environment or the locale
        return Translator(resolve_lang(root.params.get("lang") if root is not None else None))
    except ValueError:
        return Translator("en")


def _show(error, file=None) -> None:
    ctx = error.ctx
    tr = _translator(ctx if ctx is not None else error.impactkit_ctx)
    lines = []
    if ctx is not None:
        lines.append(_usage_line(ctx, tr))
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(tr("usage_try_help", command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(tr("usage_error", message=message_text(error.format_message(), tr)))
    typer.echo("\n".join(lines), err=True, color=ctx.color if ctx is not None else None)


def localized(error: Any, ctx: Any) -> None:
    """Give a usage error its `show` in the reader's language; `ctx` tells the language when the
    error has no context of its own (an option without its value)."""
    error.impactkit_ctx = ctx
    error.show = types.MethodType(_show, error)


class Group(TyperGroup):
    """The root command: usage errors of any command below it leave in the reader's language."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _USAGE_ERROR as error:
            localized(error, parent)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _USAGE_ERROR as error:
            localized(error, ctx)
            raise
