"""What the monitor tests share: a runner of `impactkit monitor` on the backend under test, the
example contract registered, realisation files written as an SR desk gets them, and the realised
lines read back from the ledger."""

from __future__ import annotations

import pytest

from impactkit.monitor.store import open_store

from .conftest import EXAMPLES
from .monitor_backends import spec  # noqa: F401  (fixture)

HEADER = "contract,periode,bouwblok,kandidaat,uren_per_week,maanden,bedrag,status,bewijs\n"
CONTRACT = "GEM-2024-017"  # examples/tender.yaml


@pytest.fixture
def monitor(invoke, spec):  # noqa: F811
    """Run `impactkit [--lang LANG] monitor --db SPEC ...`."""
    def run(*args, lang: str | None = None, **kwargs):
        return invoke(*(["--lang", lang] if lang else []), "monitor", "--db", spec, *args, **kwargs)

    return run


def init(monitor, start="2024-01-01", end="2025-12-31"):
    """Aannemer A's contract of examples/tender.yaml in the ledger."""
    result = monitor("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", start, "--end", end)
    assert result.exit_code == 0, result.output


def csv_file(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def realised(spec, columns: str = "*"):  # noqa: F811
    """The ledger's realised lines, by id, as dicts of `columns`."""
    with open_store(spec) as s:
        return [dict(r) for r in s.query(f"SELECT {columns} FROM lines WHERE kind = 'realised' ORDER BY id")]
