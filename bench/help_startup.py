"""How fast `impactkit --help` answers, as a ratio against `python -c "import typer"`.

Both are run as fresh processes, interleaved, several times; the medians are compared so
that a noisy machine affects both sides alike. Run: python bench/help_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "baseline: python -c 'import typer'": [sys.executable, "-c", "import typer"],
    "impactkit --help": [sys.executable, "-m", "impactkit", "--help"],
    "impactkit menus list": [sys.executable, "-m", "impactkit", "menus", "list"],
}


def once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for cmd in CASES.values():  # warm the file cache
        once(cmd)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, cmd in CASES.items():
            times[name].append(once(cmd))
    baseline = statistics.median(next(iter(times.values())))
    print(f"{'case':40} {'median s':>9} {'ratio':>7}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:40} {median:9.3f} {median / baseline:7.2f}")


if __name__ == "__main__":
    main()
