"""The command examples of README.md and docs/*.md, run as a user would type them.

A console block in a document holds commands (`$ impactkit ...`) each followed by the output it
prints; `$ echo $?` followed by a number states the exit code of the command before it (0 when
absent). A line `...` in an output stands for any number of lines. `> FILE` sends the standard
output to a file. Commands other than `impactkit` (pip, python) are shown, not run here.

Each document runs in a folder of its own, holding a copy of `examples/`, so documents do not
depend on each other; within a document the commands run in order (a walk-through builds on its
earlier steps).

    python tests/docs_examples.py            # check every document, print the differences
    python tests/docs_examples.py --update   # write the real outputs into the documents
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ELLIPSIS = "..."
ENVIRONMENT = {"COLUMNS": "100", "LC_ALL": "C.UTF-8", "IMPACTKIT_LANG": None, "LANG": None, "NO_COLOR": "1"}


@dataclass
class Example:
    document: Path
    line: int  # of the command in the document (1-based)
    command: str  # without the "$ "
    expected_output: list[str]
    expected_exit: int = 0
    output_span: tuple[int, int] = (0, 0)  # lines of the document holding the output (0-based, end excluded)
    actual_output: list[str] = field(default_factory=list)
    actual_exit: int | None = None

    @property
    def runs(self) -> bool:
        return self.command.startswith("impactkit ")

    @property
    def name(self) -> str:
        return f"{self.document.name}:{self.line}: {self.command}"


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def examples(document: Path) -> list[Example]:
    lines = document.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    inside = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            inside = line.strip() == "```console" if not inside else False
            continue
        if not inside or not line.startswith("$ "):
            continue
        end = i + 1
        while end < len(lines) and not lines[end].startswith(("$ ", "```")):
            end += 1
        command = line[2:]
        if command == "echo $?":
            if found and end > i + 1:
                found[-1].expected_exit = int(lines[i + 1].strip())
            continue
        found.append(Example(document, i + 1, command, lines[i + 1:end], 0, (i + 1, end)))
    return found


@contextmanager
def _environment():
    saved = {k: os.environ.get(k) for k in ENVIRONMENT}
    for key, value in ENVIRONMENT.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_document(document: Path, folder: Path | None = None) -> list[Example]:
    """Run every impactkit example of a document in a fresh folder; fills actual output and exit."""
    from typer.testing import CliRunner

    from impactkit.cli.app import app

    own = folder is None
    folder = Path(tempfile.mkdtemp(prefix="impactkit-docs-")) if own else folder
    shutil.copytree(ROOT / "examples", folder / "examples", dirs_exist_ok=True)
    here = Path.cwd()
    found = [e for e in examples(document) if e.runs]
    try:
        os.chdir(folder)
        with _environment():
            for example in found:
                args = shlex.split(example.command)[1:]
                target = None
                if ">" in args:
                    target = folder / args[args.index(">") + 1]
                    args = args[: args.index(">")]
                result = CliRunner().invoke(app, args)
                text = result.output if target is None else result.stderr
                if target is not None:
                    target.write_text(result.stdout, encoding="utf-8")
                example.actual_output = [line.rstrip() for line in text.rstrip("\n").splitlines()]
                example.actual_exit = result.exit_code
    finally:
        os.chdir(here)
        if own:
            shutil.rmtree(folder, ignore_errors=True)
    return found


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line after trailing spaces; a line `...` matches any run of lines."""
    want = [line.rstrip() for line in expected]
    while want and not want[-1]:
        want.pop()
    got = [line.rstrip() for line in actual]

    @lru_cache(maxsize=None)
    def at(i: int, j: int) -> bool:
        if i == len(want):
            return j == len(got)
        if want[i] == ELLIPSIS:
            return any(at(i + 1, k) for k in range(j, len(got) + 1))
        return j < len(got) and want[i] == got[j] and at(i + 1, j + 1)

    return at(0, 0)


def update(document: Path) -> int:
    """Write the actual outputs into the document; blocks with `...` are left alone."""
    lines = document.read_text(encoding="utf-8").splitlines()
    changed = 0
    for example in reversed(run_document(document)):
        if ELLIPSIS in [line.strip() for line in example.expected_output]:
            continue
        start, end = example.output_span
        if lines[start:end] != example.actual_output:
            lines[start:end] = example.actual_output
            changed += 1
    document.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    targets = [Path(a).resolve() for a in argv if not a.startswith("--")] or documents()
    if "--update" in argv:
        for document in targets:
            print(f"{document.relative_to(ROOT)}: {update(document)} output(s) rewritten")
        return 0
    failed = 0
    for document in targets:
        for example in run_document(document):
            if example.actual_exit != example.expected_exit or not matches(example.expected_output, example.actual_output):
                failed += 1
                print(f"--- {example.name} (exit {example.actual_exit}, expected {example.expected_exit})")
                print("\n".join(example.actual_output))
    print(f"{failed} example(s) differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main(sys.argv[1:]))
