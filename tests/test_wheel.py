"""impactkit as a user installs it: the wheel, not the checkout.

Builds the wheel from this checkout, installs it non-editable into a fresh virtual environment,
and runs every command of the app, from a folder outside the checkout, on copies of the shipped
examples. A command the app gains must be added to SCRIPT (a test checks that every command of
the app's own tree is there).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.test_readme import COMMANDS

ROOT = Path(__file__).resolve().parent.parent

# (command, exit code): run in order in one folder holding a copy of examples/
SCRIPT = [
    ("impactkit --version", 0),
    ("impactkit check examples/tender.yaml", 0),
    ("impactkit check examples/tender.yaml --json", 0),
    ("impactkit check examples/tender.yaml --xlsx check.xlsx", 0),
    ("impactkit --lang nl check examples/tender-leiden.yaml", 0),
    ("impactkit check examples/broken-tender.yaml", 4),
    ("impactkit obligation --menu fryslan --value 20000000", 0),
    ("impactkit menus list", 0),
    ("impactkit menus show holland-rijnland-leiden", 0),
    ("impactkit menus for Emmen", 0),
    ("impactkit menus diff oost-nederland@V05-2023-04 oost-nederland@2026", 0),
    ("impactkit menus new --from haaglanden-zhc -o mine.yaml", 0),
    ("impactkit menus validate mine.yaml", 0),
    ("impactkit template template.xlsx --menu utrecht", 0),
    ("impactkit score examples/bids.xlsx -o results.xlsx", 0),
    ("impactkit plan examples/plan.yaml --write-bid bid.yaml", 0),
    ("impactkit score examples/bids.xlsx --csv out", 0),
    ("impactkit assess --answers examples/assessment.yaml --no-input --xlsx assess.xlsx --md assess.md", 0),
    ("impactkit assess history examples/assessment-assen-2024.yaml examples/assessment-assen-2025.yaml", 0),
    ("impactkit assess summary examples/assessment.yaml examples/assessment-emmen-2025.yaml "
     "examples/assessment-hoogeveen-2024.yaml examples/assessment-hoogeveen-2025.yaml --html summary.html", 0),
    ("impactkit monitor --db ledger.sqlite init examples/tender.yaml --bid 'Aannemer A' --start 2024-01-01 "
     "--end 2025-12-31", 0),
    ("impactkit monitor --db ledger.sqlite import examples/monitor/q1.csv", 0),
    ("impactkit monitor --db ledger.sqlite review --list", 0),
    ("impactkit monitor --db ledger.sqlite review --accept 5", 0),
    ("impactkit monitor --db ledger.sqlite status --on 2024-10-01", 0),
    ("impactkit monitor --db ledger.sqlite portfolio --xlsx portfolio.xlsx", 0),
    ("impactkit monitor --db ledger.sqlite forget K-001", 0),
    ("impactkit monitor --db ledger.sqlite log --last 3", 0),
    ("impactkit monitor --db ledger.sqlite migrate --to copy.sqlite", 0),
]
WRITTEN = ["check.xlsx", "mine.yaml", "template.xlsx", "results.xlsx", "out/summary.csv", "assess.xlsx", "assess.md", "summary.html",
           "ledger.sqlite", "portfolio.xlsx"]


def _runs(command: str, path: tuple[str, ...]) -> bool:
    """The command's words hold the command path in order (options may stand between them)."""
    words = iter(shlex.split(command)[1:])
    return all(any(word == part for word in words) for part in path)


def test_the_script_runs_every_command_of_the_app():
    for path in COMMANDS:
        assert any(_runs(command, path) for command, _ in SCRIPT), f"impactkit {' '.join(path)} is not in SCRIPT"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel built from this checkout; returns its bin folder."""
    folder = tmp_path_factory.mktemp("wheel")
    wheels = folder / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("impactkit-*.whl")
    venv.create(folder / "venv", with_pip=True)
    bin_dir = folder / "venv" / ("Scripts" if os.name == "nt" else "bin")
    install = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    return bin_dir


def test_every_command_runs_from_the_installed_wheel(installed, tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {**os.environ, "PATH": f"{installed}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "100",
           "PYTHONPATH": "", "HOME": str(tmp_path)}
    env.pop("IMPACTKIT_LANG", None)
    location = subprocess.run([str(installed / "python"), "-c", "import impactkit; print(impactkit.__file__)"],
                              capture_output=True, text=True, cwd=tmp_path, env=env)
    assert "site-packages" in location.stdout and str(ROOT) not in location.stdout  # the wheel, not the checkout
    for command, expected in SCRIPT:
        result = subprocess.run(shlex.split(command), capture_output=True, text=True, cwd=tmp_path, env=env)
        assert result.returncode == expected, f"{command}\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
        assert "Traceback" not in result.stderr, command
    for name in WRITTEN:
        assert (tmp_path / name).is_file() and (tmp_path / name).stat().st_size > 0, name
