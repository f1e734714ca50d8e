"""Malformed inputs through every command that reads a file: no traceback, no exit 70, no signal,
no hang, and the exit code that docs/exit-codes.md promises.

The corpus is made by tests/fuzz_corpus.py from the examples. The commands run in a worker
process (tests/fuzz_worker.py, see tests/other_user.py), one after another; should one kill its
process or hang, that is its outcome and the rest run on. Run as root, the worker runs as the
user nobody, so that a file without read permission is unreadable to it as to anyone else.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from functools import lru_cache
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from impactkit.cli.app import app
from tests.conftest import EXAMPLES
from tests.file_commands import COMMANDS, READ_NOTHING
from tests.fuzz_corpus import CASES, Case, materialise
from tests.other_user import PERMISSIONS_HOLD, job, run_worker, shared_folder

JOB_TIMEOUT = 60  # seconds for one command: far more than any of them needs; only a hang gets there


def _job_id(case: Case, command) -> str:
    return f"{command.name}:{case.id}"


JOBS = [(case, command) for case in CASES for command in COMMANDS if command.role in case.roles]


def _params():
    for case, command in JOBS:
        marks = []
        if case.id == "unreadable" and not PERMISSIONS_HOLD:
            marks.append(pytest.mark.skip(reason="run as root without setpriv: nothing is unreadable"))
        yield pytest.param(case, command, id=_job_id(case, command), marks=marks)


@lru_cache(maxsize=None)
def _template_ledger(folder: Path) -> Path:
    """A ledger with the example contract, for imports of realisations."""
    ledger = folder / "template.sqlite"
    result = CliRunner().invoke(app, ["monitor", "--db", str(ledger), "init", str(EXAMPLES / "tender.yaml"),
                                      "--bid", "Aannemer A", "--start", "2024-01-01", "--end", "2025-12-31"])
    assert result.exit_code == 0, result.output
    return ledger


def _prepare(root: Path) -> list[dict]:
    jobs = []
    for n, (case, command) in enumerate(JOBS):
        work = root / f"{n:04d}"
        work.mkdir()
        work.chmod(0o777)  # the worker may be another user: it writes its outputs here
        folder = work / "in"
        folder.mkdir()
        folder.chmod(0o777)  # a ledger that does not exist yet is made here
        path = materialise(case, command.role, folder)
        if command.role == "plan":
            shutil.copy(EXAMPLES / "tender.yaml", folder / "tender.yaml")  # the plan names it
        if command.role == "realisations":
            ledger = work / "ledger.sqlite"
            with contextlib.closing(sqlite3.connect(_template_ledger(root))) as source, \
                    contextlib.closing(sqlite3.connect(ledger)) as copy:
                source.backup(copy)  # the whole ledger, whatever still waits in its write-ahead log
            ledger.chmod(0o666)
        jobs.append(job(_job_id(case, command), command.arguments(path, work), work, JOB_TIMEOUT))
    return jobs


@pytest.fixture(scope="module")
def outcomes():
    with shared_folder("impactkit-fuzz-") as root:
        yield run_worker(_prepare(root), root)


@pytest.mark.parametrize(("case", "command"), list(_params()))
def test_malformed_input(outcomes, case, command):
    outcome = outcomes[_job_id(case, command)]
    assert not outcome.get("timeout"), "the command hung"
    assert outcome.get("signal") is None, f"killed by signal {outcome['signal']}"
    assert "worker_exit" not in outcome, outcome  # the command ended its process some other way
    assert outcome["exception"] is None, outcome["exception"]
    assert "Traceback" not in outcome["output"], outcome["output"]
    assert outcome["exit"] != 70, outcome["output"]
    assert outcome["exit"] == case.expected(command.name), outcome["output"]


def _tree(group, path=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            if command.invoke_without_command:  # a group that is a command too (impactkit assess)
                yield path + (name,)
            yield from _tree(command, path + (name,))
        else:
            yield path + (name,)


def test_every_command_that_reads_a_file_is_fuzzed():
    tree = set(_tree(typer.main.get_command(app)))
    covered = {c.path for c in COMMANDS} | set(READ_NOTHING)
    assert tree - covered == set(), "add these commands to tests/file_commands.py"
    assert covered - tree == set()


def test_the_corpus_reaches_every_role():
    roles = {c.role for c in COMMANDS}
    for role in roles:
        assert sum(role in case.roles for case in CASES) >= 8, role
