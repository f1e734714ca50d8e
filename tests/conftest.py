from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from impactkit.cli.app import app

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """The ledger tests run on SQLite and on PostgreSQL: a throwaway cluster for this session."""
    from tests import pg_cluster

    config.pg_cluster_problem = pg_cluster.start_if_possible()


def pytest_unconfigure(config):
    from tests import pg_cluster

    pg_cluster.stop()


def pytest_report_header(config):
    import os

    problem = getattr(config, "pg_cluster_problem", None)
    return f"PostgreSQL for the ledger tests: {problem or os.environ.get('IMPACTKIT_TEST_PG')}"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def runner(monkeypatch):
    # a known language whatever the machine's locale
    monkeypatch.delenv("IMPACTKIT_LANG", raising=False)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


@pytest.fixture
def invoke(runner):
    def run(*args, **kwargs):
        return runner.invoke(app, [str(a) for a in args], **kwargs)

    return run


@pytest.fixture
def write(tmp_path):
    """Write a text file (dedented) under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def tender_file(tmp_path):
    """Write a tender document (a dict) as YAML and return its path."""

    def _tender(contributions=None, bids=None, name="tender.yaml", **tender_fields) -> Path:
        tender = {"id": "T-1", "menu": "haaglanden-zhc", "contract_value": 500000, **tender_fields}
        if bids is None:
            bids = [{"bidder": "Aannemer A", "contributions": contributions or []}]
        path = tmp_path / name
        path.write_text(yaml.safe_dump({"tender": tender, "bids": bids}, sort_keys=False), encoding="utf-8")
        return path

    return _tender
