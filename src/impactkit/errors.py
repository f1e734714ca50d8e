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


class Collected:
    """Problems gathered before raising, so that one run tells them all (see docs/exit-codes.md)."""

    def __init__(self) -> None:
        self.unknown: list[Problem] = []  # unknown references: a menu, a block
        self.invalid: list[Problem] = []
        self.unreadable: list[Problem] = []  # files that cannot be read

    def add(self, error: ImpactkitError) -> None:
        if isinstance(error, UnknownReferenceError):
            self.unknown.extend(error.problems)
        elif isinstance(error, InputFileError):
            self.unreadable.extend(error.problems)
        else:
            self.invalid.extend(error.problems)

    def error(self, first_file: str | None = None) -> ImpactkitError | None:
        """One error with every problem, the file `first_file` first, then by file and line; its
        exit code is 5 (or 3) only when every problem is an unknown reference (or a file that
        cannot be read), 4 (invalid input) otherwise. None when nothing was found."""
        found: dict[tuple, Problem] = {}
        for problem in self.invalid + self.unknown + self.unreadable:
            found.setdefault((problem.file, problem.line, problem.where, problem.field, problem.key), problem)
        if not found:
            return None
        problems = sorted(found.values(), key=lambda p: (p.file != first_file, p.file or "", p.line or 0))
        if not self.invalid and not self.unreadable:
            return UnknownReferenceError(problems)
        if not self.invalid and not self.unknown:
            return InputFileError(problems)
        return InvalidInputError(problems)


def every_problem(unknown: list[Problem], invalid: list[Problem]) -> ImpactkitError | None:
    """Unknown references and invalid entries of one file as one error, by line (see Collected)."""
    collected = Collected()
    collected.unknown, collected.invalid = list(unknown), list(invalid)
    return collected.error()
