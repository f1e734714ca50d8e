"""`plan --write-bid` names the menu version it planned with, so that `check` of the written bid
uses the same rules whenever it runs (a menu id alone names whatever version is newest then)."""

from __future__ import annotations

import json

import openpyxl
import yaml

PLAN = """\
tender:
  id: UT-1
  {where}
  contract_value: 2000000
  {extra}
bid:
  bidder: Van Dam
  {bid}
options:
  - id: ouderen
    block: ww
    people: 1
    hours_per_week: 32
    months: 12
    age: 57
    cost_per_month: 100
  - id: inkoop
    block: sociale_onderneming_inkoop
    amount: {{max: 200000}}
    cost_per_euro: 0.1
"""


def plan_file(write, where="menu: utrecht", extra="", bid=""):
    return write("plan.yaml", PLAN.format(where=where, extra=extra, bid=bid))


def test_the_written_bid_pins_the_menu_version(invoke, write, tmp_path):
    from impactkit.menus import resolve_menu

    ref = resolve_menu("utrecht").menu.ref
    assert "@" in ref
    plan = plan_file(write)
    result = invoke("plan", plan, "--write-bid", tmp_path / "bid.yaml")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((tmp_path / "bid.yaml").read_text(encoding="utf-8"))["tender"]["menu"] == ref
    assert invoke("plan", plan, "--write-bid", tmp_path / "bid.xlsx").exit_code == 0
    tenders = openpyxl.load_workbook(tmp_path / "bid.xlsx")["Aanbestedingen"]
    header = [c.value for c in tenders[1]]
    assert tenders.cell(row=2, column=header.index("Menu") + 1).value == ref


def test_check_of_a_bid_planned_for_a_municipality_names_its_menu(invoke, write, tmp_path):
    # before: the written bid named neither the menu nor the municipality: check refused it
    plan = plan_file(write, "municipality: Utrecht")
    agree(invoke, plan, tmp_path)


def test_the_written_bid_keeps_the_kind_and_the_trede(invoke, write, tmp_path):
    # before: kind (which picks a threshold) and the bidder's PSO trede (a discount) were left out
    write("tender.yaml", """\
tender:
  id: LEI-1
  menu: holland-rijnland-leiden
  kind: works
  contract_value: 900000
bids:
  - bidder: Van Dam
    pso_trede: 2
""")
    plan = write("plan.yaml", """\
tender: tender.yaml
bid: Van Dam
options:
  - {id: ouderen, block: ww, people: 1, hours_per_week: 32, months: 12, age: 57, cost_per_month: 100}
  - {id: inkoop, block: sw_inkoop, amount: {max: 200000}, cost_per_euro: 0.1}
""")
    written = agree(invoke, plan, tmp_path)
    assert written["bids"][0]["pso_trede"] == "2" and written["tender"]["kind"] == "works"


def agree(invoke, plan, folder) -> dict:
    """Plan, write the bid, check it: the same obligation and credit."""
    planned = invoke("plan", plan, "--json", "--write-bid", folder / "bid.yaml")
    assert planned.exit_code == 0, planned.output
    checked = invoke("check", folder / "bid.yaml", "--json")
    assert checked.exit_code == 0, checked.output
    document = json.loads(planned.stdout)["plan"]
    (bid,) = json.loads(checked.stdout)["bids"]
    assert (bid["obligation"], bid["credited"]) == (document["obligation"], document["credited"])
    written = yaml.safe_load((folder / "bid.yaml").read_text(encoding="utf-8"))
    assert "@" in written["tender"]["menu"]
    return written
