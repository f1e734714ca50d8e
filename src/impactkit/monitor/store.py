"""The ledger's storage: one interface over SQLite (a file, the default) and PostgreSQL (a shared
server), with the same schema, migrations, transactions and audit log.

SQL is written once with `?` placeholders; rows are read by column name. Every change runs in
`write()`: one transaction that writers take in turn (SQLite: BEGIN IMMEDIATE; PostgreSQL: a
transaction-scoped advisory lock), so imports from several processes or machines queue up, and a
failure or a killed process leaves nothing behind. Reading runs in `read()`, one consistent
snapshot. Errors of the database become ImpactkitErrors with documented exit codes.
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
import sqlite3
import stat
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from impactkit.errors import InputFileError, InvalidInputError, OutputError, Problem
from impactkit.monitor.dbspec import default_spec, is_url, redact
from impactkit.monitor.schema import SCHEMA_VERSION, create_statements, upgrade_v1

__all__ = ["Store", "open_store", "default_spec", "removed_on_failure", "SCHEMA_VERSION"]


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "unknown"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """What the ledger code uses; SQLiteStore and PostgresStore implement it."""

    dialect = ""
    readonly = False
    path: Path | None = None  # the ledger file (SQLite)
    db_user: str | None = None

    def __init__(self, spec, command: str = "impactkit"):
        self.spec = spec
        self.where = redact(spec)
        self.command = command
        self.os_user = os_user()

    # --- statements (implemented per backend) ---
    def query(self, sql: str, params=()) -> list:
        raise NotImplementedError

    def tuples(self, sql: str, params=()) -> list[tuple]:
        raise NotImplementedError

    def execute(self, sql: str, params=()) -> int:
        """Run a statement; the number of rows it changed."""
        raise NotImplementedError

    def insert(self, sql: str, params=()) -> int:
        """Run an INSERT; the new row's id."""
        raise NotImplementedError

    def insert_many(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        raise NotImplementedError

    @contextmanager
    def write(self):
        raise NotImplementedError
        yield

    @contextmanager
    def read(self):
        raise NotImplementedError
        yield

    def scrub(self) -> bool:
        """After forget: remove old row versions from the storage; False if some may remain for now."""
        return True

    def close(self) -> None:
        raise NotImplementedError

    # --- shared ---
    def one(self, sql: str, params=()):
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM ledger_meta WHERE key = ?", (key,))
        return row["value"] if row else None

    def digest_key(self) -> str:
        """The ledger's own key for recognising a file imported before (made with the ledger)."""
        key = self.meta("digest_key")
        if key is None:
            raise InvalidInputError(Problem("monitor_db_no_key", {}, file=self.where))
        return key

    def who(self) -> str:
        """The person behind a change: the operating-system user, and the database user where there is one."""
        if self.db_user and self.db_user != self.os_user:
            return f"{self.os_user} ({self.db_user})"
        return self.os_user

    def audit(self, action: str, detail: dict) -> None:
        self.execute("INSERT INTO audit (at, os_user, db_user, command, action, detail) VALUES (?, ?, ?, ?, ?, ?)",
                     (now(), self.os_user, self.db_user, self.command, action,
                      json.dumps(detail, ensure_ascii=False, default=str)))

    def create_schema(self) -> None:
        for statement in create_statements(self.dialect):
            self.execute(statement)
        self.execute("INSERT INTO ledger_meta (key, value) VALUES ('digest_key', ?)", (secrets.token_hex(32),))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(spec=None, command: str = "impactkit", write: bool = True, create: bool = True) -> Store:
    """Open the ledger at `spec` (a path or a postgresql:// URL; default: IMPACTKIT_DB, then the data folder).

    `write=False` opens for reading only: a read-only file or folder still answers; a write to a
    read-only ledger is refused (exit 6). A ledger file that does not exist is made for writing and
    is an empty ledger for reading (and is not made) when `create`; without it, it is refused (exit
    3, saying how to make one), except for reading the default ledger (neither `spec` nor
    IMPACTKIT_DB given), which is empty until a first contract is registered.
    """
    given = spec is not None or bool(os.environ.get("IMPACTKIT_DB"))
    spec = default_spec() if spec is None else spec
    if is_url(str(spec)):
        from impactkit.monitor.pgstore import PostgresStore

        return PostgresStore(str(spec), command, write, create)
    path = Path(spec)
    if not create and (write or given) and not os.path.lexists(path):
        import shlex

        raise InputFileError(Problem("monitor_no_ledger", {"path": str(path),
                                                           "db": f"--db {shlex.quote(str(path))} " if given else ""}))
    return SQLiteStore(path, command, write)


@contextmanager
def removed_on_failure(spec=None):
    """Remove a ledger file that the block creates when the block fails (with its -wal, -shm and
    -journal files), so a failed `init` or `migrate` leaves no empty ledger that a later command
    could take for a real one. A file that was there before, and a PostgreSQL database, stay."""
    spec = default_spec() if spec is None else spec
    made = None if is_url(str(spec)) else Path(spec)
    if made is not None and os.path.lexists(made):
        made = None
    try:
        yield
    except BaseException:
        if made is not None:
            for leftover in (made, *(made.with_name(made.name + end) for end in ("-wal", "-shm", "-journal"))):
                leftover.unlink(missing_ok=True)
        raise


# --- SQLite ---------------------------------------------------------------------------------

def _writable(path: Path) -> bool:
    """Writable by us, and not marked read-only by its owner (a root user ignores the marks, we don't)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.access(path, os.W_OK) and bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


SQLITE_CORRUPT = {"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_FORMAT"}
SQLITE_READONLY = "SQLITE_READONLY"
SQLITE_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED"}


def sqlite_problem(exc: sqlite3.Error, where: str):
    """The ImpactkitError for a database error of SQLite, or None for a bug of ours."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    reason = str(exc)
    if name.startswith(tuple(SQLITE_CORRUPT)) or "not a database" in reason or "malformed" in reason:
        return InvalidInputError(Problem("monitor_db_corrupt", {"reason": reason}, file=where))
    if name.startswith(SQLITE_READONLY) or "readonly" in reason:
        return OutputError(Problem("monitor_db_read_only", {"reason": reason}, file=where))
    if name.startswith(tuple(SQLITE_BUSY)):
        return InputFileError(Problem("monitor_db_busy", {"reason": reason}, file=where))
    if name.startswith("SQLITE_FULL"):
        return OutputError(Problem("monitor_db_unusable", {"reason": reason}, file=where))
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_NOLFS")):
        return InputFileError(Problem("monitor_db_unusable", {"reason": reason}, file=where))
    return None


class SQLiteStore(Store):
    dialect = "sqlite"

    def __init__(self, path: Path, command: str = "impactkit", write: bool = True):
        super().__init__(path, command)
        self.path = path
        self.db: sqlite3.Connection
        try:
            self._open(path, write)
        except sqlite3.Error as exc:
            self._fail(exc)

    def _fail(self, exc: sqlite3.Error):
        problem = sqlite_problem(exc, self.where)
        if getattr(self, "db", None) is not None:
            self.db.close()
        if problem is None:
            raise exc
        raise problem from None

    def _open(self, path: Path, write: bool) -> None:
        if path.exists() and not path.is_file():
            raise InputFileError(Problem("monitor_db_not_a_file", {}, file=self.where))
        folder = path.parent if str(path.parent) else Path(".")
        exists = path.exists()
        if exists and not os.access(path, os.R_OK):
            raise InputFileError(Problem("file_unreadable", {"reason": "permission denied"}, file=self.where))
        if not exists and not write:
            self._empty()  # nothing yet: an empty ledger, not a new file
            return
        self.readonly = exists and not (_writable(path) and _writable(folder))
        if not exists:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(Problem("monitor_db_unusable", {"reason": exc.strerror or str(exc)},
                                          file=self.where)) from None
            if not _writable(folder):
                raise OutputError(Problem("monitor_db_read_only", {"reason": f"the folder {folder} is read-only"},
                                          file=self.where))
        if self.readonly and write:
            raise OutputError(Problem("monitor_db_read_only", {"reason": "the file or its folder is read-only"},
                                      file=self.where))
        if self.readonly:
            self.db = self._connect_read_only(path)
        else:
            self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        # read what the file is before changing anything (journal mode included)
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise InputFileError(Problem("monitor_db_newer", {"version": version, "supported": SCHEMA_VERSION},
                                         file=self.where))
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and tables:
            raise InvalidInputError(Problem("monitor_db_foreign", {"tables": ", ".join(sorted(tables))[:200]},
                                            file=self.where))
        if self.readonly:
            if version == 0:  # an empty file: an empty ledger
                self.db.close()
                self._empty()
                return
            if version < SCHEMA_VERSION:
                raise InputFileError(Problem("monitor_db_old_read_only", {"version": version}, file=self.where))
            return
        self.db.execute("PRAGMA busy_timeout = 60000")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA secure_delete = ON")  # deleted or overwritten content is zeroed
        self.db.execute("PRAGMA journal_mode = WAL")
        if version < SCHEMA_VERSION:
            self.migrate()

    def _empty(self) -> None:
        self.db = sqlite3.connect(":memory:", isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.readonly = True
        self.create_schema()

    def _connect_read_only(self, path: Path) -> sqlite3.Connection:
        from urllib.parse import quote

        uri = "file:" + quote(str(path.resolve()))
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=60, isolation_level=None)
        try:
            db.execute("PRAGMA user_version").fetchone()
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            # a ledger in WAL mode in a read-only folder: nobody can be writing it, read it as it is
            db.close()
            return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)

    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Bring the schema up to date in one transaction; a failure leaves the ledger as it was."""
        self.db.execute("PRAGMA foreign_keys = OFF")  # tables are rebuilt; checked again before the commit
        try:
            with self.write():
                current = self.version()
                if current == 0:
                    self.create_schema()
                elif current == 1:
                    upgrade_v1(self.db, secrets.token_hex(32))
                    bad = self.db.execute("PRAGMA foreign_key_check").fetchall()
                    if bad:
                        raise InvalidInputError(Problem("monitor_db_broken_refs", {"count": len(bad)}, file=self.where))
                    self.audit("migrate", {"from_schema": 1, "to_schema": SCHEMA_VERSION})
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        finally:
            self.db.execute("PRAGMA foreign_keys = ON")
        if current:
            self.scrub()  # the old fingerprints leave the file

    # --- statements ---
    def query(self, sql, params=()):
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            self._translate(exc)

    def tuples(self, sql, params=()):
        try:
            cur = self.db.cursor()
            cur.row_factory = None
            return cur.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            self._translate(exc)

    def execute(self, sql, params=()):
        try:
            return self.db.execute(sql, params).rowcount
        except sqlite3.Error as exc:
            self._translate(exc)

    def insert(self, sql, params=()):
        try:
            return self.db.execute(sql, params).lastrowid
        except sqlite3.Error as exc:
            self._translate(exc)

    def insert_many(self, table, columns, rows):
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        try:
            self.db.executemany(sql, rows)
        except sqlite3.Error as exc:
            self._translate(exc)

    def _translate(self, exc: sqlite3.Error):
        problem = sqlite_problem(exc, self.where)
        if problem is None or isinstance(exc, sqlite3.IntegrityError):
            raise exc
        raise problem from None

    @contextmanager
    def write(self):
        if self.readonly:
            raise OutputError(Problem("monitor_db_read_only", {"reason": "opened for reading"}, file=self.where))
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self._translate(exc)
        try:
            yield self
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            self._translate(exc)

    @contextmanager
    def read(self):
        if self.db.in_transaction:
            yield self
            return
        self.execute("BEGIN")
        try:
            yield self
        finally:
            if self.db.in_transaction:
                self.db.execute("COMMIT")

    def scrub(self) -> bool:
        """Move the WAL into the file and truncate it (secure_delete has zeroed the old content)."""
        busy, _, _ = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0

    def close(self) -> None:
        self.db.close()
