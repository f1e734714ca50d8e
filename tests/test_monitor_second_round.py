"""`impactkit monitor` as a second user tester found it, on both backends: one person credited with
more months in a period than it has (a realisation sheet sent twice), a failed init that left an
empty ledger behind, the contract's last day counted as over, a totals row under the realisations,
and a bidder's name typed without its accents."""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction

import openpyxl
import pytest

from impactkit.errors import ExitCode
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
    result = monitor("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", start, "--end", end)
    assert result.exit_code == 0, result.output


def csv_file(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def lines(spec):  # noqa: F811
    with open_store(spec) as s:
        return [dict(r) for r in s.query("SELECT * FROM lines WHERE kind = 'realised' ORDER BY id")]


def half_up(value: Fraction) -> Fraction:
    """To cents, half-up (positive amounts)."""
    return Fraction(int(value * 100 + Fraction(1, 2)), 100)


def cents_text(value: Fraction) -> str:
    return f"{value.numerator * 100 // value.denominator // 100}.{value.numerator * 100 // value.denominator % 100:02d}"


# 3. the contract's last day is one of its days ------------------------------------------------

def test_the_contracts_last_day_is_a_day_of_the_contract(monitor, spec, tmp_path):  # noqa: F811
    """A contract from 2025-01-01 to 2026-06-30 lasts 546 days, its end date included; on a date, the
    days before it have passed. The figures are derived here by counting calendar days one by one."""
    start, end = date(2025, 1, 1), date(2026, 6, 30)
    init(monitor, start.isoformat(), end.isoformat())
    rows = [f"{CONTRACT},2025-Q1,opleidingskosten,,,,{450 * (i + 1)},goedgekeurd,factuur {i}" for i in range(3)]
    assert monitor("import", csv_file(tmp_path, "q1.csv", rows), "--with-status").exit_code == 0
    contract_days = [start + timedelta(days=i) for i in range(1000) if start + timedelta(days=i) <= end]
    assert len(contract_days) == 546
    for on in (start, date(2025, 4, 1), date(2026, 6, 29), end, end + timedelta(days=1), date(2027, 1, 1)):
        doc = json.loads(monitor("status", CONTRACT, "--on", on.isoformat(), "--json").stdout)[0]
        share = Fraction(sum(d < on for d in contract_days), len(contract_days))
        planned, accepted = Fraction(doc["planned"]), Fraction(doc["accepted"])
        assert Fraction(doc["elapsed"]) == Fraction(int(share * 10000 + Fraction(1, 2)), 10000)
        assert doc["planned_to_date"] == cents_text(half_up(planned * share))
        if share == 0:
            assert doc["pace"] is None and doc["projected"] is None and doc["risk"] in ("met", "not_started")
            continue
        pace = half_up(accepted / share)
        assert doc["pace"] == cents_text(pace)
        assert doc["projected"] == cents_text(min(pace, max(planned, accepted)))
    # 90/546 = 0.16484; 90/545 = 0.16514 counted the last day as over
    assert json.loads(monitor("status", CONTRACT, "--on", "2025-04-01", "--json").stdout)[0]["elapsed"] == "0.1648"
    text = " ".join(monitor("status", CONTRACT, "--on", end.isoformat()).stdout.split())
    assert "on 2026-06-30, 99.8% of the time has passed" in text
    text = " ".join(monitor("status", CONTRACT, "--on", (end + timedelta(days=1)).isoformat()).stdout.split())
    assert "on 2026-07-01, 100% of the time has passed" in text
    # the portfolio counts the days left with the last day: one on the last day, none after it
    assert "2026-06-30 (1 day)" in monitor("portfolio", "--on", end.isoformat()).stdout
    assert "2026-06-30 (61 days)" in monitor("portfolio", "--on", "2026-05-01").stdout
    after = monitor("portfolio", "--on", "2026-07-01").stdout
    assert "2026-06-30" in after and "2026-06-30 (" not in after
    # the workbook holds the same share
    target = tmp_path / "portfolio.xlsx"
    assert monitor("portfolio", "--on", "2025-04-01", "--xlsx", target).exit_code == 0
    ws = openpyxl.load_workbook(target)["Portfolio"]
    column = [c.value for c in ws[1]].index("Time elapsed")
    assert abs(Fraction(ws.cell(row=2, column=column + 1).value) - Fraction(90, 546)) < Fraction(1, 10**12)


# 2. a failed init leaves no ledger ----------------------------------------------------------

def _ledger_there(spec) -> bool:  # noqa: F811
    """Is there a ledger at spec: a file, or a PostgreSQL schema that holds the ledger's tables?"""
    if not str(spec).startswith("postgresql"):
        return spec.exists()
    from urllib.parse import parse_qsl, urlsplit

    from .monitor_backends import admin

    schema = dict(parse_qsl(urlsplit(str(spec)).query))["options"].split("search_path=")[1]
    with admin() as conn:
        return bool(conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
                                 (schema,)).fetchone()[0])


@pytest.mark.parametrize("args, code, words", [
    (["--bid", "Aannemer A", "--start", "2025-12-31", "--end", "2025-01-01"], ExitCode.USAGE,
     "Invalid value for '--end': the end date (2025-01-01) must lie after the start date (2025-12-31)"),
    (["--bid", "Aannemer A", "--start", "2025-01-01", "--end", "2025-01-01"], ExitCode.USAGE,
     "Invalid value for '--end': the end date (2025-01-01) must lie after the start date (2025-01-01)"),
    (["--bid", "Niemand BV", "--start", "2025-01-01", "--end", "2025-12-31"], ExitCode.UNKNOWN,
     "no bid from 'Niemand BV' in this tender"),
])
def test_a_failed_init_leaves_no_ledger_behind(monitor, spec, args, code, words):  # noqa: F811
    result = monitor("init", EXAMPLES / "tender.yaml", *args)
    assert result.exit_code == code and words in result.stderr
    assert not _ledger_there(spec)
    status = monitor("status")
    if str(spec).startswith("postgresql"):  # a database without a ledger is an empty ledger (docs/monitor.md)
        assert status.exit_code == 0 and "no contracts yet" in status.stderr
    else:
        assert status.exit_code == ExitCode.FILE and "no ledger at" in status.stderr
        assert not spec.exists() and not list(spec.parent.glob(spec.name + "*"))


def test_an_init_that_fails_while_writing_removes_the_file_it_made(monitor, spec, monkeypatch):  # noqa: F811
    from impactkit.errors import OutputError, Problem
    from impactkit.monitor.store import Store

    def full_disk(store, action, detail):  # the last write of init's transaction fails
        raise OutputError(Problem("monitor_db_unusable", {"reason": "database or disk is full"}))

    with monkeypatch.context() as patch:
        patch.setattr(Store, "audit", full_disk)
        result = monitor("init", EXAMPLES / "tender.yaml", "--bid", "Aannemer A", "--start", "2024-01-01",
                         "--end", "2025-12-31")
    assert result.exit_code == ExitCode.OUTPUT and "disk is full" in result.stderr
    if not str(spec).startswith("postgresql"):
        assert not spec.exists() and not list(spec.parent.glob(spec.name + "*"))
    init(monitor)  # nothing of the failed init is left in the way
    # a ledger that was there stays when a later init fails, with what it holds
    result = monitor("init", EXAMPLES / "tender.yaml", "--bid", "Bouwbedrijf B", "--start", "2024-01-01",
                     "--end", "2025-12-31")
    assert result.exit_code == ExitCode.INVALID and "already registered" in result.stderr
    assert _ledger_there(spec)
    assert json.loads(monitor("status", "--json").stdout)[0]["bidder"] == "Aannemer A"


# 5. a bidder's name without its accents --------------------------------------------------------

def test_the_bidder_is_found_without_its_accents_but_not_among_two(monitor, spec, tmp_path):  # noqa: F811
    tender = tmp_path / "t.yaml"
    tender.write_text("tender: {id: T-5, menu: haaglanden-zhc, contract_value: 500000}\nbids:\n"
                      "  - {bidder: Bouwbedrijf Müller & Zn., contributions: []}\n"
                      "  - {bidder: Groen & Co, contributions: []}\n", encoding="utf-8")
    result = monitor("init", tender, "--bid", "bouwbedrijf muller & zn", "--start", "2024-01-01", "--end", "2024-12-31")
    assert result.exit_code == 0, result.output
    assert "registered contract T-5 (Bouwbedrijf Müller & Zn.)" in result.stderr
    with open_store(spec) as s:
        assert s.one("SELECT bidder FROM contracts WHERE id = 'T-5'")["bidder"] == "Bouwbedrijf Müller & Zn."
    # two bidders whose names differ only by an accent: a name that fits both is refused, each exact one is taken
    two = tmp_path / "two.yaml"
    two.write_text("tender: {id: T-6, menu: haaglanden-zhc, contract_value: 500000}\nbids:\n"
                   "  - {bidder: Müller BV, contributions: []}\n  - {bidder: Muller B.V., contributions: []}\n",
                   encoding="utf-8")
    for typed in ("muller", "MÜLLER bv", "Mùller"):
        result = monitor("init", two, "--bid", typed, "--start", "2024-01-01", "--end", "2024-12-31")
        assert result.exit_code == ExitCode.UNKNOWN, result.output
        assert (f"{typed!r} matches 2 bids of this tender when case, punctuation and accents are set aside: "
                "'Müller BV', 'Muller B.V.'; give the name as the tender spells it") in result.stderr
    result = monitor("init", two, "--bid", "muller", "--start", "2024-01-01", "--end", "2024-12-31", lang="nl")
    assert "'muller' past bij 2 inschrijvingen van deze aanbesteding" in result.stderr
    result = monitor("init", two, "--bid", "Muller B.V.", "--start", "2024-01-01", "--end", "2024-12-31")
    assert result.exit_code == 0 and "(Muller B.V.)" in result.stderr
    with open_store(spec) as s:
        assert [r["bidder"] for r in s.query("SELECT bidder FROM contracts ORDER BY id")] == [
            "Bouwbedrijf Müller & Zn.", "Muller B.V."]
