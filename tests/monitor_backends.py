"""The ledger's two backends for the monitor tests: a SQLite file, and a PostgreSQL schema of its own
per test on the server that IMPACTKIT_TEST_PG names (pytest starts a throwaway one when a server is
installed: tests/pg_cluster.py). Without one the PostgreSQL cases are skipped on a developer's
machine and fail on CI (CI set): there a missing server is a failure, not a skip."""

from __future__ import annotations

import os
import secrets
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest

PG_URL = os.environ.get("IMPACTKIT_TEST_PG")


def require_postgres() -> str:
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("no PostgreSQL on CI: the ledger tests need one (.ci/run installs the server, pytest starts a "
                        "throwaway cluster: tests/pg_cluster.py)")
        pytest.skip("no PostgreSQL: install the server (pytest then starts a throwaway cluster) or set IMPACTKIT_TEST_PG")
    return PG_URL


def with_params(url: str, **params) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, quote_via=quote), ""))


def admin():
    import psycopg

    return psycopg.connect(require_postgres(), autocommit=True)


class PgSchema:
    """A schema of its own on the test server, dropped afterwards; its URL sets the search_path."""

    def __init__(self):
        self.name = "t_" + secrets.token_hex(6)
        with admin() as conn:
            conn.execute(f"CREATE SCHEMA {self.name}")
        self.url = with_params(require_postgres(), options=f"-c search_path={self.name}")

    def drop(self) -> None:
        with admin() as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {self.name} CASCADE")


@pytest.fixture
def pg_url():
    schema = PgSchema()
    yield schema.url
    schema.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def spec(request, tmp_path):
    """Where a fresh ledger is: a file path (SQLite) or a URL (PostgreSQL)."""
    if request.param == "sqlite":
        yield tmp_path / "ledger.sqlite"
        return
    schema = PgSchema()
    yield schema.url
    schema.drop()
