"""The region's summary and an enterprise's history as files: workbooks with charts, and the
summary as the same one-page HTML as a profile (assess.html)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from impactkit.assess.html import esc, page, sources_html, tag
from impactkit.i18n import Translator
from impactkit.io.atomic import write_atomic


def _scalar(value):
    """A measured value as a workbook number where it is one number."""
    if isinstance(value, dict):
        return " · ".join(f"{r} {kg}" for r, kg in value.items())
    return Decimal(value)


def _flag_to_confirm(cell, year, tr: Translator) -> None:
    """A history's value or level carried over from the year before and not confirmed yet: shaded, with
    a note saying so (the number stays a number)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    cell.fill = PatternFill("solid", fgColor="FFEB9C")
    cell.comment = Comment(tr("assess_history_to_confirm_cell", before=int(year) - 1), "impactkit")


def _measures_sheet(wb, doc: dict, tr: Translator) -> None:
    from impactkit.io.xlsx_style import finish_table, header, put

    sheet = wb.create_sheet(tr("assess_sheet_measured")[:31])
    years = doc["years"]
    header(sheet, [tr("assess_indicator"), tr("assess_unit"), tr("assess_aggregate")]
           + [str(y) for y in years] + [f"n {y}" for y in years])
    for r, row in enumerate(doc["measures"], start=2):
        put(sheet, r, 1, row["name"])
        put(sheet, r, 2, row["unit"])
        put(sheet, r, 3, tr(f"assess_aggregate_{row['aggregate'] if row['kind'] != 'yes_no' else 'yes'}"))
        for i, year in enumerate(years):
            value = row["values"].get(str(year))
            if value is not None:
                cell = put(sheet, r, 4 + i, _scalar(value["value"]))
                if value.get("to_confirm"):
                    _flag_to_confirm(cell, year, tr)
                put(sheet, r, 4 + len(years) + i, value["enterprises"])
    finish_table(sheet, 3 + 2 * len(years), len(doc["measures"]), {1: 50, 2: 18, 3: 16})


def _sources_sheet(wb, doc: dict, tr: Translator) -> None:
    from impactkit.io.xlsx_style import finish_table, header, put

    sheet = wb.create_sheet(tr("assess_sheet_sources")[:31])
    header(sheet, [tr("assess_origin"), tr("assess_source"), "URL"])
    rows = [(s["origin_label"], s["text"], " ".join(s["urls"])) for s in doc["sources"]]
    rows += [("", note, "") for note in doc["notes"]]
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            put(sheet, r, c, v)
    finish_table(sheet, 3, len(rows), {1: 20, 2: 100, 3: 50})


def write_summary_workbook(doc: dict, tr: Translator, target: Path, inputs: list) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    from impactkit.io.xlsx_style import finish_table, first_sheet, header, printable, put

    wb = Workbook()
    levels = first_sheet(wb, tr("assess_sheet_levels")[:31])
    header(levels, [tr("assess_theme"), tr("assess_year"), *[tr("assess_level_short", level=n) for n in range(6)],
                    tr("assess_total")])
    r = 1
    for theme in doc["themes"]:
        for year in doc["years"]:
            counts = theme["counts"].get(str(year))
            if counts is None:
                continue
            r += 1
            put(levels, r, 1, f"{theme['name']} {year}")
            put(levels, r, 2, year)
            for n in range(6):
                put(levels, r, 3 + n, counts[str(n)])
            put(levels, r, 9, sum(counts.values()))
    finish_table(levels, 9, r - 1, {1: 34})
    if r > 1:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = tr("assess_chart_levels")
        chart.add_data(Reference(levels, min_col=3, max_col=8, min_row=1, max_row=r), titles_from_data=True)
        chart.set_categories(Reference(levels, min_col=1, min_row=2, max_row=r))
        chart.height, chart.width = 3 + 0.6 * r, 18
        levels.add_chart(chart, "K2")

    movement = wb.create_sheet(tr("assess_sheet_movement")[:31])
    header(movement, [tr("assess_from_year"), tr("assess_to_year"), tr("assess_theme"), tr("assess_up"),
                      tr("assess_same"), tr("assess_down")])
    r = 1
    for move in doc["movement"]:
        for theme in move["themes"]:
            r += 1
            for c, v in enumerate((move["from"], move["to"], theme["name"], theme["up"], theme["same"], theme["down"]), 1):
                put(movement, r, c, v)
    finish_table(movement, 6, r - 1, {3: 30})
    if r > 1:
        chart = BarChart()
        chart.grouping, chart.overlap = "stacked", 100
        chart.title = tr("assess_chart_movement")
        chart.add_data(Reference(movement, min_col=4, max_col=6, min_row=1, max_row=r), titles_from_data=True)
        chart.set_categories(Reference(movement, min_col=3, min_row=2, max_row=r))
        movement.add_chart(chart, "H2")
    changes = [c for move in doc["movement"] for c in move["changes"]]
    top = r + 3
    header(movement, [tr("assess_enterprise"), tr("assess_theme"), tr("assess_from_level"), tr("assess_to_level")],
           row=top)
    for i, change in enumerate(changes, start=1):
        for c, v in enumerate((change["enterprise"], change["theme"], change["from"], change["to"]), 1):
            put(movement, top + i, c, v)

    sdg = wb.create_sheet(tr("assess_sheet_sdg")[:31])
    header(sdg, [tr("assess_sdg_target"), *[str(y) for y in doc["years"]]])
    for r, row in enumerate(doc["sdg"], start=2):
        put(sdg, r, 1, row["target"])
        for i, year in enumerate(doc["years"]):
            put(sdg, r, 2 + i, row["counts"].get(str(year), 0))
    finish_table(sdg, 1 + len(doc["years"]), len(doc["sdg"]))
    if doc["sdg"]:
        chart = BarChart()
        chart.title = tr("assess_chart_sdg")
        chart.add_data(Reference(sdg, min_col=2, max_col=1 + len(doc["years"]), min_row=1, max_row=len(doc["sdg"]) + 1),
                       titles_from_data=True)
        chart.set_categories(Reference(sdg, min_col=1, min_row=2, max_row=len(doc["sdg"]) + 1))
        sdg.add_chart(chart, f"{chr(ord('B') + len(doc['years']) + 1)}2")

    _measures_sheet(wb, doc, tr)
    people = wb.create_sheet(tr("assess_sheet_enterprises")[:31])
    theme_names = [t["name"] for t in doc["themes"]]
    header(people, [tr("assess_enterprise"), tr("assess_year"), *theme_names])
    r = 1
    for ent in doc["enterprises"]:
        for year, levels_of in ent["years"].items():
            r += 1
            put(people, r, 1, ent["enterprise"])
            put(people, r, 2, int(year))
            for i, theme in enumerate(doc["themes"]):
                put(people, r, 3 + i, levels_of.get(theme["theme"]))
    finish_table(people, 2 + len(theme_names), r - 1, {1: 30})
    _sources_sheet(wb, doc, tr)
    return write_atomic(Path(target), printable(wb).save, inputs=inputs)


def write_history_workbook(doc: dict, tr: Translator, target: Path, inputs: list) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import LineChart, Reference

    from impactkit.io.xlsx_style import finish_table, first_sheet, header, printable, put

    wb = Workbook()
    sheet = first_sheet(wb, tr("assess_sheet_levels")[:31])
    years = doc["years"]
    header(sheet, [tr("assess_theme"), *[str(y) for y in years], tr("assess_change")])
    for r, row in enumerate(doc["themes"], start=2):
        put(sheet, r, 1, row["name"])
        for i, year in enumerate(years):
            cell = put(sheet, r, 2 + i, row["levels"].get(str(year)))
            if row["to_confirm"].get(str(year)):
                _flag_to_confirm(cell, year, tr)
        put(sheet, r, 2 + len(years), row["change"])
    finish_table(sheet, 2 + len(years), len(doc["themes"]), {1: 30})
    if doc["themes"]:
        chart = LineChart()
        chart.title = doc["title"]
        chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = 0, 5, 1
        chart.y_axis.title = tr("assess_level_header")
        data = Reference(sheet, min_col=1, max_col=1 + len(years), min_row=2, max_row=len(doc["themes"]) + 1)
        chart.add_data(data, from_rows=True, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=2, max_col=1 + len(years), min_row=1, max_row=1))
        sheet.add_chart(chart, f"A{len(doc['themes']) + 4}")
    _measures_sheet(wb, doc, tr)
    _sources_sheet(wb, doc, tr)
    return write_atomic(Path(target), printable(wb).save, inputs=inputs)


# the summary as one HTML page -------------------------------------------------------------------

def _bar(count: int, most: int) -> str:
    width = 0 if not most else round(18 * count / most, 1)
    return f'<span class="bar" style="width:{width}mm"></span> {count}' if count else '<span class="small">0</span>'


def summary_html(doc: dict, tr: Translator) -> str:
    years = doc["years"]
    body = [f'<header><h1>{esc(doc["title"])}</h1><div class="meta">{esc(doc["subtitle"])}</div>',
            "".join(f'<p class="meta">{esc(line["text"])}</p>' for line in doc["per_year"]), "</header>"]
    most = max([n for t in doc["themes"] for c in t["counts"].values() for n in c.values()] or [0])
    rows = []
    for theme in doc["themes"]:
        for year in years:
            counts = theme["counts"].get(str(year))
            if counts is not None:
                rows.append(f"<tr><td>{esc(theme['name'])}</td><td>{year}</td>"
                            + "".join(f"<td>{_bar(counts[str(n)], most)}</td>" for n in range(6))
                            + f'<td class="num">{sum(counts.values())}</td></tr>')
    body.append(f"<h2>{esc(tr('assess_summary_levels'))} {tag('impactpad', tr)} {tag('impactkit', tr)}</h2>"
                f"<table><tr><th>{esc(tr('assess_theme'))}</th><th>{esc(tr('assess_year'))}</th>"
                + "".join(f"<th>{esc(tr('assess_level_short', level=n))}</th>" for n in range(6))
                + f'<th class="num">{esc(tr("assess_total"))}</th></tr>{"".join(rows)}</table>')
    for move in doc["movement"]:
        body.append(f"<h2>{esc(move['title'])}</h2><p>{esc(move['text'])}</p><ul>"
                    + "".join(f"<li>{esc(t['text'])}</li>" for t in move["themes"]) + "</ul>")
        if move["changes"]:
            body.append('<p class="small">' + esc("; ".join(c["text"] for c in move["changes"])) + "</p>")
    most = max([n for row in doc["sdg"] for n in row["counts"].values()] or [0])
    body.append(f"<h2>{esc(tr('assess_summary_sdg'))} {tag('impactkit', tr)}</h2><table><tr>"
                f"<th>{esc(tr('assess_sdg_target'))}</th>" + "".join(f"<th>{y}</th>" for y in years) + "</tr>"
                + "".join(f"<tr><td>{esc(row['target'])}</td>"
                          + "".join(f"<td>{_bar(row['counts'].get(str(y), 0), most)}</td>" for y in years) + "</tr>"
                          for row in doc["sdg"]) + "</table>")
    if doc["measures"]:
        body.append(f"<h2>{esc(tr('assess_summary_measures'))}</h2><table>"
                    f'<colgroup><col style="width:36%">{"<col>" * len(years)}</colgroup>'
                    f"<tr><th>{esc(tr('assess_indicator'))}</th>"
                    + "".join(f'<th class="num">{y}</th>' for y in years) + "</tr>"
                    + "".join(f"<tr><td>{esc(row['name'])} {tag(row['source'], tr)}</td>"
                              + "".join(f'<td class="wide">{esc(row["shown"].get(str(y), ""))}</td>' for y in years)
                              + "</tr>" for row in doc["measures"]) + "</table>")
    body.append("".join(f'<p class="small">{esc(note)}</p>' for note in doc["notes"]))
    body.append(sources_html(doc["sources"], tr))
    return page(doc["title"], doc["language"], "\n".join(body), tr)
