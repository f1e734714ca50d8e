"""Benchmark `impactkit plan` on a plan with 200 options, against `impactkit check` on the bid it writes.

The plan (Utrecht menu, a EUR 20 million contract: an obligation of EUR 1 million) mixes people
options (fixed hours, or an hours range with a cost per hour worked, so that every hours level
is a choice), volunteer hours, purchases and training, with random limits and costs from a
fixed seed. Both commands run as fresh processes; medians of --repeat runs, interleaved. The
plan alone (reading, valuing, solving, checking; no alternatives, whose search stops after a
second) is also timed inside a process.

    python bench/plan_bench.py                 # 200 options, 3 runs each
    python bench/plan_bench.py --options 50 --repeat 1
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PEOPLE = ["participatiewet", "banenafspraak", "wia", "ww", "bbl", "bol", "nug", "leerwerkplek_pro_vso"]

SOLVE_ONLY = r"""
import sys, time
from impactkit.plan import plan_file
start = time.perf_counter()
loaded, outcome = plan_file(sys.argv[1], alternatives=0)
print(time.perf_counter() - start, outcome.status, len(outcome.best.lines), outcome.best.cost)
"""


def make_plan(count: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    options = []
    for n in range(count):
        kind = rng.random()
        if kind < 0.7:
            option = {"id": f"p{n}", "block": rng.choice(PEOPLE), "people": rng.randint(1, 3),
                      "months": {"min": rng.choice([3, 6]), "max": rng.choice([6, 9, 12, 18, 24])}}
            if rng.random() < 0.4:
                low = rng.choice([16, 20, 24])
                option["hours_per_week"] = {"min": low, "max": low + rng.choice([4, 8, 12])}
                option["cost_per_hour"] = rng.randint(500, 2500) / 100
            else:
                option["hours_per_week"] = rng.choice([24, 32, 36, 38])
                option["cost_per_month"] = rng.randint(300, 3000)
            if rng.random() < 0.3:
                option["cost_per_person"] = rng.randint(500, 3000)
            if rng.random() < 0.2:
                option["age"] = rng.randint(50, 64)
        elif kind < 0.8:
            option = {"id": f"v{n}", "block": "mvo_uren", "hours": rng.randint(20, 400),
                      "cost_per_hour": rng.randint(40, 120)}
        elif kind < 0.93:
            option = {"id": f"s{n}", "block": "sociale_onderneming_inkoop", "amount": rng.randint(5, 200) * 1000,
                      "cost_per_euro": rng.choice([0.05, 0.1, 0.15, 0.25]), "cost_fixed": rng.choice([0, 0, 500])}
        else:
            option = {"id": f"t{n}", "block": "opleidingskosten", "amount": rng.randint(1, 30) * 1000,
                      "cost_per_euro": 1}
        options.append(option)
    return {"tender": {"id": "BENCH-1", "menu": "utrecht@2", "contract_value": 20_000_000},
            "bid": "Bench Bouw", "options": options}


def run(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--options", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    plan = OUT / f"plan{args.options}.yaml"
    bid = OUT / f"bid{args.options}.yaml"
    plan.write_text(yaml.safe_dump(make_plan(args.options), sort_keys=False), encoding="utf-8")
    exe = [sys.executable, "-m", "impactkit"]
    plan_times, check_times, solve_times = [], [], []
    for _ in range(args.repeat):
        plan_times.append(run([*exe, "plan", str(plan), "--write-bid", str(bid)]))
        check_times.append(run([*exe, "check", str(bid)]))
        done = subprocess.run([sys.executable, "-c", SOLVE_ONLY, str(plan)], capture_output=True, text=True, check=True)
        seconds, status, lines, cost = done.stdout.split()
        solve_times.append(float(seconds))
    p, c, s = (statistics.median(x) for x in (plan_times, check_times, solve_times))
    print(f"plan with {args.options} options: {status}, {lines} lines, cost EUR {cost}")
    print(f"  impactkit plan --write-bid   {p:6.2f} s   {p / c:5.1f}x check")
    print(f"  impactkit check (the bid)    {c:6.2f} s    1.0x")
    print(f"  the plan alone, in process   {s:6.2f} s   {s / c:5.1f}x check (read, value, solve, check; no alternatives)")


if __name__ == "__main__":
    main()
