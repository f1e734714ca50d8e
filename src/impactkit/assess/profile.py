"""The facts of one enterprise's yearly profile, with labels in the chosen language: one
document that the terminal, JSON, Markdown, HTML and the workbook all render, so they carry
the same facts. Every part says where it comes from (the Impactpad, an external source, or
impactkit's proposal)."""

from __future__ import annotations

from impactkit import __version__
from impactkit.assess.answers import Assessment
from impactkit.assess.bridge import applies, bridge
from impactkit.assess.bridge_doc import social_return
from impactkit.assess.levels import ThemeResult, r_ladder_position, target_group_share
from impactkit.assess.model import Catalogue, Indicator
from impactkit.i18n import Translator

SCHEMA = 2


def gap_text(gap, tr: Translator) -> str:
    text = tr.label(gap.question.short)
    if gap.reason == "evidence":
        return tr("assess_gap_evidence", question=text, evidence=tr.label(gap.question.evidence))
    return tr("assess_gap_" + gap.reason, question=text)


def answer_text(value, tr: Translator) -> str:
    if value is True:
        return tr("yes")
    if value is False:
        return tr("no")
    return "" if value is None else str(value)


def measure_text(indicator: Indicator, value, tr: Translator) -> str:
    if indicator.kind == "yes_no":
        return answer_text(value, tr)
    if indicator.kind == "r_mapping":
        return " · ".join(f"{r} {tr.number(kg)}" for r, kg in value.items()) + f" {tr.label(indicator.unit)}"
    unit = tr.label(indicator.unit)
    return f"{tr.number(value)}{unit}" if unit == "%" else f"{tr.number(value)} {unit}"


def item_label(cat: Catalogue, item: str, tr: Translator) -> str:
    """An item key (theme/question, enterprise/question, measures/id, bridge/key) in words."""
    section, _, key = item.partition("/")
    if section == "measures":
        indicator = cat.indicator(key)
        return tr.label(indicator.name) if indicator else key
    if section == "bridge":
        return tr(f"assess_bridge_field_{key}")
    question = cat.question(key)
    name = tr.label(question.short) if question else tr(f"assess_field_{key}")
    theme = cat.theme(section)
    return f"{tr.label(theme.name)}: {name}" if theme else name


def _indicator(ind: Indicator, tr: Translator) -> dict:
    return {"id": ind.id, "name": tr.label(ind.name), "unit": tr.label(ind.unit),
            "methods": [tr.label(m) for m in ind.methods], "toc_step": ind.toc_step,
            "source": ind.source, "refs": [tr.label(r) for r in ind.refs]}


def _measured_ids(assessment: Assessment) -> set[str]:
    ids = {key for key, value in assessment.measures.items() if value is not None and value != {}}
    return ids | ({"ap_target_group_share"} if target_group_share(assessment) is not None else set())


def _theme(cat: Catalogue, assessment: Assessment, res: ThemeResult, tr: Translator) -> dict:
    theme = cat.require_theme(res.theme)
    measured_ids = _measured_ids(assessment)  # indicators to start: those not measured yet
    story = []
    for q in cat.questions:
        answer = assessment.answers.get(res.theme, {}).get(q.id)
        if q.scope == "theme" and q.kind == "text" and answer is not None and answer.value:
            story.append({"id": q.id, "label": tr.label(q.short), "text": answer.value})
    nxt = res.level + 1 if res.level < 5 else None
    return {
        "theme": res.theme,
        "name": tr.label(theme.name),
        "later": theme.later,
        "origin": theme.source,
        "level": res.level,
        "level_name": tr.label(cat.level(res.level).name) if res.level else tr("assess_no_level"),
        "story": story,
        "met": [{"id": q.id, "label": tr.label(q.short)} for q in res.met],
        "next_level": nxt,
        "next_level_name": tr.label(cat.level(nxt).name) if nxt else None,
        "next_level_progress": {"met": res.next_required - len(res.gaps), "required": res.next_required},
        "gaps": [{"question": g.question.id, "label": tr.label(g.question.short), "reason": g.reason,
                  "text": gap_text(g, tr)} for g in res.gaps],
        "next_indicators": [_indicator(i, tr) for i in res.next_indicators if i.id not in measured_ids],
        "sdg_targets": list(res.sdg_targets),
        "unanswered": [{"id": q.id, "label": tr.label(q.short)} for q in res.unanswered],
    }


def measured(cat: Catalogue, assessment: Assessment, tr: Translator) -> list[dict]:
    out = []
    for ind in cat.indicators:
        if ind.theme not in assessment.themes:
            continue
        value = assessment.measures.get(ind.id)
        if ind.id == "ap_target_group_share":
            value = target_group_share(assessment)
        if value is None or value == {}:
            continue
        shown = measure_text(ind, value, tr)
        plain: dict[str, str] | bool | str
        if isinstance(value, dict):
            plain = {r: str(kg) for r, kg in value.items()}
        else:
            plain = value if isinstance(value, bool) else str(value)
        out.append({"indicator": ind.id, "theme": ind.theme, "name": tr.label(ind.name), "unit": tr.label(ind.unit),
                    "value": plain, "shown": shown, "computed": ind.kind == "computed", "source": ind.source,
                    "refs": [tr.label(r) for r in ind.refs]})
    return out


def sources(cat: Catalogue, tr: Translator) -> list[dict]:
    return [{"part": p.id, "origin": p.origin, "origin_label": tr(f"assess_origin_{p.origin}"),
             "short": tr.label(p.short), "text": tr.label(p.text), "urls": list(p.urls)} for p in cat.parts]


def document(cat: Catalogue, assessment: Assessment, results: list[ThemeResult], tr: Translator) -> dict:
    share, position = target_group_share(assessment), r_ladder_position(assessment)
    general = {q.id: assessment.general.get(q.id) for q in cat.enterprise_questions()}
    doc = {
        "impactkit": __version__,
        "schema": SCHEMA,
        "language": tr.lang,
        "enterprise": {
            "name": assessment.name, "id": assessment.id, "municipality": assessment.municipality,
            "year": assessment.year, "themes": list(assessment.themes),
            **{qid: (a.value if a else None) for qid, a in general.items()},
        },
        "enterprise_answers": [{"id": q.id, "label": tr.label(q.short), "text": answer_text(answer.value, tr)}
                               for q in cat.enterprise_questions() if (answer := general[q.id]) is not None],
        "themes": [_theme(cat, assessment, r, tr) for r in results],
        "measured": measured(cat, assessment, tr),
        "measures": {
            "target_group_fte_share_percent": None if share is None else str(share),
            "r_ladder_position": None if position is None else str(position),
            "r_ladder_position_text": None if position is None else tr("assess_r_position", position=tr.number(position)),
        },
        "social_return": social_return(bridge(cat, assessment), tr) if applies(assessment) else None,
        "to_confirm": [{"item": item, "label": item_label(cat, item, tr)} for item in assessment.to_confirm],
        "sources": sources(cat, tr),
        "note": tr("assess_no_total"),
    }
    return doc
