"""The ledger on a PostgreSQL server (psycopg 3), for an SR desk that shares one ledger.

The URL is used as libpq takes it, so PGPASSWORD, ~/.pgpass and service files work as usual; it
is shown and logged only without its password. Writers take a transaction-scoped advisory lock
(one at a time, like SQLite's BEGIN IMMEDIATE); readers see one consistent snapshot. The audit log
records the database login (session_user) beside the operating-system user.
"""

from __future__ import annotations

from contextlib import contextmanager

from impactkit.errors import InputFileError, InvalidInputError, OutputError, Problem
from impactkit.monitor.dbspec import scrub
from impactkit.monitor.schema import SCHEMA_VERSION, TABLES
from impactkit.monitor.store import Store

WRITER_LOCK = 0x696D706B6C6467  # "impkldg": one writer at a time, per database
LOCK_WAIT = "60s"  # as long as SQLite waits for a busy ledger


class PostgresStore(Store):
    dialect = "postgresql"

    def __init__(self, url: str, command: str = "impactkit", write: bool = True, create: bool = True):
        super().__init__(url, command)
        self.create = create  # False: a database without a ledger is refused (only `init` makes one)
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError:
            raise InputFileError(Problem("monitor_pg_missing", {}, file=self.where)) from None
        self._psycopg = psycopg
        self._sql: dict[str, str] = {}
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row, application_name="impactkit")
        except psycopg.Error as exc:
            raise InputFileError(Problem("monitor_db_unusable", {"reason": self._reason(exc)}, file=self.where)) from None
        except Exception as exc:  # a URL libpq cannot parse
            raise InputFileError(Problem("monitor_db_unusable", {"reason": self._reason(exc)}, file=self.where)) from None
        try:
            self.db_user = self.one("SELECT session_user AS u")["u"]
            self.execute(f"SET lock_timeout = '{LOCK_WAIT}'")
            self._check_schema()
        except BaseException:
            self.conn.close()
            raise

    def _reason(self, exc: BaseException) -> str:
        return scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, self.spec)

    def _check_schema(self) -> None:
        version = 0
        if self.one("SELECT to_regclass('ledger_meta') IS NOT NULL AS present")["present"]:
            version = int(self.meta("schema_version") or 0)
        else:
            present = [t for t in TABLES if self.one("SELECT to_regclass(?) IS NOT NULL AS present", (t,))["present"]]
            if present:
                raise InvalidInputError(Problem("monitor_db_foreign", {"tables": ", ".join(present)}, file=self.where))
            if not self.create:  # an empty database: reading it must not make a ledger there
                raise InputFileError(Problem("monitor_no_ledger_db", {"db": self.where}, file=self.where))
        if version > SCHEMA_VERSION:
            raise InputFileError(Problem("monitor_db_newer", {"version": version, "supported": SCHEMA_VERSION},
                                         file=self.where))
        if version < SCHEMA_VERSION:
            with self.write():  # the lock makes two first users create the schema once
                if not self.one("SELECT to_regclass('ledger_meta') IS NOT NULL AS present")["present"]:
                    self.create_schema()
                    self.execute("INSERT INTO ledger_meta (key, value) VALUES ('schema_version', ?)",
                                 (str(SCHEMA_VERSION),))

    def version(self) -> int:
        return int(self.meta("schema_version") or 0)

    # --- statements ---
    def _q(self, sql: str) -> str:
        converted = self._sql.get(sql)
        if converted is None:
            converted = self._sql[sql] = sql.replace("%", "%%").replace("?", "%s")
        return converted

    def _run(self, fn):
        psycopg = self._psycopg
        try:
            return fn()
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ReadOnlySqlTransaction) as exc:
            raise OutputError(Problem("monitor_db_read_only", {"reason": self._reason(exc)}, file=self.where)) from None
        except (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled) as exc:
            raise InputFileError(Problem("monitor_db_busy", {"reason": self._reason(exc)}, file=self.where)) from None
        except psycopg.OperationalError as exc:
            raise InputFileError(Problem("monitor_db_unusable", {"reason": self._reason(exc)}, file=self.where)) from None

    def query(self, sql, params=()):
        return self._run(lambda: self.conn.execute(self._q(sql), params).fetchall())

    def tuples(self, sql, params=()):
        from psycopg.rows import tuple_row

        def run():
            with self.conn.cursor(row_factory=tuple_row) as cur:
                return cur.execute(self._q(sql), params).fetchall()

        return self._run(run)

    def execute(self, sql, params=()):
        return self._run(lambda: self.conn.execute(self._q(sql), params).rowcount)

    def insert(self, sql, params=()):
        def run():
            row = self.conn.execute(self._q(sql + " RETURNING id"), params).fetchone()
            if row is None:  # INSERT ... RETURNING gives the row it inserted
                raise RuntimeError(f"no id returned by {sql!r}")
            return row["id"]

        return self._run(run)

    def insert_many(self, table, columns, rows):
        def run():
            with self.conn.cursor() as cur:
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)

        self._run(run)

    def sync_ids(self, table: str) -> None:
        """After rows were copied in with their ids: new rows continue after the highest."""
        self.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))")

    @contextmanager
    def write(self):
        tx = self._run(self.conn.transaction)
        entered = False
        try:
            self._run(tx.__enter__)
            entered = True
            self.execute("SELECT pg_advisory_xact_lock(?)", (WRITER_LOCK,))
            yield self
        except BaseException as exc:
            if entered:
                try:
                    tx.__exit__(type(exc), exc, exc.__traceback__)
                except self._psycopg.Error:
                    pass
            raise
        else:
            self._run(lambda: tx.__exit__(None, None, None))

    @contextmanager
    def read(self):
        from psycopg.pq import TransactionStatus

        if self.conn.info.transaction_status != TransactionStatus.IDLE:
            yield self
            return
        with self.conn.transaction():
            self.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield self

    def scrub(self) -> bool:
        """VACUUM the lines: row versions from before a forget are removed from the table."""
        try:
            self.conn.execute("VACUUM lines")
            return True
        except self._psycopg.Error:
            return False

    def close(self) -> None:
        self.conn.close()
