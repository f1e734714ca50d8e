"""Benchmark `impactkit monitor status` and `portfolio` on a region's ledger: 500 contracts with
50,000 realisation lines, against reading the same lines from a CSV file with pandas, in the
same run (fresh processes, medians).

    python bench/monitor_bench.py [--contracts 500] [--lines 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from datetime import date
from pathlib import Path

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
"""


def build(folder: Path, contracts: int, lines: int, seed: int = 3) -> tuple[Path, Path]:
    from impactkit.menus import resolve_menu
    from impactkit.monitor import ledger
    from impactkit.monitor.store import Store

    db, csv_path = folder / "ledger.sqlite", folder / "realisations.csv"
    if db.exists() and csv_path.exists():
        return db, csv_path
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    menus = ["haaglanden-zhc", "utrecht", "fryslan", "holland-rijnland-leiden"]
    store = Store(db, command="bench")
    header = "contract,periode,bouwblok,kandidaat,uren_per_week,maanden,bedrag,status\n"
    rows = []
    for n in range(contracts):
        menu = resolve_menu(menus[n % len(menus)]).menu
        yearly = [b.id for b in menu.blocks if b.alias_of is None and b.unit == "per_year"]
        tender = folder / "tender.yaml"
        tender.write_text(TENDER.format(id=f"C-{n:04d}", menu=menu.ref, value=rng.randrange(300_000, 3_000_000),
                                        n=n, block=yearly[0]), encoding="utf-8")
        ledger.register(store, tender, f"Aannemer {n}", date(2024, 1, 1), date(2026, 12, 31))
        for i in range(lines // contracts):
            quarter = f"2024-Q{1 + i % 4}" if i < 40 else f"2025-Q{1 + i % 4}"
            rows.append(f"C-{n:04d},{quarter},{rng.choice(yearly)},K-{i % 15},{rng.choice([20, 24, 32, 36])},3,,"
                        f"{rng.choice(['accepted', 'accepted', 'claimed'])}\n")
    csv_path.write_text(header + "".join(rows), encoding="utf-8")
    ledger.import_file(store, csv_path)
    store.close()
    return db, csv_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db, csv_path = build(OUT / f"monitor-{args.contracts}-{args.lines}", args.contracts, args.lines)
    python = sys.executable
    cases = {
        "baseline: pandas.read_csv of the same lines": [python, "-c", f"import pandas; pandas.read_csv({str(csv_path)!r})"],
        "impactkit monitor status (every contract)": [python, "-m", "impactkit", "monitor", "--db", str(db), "status",
                                                      "--on", "2025-06-30", "--json"],
        "impactkit monitor portfolio": [python, "-m", "impactkit", "monitor", "--db", str(db), "portfolio",
                                        "--on", "2025-06-30"],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    memory: dict[str, float] = {name: 0.0 for name in cases}
    for _ in range(args.repeat):
        for name, cmd in cases.items():
            seconds, mb = run(cmd)
            times[name].append(seconds)
            memory[name] = max(memory[name], mb)
    base = statistics.median(times[next(iter(cases))])
    print(f"{args.contracts} contracts, {args.lines:,} realisation lines")
    for name in cases:
        median = statistics.median(times[name])
        print(f"  {name:46} {median:6.2f} s  {median / base:6.1f}x  peak {memory[name]:5.0f} MB")


if __name__ == "__main__":
    main()
