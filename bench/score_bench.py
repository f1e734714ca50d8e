"""Benchmark `impactkit score` against baselines measured in the same run.

1. CSV: N contribution rows (default 1,000,000) scored to --csv output, against pandas alone
   reading the same contributions CSV.
2. XLSX: M rows (default 200,000) scored to a results workbook, against a script that only reads
   the input with calamine and writes as many rows and columns with openpyxl's write-only mode.

Each command runs as a fresh process; wall time and peak memory (max RSS) come from the
operating system. Medians of --repeat runs, run interleaved. Run from the repository root:

    python bench/score_bench.py                 # the full sizes (several minutes)
    python bench/score_bench.py --smoke         # tiny sizes, to see that it works
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

BASELINE_XLSX = r"""
import sys
from python_calamine import CalamineWorkbook
from openpyxl import Workbook
source, target = sys.argv[1], sys.argv[2]
book = CalamineWorkbook.from_path(source)
sheets = [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]
rows = sheets[-1]
out = Workbook(write_only=True)
ws = out.create_sheet("Lines")
for row in rows:
    ws.append(list(row[:9]))
out.save(target)
"""


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def ensure(rows: int, fmt: str) -> list[Path]:
    folder = OUT / f"{fmt}-{rows}"
    files = [folder / "tenders.csv", folder / "contributions.csv"] if fmt == "csv" else [folder / "bids.xlsx"]
    if not all(f.exists() for f in files):
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--rows", str(rows), "--format", fmt,
                        "--out", str(folder)], check=True, stdout=subprocess.DEVNULL)
    return files


def compare(name: str, ours: list[str], baseline: list[str], repeat: int) -> None:
    times = {"baseline": [], "impactkit": []}
    memory = {"baseline": 0.0, "impactkit": 0.0}
    for _ in range(repeat):
        for label, cmd in (("baseline", baseline), ("impactkit", ours)):
            seconds, mb = run(cmd)
            times[label].append(seconds)
            memory[label] = max(memory[label], mb)
    base, mine = statistics.median(times["baseline"]), statistics.median(times["impactkit"])
    print(f"{name}")
    print(f"  baseline   {base:7.2f} s   peak {memory['baseline']:7.0f} MB")
    print(f"  impactkit  {mine:7.2f} s   peak {memory['impactkit']:7.0f} MB")
    print(f"  ratio      {mine / base:7.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny inputs, one run: checks that it works")
    parser.add_argument("--only", choices=["csv", "xlsx"], help="run one of the two cases")
    args = parser.parse_args()
    if args.smoke:
        args.csv_rows, args.xlsx_rows, args.repeat = 2_000, 1_000, 1
    python = sys.executable
    results = OUT / "results"
    shutil.rmtree(results, ignore_errors=True)  # outputs of older versions: impactkit replaces only its own files
    results.mkdir(parents=True, exist_ok=True)
    if args.only != "xlsx":
        tenders, contributions = ensure(args.csv_rows, "csv")
        compare(
            f"{args.csv_rows:,} contribution rows from CSV (impactkit score --csv) vs pandas.read_csv",
            [python, "-m", "impactkit", "score", str(tenders), str(contributions), "--csv", str(results / "csv")],
            [python, "-c", f"import pandas; pandas.read_csv({str(contributions)!r})"],
            args.repeat,
        )
    if args.only != "csv":
        (workbook,) = ensure(args.xlsx_rows, "xlsx")
        compare(
            f"{args.xlsx_rows:,} rows from .xlsx to a results .xlsx vs calamine read + openpyxl write-only",
            [python, "-m", "impactkit", "score", str(workbook), "-o", str(results / "results.xlsx")],
            [python, "-c", BASELINE_XLSX, str(workbook), str(results / "baseline.xlsx")],
            args.repeat,
        )


if __name__ == "__main__":
    main()
