"""Benchmark `impactkit monitor status` and `portfolio` on a region's ledger, in both backends:
500 and 5,000 contracts with 100 realisation lines each, against reading the same lines from a
CSV file with pandas, in the same run (fresh processes, medians, ratios to that baseline).

    python bench/monitor_bench.py [--sizes 500 5000] [--lines 100] [--repeat 3] [--postgres URL]

The PostgreSQL ledgers are copies of the SQLite ones (`monitor migrate`), each in a schema of its
own on the server of --postgres (default: IMPACTKIT_TEST_PG; `bash .ci/postgres python
bench/monitor_bench.py` starts a throwaway one). Without a server only SQLite is measured.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_bench import OUT, run  # noqa: E402  (shared timing helpers)

TENDER = """tender:
  id: {id}
  menu: {menu}
  contract_value: {value}
bids:
  - bidder: Aannemer {n}
    contributions:
      - {{block: {block}, candidate: P-1, hours_per_week: 36, months: 12}}
      - {{block: {block}, candidate: P-2, hours_per_week: 24, months: 12}}
"""
MENUS = ["haaglanden-zhc", "utrecht", "fryslan", "holland-rijnland-leiden"]


def build(folder: Path, contracts: int, lines: int, seed: int = 3) -> tuple[Path, Path]:
    """A ledger of `contracts` contracts (registered from four tenders, one per menu, then repeated)
    and `lines` realisation lines each, and the same lines as a CSV file."""
    from impactkit.menus import resolve_menu
    from impactkit.monitor import ledger
    from impactkit.monitor.lines import LINE_COLUMNS
    from impactkit.monitor.schema import FACT_COLUMNS, FLAGS
    from impactkit.monitor.store import open_store

    db, csv_path = folder / "ledger.sqlite", folder / "realisations.csv"
    if db.exists() and csv_path.exists():
        return db, csv_path
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("ledger.sqlite*"):
        stale.unlink()
    rng = random.Random(seed)
    store = open_store(db, command="bench")
    yearly = {}
    for n, name in enumerate(MENUS):
        menu = resolve_menu(name).menu
        yearly[n] = [b.id for b in menu.blocks if b.alias_of is None and b.unit == "per_year"]
        tender = folder / "tender.yaml"
        tender.write_text(TENDER.format(id=f"T-{n}", menu=menu.ref, value=rng.randrange(300_000, 3_000_000), n=n,
                                        block=yearly[n][0]), encoding="utf-8")
        ledger.register(store, tender, f"Aannemer {n}", date(2024, 1, 1), date(2026, 12, 31))
    header = "contract,periode,bouwblok,kandidaat,uren_per_week,maanden,status\n"
    rows: list[str] = []
    with store.write():
        templates = {r["id"]: r for r in store.query("SELECT * FROM contracts")}
        planned = store.query("SELECT * FROM lines WHERE kind = 'planned' ORDER BY id")
        columns = ["id", "bidder", "title", "buyer", "menu_ref", "menu_digest", "terms", "base_amount", "obligation",
                   "start_date", "end_date", "created_at"]
        new_contracts, new_lines = [], []
        for n in range(contracts):
            template = templates[f"T-{n % len(MENUS)}"]
            cid = f"C-{n:05d}"
            new_contracts.append(tuple(cid if c == "id" else template[c] for c in columns))
            for p in planned:
                if p["contract_id"] == template["id"]:
                    new_lines.append(tuple(cid if c == "contract_id" else p[c] for c in LINE_COLUMNS))
            blocks = yearly[n % len(MENUS)]
            for i in range(lines):
                quarter = f"{2024 + i // 40}-Q{1 + i % 4}"
                block, hours = rng.choice(blocks), rng.choice([20, 24, 32, 36])
                status = rng.choice(["accepted", "accepted", "claimed"])
                candidate = f"K-{i % 15}"
                rows.append(f"{cid},{quarter},{block},{candidate},{hours},3,{status}\n")
                facts = {name: 0 if name in FLAGS else None for name in FACT_COLUMNS} | {
                    "hours_per_week_100": hours * 100, "months_100": 300}
                new_lines.append((cid, "realised", quarter, block, candidate, *facts.values(), status, None, None, None,
                                  i + 2))
        store.insert_many("contracts", tuple(columns), new_contracts)
        store.insert_many("lines", LINE_COLUMNS, new_lines)
        store.execute("DELETE FROM lines WHERE contract_id LIKE 'T-_'")
        store.execute("DELETE FROM contracts WHERE id LIKE 'T-_'")
    store.close()
    csv_path.write_text(header + "".join(rows), encoding="utf-8")
    return db, csv_path


def schema_url(base: str, schema: str) -> str:
    parts = urlsplit(base)
    query = dict(parse_qsl(parts.query)) | {"options": f"-c search_path={schema}"}
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, quote_via=quote), ""))


def postgres_copy(base: str, db: Path, contracts: int, lines: int) -> str:
    """The SQLite ledger copied into a schema of its own (kept between runs: made once)."""
    import psycopg

    from impactkit.monitor.copy import copy_ledger
    from impactkit.monitor.store import open_store

    schema = f"bench_{contracts}_{lines}"
    with psycopg.connect(base, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name ="
                              " 'contracts'", (schema,)).fetchone()
        if exists and conn.execute(f"SELECT count(*) FROM {schema}.contracts").fetchone()[0] == contracts:
            return schema_url(base, schema)
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
    url = schema_url(base, schema)
    with open_store(db, write=False) as source, open_store(url, command="bench") as target:
        copy_ledger(source, target)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000], help="numbers of contracts")
    parser.add_argument("--lines", type=int, default=100, help="realisation lines per contract")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("IMPACTKIT_TEST_PG"), help="a PostgreSQL server URL")
    args = parser.parse_args()
    python = sys.executable
    for contracts in args.sizes:
        db, csv_path = build(OUT / f"monitor-{contracts}-{args.lines}", contracts, args.lines)
        ledgers = {"SQLite": str(db)}
        if args.postgres:
            ledgers["PostgreSQL"] = postgres_copy(args.postgres, db, contracts, args.lines)
        cases = {"baseline: pandas.read_csv of the same lines": [python, "-c", f"import pandas; pandas.read_csv({str(csv_path)!r})"]}
        for backend, spec in ledgers.items():
            cases[f"{backend}: monitor status (every contract)"] = [python, "-m", "impactkit", "monitor", "--db", spec,
                                                                    "status", "--on", "2025-06-30", "--json"]
            cases[f"{backend}: monitor portfolio"] = [python, "-m", "impactkit", "monitor", "--db", spec, "portfolio",
                                                      "--on", "2025-06-30"]
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeat):
            for name, cmd in cases.items():
                times[name].append(run(cmd)[0])  # (peak memory is left out: the children start as copies of
                # this process, which has just built the ledger)
        base = statistics.median(times[next(iter(cases))])
        print(f"{contracts:,} contracts, {contracts * args.lines:,} realisation lines")
        for name in cases:
            median = statistics.median(times[name])
            print(f"  {name:46} {median:6.2f} s  {median / base:6.1f}x")


if __name__ == "__main__":
    main()
