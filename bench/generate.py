"""Generate realistic batch inputs: N contribution rows over many tenders, bids and menus.

About 1 row in 100 has a mistake a bidder would make (a typo in a block id, text in a number
column, too many hours), so the rejection path is measured too.

    python bench/generate.py --rows 1000000 --format csv --out bench/out/big
    python bench/generate.py --rows 200000 --format xlsx --out bench/out/medium
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from impactkit.menus import shipped_menus
from impactkit.model.menu import REQUIRED_FACTS

TENDER_HEADERS = ["Aanbesteding", "Titel", "Menu", "Opdrachtwaarde", "Peildatum"]
CONTRIBUTION_HEADERS = ["Aanbesteding", "Inschrijver", "Inschrijfsom", "Bouwblok", "Kandidaat", "Uren per week",
                        "Maanden", "Uren", "Dagen", "Bedrag", "Leeftijd", "Vast contract", "Statushouder"]
ROWS_PER_BID = 8
BIDS_PER_TENDER = 6


def rows(n: int, seed: int = 7):
    rng = random.Random(seed)
    menus = [m for m in shipped_menus()]
    tenders, contributions = [], []
    t = 0
    while len(contributions) < n:
        t += 1
        menu = rng.choice(menus)
        tender_id = f"T-{t:06d}"
        value = rng.randrange(150_000, 5_000_000, 1000)
        tenders.append([tender_id, f"Opdracht {t}", menu.ref, value, ""])
        blocks = [b for b in menu.blocks]
        for b in range(BIDS_PER_TENDER):
            bidder = f"Inschrijver {b + 1}"
            price = round(value * rng.uniform(0.85, 1.1), 2)
            for r in range(ROWS_PER_BID):
                if len(contributions) >= n:
                    break
                block = rng.choice(blocks)
                unit = menu.resolve(block.id).unit
                need = REQUIRED_FACTS[unit]
                row = {
                    "Aanbesteding": tender_id, "Inschrijver": bidder, "Inschrijfsom": price if r == 0 else "",
                    "Bouwblok": block.id, "Kandidaat": f"K-{rng.randrange(1, 40):03d}",
                    "Uren per week": rng.choice([16, 20, 24, 32, 36, 38]) if "hours_per_week" in need else "",
                    "Maanden": rng.choice([3, 6, 9, 12, 18, 24]) if "months" in need else "",
                    "Uren": rng.randrange(10, 400) if "hours" in need else "",
                    "Dagen": rng.randrange(1, 10) if "days" in need else "",
                    "Bedrag": round(rng.uniform(500, 30000), 2) if "amount" in need else "",
                    "Leeftijd": rng.randrange(18, 66) if unit == "per_year" else "",
                    "Vast contract": rng.choice(["ja", "nee", ""]),
                    "Statushouder": rng.choice(["nee", "nee", "ja", ""]),
                }
                mistake = rng.random()
                if mistake < 0.004:
                    row["Bouwblok"] = block.id[:-1] + "x"
                elif mistake < 0.007:
                    row["Maanden"] = "zes"
                elif mistake < 0.01:
                    row["Uren per week"] = 70
                contributions.append([row[h] for h in CONTRIBUTION_HEADERS])
    return tenders, contributions


def write_csv(out: Path, tenders, contributions) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "tenders.csv", out / "contributions.csv"]
    for path, headers, data in zip(paths, (TENDER_HEADERS, CONTRIBUTION_HEADERS), (tenders, contributions)):
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            writer.writerows(data)
    return paths


def write_xlsx(out: Path, tenders, contributions) -> Path:
    from openpyxl import Workbook

    out.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    for title, headers, data in (("Aanbestedingen", TENDER_HEADERS, tenders),
                                 ("Bijdragen", CONTRIBUTION_HEADERS, contributions)):
        ws = wb.create_sheet(title)
        ws.append(headers)
        for row in data:
            ws.append([None if v == "" else v for v in row])
    path = out / "bids.xlsx"
    wb.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--out", type=Path, default=Path("bench/out/sample"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    tenders, contributions = rows(args.rows, args.seed)
    if args.format == "csv":
        print(*write_csv(args.out, tenders, contributions))
    else:
        print(write_xlsx(args.out, tenders, contributions))


if __name__ == "__main__":
    main()
