"""A file that cannot be read exits 3 with its name and the reason, in every command.

Before, 9 commands stopped an unreadable file with a usage error (exit 2): typer gives every
path parameter click's readability check, which runs before the command. impactkit now turns
that check off in one place (impactkit.cli.common.files_read_by_impactkit) and reads its files
itself (impactkit.io.inputs)."""

from __future__ import annotations

import shutil

import pytest

from impactkit.errors import ExitCode
from tests.conftest import EXAMPLES, ROOT
from tests.file_commands import COMMANDS
from tests.other_user import PERMISSIONS_HOLD, job, run_worker, shared_folder

VALID = {"tender": EXAMPLES / "tender.yaml", "menu": ROOT / "blocks" / "haaglanden-zhc@2023-07.yaml",
         "answers": EXAMPLES / "assessment.yaml", "realisations": EXAMPLES / "monitor" / "q1.csv",
         "bids": EXAMPLES / "bids.xlsx", "plan": EXAMPLES / "plan-short.yaml"}
FILE_COMMANDS = [c for c in COMMANDS if c.role != "ledger"]  # the ledger's own checks: see tests/test_fuzz.py


@pytest.mark.skipif(not PERMISSIONS_HOLD, reason="run as root without setpriv: every file is readable")
def test_an_unreadable_file_exits_3_in_every_command():
    with shared_folder("impactkit-unreadable-") as root:
        jobs = []
        for n, command in enumerate(FILE_COMMANDS):
            work = root / str(n)
            work.mkdir()
            work.chmod(0o777)
            source = work / ("closed" + VALID[command.role].suffix)
            shutil.copy(VALID[command.role], source)
            source.chmod(0)
            jobs.append(job(command.name, command.arguments(source, work), work))
        outcomes = run_worker(jobs, root)
    for command in FILE_COMMANDS:
        outcome = outcomes[command.name]
        assert outcome["exit"] == ExitCode.FILE, (command.name, outcome["output"])
        assert "closed" in outcome["output"] and "cannot read the file: Permission denied" in outcome["output"]


@pytest.mark.parametrize("command", FILE_COMMANDS, ids=[c.name for c in FILE_COMMANDS])
def test_a_missing_file_exits_3_in_every_command(invoke, tmp_path, command):
    missing = tmp_path / ("missing" + VALID[command.role].suffix)
    result = invoke(*command.arguments(missing, tmp_path))
    assert result.exit_code == ExitCode.FILE, result.output
    assert f"{missing}: file not found" in result.stderr


@pytest.mark.parametrize("command", FILE_COMMANDS, ids=[c.name for c in FILE_COMMANDS])
def test_a_folder_or_a_device_is_not_a_file(invoke, tmp_path, command):
    folders_read = command.path in (("assess", "history"), ("assess", "summary"))  # they read every file in one
    for path in ("/dev/zero",) if folders_read else (tmp_path, "/dev/zero"):  # /dev/zero would never end
        result = invoke(*command.arguments(path, tmp_path))
        assert result.exit_code == ExitCode.FILE, result.output
        assert f"{path}: not a file" in result.stderr
