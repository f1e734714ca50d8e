"""The profile's outputs carry the same facts with labels (never internal ids), mark what comes
from the Impactpad and what is impactkit's proposal, and the HTML page is self-contained, escaped,
and prints on one A4 page."""

import json
import re
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from impactkit.assess.levels import evaluate
from impactkit.assess.model import catalogue
from impactkit.assess.reading import load
from impactkit.errors import ExitCode

from .conftest import EXAMPLES

CAT = catalogue()
EXAMPLE = EXAMPLES / "assessment.yaml"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
QUESTION_IDS = [q.id for q in CAT.questions if "_" in q.id]  # ids that are no plain words


class Page(HTMLParser):
    """The tags, attributes and text of an HTML page."""

    def __init__(self):
        super().__init__()
        self.tags, self.text, self.attrs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, name, value) for name, value in attrs]

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def profile(invoke, tmp_path, answers=EXAMPLE, lang="en"):
    out = {"md": tmp_path / "p.md", "html": tmp_path / "p.html", "xlsx": tmp_path / "p.xlsx"}
    result = invoke("--lang", lang, "assess", "--answers", answers, "--no-input", "--json",
                    *[x for kind, path in out.items() for x in (f"--{kind}", path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), out


def test_json_levels_measures_and_sources(invoke, tmp_path):
    doc, _ = profile(invoke, tmp_path)
    assessment = load(EXAMPLE, CAT)
    assert doc["schema"] == 2 and doc["enterprise"]["year"] == 2024 and doc["enterprise"]["municipality"] == "Emmen"
    assert {t["theme"]: t["level"] for t in doc["themes"]} == {r.theme: r.level for r in evaluate(CAT, assessment)}
    labour = next(t for t in doc["themes"] if t["theme"] == "arbeidsparticipatie")
    assert [s["id"] for s in labour["story"]] == ["problem", "target_group", "objectives", "theory_of_change",
                                                   "assumptions"]
    assert labour["gaps"] == [{"question": "counterfactual", "label": "What would have happened without you",
                               "reason": "no", "text": "answered no: What would have happened without you"}]
    measured = {m["indicator"]: m for m in doc["measured"]}
    share = Decimal(str(assessment.measures["ap_target_group_fte"])) * 100 / assessment.measures["ap_total_fte"]
    assert Decimal(measured["ap_target_group_share"]["value"]) == share.quantize(Decimal("0.1"))
    assert measured["ap_target_group_share"]["source"] == "impactkit"  # the plain FTE share is a proposal
    origins = {s["part"]: s["origin"] for s in doc["sources"]}
    assert origins["levels"] == "impactpad" and origins["questions"] == origins["sdg"] == "impactkit"
    sr = doc["social_return"]
    assert sr["own_region"]["region"] == "Drenthe" and "No shipped menu covers Drenthe" in sr["own_region"]["text"]
    assert {m["menu"] for m in sr["menus"] if not m["rows"]} >= {"haaglanden-zhc@2023-07"}


def test_markdown_and_workbook_carry_the_same_facts_with_labels(invoke, tmp_path):
    doc, out = profile(invoke, tmp_path)
    md = out["md"].read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(out["xlsx"])
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    text = "\n".join(cells)
    for needed in (doc["enterprise"]["name"], doc["enterprise"]["mission"], "Emmen", "2024",
                   *[s["text"] for t in doc["themes"] for s in t["story"]],
                   *[g["text"] for t in doc["themes"] for g in t["gaps"]],
                   "Impactpad", "impactkit proposal", "Drenthe"):
        assert needed in md, needed
        assert needed in text, needed
    for m in doc["measured"]:
        assert m["name"] in md and m["name"] in text
    for qid in QUESTION_IDS:  # labels, never the internal ids
        assert not re.search(rf"\b{qid}\b", md), qid
        assert not any(re.search(rf"\b{qid}\b", c) for c in cells if not c.startswith("http")), qid
    assert set(wb.sheetnames) >= {"Profile", "Results", "Measured values", "Social return", "Answers", "Sources"}
    results = wb["Results"]
    assert [results.cell(row=r, column=2).value for r in (2, 3)] == [t["level"] for t in doc["themes"]]
    assert len(results._charts) == 1
    assert wb["Profile"]["B1"].value == "Textielwerk Emmen"
    measured = wb["Measured values"]
    fte = next(r for r in measured.iter_rows(min_row=2) if r[1].value == "Total FTE")
    assert fte[2].value == 22 and isinstance(fte[2].value, (int, float))
    social = wb["Social return"]
    credits = [r[5] for r in social.iter_rows(min_row=5) if r[5].value is not None]
    assert credits and all(c.number_format == '"€" #,##0.00' for c in credits)
    assert {c.value for c in credits} >= {10000, 6000}


def test_user_text_is_escaped_and_never_a_formula(invoke, tmp_path):
    answers = tmp_path / "a.yaml"
    hostile = '<script>alert("x")</script> & <img src=x onerror=1>'
    answers.write_text(
        "enterprise: {name: '=HYPERLINK(\"http://evil\")', year: 2024, themes: [arbeidsparticipatie],"
        " municipality: '<b>Assen</b>'}\n"
        f"answers: {{arbeidsparticipatie: {{problem: '{hostile}', target_group: '=1+1'}}}}\n", encoding="utf-8")
    _, out = profile(invoke, tmp_path, answers)
    html = out["html"].read_text(encoding="utf-8")
    page = parse(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert "&lt;script&gt;" in html and hostile in "".join(page.text) and "&lt;b&gt;Assen&lt;/b&gt;" in html
    md = out["md"].read_text(encoding="utf-8")
    assert "<script>" not in md and "&lt;script>" in md
    wb = openpyxl.load_workbook(out["xlsx"])
    name = wb["Profile"]["B1"]
    assert name.value.startswith("=HYPERLINK") and name.data_type == "s"
    answers_sheet = wb["Answers"]
    target = next(r[3] for r in answers_sheet.iter_rows(min_row=2) if r[2].value == "Target group")
    assert target.value == "=1+1" and target.data_type == "s"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_html_is_self_contained_and_in_the_chosen_language(invoke, tmp_path, lang):
    doc, out = profile(invoke, tmp_path, lang=lang)
    html = out["html"].read_text(encoding="utf-8")
    page = parse(html)
    assert page.tags[0] == "html" and ("lang", "en" if lang == "en" else "nl") in [(a, v) for _, a, v in page.attrs]
    assert "style" in page.tags and "script" not in page.tags
    assert not [1 for tag, attr, _ in page.attrs if tag in ("img", "link", "script", "iframe") or attr == "src"]
    assert "@page" in html and "A4" in html  # printable
    text = " ".join(page.text)
    heading = "Impact profile" if lang == "en" else "Impactprofiel"
    assert heading in text and doc["enterprise"]["name"] in text
    for item in doc["themes"]:
        assert item["name"] in text and item["level_name"] in text
    for origin in ("impactpad", "impactkit", "external"):
        assert doc["sources"][0] and any(s["origin_label"] in text for s in doc["sources"] if s["origin"] == origin)
    if lang == "nl":  # no English labels in the Dutch page
        for english in ("Measured values", "Towards level", "Where each part comes from", "hours", "rung"):
            assert english not in text, english


def in_browser(page: Path, tmp_path: Path) -> tuple[bytes, int]:
    """A headless Chromium screenshot (PNG bytes) and the number of A4 pages when printed."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    png, pdf = tmp_path / "p.png", tmp_path / "p.pdf"
    for extra, profile_dir in (([f"--screenshot={png}", "--window-size=794,1123"], "c1"),
                               ([f"--print-to-pdf={pdf}", "--no-pdf-header-footer"], "c2")):
        subprocess.run([CHROMIUM, *flags, f"--user-data-dir={tmp_path / profile_dir}", *extra, page.as_uri()],
                       capture_output=True, timeout=120, check=False)
    return png.read_bytes(), len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium to render the page")
@pytest.mark.parametrize("answers", ["assessment.yaml", "assessment-assen-2025.yaml"])
def test_html_opens_in_a_browser_on_one_page(invoke, tmp_path, answers):
    _, out = profile(invoke, tmp_path, EXAMPLES / answers, lang="nl")
    png, pages = in_browser(out["html"], tmp_path)
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    assert pages == 1


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium to render the page")
def test_summary_html_opens_in_a_browser_on_one_page(invoke, tmp_path):
    page = tmp_path / "s.html"
    files = sorted(p for p in EXAMPLES.glob("assessment*.yaml") if "broken" not in p.name)
    assert invoke("--lang", "nl", "assess", "summary", *files, "--html", page).exit_code == 0
    png, pages = in_browser(page, tmp_path)
    assert png.startswith(b"\x89PNG") and pages == 1


def test_outputs_never_replace_the_answers(invoke, tmp_path):
    answers = tmp_path / "a.yaml"
    shutil.copy(EXAMPLE, answers)
    before = answers.read_bytes()
    for option in ("--xlsx", "--md", "--html"):
        result = invoke("assess", "--answers", answers, "--no-input", option, answers)
        assert result.exit_code == ExitCode.OUTPUT, result.output
        assert answers.read_bytes() == before
