"""The SQLite store of the monitor: one file, a schema version with migrations, foreign keys,
every change in a transaction, and an audit log of who changed what and when."""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from impactkit.errors import InputFileError, Problem

MIGRATIONS: list[str] = [
    # 1: contracts, their lines (the plan and the realisations) and the audit log
    """
    CREATE TABLE contracts (
        id TEXT PRIMARY KEY,
        bidder TEXT NOT NULL,
        title TEXT,
        buyer TEXT,
        menu_ref TEXT NOT NULL,
        menu_yaml TEXT NOT NULL,
        terms TEXT NOT NULL,
        base_amount TEXT NOT NULL,
        obligation TEXT NOT NULL,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL CHECK (end_date > start_date),
        created_at TEXT NOT NULL
    );
    CREATE TABLE lines (
        id INTEGER PRIMARY KEY,
        contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('planned', 'realised')),
        period TEXT,
        block TEXT NOT NULL,
        candidate TEXT,
        facts TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('planned', 'claimed', 'accepted', 'rejected')),
        evidence TEXT,
        source TEXT,
        fingerprint TEXT NOT NULL,
        frozen_credit TEXT,
        UNIQUE (contract_id, fingerprint)
    );
    CREATE INDEX lines_by_contract ON lines (contract_id, kind, status);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        command TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def default_path() -> Path:
    """IMPACTKIT_DB, else the per-user data folder (XDG_DATA_HOME or ~/.local/share)."""
    if os.environ.get("IMPACTKIT_DB"):
        return Path(os.environ["IMPACTKIT_DB"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "impactkit" / "monitor.sqlite"


class Store:
    def __init__(self, path: Path, command: str = "impactkit"):
        self.path = Path(path)
        self.command = command
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise InputFileError(Problem("monitor_db_unusable", {"reason": str(exc)}, file=str(path))) from None
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA busy_timeout = 60000")
        self.migrate()

    def close(self) -> None:
        self.db.close()

    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Bring the schema up to date, one migration per transaction."""
        with self.transaction():
            current = self.version()
            if current > SCHEMA_VERSION:
                raise InputFileError(Problem("monitor_db_newer", {"version": current, "supported": SCHEMA_VERSION},
                                             file=str(self.path)))
            for number in range(current, SCHEMA_VERSION):
                # statement by statement: executescript() would commit the open transaction first
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE ... COMMIT: writers queue up, and a failure leaves nothing behind."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def audit(self, action: str, detail: dict) -> None:
        self.db.execute(
            "INSERT INTO audit (at, user, command, action, detail) VALUES (?, ?, ?, ?, ?)",
            (datetime.now(timezone.utc).isoformat(timespec="seconds"), _user(), self.command, action,
             json.dumps(detail, ensure_ascii=False, default=str)),
        )


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "unknown"
