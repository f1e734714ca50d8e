"""The README's command examples stay true: every `$ impactkit ...` line of a console block runs,
in README order, with the exit code the README shows (0 unless an `echo $?` line follows).
Files the examples write go to one temporary folder shared by the whole walk-through."""

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from impactkit.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
WRITTEN = ("mijn-regio.yaml", "ledger.sqlite", "bids-template.xlsx", "results.xlsx", "result.xlsx", "portfolio.xlsx")


def _commands():
    found = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if not line.startswith("$ impactkit "):
                continue
            nxt = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("$ ")), None)
            expected = int(lines[nxt + 1]) if nxt is not None and lines[nxt] == "$ echo $?" else 0
            found.append((line[2:], expected))
    return found


COMMANDS = _commands()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("readme")


def test_readme_has_commands():
    assert len(COMMANDS) >= 20


@pytest.mark.parametrize("command, expected", COMMANDS, ids=[c for c, _ in COMMANDS])
def test_readme_command_runs(command, expected, folder, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")
    args = shlex.split(command)[1:]
    if ">" in args:  # shell redirection: the command is what comes before it
        args = args[: args.index(">")]
    args = [str(folder / a) if a in WRITTEN else a for a in args]
    mine = folder / "mijn-regio.yaml"
    if "validate" in args and expected:  # the README typed "lots" for the first bonus value
        mine.write_text(mine.read_text(encoding="utf-8").replace("value: 10000", "value: lots", 1), encoding="utf-8")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == expected, result.output
