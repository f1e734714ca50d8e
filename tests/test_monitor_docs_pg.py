"""The shared-ledger walk-through of docs/monitor.md (its ```console-postgresql block), run against
the PostgreSQL server of IMPACTKIT_TEST_PG as the advisers it names, and compared with what the
document shows (times masked). The block runs after the document's other examples, in the same
folder, as a reader would follow it.

    bash .ci/postgres python -m tests.test_monitor_docs_pg --update   # write the real outputs
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.docs_examples import ELLIPSIS, ROOT, _environment, examples, matches, run_document
from tests.monitor_backends import admin, require_postgres

DOCUMENT = ROOT / "docs" / "monitor.md"
FENCE = "```console-postgresql"
DOC_URL = re.compile(r"postgresql://(\w+)@db\.example\.nl/srdesk")
OS_USERS = {"anna": "a.devries", "bram": "b.bakker"}  # who the advisers are on their own machines
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def pg_examples(document: Path = DOCUMENT):
    """The examples of the console-postgresql blocks (and only those)."""
    text = document.read_text(encoding="utf-8").replace("```console\n", "```text\n").replace(FENCE + "\n", "```console\n")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / document.name
        copy.write_text(text, encoding="utf-8")
        found = examples(copy)
    for example in found:
        example.document = document
    return found


@contextmanager
def desk_database():
    """A database owned by the group role sr_desk, with the logins anna and bram working as that role."""
    name = "srdesk_" + secrets.token_hex(4)
    with admin() as conn:
        for role, options in (("sr_desk", "NOLOGIN"), ("anna", "LOGIN IN ROLE sr_desk"), ("bram", "LOGIN IN ROLE sr_desk")):
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                conn.execute(f"CREATE ROLE {role} {options}")
            if role != "sr_desk":
                conn.execute(f"ALTER ROLE {role} SET role = 'sr_desk'")
        conn.execute(f"CREATE DATABASE {name} OWNER sr_desk")
    try:
        yield name
    finally:
        with admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _test_url(user: str, database: str) -> str:
    parts = urlsplit(require_postgres())
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"{user}@{host}", f"/{database}", parts.query, ""))


def run_walk_through(folder: Path):
    from typer.testing import CliRunner

    from impactkit.cli.app import app
    from impactkit.monitor.dbspec import redact

    found = [e for e in pg_examples() if e.runs]
    run_document(DOCUMENT, folder)  # the file ledger of the walk-through above it
    here = Path.cwd()
    saved = {k: os.environ.get(k) for k in ("USER", "LOGNAME")}
    with desk_database() as database:
        back = {redact(_test_url(u, database)): f"postgresql://{u}@db.example.nl/srdesk" for u in OS_USERS}
        try:
            os.chdir(folder)
            with _environment():
                for example in found:
                    users = DOC_URL.findall(example.command)
                    os.environ["USER"] = os.environ["LOGNAME"] = OS_USERS[users[0]] if users else "a.devries"
                    args = [DOC_URL.sub(lambda m: _test_url(m.group(1), database), a)
                            for a in shlex.split(example.command)[1:]]
                    result = CliRunner().invoke(app, args)
                    text = result.output
                    for test, doc in back.items():
                        text = text.replace(test, doc)
                    example.actual_output = [line.rstrip() for line in text.rstrip("\n").splitlines()]
                    example.actual_exit = result.exit_code
        finally:
            os.chdir(here)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return found


def _masked(lines: list[str]) -> list[str]:
    return [TIME.sub("<time>", line) for line in lines]


def test_the_shared_ledger_walk_through(tmp_path):
    found = run_walk_through(tmp_path)
    assert len(found) >= 8 and any("migrate" in e.command for e in found)
    differing = [f"{e.name}: exit {e.actual_exit} (expected {e.expected_exit})\n" + "\n".join(e.actual_output)
                 for e in found if e.actual_exit != e.expected_exit
                 or not matches(_masked(e.expected_output), _masked(e.actual_output))]
    assert not differing, "\n\n".join(differing) + "\n\n(bash .ci/postgres python -m tests.test_monitor_docs_pg --update rewrites them)"


def update() -> int:
    lines = DOCUMENT.read_text(encoding="utf-8").splitlines()
    with tempfile.TemporaryDirectory() as folder:
        found = run_walk_through(Path(folder))
    for example in reversed(found):
        if ELLIPSIS in [line.strip() for line in example.expected_output]:
            continue
        start, end = example.output_span
        lines[start:end] = example.actual_output
    DOCUMENT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(update() if "--update" in sys.argv else 0)
