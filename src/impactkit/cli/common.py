"""What every command shares: the language, the consoles and turning errors into exit codes."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import sys
from dataclasses import dataclass
from decimal import Decimal

import typer

from impactkit.errors import ExitCode

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # no room left to write
# click's ClickException, whether typer vendors click or depends on it
_CLICK_ERRORS = tuple(c for c in typer.BadParameter.__mro__ if issubclass(c, Exception) and c.__name__ == "ClickException")
#: what reported_errors lets through untouched: typer's own exits and click's usage errors
_PASS_THROUGH: tuple[type[BaseException], ...] = (typer.Exit, typer.Abort, SystemExit, *_CLICK_ERRORS)


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


def current_translator():
    """The translator of the command being run (for helpers that are not handed its context)."""
    import importlib

    from impactkit.i18n import Translator

    # typer may vendor its own click (typer._click): ask the package its Context comes from
    base = next(c for c in typer.Context.__mro__ if c.__name__ == "Context" and c is not typer.Context)
    ctx = importlib.import_module(base.__module__.rsplit(".", 1)[0] + ".globals").get_current_context(silent=True)
    return translator(ctx) if ctx is not None else Translator("en")


#: the width of the output when it goes to a file or a pipe and COLUMNS does not say: rich would
#: take 80 and cut amounts and ids in tables ("€500,0…"); a file has no edge
PIPE_WIDTH = 200


def stdout_console():
    """The console for a command's report; the rules below hold for every command's output.

    - On a terminal it is as wide as the terminal (or COLUMNS); into a file or a pipe PIPE_WIDTH wide
      unless COLUMNS says otherwise, and a table wider than that is printed whole, never cut.
    - No table cell is cut with an ellipsis: a word wider than its column (an amount, an id, a URL)
      continues on the next line.
    - A text that holds a URL is not wrapped by impactkit (the terminal wraps it, a file keeps it
      whole), so the URL stays one word that can be clicked and copied."""
    return report_console()


def report_console(stderr: bool = False):
    """A console that follows stdout_console's rules, on standard error when `stderr` (a dialogue such
    as the interactive review, which keeps the report on stdout clean): its width is decided by the
    stream it writes to, so a pipe there is PIPE_WIDTH wide too."""
    console = _report_console_class()(highlight=False, soft_wrap=False, stderr=stderr)
    console.to_file = not console.is_terminal and not os.environ.get("COLUMNS", "").strip().isdigit()
    if console.to_file:
        console.width = PIPE_WIDTH
    console.on_broken_pipe = _output_closed  # rich would exit with 1, the code of --strict
    return console


_URL = re.compile(r"\w+://\S+")


def _long_url(objects, width: int) -> bool:
    """Whether a text holds a URL that does not fit on a line (less some indentation)."""
    return any(isinstance(o, str) and "://" in o and max(map(len, _URL.findall(o)), default=0) > width - 8
               for o in objects)


def _keep_words_whole(table) -> None:
    """No cell of the table cut: a column of single words (ids, amounts, "€ 1.234,56") is not
    wrapped while the table has another column that can be; any word still too wide for its
    column continues on the next line instead of ending in an ellipsis."""
    from rich.text import Text

    def one_word(cell) -> bool:
        plain = cell.plain if isinstance(cell, Text) else Text.from_markup(cell).plain if isinstance(cell, str) else None
        return plain is not None and all(len(line.replace("€ ", "€").split()) <= 1 for line in plain.splitlines())

    words = [c for c in table.columns if not c.no_wrap and all(one_word(cell) for cell in c._cells)]
    if any(not c.no_wrap and c not in words for c in table.columns):
        for column in words:
            column.no_wrap = True
    for column in table.columns:
        if column.overflow == "ellipsis":
            column.overflow = "fold"


@functools.lru_cache(maxsize=1)
def _report_console_class():
    from rich._wrap import divide_line
    from rich.console import Console
    from rich.measure import Measurement
    from rich.segment import Segment
    from rich.table import Table
    from rich.text import Text

    class WholeWords:
        """Text wrapped between words only: a word longer than the line (a URL) stays whole."""

        def __init__(self, text: Text):
            self.text = text

        def __rich_console__(self, console, options):
            width = options.max_width
            for line in self.text.split(allow_blank=True):
                for part in line.divide(divide_line(str(line), width, fold=False)):
                    part.rstrip_end(width)
                    yield from part.render(console)
                    yield Segment.line()

    class ReportConsole(Console):
        to_file = False

        def _whole_words(self, text: str, markup):
            return WholeWords(self.render_str(text, markup=markup))

        def print(self, *objects, **options):
            tables = [o for o in objects if isinstance(o, Table)]
            for table in tables:
                _keep_words_whole(table)
            if options.get("soft_wrap") is None and _long_url(objects, self.width):
                # rich would break the URL in the middle: wrap between words only, the URL on a line of its own
                objects = tuple(self._whole_words(o, options.get("markup")) if isinstance(o, str) else o
                                for o in objects)
                options["crop"] = False
            if not (self.to_file and tables):
                return super().print(*objects, **options)
            # the narrowest each table can be without cutting a word: text columns still wrap
            wide = max(Measurement.get(self, self.options.update_width(10_000), t).minimum for t in tables)
            width = self.width
            if wide > width:
                self.width = wide  # a file has no edge: the table whole, rather than an amount cut
            try:
                return super().print(*objects, **options)
            finally:
                self.width = width

    return ReportConsole


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
    except _PASS_THROUGH:
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


def show_notes(ctx: typer.Context, problems) -> None:
    """Things told without an error (each a Problem, in the reader's language), one line each."""
    from impactkit.i18n.problems import problem_text

    console = stderr_console()
    for problem in problems:
        console.print(problem_text(problem, translator(ctx)), markup=False)


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
            if sub.typer_instance is not None:  # add_typer always gives one
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


def emit_json(document: dict | list) -> None:
    import json

    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def menu_choice(menu: str | None, municipality: str | None, on=None, required: bool = True):
    """The menu a command was asked for: by --menu, or by --municipality (never both)."""
    if menu and municipality:
        raise typer.BadParameter(current_translator()("option_menu_or_municipality"), param_hint="--municipality")
    if municipality:
        from impactkit.menus.municipalities import menu_for_municipality

        return menu_for_municipality(municipality, on)
    if menu:
        from impactkit.menus import resolve_menu

        return resolve_menu(menu, on)
    if required:
        raise typer.BadParameter(current_translator()("option_menu_needed"), param_hint="--menu")
    return None


#: what each kind of output file is called; a name that does not fit is refused before any work,
#: so that `--xlsx tender.yaml` cannot turn another command's input into a workbook
OUTPUT_SUFFIXES = {"workbook": (".xlsx",), "html": (".html", ".htm"), "markdown": (".md", ".markdown", ".txt"),
                   "yaml": (".yaml", ".yml")}


def output_name(ctx: typer.Context, path, option: str, kind: str, inputs=(), hint: str = "") -> None:
    """Refuse an output that is an input, a device, a folder or read-only (exit 6, io/atomic.py),
    then one whose name does not end as its kind's files do (exit 2), then an existing file that
    impactkit did not write (exit 6, io/ownership.py)."""
    if path is None:
        return
    from pathlib import Path

    from impactkit.io.atomic import refuse_overwriting_inputs
    from impactkit.io.ownership import refuse_replacing_foreign

    refuse_overwriting_inputs(Path(path), inputs)
    output_suffix(ctx, path, option, kind, hint)
    refuse_replacing_foreign(path)  # a file impactkit did not write is never replaced


def output_suffix(ctx: typer.Context, path, option: str, kind: str, hint: str = "") -> None:
    """Refuse (exit 2) an output whose name does not end as its kind's files do."""
    from pathlib import Path

    suffixes = OUTPUT_SUFFIXES[kind]
    name = Path(path).name
    if Path(path).suffix.lower() not in suffixes:
        tr = translator(ctx)
        raise typer.BadParameter(tr("output_suffix", kind=tr("output_kind_" + kind), name=name, suffix=suffixes[0],
                                    example=Path(name).stem + suffixes[0]) + hint, param_hint=option)


#: one group of thousands and no more: "500,000", "€ 62.500" (not "0,050", not "1,234,567" which reads alone)
_THOUSANDS = re.compile(r"^(?:€\s*)?[1-9]\d{0,2}[.,]\d{3}$")


def amount_option(text: str, option: str, ctx: typer.Context | None = None, *, rate: bool = False):
    """An amount (or, with `rate`, a fraction such as 0.05 or 5%) given on the command line, read as
    people type it: "800.000" and "€ 800.000,00" are 800000 (the Dutch reading of a spreadsheet
    cell, io/sheets/numbers.py), and so is "800,000" (an amount has cents, never a third decimal);
    "500000.50" keeps its cents, "500,001" is refused; a rate may be "5%", "5 %", "0.05" or
    "0,05". Refused with a usage error naming the option and what to write, in the language of
    `ctx`: text, a percentage given as an amount, a negative or an absurd amount."""
    from impactkit.i18n import Translator
    from impactkit.io.sheets import numbers as nb
    from impactkit.model.facts import PRICE
    from impactkit.money import quantity

    tr = translator(ctx) if ctx is not None else Translator("en")
    shape = nb.form(text)
    value = None if shape in (nb.BOOLEAN, nb.ERROR) or (shape == nb.PERCENT and not rate) else (
        nb.parse_number(text.replace("_", "")))
    if value is not None and not value.is_finite():
        value = None
    if rate:
        if value is None or not 0 < value <= 1:
            raise typer.BadParameter(tr("option_not_rate", got=text), param_hint=option)
        return value
    if value is None:
        raise typer.BadParameter(tr("option_not_amount", got=text), param_hint=option)
    if _THOUSANDS.match(text.strip()):  # 500,000 and 500.000 alike: an amount has no third decimal
        value = Decimal(re.sub(r"\D", "", text))
    elif value != value.quantize(Decimal("0.01")):
        raise typer.BadParameter(tr("option_amount_decimals", got=text), param_hint=option)
    if value < 0 or value > PRICE.high:
        raise typer.BadParameter(tr("option_amount_range", got=text, high=tr.eur(PRICE.high)), param_hint=option)
    return quantity(value)  # counted to cents, as in a tender file
