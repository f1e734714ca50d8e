"""Running impactkit commands in a worker process, as another user when the tests run as root.

Root reads every file and writes into every folder, so permission denied cannot be shown to
root; the worker then runs without the capabilities that allow it (setpriv drops CAP_DAC_OVERRIDE
and CAP_DAC_READ_SEARCH), so a file without read permission, or a read-only folder, is as closed
to it as it would be to anyone. Running commands in
a worker also keeps a command that kills its process or hangs from taking the test run along
(see tests/fuzz_worker.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


from tests.conftest import ROOT



def _drop_privileges() -> list[str] | None:
    """The command prefix under which the worker obeys file permissions: [] when not root; as root,
    setpriv without the capabilities that let root read and write past permissions (the worker stays
    root, so it can still run a Python installed in root's home); None when that is not possible."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import typer, impactkit.cli.app"], cwd=ROOT,
                           capture_output=True)
    return prefix if probe.returncode == 0 else None


PREFIX = _drop_privileges()
PERMISSIONS_HOLD = PREFIX is not None  # whether the worker is refused what its permissions refuse


@contextlib.contextmanager
def shared_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder the worker's user may enter (pytest's tmp_path is root's alone)."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    root.chmod(0o755)
    try:
        yield root
    finally:
        for path in root.rglob("*"):  # files and folders made unreadable or read-only
            with contextlib.suppress(OSError):
                path.chmod(0o700 if path.is_dir() else 0o600)
        shutil.rmtree(root, ignore_errors=True)


def job(job_id: str, args: list, cwd: Path, timeout: float = 60) -> dict:
    return {"id": job_id, "args": [str(a) for a in args], "cwd": str(cwd), "timeout": timeout}


def run_worker(jobs: list[dict], root: Path) -> dict:
    """Run the jobs in a worker process (as nobody when run as root); their outcomes by id.

    Should the worker be killed in the middle of a job, that job is noted as the culprit and a
    new worker runs the rest."""
    results: dict = {}
    env = {**os.environ, "HOME": str(root), "PYTHONDONTWRITEBYTECODE": "1", "RUST_BACKTRACE": "0"}
    while pending := [j for j in jobs if j["id"] not in results]:
        jobs_file = root / "jobs.jsonl"
        jobs_file.write_text("".join(json.dumps(j) + "\n" for j in pending), encoding="utf-8")
        jobs_file.chmod(0o644)
        done = subprocess.run([*(PREFIX or []), sys.executable, "-m", "tests.fuzz_worker", str(jobs_file)], cwd=ROOT,
                              env=env, capture_output=True, timeout=sum(j["timeout"] for j in pending) + 120)
        current = None
        for line in done.stdout.decode("utf-8").splitlines():
            message = json.loads(line)
            if "start" in message:
                current = message["start"]
            else:
                results[message.pop("id")] = message
                current = None
        if done.returncode != 0:
            assert current is not None, done.stderr.decode("utf-8", "replace")[-4000:]
            code = -done.returncode
            results[current] = {"timeout": True} if code == signal.SIGALRM else {"signal": code if code > 0 else None,
                                                                                "worker_exit": done.returncode}
    return results
