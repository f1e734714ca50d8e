"""Results of `impactkit assess` as documents: JSON, a one-page Markdown summary, a workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from impactkit import __version__
from impactkit.assess.answers import Assessment
from impactkit.assess.bridge import CRITERIA_SOURCE, STAFF_MIN, TRADE_MIN, applies, bridge_rows
from impactkit.assess.levels import ThemeResult, r_ladder_position, target_group_share
from impactkit.assess.model import Catalogue
from impactkit.io.atomic import write_atomic, write_text_atomic
from impactkit.i18n import Translator
from impactkit.money import money_str


def gap_text(gap, tr: Translator) -> str:
    text = tr.label(gap.question.text)
    if gap.reason == "evidence":
        return tr("assess_gap_evidence", question=text, evidence=tr.label(gap.question.evidence))
    return tr("assess_gap_" + gap.reason, question=text)


def document(cat: Catalogue, assessment: Assessment, results: list[ThemeResult], tr: Translator) -> dict:
    share, r_position = target_group_share(assessment), r_ladder_position(assessment)
    doc = {
        "impactkit": __version__,
        "schema": 1,
        "language": tr.lang,
        "enterprise": {"name": assessment.name, "themes": list(assessment.themes)},
        "themes": [{
            "theme": r.theme,
            "name": tr.label(cat.theme(r.theme).name),
            "level": r.level,
            "level_name": tr.label(cat.level(r.level).name) if r.level else None,
            "met": [q.id for q in r.met],
            "next_level": r.level + 1 if r.level < 5 else None,
            "next_level_progress": {"met": r.next_required - len(r.gaps), "required": r.next_required},
            "gaps": [{"question": g.question.id, "reason": g.reason, "text": gap_text(g, tr)} for g in r.gaps],
            "next_indicators": [{"id": i.id, "name": tr.label(i.name), "unit": i.unit,
                                 "methods": [tr.label(m) for m in i.methods], "toc_step": i.toc_step,
                                 "source": i.source, "refs": list(i.refs)} for i in r.next_indicators],
            "sdg_targets": list(r.sdg_targets),
            "unanswered": [q.id for q in r.unanswered],
        } for r in results],
        "measures": {
            "target_group_fte_share_percent": None if share is None else str(share),
            "r_ladder_position": None if r_position is None else str(r_position),
        },
        "note": tr("assess_no_total"),
    }
    if applies(assessment):
        doc["social_return"] = [{
            "menu": row.menu.ref, "block": row.block.id, "label": tr.label(row.block.label),
            "order": "10000.00", "credit": money_str(row.credit), "eligible": row.eligible,
            "reason": tr(row.reason, staff=STAFF_MIN, trade=TRADE_MIN), "source": row.menu.source(row.block.source).url,
        } for row in bridge_rows(assessment)]
        doc["social_return_criteria_source"] = CRITERIA_SOURCE
    return doc


def markdown(cat: Catalogue, assessment: Assessment, results: list[ThemeResult], tr: Translator) -> str:
    doc = document(cat, assessment, results, tr)
    out = [f"# {tr('assess_title', name=assessment.name or tr('unknown'))}", "",
           tr("assess_md_intro", date=date.today().isoformat()), ""]
    for theme in doc["themes"]:
        level = theme["level"]
        out.append(f"## {theme['name']}: {tr('assess_level', level=level)}" +
                   (f" — {theme['level_name']}" if theme["level_name"] else ""))
        out.append("")
        if theme["next_level"]:
            progress = theme["next_level_progress"]
            out.append(tr("assess_next", level=theme["next_level"], met=progress["met"], required=progress["required"]))
            out.extend(f"- {g['text']}" for g in theme["gaps"])
            out.append("")
            if theme["next_indicators"]:
                out.append(tr("assess_start_measuring"))
                out.extend(f"- {i['name']} ({i['unit']}; {', '.join(i['methods'])})" for i in theme["next_indicators"])
                out.append("")
        out.append(f"{tr('assess_sdg')}: {', '.join(theme['sdg_targets'])}")
        out.append("")
    measures = doc["measures"]
    if measures["target_group_fte_share_percent"]:
        out += [tr("assess_share", share=measures["target_group_fte_share_percent"]), ""]
    if measures["r_ladder_position"]:
        out += [tr("assess_r_position", position=measures["r_ladder_position"]), ""]
    if "social_return" in doc:
        out += [f"## {tr('assess_bridge_title')}", ""]
        for row in doc["social_return"]:
            out.append(f"- {row['menu']} ({row['block']}): {tr('assess_bridge_row', credit=tr.eur(row['credit']))}; "
                       f"{row['reason']}")
        out.append("")
    out += [f"_{doc['note']}_", "", tr("generated", version=__version__, date=date.today().isoformat()), ""]
    return "\n".join(out)


def write_markdown(text: str, target: Path) -> Path:
    return write_text_atomic(Path(target), text)


def write_workbook(cat: Catalogue, assessment: Assessment, results: list[ThemeResult], tr: Translator,
                   target: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from impactkit.io.xlsx_style import finish_table, header, put

    wb = Workbook()
    ws = wb.active
    ws.title = tr("assess_sheet_results")[:31]
    header(ws, [tr("assess_theme"), tr("assess_level_header"), tr("assess_level_name"), tr("assess_gaps"),
                tr("assess_indicators"), tr("assess_sdg")])
    for r, res in enumerate(results, start=2):
        put(ws, r, 1, tr.label(cat.theme(res.theme).name))
        put(ws, r, 2, res.level)
        put(ws, r, 3, tr.label(cat.level(res.level).name) if res.level else "")
        put(ws, r, 4, "\n".join(gap_text(g, tr) for g in res.gaps))
        put(ws, r, 5, "\n".join(f"{tr.label(i.name)} ({i.unit})" for i in res.next_indicators))
        put(ws, r, 6, ", ".join(res.sdg_targets))
    finish_table(ws, 6, len(results), {1: 28, 3: 40, 4: 70, 5: 50})
    if results:
        chart = BarChart()
        chart.title = tr("assess_chart")
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 5
        chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=len(results) + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(results) + 1))
        ws.add_chart(chart, f"A{len(results) + 4}")
    answers = wb.create_sheet(tr("assess_sheet_answers")[:31])
    header(answers, [tr("assess_theme"), "#", tr("assess_question"), tr("assess_answer"), tr("assess_evidence")])
    r = 1
    for theme in assessment.themes:
        for q in cat.questions:
            a = assessment.answer(theme, q.id)
            if a is None:
                continue
            r += 1
            value = a.value if isinstance(a.value, str) else (tr("yes") if a.value else tr("no")) if a.value is not None else ""
            for c, v in enumerate((theme, q.id, tr.label(q.text), value, a.evidence or ""), start=1):
                put(answers, r, c, v)
    finish_table(answers, 5, r - 1, {3: 60, 4: 60, 5: 40})
    return write_atomic(Path(target), wb.save)
