"""Asking one thing at a time in the terminal: yes/no, a text, a number, kilograms per
R-strategy, a PSO level; Enter keeps a current answer, "-" removes it. Prompts go to stderr,
so a report on stdout stays clean when it is redirected."""

from __future__ import annotations

import re
import sys
from decimal import Decimal

from rich.markup import escape

from impactkit.assess.profile import answer_text
from impactkit.assess.reading import looks_like_fraction, read_number, read_pso
from impactkit.cli.common import stderr_console
from impactkit.i18n import Translator
from impactkit.io.sheets.numbers import parse_yes_no

KEEP = object()  # the reply "keep the current answer" (Enter when there is one)
REMOVE = "-"  # the reply that removes the current answer
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_R_PART = re.compile(r"R\s*(\d)\s*[:=]?\s*([^R;]+)", re.IGNORECASE)


class Prompts:
    def __init__(self, tr: Translator):
        self.tr = tr
        self.console = stderr_console()

    def say(self, text: str, style: str | None = None) -> None:
        self.console.print(escape(text), style=style)

    def reply(self, hint: str) -> str:
        return prompt(f"[{hint}] ")

    def hint(self, base: str, current: str | None) -> str:
        if current is None:
            return f"{base}, {self.tr('assess_skip_hint')}"
        return f"{base}, {self.tr('assess_keep_hint', current=short(current))}"

    def yes_no(self, text: str | None, current: bool | None = None):
        """True/False, KEEP, or None (skipped or removed)."""
        if text:
            self.say(text)
        shown = None if current is None else answer_text(current, self.tr)
        while True:
            reply = self.reply(self.hint(self.tr("assess_yes_no_hint"), shown))
            if not reply:
                return KEEP if current is not None else None
            if reply == REMOVE and current is not None:
                return None
            value = parse_yes_no(reply)
            if value is not None:
                return value
            self.say(self.tr("assess_yes_no_again"), "yellow")

    def text(self, current: str | None = None):
        reply = self.reply(self.hint(self.tr("assess_text_hint"), current))
        if not reply:
            return KEEP if current is not None else None
        return None if reply == REMOVE and current is not None else reply

    def number(self, text: str, low: Decimal, high: Decimal, share: bool = False, current=None, whole: bool = False):
        self.say(text)
        shown = None if current is None else self.tr.number(current)
        while True:
            reply = self.reply(self.hint(self.tr("assess_number_hint"), shown))
            if not reply:
                return KEEP if current is not None else None
            if reply == REMOVE and current is not None:
                return None
            value = read_number(reply, share)
            if value is not None and share and looks_like_fraction(reply, value):  # as the answers file reads it
                as_percent = value * 100
                if self.yes_no(self.tr("assess_share_meant", value=self.tr.number(value),
                                       percent=self.tr.number(as_percent))) is True:
                    value = as_percent
            if value is not None and whole and value != value.to_integral_value():
                self.say(self.tr("assess_whole_again"), "yellow")
                continue
            if value is not None and low <= value <= high:
                return value
            self.say(self.tr("assess_number_again", low=self.tr.number(low), high=self.tr.number(high)), "yellow")

    def r_mapping(self, label: str, current):
        tr = self.tr
        self.say(label)
        self.say(tr("assess_r_example"), "dim")
        shown = None if current is None else " ".join(f"{r} {tr.number(kg)}" for r, kg in current.items())
        while True:
            reply = self.reply(self.hint(tr("assess_r_hint"), shown))
            if not reply:
                return KEEP if current is not None else None
            if reply == REMOVE and current is not None:
                return None
            masses = parse_r_masses(reply)
            if masses:
                return masses
            self.say(tr("assess_r_again"), "yellow")

    def pso(self, current: str | None):
        tr = self.tr
        self.say(tr("assess_ask_pso"))
        shown = None if current is None else pso_word(current)
        while True:
            reply = self.reply(self.hint(tr("assess_pso_hint"), shown))
            if not reply:
                return KEEP if current is not None else None
            if reply == REMOVE and current is not None:
                return None
            level = read_pso(reply)
            if level is not None:
                return level
            self.say(tr("assess_pso_again"), "yellow")


def pso_word(level: str) -> str:
    """A PSO level as people write it: geen, aspirant, basistrede, trede 2, 30+ (the Dutch terms)."""
    return {"none": "geen", "30_plus": "30+"}.get(level, level.replace("_", " "))


def prompt(text: str, default: str | None = None) -> str:
    """Ask on stderr and read one line: the report on stdout stays clean when it is redirected
    (click's prompt writes part of the prompt to stdout). End of input stops like Ctrl-C."""
    sys.stderr.write(f"{text} [{default}]: " if default else text)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    reply = _CONTROL.sub("", line.rstrip("\r\n")).strip()
    return reply or (default or "")


def parse_r_masses(text: str) -> dict[str, Decimal] | None:
    """"R3 12.000, R8: 30000" -> {"R3": 12000, "R8": 30000}; None when any part is not understood."""
    masses: dict[str, Decimal] = {}
    rest = _R_PART.sub("", text).strip(" ,;")
    if rest:
        return None
    for match in _R_PART.finditer(text):
        number = read_number(match.group(2).strip().rstrip(",").strip())
        if number is None or number < 0 or number > 10**12:
            return None
        masses[f"R{match.group(1)}"] = number
    return dict(sorted(masses.items(), key=lambda item: int(item[0][1:]))) or None


def short(text: str, width: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"
