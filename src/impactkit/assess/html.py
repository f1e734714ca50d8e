"""One-page HTML reports: self-contained (inline CSS, no scripts, no external assets),
printable to PDF from a browser (A4). Every text that came from a user is escaped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from impactkit import __version__
from impactkit.i18n import Translator

CSS = """
@page { size: A4; margin: 9mm 11mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 7.8pt; line-height: 1.22;
       color: #1d2733; margin: 0 auto; max-width: 188mm; background: #fff; }
header { border-bottom: 3px solid #1f4e78; padding: 2mm 0 1.5mm; margin-bottom: 2.5mm; }
h1 { font-size: 14pt; margin: 0; color: #1f4e78; }
h2 { font-size: 9.6pt; margin: 2mm 0 .8mm; color: #1f4e78; border-bottom: 1px solid #c9d6e3; padding-bottom: .4mm; }
h3 { font-size: 9.4pt; margin: 0 0 .8mm; }
p { margin: .5mm 0; }
.meta { color: #52606d; margin-top: .8mm; }
.mission { font-size: 9.6pt; font-style: italic; margin: 1.5mm 0 0; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 2.5mm; margin-top: 2mm; }
.single { margin-top: 2mm; }
.card { border: 1px solid #c9d6e3; border-radius: 2mm; padding: 1.5mm 2mm; break-inside: avoid; }
.level { display: flex; align-items: center; gap: 2mm; margin-bottom: .6mm; }
.steps { display: flex; gap: .6mm; }
.steps span { width: 4.2mm; height: 4.2mm; border-radius: .8mm; background: #e4eaf0; color: #7b8794;
              font-size: 7pt; text-align: center; line-height: 4.2mm; }
.steps span.on { background: #1f4e78; color: #fff; }
.lvlname { font-weight: 600; }
dl { margin: 0; }
dt { font-weight: 600; color: #334e68; margin-top: .6mm; }
dd { margin: 0 0 0 0; }
ul { margin: .4mm 0 .8mm; padding-left: 4mm; }
li { margin: .2mm 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .5mm 1mm; border-bottom: 1px solid #e4eaf0; }
th { background: #f0f4f8; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.tag { display: inline-block; border-radius: 1mm; padding: 0 1mm; font-size: 6.8pt; font-weight: 600;
       vertical-align: baseline; white-space: nowrap; }
.impactpad { background: #d9f2e3; color: #1d5f3a; }
.impactkit { background: #fdeccf; color: #7a4b00; }
.external { background: #dde8f6; color: #1f4e78; }
.yes { color: #1d7a46; font-weight: 600; }
.no { color: #b42318; font-weight: 600; }
.unknown { color: #8a6d00; font-weight: 600; }
.small { font-size: 6.7pt; color: #52606d; }
td.wide { text-align: right; }
.measured { background: #f5f8fb; border-radius: 1mm; padding: .6mm 1mm; }
.sdg { display: inline-block; background: #eef2f6; border-radius: 1mm; padding: 0 1mm; margin-right: .6mm; }
.bar { background: #1f4e78; height: 2.6mm; display: inline-block; vertical-align: middle; }
footer { margin-top: 2.5mm; border-top: 1px solid #c9d6e3; padding-top: 1mm; }
footer p { margin: .3mm 0; }
footer b + p { display: inline; margin-left: 1mm; }
a { color: #1f4e78; text-decoration: none; word-break: break-all; }
@media print { a { color: #1d2733; } }
"""


def esc(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def tag(origin: str, tr: Translator) -> str:
    return f'<span class="tag {esc(origin)}">{esc(tr("assess_origin_" + origin))}</span>'


def link(url: str, text: str | None = None) -> str:
    return f'<a href="{esc(url)}">{esc(text or url)}</a>'


def cited(source: dict) -> str:
    return f'{link(source["url"], source["title"])} <span class="small">[{esc(source["tag"])}]</span>'


def mark(value: bool | None) -> str:
    cls, sign = {True: ("yes", "✓"), False: ("no", "✗"), None: ("unknown", "?")}[value]
    return f'<span class="{cls}">{sign}</span>'


def page(title: str, lang: str, body: str, tr: Translator) -> str:
    footer = esc(tr("generated", version=__version__, date=date.today().isoformat()))
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="impactkit {esc(__version__)}">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
            f'<p class="small">{footer}</p>\n</body>\n</html>\n')


def steps(level: int) -> str:
    return '<span class="steps">' + "".join(
        f'<span class="{"on" if n <= level else ""}">{n}</span>' for n in range(1, 6)) + "</span>"


# the profile ------------------------------------------------------------------------------

def _measured_in_card(doc: dict, theme: dict, tr: Translator) -> str:
    values = [m for m in doc["measured"] if m["theme"] == theme["theme"]]
    if not values:
        return ""
    year = doc["enterprise"]["year"]
    title = tr("assess_measured_title", year=year) if year else tr("assess_measured_title_no_year")
    items = "; ".join(f'{esc(m["name"])}: <b>{esc(m["shown"])}</b> {tag(m["source"], tr)}' for m in values)
    position = doc["measures"]["r_ladder_position_text"] if theme["theme"] == "circulaire_economie" else None
    extra = f" {esc(position)} {tag('impactkit', tr)}" if position else ""
    return f'<p class="measured"><b>{esc(title)}:</b> {items}{extra}</p>'


def _theme_card(theme: dict, tr: Translator, doc: dict) -> str:
    out = [f'<section class="card"><h3>{esc(theme["name"])} {tag(theme["origin"], tr)}</h3>',
           f'<div class="level">{steps(theme["level"])} <span class="lvlname">'
           f'{esc(tr("assess_level", level=theme["level"]).capitalize())}: {esc(theme["level_name"])}</span></div>']
    out += [f'<p><b>{esc(s["label"])}:</b> {esc(s["text"])}</p>' for s in theme["story"]]
    if theme["next_level"]:
        progress = theme["next_level_progress"]
        out.append(f'<p><b>{esc(tr("assess_next", level=theme["next_level"], met=progress["met"], required=progress["required"]))}</b>'
                   f' {tag("impactkit", tr)}</p>')
        out.append("<ul>" + "".join(f"<li>{esc(g['text'])}</li>" for g in theme["gaps"]) + "</ul>")
    if theme["next_indicators"]:
        items = "; ".join(f"{esc(ind['name'])} ({esc(ind['unit'])}) {tag(ind['source'], tr)}"
                          + (f' <span class="small">{esc("; ".join(ind["refs"]))}</span>' if ind["refs"] else "")
                          for ind in theme["next_indicators"])
        out.append(f'<p><b>{esc(tr("assess_start_measuring"))}</b> {items}</p>')
    out.append(_measured_in_card(doc, theme, tr))
    sdg = "".join(f'<span class="sdg">{esc(t)}</span>' for t in theme["sdg_targets"])
    out.append(f'<p>{esc(tr("assess_sdg"))} {tag("impactkit", tr)}: {sdg}</p>')
    if theme["unanswered"]:
        out.append(f'<p class="small">{esc(tr("assess_not_answered"))}: '
                   f'{esc(", ".join(u["label"] for u in theme["unanswered"]))}</p>')
    out.append("</section>")
    return "\n".join(out)


PAGE_MENUS = 5  # purchase rows of this many menus fit the one page beside the themes


def _menus_for_the_page(sr: dict) -> tuple[list[dict], list[dict]]:
    """The menus whose purchase rows the one page shows (the own region's first, then those where the
    enterprise's purchases count), and the other menus with purchase rows (named in one line)."""
    own = set(sr["own_region"]["menus"])
    with_rows = [m for m in sr["menus"] if m["rows"]]
    ranked = sorted(with_rows, key=lambda m: (m["menu"] not in own, not any(r["eligible"] for r in m["rows"])))
    return ranked[:PAGE_MENUS], ranked[PAGE_MENUS:]


def social_return_html(sr: dict | None, tr: Translator) -> str:
    if sr is None:
        return ""
    own = sr["own_region"]
    where = ", ".join(x for x in (own["municipality"], own["region"]) if x)
    out = [f"<h2>{esc(tr('assess_bridge_title'))}</h2>",
           f'<p><b>{esc(tr("assess_your_region"))}{(" (" + esc(where) + ")") if where else ""}:</b> {esc(own["text"])} '
           + " ".join(cited(s) for s in own["sources"]) + "</p>"]
    rows = []
    shown, others = _menus_for_the_page(sr)
    for menu in shown:
        for row in menu["rows"]:
            rows.append(f'<tr><td>{mark(row["eligible"])}</td><td>{link(row["source"]["url"], menu["name"])} '
                        f'<span class="small">{esc(row["label"])}</span></td><td>{esc(row["basis_short"])}</td>'
                        f'<td class="num">{esc(row["credit_short"])}</td><td>{esc(row["criterion_short"])}</td></tr>')
    if rows:
        out.append(f"<table><tr><th></th><th>{esc(tr('assess_menu'))}</th><th>{esc(tr('assess_what_counts'))}</th>"
                   f'<th class="num">{esc(tr("assess_order_counts", order=tr.eur(sr["order"])))}</th>'
                   f"<th>{esc(tr('assess_who_counts'))}</th></tr>{''.join(rows)}</table>")
        if sr["labour_cost_share"] is not None:
            out.append(f'<p class="small">{esc(tr("assess_labour_share_used", share=tr.number(Decimal(sr["labour_cost_share"]))))}</p>')
    if others:
        out.append(f'<p class="small">{esc(tr("assess_more_menus", count=len(others)))} '
                   + esc(", ".join(m["name"] for m in others)) + "</p>")
    without = [m for m in sr["menus"] if not m["rows"]]
    if without:  # on one page: the names; the JSON, Markdown and workbook carry what each source says
        out.append(f'<p class="small"><b>{esc(tr("assess_no_purchase_block_title"))}:</b> '
                   + esc(", ".join(m["name"] for m in without)) + "</p>")
    for ref in sr["reference"]:
        out.append(f'<p class="small">{esc(ref["text"])} {cited(ref["source"])}: {esc(ref["met_text"])}</p>')
    pso = sr["pso"]
    rules = [f"{m['name']}: {m['pso']}" for m in shown if m["pso_rule"]]  # the other menus' rules: in the JSON
    out.append(f'<p class="small">{esc(pso["text"])} {esc(pso["level_text"])} {esc("; ".join(rules))} '
               + " ".join(cited(s) for s in pso["sources"]) + "</p>")
    return "\n".join(out)


def sources_html(doc_sources: list[dict], tr: Translator, note: str = "") -> str:
    """Where each part comes from: grouped by origin, with the public sources as links."""
    groups: dict[str, list[dict]] = {}
    for s in doc_sources:
        groups.setdefault(s["origin"], []).append(s)
    items = "".join(f"<p>{tag(origin, tr)} {esc(', '.join(s['short'] for s in parts))} "
                    + " ".join(link(u) for u in dict.fromkeys(u for s in parts for u in s["urls"])) + "</p>"
                    for origin, parts in groups.items())
    return f'<footer class="small"><b>{esc(tr("assess_sources_title"))}:</b>{items}' \
           f'<p>{esc(tr("assess_not_official"))} {esc(note)}</p></footer>'


def profile_html(doc: dict, tr: Translator) -> str:
    ent = doc["enterprise"]
    title = tr("assess_profile_title", name=ent["name"] or tr("unknown"))
    others = [f'{i["label"]}: {i["text"]}' for i in doc["enterprise_answers"] if i["id"] != "mission"]
    meta = " · ".join(x for x in (ent["municipality"], str(ent["year"]) if ent["year"] else None,
                                  ", ".join(t["name"] for t in doc["themes"]), *others) if x)
    head = [f"<header><h1>{esc(title)}</h1><div class=\"meta\">{esc(meta)}</div>"]
    head += [f'<p class="mission"><b>{esc(i["label"])}:</b> {esc(i["text"])}</p>'
             for i in doc["enterprise_answers"] if i["id"] == "mission"]
    head.append("</header>")
    body = ["".join(head)]
    if doc["to_confirm"]:
        body.append(f'<p class="unknown">{esc(tr("assess_to_confirm_note", count=len(doc["to_confirm"])))}</p>')
    grid = "grid" if len(doc["themes"]) > 1 else "single"
    body.append(f'<div class="{grid}">' + "\n".join(_theme_card(t, tr, doc) for t in doc["themes"]) + "</div>")
    body.append(social_return_html(doc["social_return"], tr))
    body.append(sources_html(doc["sources"], tr, doc["note"]))
    return page(title, doc["language"], "\n".join(b for b in body if b), tr)
