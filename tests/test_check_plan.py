"""`check --plan`: a bid's shortfall closed with the bidder's own options, by the plan's solver."""

import json
from decimal import Decimal

from impactkit.errors import ExitCode
from tests.conftest import EXAMPLES


def test_check_with_a_plan_closes_the_shortfall_with_the_options(invoke):
    result = invoke("check", EXAMPLES / "tender.yaml", "--plan", EXAMPLES / "plan-short.yaml", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    short = next(b for b in document["bids"] if b["bidder"] == "Bouwbedrijf B")
    plan = document["plan"]
    assert not short["met"] and plan["bidder"] == "Bouwbedrijf B"
    # the plan starts from the bid as check values it: its credit is the bid's plus the chosen options
    chosen = sum(Decimal(line["credit"]) for line in plan["plan"]["lines"] if line["option"])
    assert Decimal(plan["plan"]["credited"]) == Decimal(short["credited"]) + chosen


def test_check_with_a_plan_prints_it_after_the_report(invoke):
    result = invoke("check", EXAMPLES / "tender.yaml", "--plan", EXAMPLES / "plan-short.yaml")
    assert result.exit_code == 0
    report, plan = result.stdout.split("With the options of")
    assert "NOT MET" in report and "Plan for Bouwbedrijf B" in plan and "To close it" in plan


def test_a_plan_for_another_tender_is_refused(invoke):
    result = invoke("check", EXAMPLES / "tender-leiden.yaml", "--plan", EXAMPLES / "plan-short.yaml")
    assert result.exit_code == ExitCode.INVALID and "the plan is for tender GEM-2024-017" in result.stderr
