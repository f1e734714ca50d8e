"""The plan as a JSON document and as an Excel workbook (figures are the checked ones)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from impactkit import __version__
from impactkit.i18n import Translator
from impactkit.i18n.problems import message_text
from impactkit.report.check_json import bid_dict, menu_summary, terms_dict
from impactkit.money import money_str
from impactkit.plan.load import Loaded
from impactkit.plan.milp import solver_name
from impactkit.plan.solve import Outcome, Plan

SCHEMA_VERSION = 1
FACTS = ("hours_per_week", "months", "hours", "days", "amount")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money_str(value)


def plan_dict(plan: Plan, loaded: Loaded, tr: Translator) -> dict:
    checked = bid_dict(plan.bid, loaded.setting.menu, tr)
    lines = []
    for planned, line in zip(plan.lines, checked["lines"]):
        c = planned.contribution
        lines.append({"option": planned.option, "committed": planned.committed, "cost": _money(planned.cost),
                      "facts": {k: format(getattr(c, k).normalize(), "f") for k in FACTS if getattr(c, k) is not None},
                      **line})
    return {"options": sorted(plan.used), "obligation": checked["obligation"], "credited": checked["credited"],
            "cost": _money(plan.cost), "margin": _money(plan.margin), "met": plan.met,
            "shortfall": checked["shortfall"], "lines": lines, "notes": checked["notes"]}


def plan_document(outcome: Outcome, loaded: Loaded, tr: Translator) -> dict:
    result = outcome.best.result
    t = result.tender_file.tender
    best = plan_dict(outcome.best, loaded, tr)
    alternatives = []
    for plan in outcome.alternatives:
        entry = plan_dict(plan, loaded, tr)
        entry["extra_cost"] = _money(plan.cost - outcome.best.cost)
        alternatives.append(entry)
    return {
        "impactkit": __version__,
        "schema": SCHEMA_VERSION,
        "kind": "plan",
        "language": tr.lang,
        "mode": outcome.mode,
        "status": outcome.status,
        "solver": solver_name(),
        "gap": outcome.gap,
        "budget": _money(outcome.budget),
        "tender": {"id": t.id, "title": t.title, "buyer": t.buyer, "contract_value": _money(t.contract_value)},
        "bidder": outcome.best.bid.bidder,
        "menu": menu_summary(result.menu, tr, result.choice.origin),
        "terms": terms_dict(result.terms),
        "rounding": tr("rounding_rule"),
        "plan": best,
        "alternatives": alternatives,
        "alternatives_proved": outcome.alternatives_proved,
        "extensions": [{"option": e.option, "field": e.field, "current": format(e.current.normalize(), "f"),
                        "extended": format(e.extended.normalize(), "f"), "extra_cost": _money(e.extra_cost),
                        "credited": _money(e.credited)} for e in outcome.extensions],
        "notes": [message_text(k, p, tr) for k, p in outcome.notes],
    }


def write_plan_workbook(outcome: Outcome, loaded: Loaded, tr: Translator, target: Path) -> Path:
    from openpyxl import Workbook

    from impactkit.io.atomic import write_atomic
    from impactkit.io.xlsx_style import EURO, MET_FILL, NOT_MET_FILL, finish_table, first_sheet, header, printable, put

    wb = Workbook()
    sheet = first_sheet(wb, tr("plan_sheet_plan"))
    titles = ["#", tr("plan_option"), tr("block"), tr("candidate"), *[tr("plan_fact_" + f) for f in FACTS],
              tr("credit"), tr("plan_cost"), tr("explanation")]
    header(sheet, titles)
    best = outcome.best
    row = 1
    for row, (planned, line) in enumerate(zip(best.lines, best.bid.lines), start=2):
        c = planned.contribution
        values = [row - 1, planned.option or tr("plan_in_bid"), c.block, c.candidate,
                  *[getattr(c, f) for f in FACTS], line.credit, planned.cost, line.explanation(tr)]
        for col, value in enumerate(values, start=1):
            put(sheet, row, col, value, EURO if col in (9, len(FACTS) + 5, len(FACTS) + 6) else None)
    total = row + 1
    put(sheet, total, 2, tr("plan_total"))
    put(sheet, total, len(FACTS) + 5, best.credited, EURO)
    put(sheet, total, len(FACTS) + 6, best.cost, EURO)
    put(sheet, total + 1, 2, tr("obligation"))
    put(sheet, total + 1, len(FACTS) + 5, best.obligation, EURO)
    verdict = put(sheet, total + 2, 2, tr("met") if best.met else tr("not_met"))
    verdict.fill = MET_FILL if best.met else NOT_MET_FILL
    put(sheet, total + 2, len(FACTS) + 5, best.margin, EURO)
    finish_table(sheet, len(titles), len(best.lines), {len(titles): 80, 2: 14})

    alt = wb.create_sheet(tr("plan_sheet_alternatives"))
    header(alt, ["#", tr("plan_options_used"), tr("credited"), tr("plan_cost"), tr("plan_extra_cost")])
    for r, plan in enumerate([best, *outcome.alternatives], start=2):
        for col, value in enumerate([r - 1, ", ".join(sorted(plan.used)), plan.credited, plan.cost,
                                     plan.cost - best.cost], start=1):
            put(alt, r, col, value, EURO if col >= 3 else None)
    finish_table(alt, 5, 1 + len(outcome.alternatives), {2: 50})

    info = wb.create_sheet(tr("sheet_tender"))
    menu = loaded.setting.menu
    t = loaded.setting.tender_file.tender
    for r, (label, value) in enumerate([
        (tr("tender"), t.id), (tr("buyer"), t.buyer or ""), (tr("bidder"), best.bid.bidder),
        (tr("menu"), f"{menu.ref} {tr.label(menu.name)}"), (tr("source"), menu.sources[0].url),
        (tr("obligation"), best.obligation), (tr("plan_solver"), solver_name()),
        (tr("rounding"), tr("rounding_rule")),
    ], start=1):
        put(info, r, 1, label)
        put(info, r, 2, value, EURO if isinstance(value, Decimal) else None)
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 90
    return write_atomic(Path(target), printable(wb).save, inputs=loaded.inputs)
