"""The profile as files: a one-page Markdown summary, a workbook, and the HTML page (assess.html).
All render the same document (`assess.profile.document`), with labels, never internal ids."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from impactkit import __version__
from impactkit.assess.answers import Assessment
from impactkit.assess.model import Catalogue
from impactkit.assess.profile import answer_text
from impactkit.i18n import Translator
from impactkit.io.atomic import write_atomic, write_text_atomic
from impactkit.io.ownership import marked


def _md(text) -> str:
    """User text inside Markdown: no raw HTML, no table breaks, one line."""
    return " ".join(str(text).replace("<", "&lt;").replace("|", "\\|").split())


def _origin(origin: str, tr: Translator) -> str:
    return f"_[{tr('assess_origin_' + origin)}]_"


def _cited(source: dict) -> str:
    return f"[{_md(source['title'])}]({source['url']}) [{source['tag']}]"


def markdown(doc: dict, tr: Translator) -> str:
    ent = doc["enterprise"]
    meta = " · ".join(x for x in (ent["municipality"], str(ent["year"]) if ent["year"] else None,
                                  ", ".join(t["name"] for t in doc["themes"])) if x)
    out = [f"# {_md(tr('assess_profile_title', name=ent['name'] or tr('unknown')))}", "", _md(meta), ""]
    out += [f"**{item['label']}:** {_md(item['text'])}  " for item in doc["enterprise_answers"]]
    out.append("")
    if doc["to_confirm"]:
        out += [tr("assess_to_confirm_note", count=len(doc["to_confirm"])), ""]
    if doc["themes"]:
        out += [f"{_origin('impactpad', tr)} {_origin('impactkit', tr)} {tr('assess_level_origin')}", ""]
    for theme in doc["themes"]:
        out += [f"## {theme['name']}: {tr('assess_level', level=theme['level'])} — {theme['level_name']}", ""]
        out += [f"**{s['label']}:** {_md(s['text'])}  " for s in theme["story"]]
        if theme["story"]:
            out.append("")
        if theme["next_level"]:
            p = theme["next_level_progress"]
            out.append(tr("assess_next", level=theme["next_level"], met=p["met"], required=p["required"]))
            out += [f"- {g['text']}" for g in theme["gaps"]] + [""]
        if theme["next_indicators"]:
            out.append(tr("assess_start_measuring"))
            for ind in theme["next_indicators"]:
                refs = f" ({'; '.join(ind['refs'])})" if ind["refs"] else ""
                out.append(f"- {ind['name']} ({ind['unit']}; {', '.join(ind['methods'])}) {_origin(ind['source'], tr)}{refs}")
            out.append("")
        out += [f"{tr('assess_sdg')} {_origin('impactkit', tr)}: {', '.join(theme['sdg_targets'])}", ""]
        if theme["unanswered"]:
            out += [f"{tr('assess_not_answered')}: {', '.join(u['label'] for u in theme['unanswered'])}", ""]
    if doc["measured"]:
        year = ent["year"]
        out += [f"## {tr('assess_measured_title', year=year) if year else tr('assess_measured_title_no_year')}", "",
                f"| {tr('assess_indicator')} | {tr('assess_value')} | {tr('assess_source')} |", "|---|---:|---|"]
        out += [f"| {m['name']} | {m['shown']} | {tr('assess_origin_' + m['source'])}"
                f"{(' (' + '; '.join(m['refs']) + ')') if m['refs'] else ''} |" for m in doc["measured"]]
        out.append("")
        if doc["measures"]["r_ladder_position_text"]:
            out += [f"{doc['measures']['r_ladder_position_text']} {_origin('impactkit', tr)}", ""]
    out += social_return_md(doc["social_return"], tr)
    out += [f"## {tr('assess_sources_title')}", ""]
    out += [f"- **{s['origin_label']}**: {s['text']} {' '.join(s['urls'])}".rstrip() for s in doc["sources"]]
    out += ["", f"_{doc['note']} {tr('assess_not_official')}_", "", tr("generated", version=__version__, date=date.today().isoformat()), ""]
    return "\n".join(out)


def social_return_md(sr: dict | None, tr: Translator) -> list[str]:
    if sr is None:
        return []
    own = sr["own_region"]
    where = ", ".join(x for x in (own["municipality"], own["region"]) if x)
    out = [f"## {tr('assess_bridge_title')}", "",
           f"**{tr('assess_your_region')}{(' (' + _md(where) + ')') if where else ''}:** {own['text']} "
           + " ".join(_cited(s) for s in own["sources"]), "",
           f"| | {tr('assess_menu')} | {tr('assess_what_counts')} | {tr('assess_who_counts')} |", "|---|---|---|---|"]
    sign = {True: "✓", False: "✗", None: "?"}
    for menu in sr["menus"]:
        for row in menu["rows"]:
            out.append(f"| {sign[row['eligible']]} | {menu['name']}: {row['label']} ([{menu['menu']}]({row['source']['url']}))"
                       f" | {row['basis_text']}; {row['credit_text']} | {row['criterion_text']} |")
    out.append("")
    for menu in (m for m in sr["menus"] if not m["rows"]):
        out.append(f"- {tr('assess_no_purchase_block_title')}: {menu['name']}: {menu['no_purchase_text']} "
                   + " ".join(_cited(s) for s in menu["no_purchase_sources"]))
    out += [f"- {r['text']} {_cited(r['source'])}: {r['met_text']}" for r in sr["reference"]]
    pso = sr["pso"]
    out += [f"- {pso['text']} {pso['level_text']} {pso['menus_text']} " + " ".join(_cited(s) for s in pso["sources"]), ""]
    return out


def write_markdown(text: str, target: Path, inputs: list) -> Path:
    return write_text_atomic(Path(target), marked(text), inputs=inputs)  # io/ownership.py


def write_html(text: str, target: Path, inputs: list) -> Path:
    return write_text_atomic(Path(target), marked(text), inputs=inputs)  # io/ownership.py


def _number(text: str | None):
    return None if text is None else Decimal(text)


def _cell(measured: dict, tr: Translator):
    """A measured value as a workbook cell: a number where it is one, else its words."""
    value = measured["value"]
    if isinstance(value, bool):
        return answer_text(value, tr)
    return measured["shown"] if isinstance(value, dict) else Decimal(value)


def write_workbook(cat: Catalogue, assessment: Assessment, doc: dict, tr: Translator, target: Path,
                   inputs: list) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    from impactkit.io.xlsx_style import EURO, finish_table, first_sheet, header, printable, put

    wrap = Alignment(wrap_text=True, vertical="top")
    wb = Workbook()
    ent = doc["enterprise"]
    profile = first_sheet(wb, tr("assess_sheet_profile")[:31])
    rows: list[tuple[str | None, object]] = [(tr("assess_field_name"), ent["name"]), (tr("assess_field_municipality"), ent["municipality"]),
            (tr("assess_field_year"), ent["year"]), (tr("assess_themes"), ", ".join(t["name"] for t in doc["themes"]))]
    rows += [(item["label"], item["text"]) for item in doc["enterprise_answers"]]
    rows.append((tr("assess_generated_on"), date.today()))
    for theme in doc["themes"]:
        rows.append((None, None))
        rows.append((theme["name"], f"{tr('assess_level', level=theme['level'])} — {theme['level_name']}"))
        rows += [(s["label"], s["text"]) for s in theme["story"]]
    for r, (label, value) in enumerate(rows, start=1):
        put(profile, r, 1, label).font = Font(bold=True)
        cell = put(profile, r, 2, value, "yyyy-mm-dd" if isinstance(value, date) else None)
        cell.alignment = wrap
    profile.column_dimensions["A"].width, profile.column_dimensions["B"].width = 30, 100

    results = wb.create_sheet(tr("assess_sheet_results")[:31])
    header(results, [tr("assess_theme"), tr("assess_level_header"), tr("assess_level_name"), tr("assess_next_level"),
                     tr("assess_gaps"), tr("assess_indicators"), tr("assess_sdg"), tr("assess_not_answered")])
    for r, theme in enumerate(doc["themes"], start=2):
        values: tuple[object, ...] = (theme["name"], theme["level"], theme["level_name"], theme["next_level"],
                  "\n".join(g["text"] for g in theme["gaps"]),
                  "\n".join(f"{i['name']} ({i['unit']})" for i in theme["next_indicators"]),
                  ", ".join(theme["sdg_targets"]), ", ".join(u["label"] for u in theme["unanswered"]))
        for c, value in enumerate(values, start=1):
            put(results, r, c, value).alignment = wrap
    finish_table(results, 8, len(doc["themes"]), {1: 26, 3: 36, 5: 60, 6: 50, 8: 30})
    if doc["themes"]:
        chart = BarChart()
        chart.title = tr("assess_chart")
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 5
        chart.y_axis.majorUnit = 1
        chart.add_data(Reference(results, min_col=2, min_row=1, max_row=len(doc["themes"]) + 1), titles_from_data=True)
        chart.set_categories(Reference(results, min_col=1, min_row=2, max_row=len(doc["themes"]) + 1))
        results.add_chart(chart, f"A{len(doc['themes']) + 4}")

    measures = wb.create_sheet(tr("assess_sheet_measured")[:31])
    header(measures, [tr("assess_theme"), tr("assess_indicator"), tr("assess_value"), tr("assess_unit"),
                      tr("assess_source")])
    for r, m in enumerate(doc["measured"], start=2):
        source = tr("assess_origin_" + m["source"]) + "".join(f"; {ref}" for ref in m["refs"])
        values = (tr.label(cat.require_theme(m["theme"]).name), m["name"], _cell(m, tr), m["unit"], source)
        for c, v in enumerate(values, start=1):
            put(measures, r, c, v)
    finish_table(measures, 5, len(doc["measured"]), {1: 24, 2: 50, 3: 16, 4: 18, 5: 50})

    sr = doc["social_return"]
    if sr is not None:
        sheet = wb.create_sheet(tr("assess_sheet_social_return")[:31])
        put(sheet, 1, 1, tr("assess_your_region")).font = Font(bold=True)
        put(sheet, 1, 2, sr["own_region"]["text"]).alignment = wrap
        put(sheet, 2, 2, " ".join(s["url"] for s in sr["own_region"]["sources"]))
        top = 4
        header(sheet, [tr("assess_menu"), tr("assess_block"), tr("assess_what_counts"), tr("assess_order"),
                       tr("assess_counted_amount"), tr("assess_credit"), tr("assess_who_counts"), tr("assess_you"),
                       tr("assess_source")], row=top)
        r = top
        for menu in sr["menus"]:
            for row in menu["rows"] or [None]:
                r += 1
                if row is None:
                    values = (menu["name"], "", menu["no_purchase_text"], None, None, None, "", "",
                              " ".join(s["url"] for s in menu["no_purchase_sources"]))
                else:
                    you = {True: tr("yes"), False: tr("no"), None: "?"}[row["eligible"]]
                    values = (menu["name"], row["label"], row["basis_text"], _number(row["order"]),
                              _number(row["amount"]), _number(row["credit"]), row["criterion_text"], you,
                              row["source"]["url"])
                for c, v in enumerate(values, start=1):
                    put(sheet, r, c, v, EURO if c in (4, 5, 6) and v is not None else None).alignment = wrap
        finish_table(sheet, 9, r - top, {1: 30, 2: 30, 3: 40, 7: 50, 9: 40}, header_row=top)

    answers = wb.create_sheet(tr("assess_sheet_answers")[:31])
    header(answers, [tr("assess_theme"), tr("assess_level_header"), tr("assess_question"), tr("assess_answer"),
                     tr("assess_evidence")])
    r = 1
    scopes = [(None, tr("assess_whole_enterprise"))] + [(t, tr.label(cat.require_theme(t).name)) for t in assessment.themes]
    for theme, name in scopes:
        for q in cat.questions:
            if (q.scope == "enterprise") != (theme is None):
                continue
            a = assessment.answer(theme, q.id)
            if a is None:
                continue
            r += 1
            for c, v in enumerate((name, q.level, tr.label(q.short), answer_text(a.value, tr), a.evidence or ""), start=1):
                put(answers, r, c, v).alignment = wrap
    finish_table(answers, 5, r - 1, {1: 24, 3: 40, 4: 70, 5: 40})

    sources = wb.create_sheet(tr("assess_sheet_sources")[:31])
    header(sources, [tr("assess_origin"), tr("assess_source"), "URL"])
    for r, s in enumerate(doc["sources"], start=2):
        for c, v in enumerate((s["origin_label"], s["text"], " ".join(s["urls"])), start=1):
            put(sources, r, c, v).alignment = wrap
    finish_table(sources, 3, len(doc["sources"]), {1: 20, 2: 90, 3: 50})
    return write_atomic(Path(target), printable(wb).save, inputs=inputs)
