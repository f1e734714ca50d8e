"""The README's command examples stay true: each `$ impactkit ...` line in a console block
runs with the exit code the README shows (0 unless an `echo $?` line follows)."""

import re
import shlex
from pathlib import Path

import pytest

from impactkit.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


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


def test_readme_has_commands():
    assert len(COMMANDS) >= 8


@pytest.mark.parametrize("command, expected", COMMANDS, ids=[c for c, _ in COMMANDS])
def test_readme_command_runs(command, expected, runner, tmp_path, monkeypatch):
    args = shlex.split(command)[1:]
    if ">" in args:  # shell redirection: the command is what comes before it
        args = args[: args.index(">")]
    monkeypatch.chdir(ROOT)
    # outputs go to a temporary folder, inputs are read from the repository
    out = []
    for a in args:
        if (a.endswith(".xlsx") and not a.startswith("examples/")) or a == "mijn-regio.yaml":
            out.append(str(tmp_path / a))
        else:
            out.append(a)
    if "validate" in out:  # validate the copy the README made with `menus new`
        runner.invoke(app, ["menus", "new", "--from", "haaglanden-zhc", "-o", str(tmp_path / "mijn-regio.yaml")])
        if expected:
            mine = tmp_path / "mijn-regio.yaml"
            mine.write_text(mine.read_text(encoding="utf-8").replace("value: 10000", "value: lots", 1), encoding="utf-8")
    result = runner.invoke(app, out)
    assert result.exit_code == expected, result.output
