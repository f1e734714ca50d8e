"""Where a menu's rows come from, in every report: `menus list` shows the status, and check,
score, obligation and `menus show` say in one line when a menu rests on a secondary dataset."""

import csv
import json

import pytest
from openpyxl import load_workbook

from impactkit.menus import resolve_menu, shipped_menus
from impactkit.menus.notices import secondary_notice

NOTICE = "secondary source:"


def test_menus_list_shows_where_the_rows_come_from(invoke):
    out = invoke("menus", "list").stdout
    assert "Sources" in out and "secondary" in out and "mixed" in out and "primary" in out
    doc = json.loads(invoke("menus", "list", "--json").stdout)
    assert len({m["id"] for m in doc}) >= 14
    by_ref = {m["ref"]: m for m in doc}
    assert by_ref["rijnmond@2024"]["source_status"] == "secondary"
    assert by_ref["haaglanden-zhc@2023-07"]["source_status"] == "primary"
    assert by_ref["rijnmond@2024"]["secondary_sources"][0]["commit"] == "5dc65c3392bec55b883395e56e4ffd4a1a478e8f"
    assert "Voorschoten" in by_ref["holland-rijnland-leiden@2023-09"]["municipalities"]


def test_the_notice_counts_the_secondary_rows():
    for menu in shipped_menus():
        found = secondary_notice(menu)
        if menu.source_status == "primary":
            assert found is None
            continue
        key, params = found
        rows = menu.row_sources()
        secondary = [s for s in rows if menu.source(s).status == "secondary"]
        assert (params["count"], params["rows"]) == (len(secondary), len(rows))
        assert key == ("menu_secondary_all" if menu.source_status == "secondary" else "menu_secondary_some")


@pytest.mark.parametrize("ref, secondary", [("rijnmond", True), ("oost-nederland@V05-2023-04", True),
                                            ("haaglanden-zhc", False)])
def test_check_says_so_in_one_line(invoke, tender_file, ref, secondary):
    menu = resolve_menu(ref).menu
    block = next(b.id for b in menu.blocks if b.unit == "per_year" and b.alias_of is None)
    path = tender_file([{"block": block, "candidate": "K1", "hours_per_week": 36, "months": 6}], menu=ref)
    out = invoke("check", path).stdout
    assert out.count(NOTICE) == (1 if secondary else 0)
    doc = json.loads(invoke("check", path, "--json").stdout)
    assert doc["menu"]["source_status"] == menu.source_status
    assert bool(doc["menu"]["secondary_sources"]) is secondary
    book = path.parent / "check.xlsx"
    assert invoke("check", path, "--xlsx", book).exit_code == 0
    cells = [c.value for ws in load_workbook(book) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(NOTICE in v for v in cells) is secondary


def test_obligation_and_menus_show_say_so(invoke):
    out = invoke("obligation", "-m", "noordoost-brabant", "-v", "500000").stdout
    assert out.count(NOTICE) == 1 and "src/data/gemeenten.ts@8bd669f" in out
    assert NOTICE not in invoke("obligation", "-m", "utrecht", "-v", "500000").stdout
    shown = invoke("menus", "show", "oost-nederland@V05-2023-04").stdout
    assert shown.count(NOTICE) == 1
    assert "Rows of the source not computed yet" in shown and "per internship period" in shown
    doc = json.loads(invoke("menus", "show", "oost-nederland@V05-2023-04", "--json").stdout)
    status = {b["id"]: b["source_status"] for b in doc["blocks"] if "source_status" in b}
    assert status["participatiewet_lt2y"] == "primary" and status["bbl_niveau_3_plus"] == "secondary"
    assert doc["source_status"] == "mixed"


def test_score_says_so_once_per_secondary_menu(invoke, tmp_path):
    path = tmp_path / "bids.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["tender_id", "menu", "contract_value", "bidder", "block", "candidate", "hours_per_week", "months"])
        writer.writerow(["T1", "rijnmond", "500000", "A", "participatiewet", "K1", "36", "12"])
        writer.writerow(["T1", "rijnmond", "500000", "A", "ww", "K2", "36", "6"])
        writer.writerow(["T2", "utrecht", "500000", "B", "participatiewet", "K3", "36", "12"])
    out = tmp_path / "results.xlsx"
    result = invoke("score", path, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.count(NOTICE) == 1 and "rijnmond@2024" in result.stdout
    doc = json.loads(invoke("score", path, "--json").stdout)
    assert len(doc["secondary_notices"]) == 1 and "rijnmond@2024" in doc["secondary_notices"][0]
    ws = load_workbook(out)["Menus"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][-1] == "Sources"
    assert any(r[0] == "rijnmond@2024" and r[-1] == "secondary" for r in rows)
    assert sum(1 for r in rows if any(isinstance(v, str) and NOTICE in v for v in r)) == 1
