"""Imports run one way: commands -> reports -> orchestration -> rules -> models; files are read and
written in io/, which the rules and models never import. Read from the source with ast, so a new
module is held to the same rule without a list to maintain."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "impactkit"

# package -> the impactkit packages it may import (besides itself and the top-level helpers)
ALLOWED = {
    "model": set(),
    "i18n": set(),
    "rules": {"model", "i18n"},
    "io": {"model", "i18n"},
    "menus": {"model", "io", "i18n"},
    "engine": {"model", "rules", "menus", "io", "i18n"},
    "batch": {"model", "rules", "menus", "io", "i18n", "engine"},
    "plan": {"model", "rules", "menus", "io", "i18n", "engine"},
    "monitor": {"model", "rules", "menus", "io", "i18n", "engine", "report"},
    "assess": {"model", "rules", "menus", "io", "i18n", "engine"},
    "report": {"model", "rules", "menus", "io", "i18n", "engine", "batch", "plan"},
    "cli": {"model", "rules", "menus", "io", "i18n", "engine", "batch", "plan", "monitor", "assess", "report"},
}
TOP_LEVEL = {"errors", "money", "__init__", "__main__"}  # modules at the top of the package, importable by all
HEAVY = {"pandas", "numpy", "openpyxl", "rich", "typer"}  # never imported at module level by the rules and models


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if len(rel.parts) > 1:
            yield rel.parts[0], path


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, at module level) for every import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, id(node) in top))
        elif isinstance(node, ast.Import):
            out.extend((alias.name, id(node) in top) for alias in node.names)
    return out


MODULES = list(_modules())


def test_every_package_is_placed():
    assert {package for package, _ in MODULES} - TOP_LEVEL <= set(ALLOWED) | {"blocks"}


@pytest.mark.parametrize("package, path", MODULES, ids=[str(p.relative_to(SRC)) for _, p in MODULES])
def test_imports_run_one_way(package, path):
    allowed = ALLOWED.get(package, set()) | {package}
    for module, top_level in _imports(path):
        parts = module.split(".")
        if parts[0] == "impactkit" and len(parts) > 1 and parts[1] not in TOP_LEVEL:
            assert parts[1] in allowed, f"{path.relative_to(SRC)} imports {module}"
        if package in ("rules", "model") and top_level:
            assert parts[0] not in HEAVY, f"{path.relative_to(SRC)} imports {module} at module level"
