"""Benchmark `impactkit check` on a large tender: 1,000 bids of 20 lines each.

The terminal report is timed against the JSON document of the same tender, in the same run
(fresh processes, medians of --repeat interleaved runs): both value every line with the same
kernel, so the ratio is what the report's rendering costs on top.

    python bench/check_bench.py [--bids 1000] [--lines 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_bench import OUT, run  # noqa: E402  (shared timing helpers)

LINES = [
    "{{block: participatiewet, candidate: K-{c}, hours_per_week: {h}, months: {m}, age: {a}}}",
    "{{block: ww, candidate: W-{c}, hours_per_week: {h}, months: {m}}}",
    "{{block: banenafspraak, candidate: B-{c}, hours_per_week: {h}, months: {m}}}",
    "{{block: opleidingskosten, amount: {amount}}}",
]


def build(path: Path, bids: int, lines: int, seed: int = 5) -> Path:
    if path.exists():
        return path
    rng = random.Random(seed)
    out = ["tender:", "  id: BENCH-1", "  menu: haaglanden-zhc", "  contract_value: 2500000", "bids:"]
    for b in range(bids):
        out.append(f"  - bidder: Aannemer {b + 1}")
        out.append("    contributions:")
        for i in range(lines):
            line = LINES[i % len(LINES)].format(c=i % 7, h=rng.choice([16, 24, 32, 36, 40]), m=rng.randint(1, 30),
                                                a=rng.randint(18, 66), amount=rng.randint(100, 5000))
            out.append(f"      - {line}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bids", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tender = build(OUT / f"check-{args.bids}x{args.lines}.yaml", args.bids, args.lines)
    exe = [sys.executable, "-m", "impactkit"]
    cases = {"baseline: check --json": [*exe, "check", str(tender), "--json"],
             "check (terminal report)": [*exe, "check", str(tender)]}
    times: dict[str, list[float]] = {name: [] for name in cases}
    peaks: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.repeat):
        for name, cmd in cases.items():
            seconds, peak = run(cmd)
            times[name].append(seconds)
            peaks[name].append(peak)
    base = statistics.median(times["baseline: check --json"])
    print(f"{args.bids:,} bids of {args.lines} lines ({args.bids * args.lines:,} lines)")
    for name in cases:
        t = statistics.median(times[name])
        print(f"  {name:<28} {t:7.2f} s  {t / base:5.2f}x  peak {statistics.median(peaks[name]):6.0f} MB")


if __name__ == "__main__":
    main()
