"""The kind of contract (works, services, supplies) decides the threshold where a menu's differs
per kind (fryslan: works from EUR 250,000, services and supplies from EUR 100,000). A tester saw
`score` charge 2% of a EUR 200,000 works contract that `check` and `plan` found out of scope: the
tenders sheet had no kind. Here the same tender goes through check, the template, score and plan's
bids workbook, and each says the same obligation."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest

from impactkit.menus import resolve_menu

from .batchfiles import contribution, write_xlsx

TENDER = """tender:
  id: HV-2025-02
  menu: fryslan
  kind: {kind}
  contract_value: 200000
bids:
  - bidder: Wegenbouw Zuid
    contributions:
      - {{block: ww_gt1y, candidate: W-1, hours_per_week: 36, months: 3}}
"""


def check_obligation(invoke, path) -> Decimal:
    result = invoke("check", path, "--json")
    assert result.exit_code == 0, result.output
    return Decimal(json.loads(result.stdout)["bids"][0]["obligation"])


def score_document(invoke, path) -> dict:
    result = invoke("score", path, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("kind, written", [("works", "werken"), ("services", "diensten"), ("supplies", "leveringen")])
def test_the_template_carries_the_kind_and_score_agrees_with_check(invoke, tmp_path, kind, written):
    menu = resolve_menu("fryslan").menu
    assert menu.obligation.threshold_by_kind, "the example needs a menu whose threshold differs per kind"
    tender = tmp_path / "t.yaml"
    tender.write_text(TENDER.format(kind=kind), encoding="utf-8")
    expected = check_obligation(invoke, tender)
    assert (expected == 0) is (Decimal(200000) < menu.obligation.threshold_by_kind[kind])
    template = tmp_path / "sjabloon.xlsx"
    assert invoke("template", template, "--tender", tender).exit_code == 0
    wb = openpyxl.load_workbook(template)
    tenders = wb["Aanbestedingen"]
    header = [c.value for c in tenders[1]]
    assert tenders.cell(2, header.index("Soort opdracht") + 1).value == written
    tenders.delete_rows(3)  # the example rows, as the docs ask
    wb["Bijdragen"].delete_rows(2)
    wb["Bijdragen"].append(["HV-2025-02", "Wegenbouw Zuid", None, "ww_gt1y", "W-1", 36, 3])
    wb.save(tmp_path / "ingevuld.xlsx")
    document = score_document(invoke, tmp_path / "ingevuld.xlsx")
    assert Decimal(document["bids"][0]["obligation"]) == expected
    assert not [n for n in document["notes"] if n["note"].startswith("note_threshold_kind")]


def test_a_sheet_without_the_kind_is_noted_where_the_menu_needs_it(invoke, tmp_path):
    path = write_xlsx(tmp_path / "bids.xlsx", [["HV-2025-02", "fryslan", 200000, None], ["UT-1", "utrecht", 200000, None]],
                      [contribution("HV-2025-02", "A", "ww_gt1y", "W-1", 36, 3), contribution("UT-1", "B", "ww", "W-2", 36, 3)])
    notes = [n for n in score_document(invoke, path)["notes"] if n["note"].startswith("note_threshold_kind")]
    assert [(n["row"], n["message"].split(":")[0]) for n in notes] == [(2, "tender HV-2025-02")]
    assert "give it in the column Soort opdracht (werken, diensten or leveringen)" in notes[0]["message"]


def test_a_plan_written_as_a_bids_workbook_keeps_the_kind(invoke, tmp_path):
    tender = tmp_path / "t.yaml"
    tender.write_text(TENDER.format(kind="werken"), encoding="utf-8")  # the Dutch word is read as works
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"tender: {tender.name}\nbid: Wegenbouw Zuid\noptions:\n"
                    "  - {id: inkoop, block: sw_inkoop, amount: 1000, cost_per_euro: 0.1}\n", encoding="utf-8")
    bid = tmp_path / "bod.xlsx"
    result = invoke("plan", plan, "--write-bid", bid)
    assert result.exit_code == 0, result.output
    document = score_document(invoke, bid)
    assert Decimal(document["bids"][0]["obligation"]) == check_obligation(invoke, tender) == 0
