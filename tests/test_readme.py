"""The command examples of README.md and docs/ print what they show (see tests/docs_examples.py).

Each document runs in a folder of its own, so documents are independent of each other's order;
within a document the commands run in order, as a user following it would type them."""

import re

import pytest
import typer
from typer.testing import CliRunner

from impactkit.cli.app import app
from tests.docs_examples import ROOT, documents, examples, matches, run_document

DOCUMENTS = documents()


def test_every_document_has_examples_that_run():
    runnable = {d.name: sum(e.runs for e in examples(d)) for d in DOCUMENTS}
    assert runnable["README.md"] >= 3, runnable
    assert sum(runnable.values()) >= 25, runnable


def test_docs_link_every_document():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for document in DOCUMENTS[1:]:
        assert f"docs/{document.name}" in readme, document.name


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_document_examples_print_what_they_show(document, tmp_path):
    differing = []
    for example in run_document(document, tmp_path):
        if example.actual_exit != example.expected_exit or not matches(example.expected_output,
                                                                       example.actual_output):
            differing.append(f"{example.name}: exit {example.actual_exit} (expected {example.expected_exit})\n"
                             + "\n".join(example.actual_output))
    assert not differing, "\n\n".join(differing) + "\n\n(python tests/docs_examples.py --update rewrites them)"


def _commands(group, path: tuple[str, ...] = ()):
    """Every command of the app, found by walking its own command tree."""
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group (typer may vendor its own click)
            yield from _commands(command, path + (name,))
        else:
            yield path + (name,)


COMMANDS = sorted(_commands(typer.main.get_command(app)))


def test_the_command_tree_was_walked():
    assert ("check",) in COMMANDS and ("monitor", "import") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_has_help_and_an_example_in_the_docs(path):
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0 and "Usage" in result.stdout
    text = "\n".join(d.read_text(encoding="utf-8") for d in DOCUMENTS)
    # options may stand between the words (impactkit monitor --db L.sqlite init)
    pattern = r"\$ impactkit(?: --?\S+(?: \S+)?)* " + r"(?: --?\S+(?: \S+)?)* ".join(map(re.escape, path)) + r"\b"
    assert re.search(pattern, text), f"no example of impactkit {' '.join(path)} in README.md or docs/"


def _groups(group, path: tuple[str, ...] = ()):
    yield path
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _groups(command, path + (name,))


GROUPS = list(_groups(typer.main.get_command(app)))


@pytest.mark.parametrize("path", GROUPS, ids=[" ".join(p) or "impactkit" for p in GROUPS])
def test_each_command_listing_fits_one_line_in_80_columns(path):
    """`impactkit --help` in an 80-column terminal lists one command per line: a summary that wraps
    reads as two commands to scripts (and tools) that take the first word of each line."""
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    listing = result.stdout.split("Commands:")[1].strip("\n").splitlines()
    names = [line.split()[0] for line in listing if line.strip()]
    group = typer.main.get_command(app)
    for part in path:
        group = group.commands[part]
    assert sorted(names) == sorted(group.commands), listing
