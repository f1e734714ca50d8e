"""A throwaway PostgreSQL cluster for the ledger tests, started by pytest itself.

When IMPACTKIT_TEST_PG is not set and a PostgreSQL server is installed (Debian keeps it under
/usr/lib/postgresql/N/bin), the test session makes a cluster in a temporary folder (initdb),
starts it on a unix socket in that folder only (no TCP port), sets IMPACTKIT_TEST_PG to a URL for
it, and stops it and removes the folder when the session ends. As root the server runs as the
`postgres` user (created when missing), since PostgreSQL refuses to run as root.

`.ci/run` installs the server from the distribution's packages when it is missing; on CI a
missing server makes the PostgreSQL cases fail (tests/monitor_backends.py), never skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def server_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: [int(x) if x.isdigit() else x for x in
                                                                                   Path(p).parent.parent.name.split(".")])
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


class Cluster:
    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="impactkit-pg-"))
        self.data = self.folder / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
                               check=True, capture_output=True)
            shutil.chown(self.folder, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.as_user, *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:1])} failed: {result.stdout[-1500:]}{result.stderr[-1500:]}")

    def start(self) -> str:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "impactkit", "--auth=trust", "-E", "UTF8",
                  "--no-locale")
        options = (f"-k {self.folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c max_connections=100")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                  "-t", "60", "-o", options, "start")
        subprocess.run([str(self.bin / "createdb"), "-h", str(self.folder), "-U", "impactkit", "impactkit_test"],
                       check=True, capture_output=True)
        return f"postgresql://impactkit@/impactkit_test?host={self.folder}"

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                            "stop"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


_cluster: Cluster | None = None


def start_if_possible() -> str | None:
    """Start a cluster unless IMPACTKIT_TEST_PG names one; returns why not, or None."""
    global _cluster
    if os.environ.get("IMPACTKIT_TEST_PG"):
        return None
    bin_dir = server_bin()
    if bin_dir is None:
        return "no PostgreSQL server installed (.ci/run installs one)"
    cluster = Cluster(bin_dir)
    try:
        os.environ["IMPACTKIT_TEST_PG"] = cluster.start()
    except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
        cluster.stop()
        return f"the throwaway PostgreSQL cluster did not start: {exc}"
    _cluster = cluster
    return None


def stop() -> None:
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        os.environ.pop("IMPACTKIT_TEST_PG", None)
        _cluster = None
