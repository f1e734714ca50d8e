"""Errors for bad input, each carrying where it happened and a message key.

Messages are looked up in the language catalogues (``impactkit.i18n``) by the layer that
shows them; the core only names the problem. Every error class has the exit code the
command line uses for it (documented in the README).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NOT_MET = 1  # `check --strict`: at least one bid does not meet its obligation
    USAGE = 2  # wrong command-line usage (reported by the command-line parser)
    FILE = 3  # a file that does not exist or cannot be read
    INVALID = 4  # input that cannot be used: YAML syntax, missing fields, impossible numbers
    UNKNOWN = 5  # an unknown menu, menu version or block
    OUTPUT = 6  # an output file that cannot be written
    INTERNAL = 70  # a bug in impactkit
    INTERRUPTED = 130  # Ctrl-C (SIGINT)
    PIPE_CLOSED = 141  # the reader of the output went away (impactkit ... | head)
    TERMINATED = 143  # SIGTERM


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with everything needed to find it."""

    key: str  # message key in the catalogues
    params: dict = field(default_factory=dict)
    file: str | None = None
    line: int | None = None
    where: tuple | None = None  # path in the document, e.g. ("bids", 0, "contributions", 2)
    field: str | None = None


class ImpactkitError(Exception):
    exit_code = ExitCode.INVALID

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("; ".join(p.key for p in self.problems))


class InputFileError(ImpactkitError):
    exit_code = ExitCode.FILE


class InvalidInputError(ImpactkitError):
    exit_code = ExitCode.INVALID


class UnknownReferenceError(ImpactkitError):
    exit_code = ExitCode.UNKNOWN


class OutputError(ImpactkitError):
    exit_code = ExitCode.OUTPUT
