"""The type check: mypy over src/impactkit with the configuration in pyproject.toml ([tool.mypy]),
run as part of the test suite so that CI (`.ci/run`: the README's test command) runs it too.

mypy keeps its cache in .mypy_cache at the top of the checkout: a run after a small change checks
only what changed (a second or so instead of several).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "impactkit"

# `# type: ignore[code]  # why`: every ignore names what it silences and says why it is right there
IGNORE = re.compile(r"#\s*type:\s*ignore\b")
EXPLAINED = re.compile(r"#\s*type:\s*ignore\[[a-z0-9-]+(?:,\s*[a-z0-9-]+)*\]\s+#\s*\S")


def test_mypy_finds_no_error_in_the_package():
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    report = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, f"mypy (exit {result.returncode}):\n{report}"
    assert "Success: no issues found" in report, report  # it checked something


def ignores_without_reason(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every `type: ignore` that lacks its error code or its reason."""
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)
            if IGNORE.search(line) and not EXPLAINED.search(line)]


def test_every_type_ignore_names_its_code_and_says_why():
    found = {f"{path.relative_to(ROOT)}:{number}": line for path in sorted(SRC.rglob("*.py"))
             for number, line in ignores_without_reason(path.read_text(encoding="utf-8"))}
    assert not found, "write `# type: ignore[code]  # reason`:\n" + "\n".join(f"{k}: {v}" for k, v in found.items())


def test_the_scan_tells_an_explained_ignore_from_a_bare_one():
    explained = "x = f()  # type: ignore[attr-defined]  # Windows only\n"
    two_codes = "y = g()  # type: ignore[arg-type, misc]  # numpy's overloads\n"
    bare = "z = h()  # type: ignore\n"
    no_reason = "w = k()  # type: ignore[override]\n"
    no_code = "v = m()  # type: ignore  # because\n"
    text = explained + two_codes + bare + no_reason + no_code
    assert [number for number, _ in ignores_without_reason(text)] == [3, 4, 5]
