"""The region's view (`assess summary`) and one enterprise's progress (`assess history`), checked
against an independent count over the same answers files."""

import json
import shutil
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from html.parser import HTMLParser

import openpyxl
import pytest
from hypothesis import given, strategies as st

from impactkit.assess.levels import evaluate, half_up
from impactkit.assess.model import catalogue
from impactkit.assess.reading import load
from impactkit.errors import ExitCode

from .conftest import EXAMPLES

CAT = catalogue()
FILES = sorted(p for p in EXAMPLES.glob("assessment*.yaml") if "broken" not in p.name)


def independent():
    """Per file: key, year, {theme: level}, measures; computed here, not by the summary."""
    out = []
    for path in FILES:
        a = load(path, CAT)
        out.append((a.name, a.year, {r.theme: r.level for r in evaluate(CAT, a)}, a))
    return out


def test_the_examples_cover_several_enterprises_over_two_years():
    rows = independent()
    assert len({r[0] for r in rows}) >= 3 and {r[1] for r in rows} == {2024, 2025}
    both = {r[0] for r in rows if r[1] == 2024} & {r[0] for r in rows if r[1] == 2025}
    assert len(both) >= 3


def test_counts_per_theme_level_and_year(invoke):
    result = invoke("assess", "summary", *FILES, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    rows = independent()
    assert doc["years"] == [2024, 2025]
    expected = Counter((theme, year, level) for _, year, levels, _ in rows for theme, level in levels.items())
    for theme in doc["themes"]:
        for year, counts in theme["counts"].items():
            for level, count in counts.items():
                assert count == expected[(theme["theme"], int(year), int(level))]
    assert sum(sum(c.values()) for t in doc["themes"] for c in t["counts"].values()) == sum(expected.values())
    per_year = {line["year"]: line["enterprises"] for line in doc["per_year"]}
    assert per_year == dict(Counter(year for _, year, _, _ in rows))


def test_movement_between_years(invoke):
    doc = json.loads(invoke("assess", "summary", *FILES, "--json").stdout)
    rows = independent()
    before = {name: levels for name, year, levels, _ in rows if year == 2024}
    after = {name: levels for name, year, levels, _ in rows if year == 2025}
    (move,) = doc["movement"]
    assert (move["from"], move["to"]) == (2024, 2025)
    assert move["followed"] == len(before.keys() & after.keys()) and move["new"] == len(after.keys() - before.keys())
    for theme in move["themes"]:
        pairs = [(before[n][theme["theme"]], after[n][theme["theme"]]) for n in before.keys() & after.keys()
                 if theme["theme"] in before[n] and theme["theme"] in after[n]]
        assert theme["up"] == sum(b > a for a, b in pairs) and theme["down"] == sum(b < a for a, b in pairs)
        assert theme["up"] + theme["same"] + theme["down"] == len(pairs)
    assert len(move["changes"]) == sum(t["up"] + t["down"] for t in move["themes"])


def test_sdg_targets_and_measured_values(invoke):
    doc = json.loads(invoke("assess", "summary", *FILES, "--json").stdout)
    rows = independent()
    for row in doc["sdg"]:
        for year, count in row["counts"].items():
            assert count == sum(1 for _, y, _, a in rows if y == int(year)
                                and any(row["target"] in CAT.theme(t).sdg_targets for t in a.themes))
    fte = next(m for m in doc["measures"] if m["indicator"] == "ap_target_group_fte")
    for year, value in fte["values"].items():
        values = [a.measures["ap_target_group_fte"] for _, y, _, a in rows
                  if y == int(year) and "ap_target_group_fte" in a.measures]
        assert Decimal(value["value"]) == sum(values) and value["enterprises"] == len(values)
    kg = next(m for m in doc["measures"] if m["indicator"] == "ce_kg_by_r_strategy")
    r3 = sum(a.measures["ce_kg_by_r_strategy"].get("R3", 0) for _, y, _, a in rows
             if y == 2025 and "ce_kg_by_r_strategy" in a.measures)
    assert Decimal(kg["values"]["2025"]["value"]["R3"]) == r3


def test_pseudonymised_by_default_in_every_output(invoke, tmp_path):
    book, page = tmp_path / "s.xlsx", tmp_path / "s.html"
    result = invoke("assess", "summary", *FILES, "--xlsx", book, "--html", page)
    assert result.exit_code == 0, result.output
    names = {load(p, CAT).name for p in FILES}
    texts = {"terminal": result.stdout, "html": page.read_text(encoding="utf-8"),
             "xlsx": "\n".join(str(c.value) for ws in openpyxl.load_workbook(book).worksheets
                               for row in ws.iter_rows() for c in row if c.value is not None)}
    municipalities = {load(p, CAT).municipality for p in FILES}
    for where, text in texts.items():
        for secret in names | municipalities | {p.name for p in FILES}:
            assert secret not in text, (where, secret)
    assert "Enterprise 1" in texts["xlsx"]
    named = invoke("assess", "summary", *FILES, "--names", "--json")
    assert names <= {e["enterprise"] for e in json.loads(named.stdout)["enterprises"]}


def test_workbook_has_charts_and_numbers(invoke, tmp_path):
    book = tmp_path / "s.xlsx"
    assert invoke("--lang", "nl", "assess", "summary", *FILES, "--xlsx", book).exit_code == 0
    wb = openpyxl.load_workbook(book)
    assert {"Niveaus", "Beweging", "SDG-subdoelen", "Gemeten waarden", "Ondernemingen", "Bronnen"} <= set(wb.sheetnames)
    for sheet in ("Niveaus", "Beweging", "SDG-subdoelen"):
        assert len(wb[sheet]._charts) == 1, sheet
    levels = wb["Niveaus"]
    assert all(isinstance(c.value, int) for row in levels.iter_rows(min_row=2, min_col=3, max_col=9) for c in row)
    measured = wb["Gemeten waarden"]
    fte = next(r for r in measured.iter_rows(min_row=2) if r[0].value == "FTE uit de doelgroepen")
    assert fte[3].value == pytest.approx(23.5) and fte[4].value == 28


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_summary_html_is_one_self_contained_page(invoke, tmp_path):
    page = tmp_path / "s.html"
    assert invoke("--lang", "nl", "assess", "summary", *FILES, "--html", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(html)
    assert "script" not in parser.tags and "img" not in parser.tags and "table" in parser.tags
    assert "Impactondernemers" in html and "nulmeting" in html and "Beweging 2024 → 2025" in html


def test_a_folder_stands_for_its_files(invoke, tmp_path):
    folder = tmp_path / "drenthe"
    folder.mkdir()
    for path in FILES:
        shutil.copy(path, folder / path.name)
    by_folder = json.loads(invoke("assess", "summary", folder, "--json").stdout)
    by_files = json.loads(invoke("assess", "summary", *sorted(folder.iterdir()), "--json").stdout)
    assert by_folder["themes"] == by_files["themes"] and by_folder["movement"] == by_files["movement"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("assess", "summary", empty).exit_code == ExitCode.FILE


def test_every_file_needs_a_year_and_one_file_per_enterprise_and_year(invoke, tmp_path):
    no_year = tmp_path / "no-year.yaml"
    no_year.write_text("enterprise: {name: X, themes: [arbeidsparticipatie]}\n", encoding="utf-8")
    twice = tmp_path / "twice.yaml"
    shutil.copy(EXAMPLES / "assessment-assen-2024.yaml", twice)
    result = invoke("assess", "summary", EXAMPLES / "assessment-assen-2024.yaml", twice, no_year)
    assert result.exit_code == ExitCode.INVALID
    assert "no-year.yaml" in result.stderr and "has no year" in result.stderr
    assert "Werkbedrijf De Vaart 2024 is also in" in result.stderr and "twice.yaml" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("enterprise: [x]\n", encoding="utf-8")
    assert invoke("assess", "summary", broken).exit_code == ExitCode.INVALID


def test_history_follows_one_enterprise(invoke, tmp_path):
    files = [EXAMPLES / "assessment.yaml", EXAMPLES / "assessment-emmen-2025.yaml"]
    book = tmp_path / "h.xlsx"
    result = invoke("assess", "history", *files, "--xlsx", book)
    assert result.exit_code == 0, result.output
    assert "Textielwerk Emmen: level per theme, 2024-2025" in result.stdout
    wb = openpyxl.load_workbook(book)
    levels = wb["Levels"]
    expected = [{r.theme: r.level for r in evaluate(CAT, load(p, CAT))} for p in files]
    for row in levels.iter_rows(min_row=2):
        theme = next(t.id for t in CAT.themes if t.name.en == row[0].value)
        assert [row[1].value, row[2].value] == [e[theme] for e in expected]
        assert row[3].value == expected[1][theme] - expected[0][theme]
    assert len(levels._charts) == 1
    mixed = invoke("assess", "history", *files, EXAMPLES / "assessment-assen-2024.yaml")
    assert mixed.exit_code == ExitCode.INVALID and "describe 2 enterprises" in mixed.stderr


def _half_up(value: Fraction, places: int) -> Decimal:
    """Independent of the code under test: a long division, then one half-up rounding."""
    with localcontext() as ctx:
        ctx.prec = 60
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def test_medians_are_rounded_once_from_the_exact_values(invoke, write, tmp_path):
    """9/15 = 60% and 6.5/11 = 59.0909...%: the median is 59.5454...%, shown as 59.5 (rounding each
    share to 59.1 first gave 59.6). Entered shares 60 and 59.3 have the median 59.65: half-up 59.7."""
    entered = [("Alfa", "9", "15", "60"), ("Beta", "6.5", "11", "59.3")]
    files = [write(f"{name}.yaml", f"enterprise: {{name: {name}, year: 2024, themes: [arbeidsparticipatie]}}\n"
                   f"measures: {{ap_target_group_fte: {fte}, ap_total_fte: {total}, ap_retention_6m: {kept}}}\n")
             for name, fte, total, kept in entered]
    shares = sorted(Fraction(Decimal(fte)) * 100 / Fraction(Decimal(total)) for _, fte, total, _ in entered)
    share = _half_up((shares[0] + shares[1]) / 2, 1)
    kept = _half_up((Fraction(Decimal("60")) + Fraction(Decimal("59.3"))) / 2, 1)
    assert (share, kept) == (Decimal("59.5"), Decimal("59.7"))  # the figures of the report, derived above
    fte = sum(Decimal(fte) for _, fte, _, _ in entered)

    doc = json.loads(invoke("assess", "summary", *files, "--json").stdout)
    values = {m["indicator"]: m["values"]["2024"] for m in doc["measures"]}
    assert Decimal(values["ap_target_group_share"]["value"]) == share
    assert values["ap_target_group_share"]["shown"] == f"median {share}% (n=2)"
    assert Decimal(values["ap_retention_6m"]["value"]) == kept
    assert Decimal(values["ap_target_group_fte"]["value"]) == fte  # a sum stays exact

    book, page = tmp_path / "s.xlsx", tmp_path / "s.html"
    shown = invoke("--lang", "nl", "assess", "summary", *files, "--xlsx", book, "--html", page)
    assert shown.exit_code == 0, shown.output
    dutch = str(share).replace(".", ",")
    assert f"mediaan {dutch}%" in shown.stdout and f"mediaan {str(kept).replace('.', ',')}%" in shown.stdout
    assert "59,6" not in shown.stdout and "59,6" not in page.read_text(encoding="utf-8")
    assert f"mediaan {dutch}%" in page.read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(book)["Gemeten waarden"]
    cells = {row[0].value: row[3].value for row in sheet.iter_rows(min_row=2)}
    assert Decimal(str(cells[CAT.indicator("ap_target_group_share").name.nl])) == share
    assert Decimal(str(cells[CAT.indicator("ap_retention_6m").name.nl])) == kept


@given(st.fractions(), st.integers(min_value=0, max_value=4))
def test_half_up_rounds_an_exact_value_once(value, places):
    assert half_up(value, places) == _half_up(value, places)


def test_history_flags_what_was_carried_over_and_not_confirmed(invoke, write, tmp_path):
    """A year started with --from holds last year's values to confirm: history marks them, in the
    terminal (both languages), the JSON and the workbook; a confirmed value is not marked."""
    last = write("k2-2024.yaml", "enterprise: {name: Kringloop K2, year: 2024, themes: [circulaire_economie]}\n"
                 "answers:\n  circulaire_economie: {problem: Te veel afval., target_group: Inwoners}\n"
                 "measures: {ce_kg_by_r_strategy: {R3: 12000}, ce_secondary_inputs: 70}\n")
    new = tmp_path / "k2-2025.yaml"
    assert invoke("assess", "--from", last, "--save", new, "--no-input").exit_code == 0
    # confirm one value by hand: the share of secondary inputs, now 75
    text = new.read_text(encoding="utf-8").replace("ce_secondary_inputs: 70", "ce_secondary_inputs: 75")
    new.write_text(text.replace("- measures/ce_secondary_inputs\n", ""), encoding="utf-8")
    carried = load(new, CAT).to_confirm
    assert "measures/ce_kg_by_r_strategy" in carried and "measures/ce_secondary_inputs" not in carried

    doc = json.loads(invoke("assess", "history", last, new, "--json").stdout)
    values = {m["indicator"]: m["values"] for m in doc["measures"]}
    for indicator, per_year in values.items():
        assert per_year["2024"]["to_confirm"] is False
        assert per_year["2025"]["to_confirm"] is (f"measures/{indicator}" in carried), indicator
    assert values["ce_kg_by_r_strategy"]["2025"]["shown"].endswith("(to confirm)")
    assert not values["ce_secondary_inputs"]["2025"]["shown"].endswith("(to confirm)")
    (theme,) = doc["themes"]
    assert theme["to_confirm"] == {"2024": False, "2025": True}  # its answers are carried over too
    assert doc["to_confirm"] == {"2025": carried}

    for lang, mark in (("en", "(to confirm)"), ("nl", "(te bevestigen)")):
        shown = invoke("--lang", lang, "assess", "history", last, new)
        assert shown.exit_code == 0, shown.output
        kg = next(line for line in shown.stdout.splitlines() if "12" in line and "R3" in line)
        assert kg.count("R3") == 2 and kg.count(mark) == 1 and kg.rstrip().endswith(mark)
        share = next(line for line in shown.stdout.splitlines() if "75%" in line)
        assert mark not in share
        assert f"2025: {len(carried)} " in shown.stdout

    book = tmp_path / "k2.xlsx"
    assert invoke("--lang", "nl", "assess", "history", last, new, "--xlsx", book).exit_code == 0
    wb = openpyxl.load_workbook(book)
    sheet = wb["Gemeten waarden"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    kg_row, share_row = rows[CAT.indicator("ce_kg_by_r_strategy").name.nl], rows[CAT.indicator("ce_secondary_inputs").name.nl]
    assert kg_row[4].comment is not None and "2024" in kg_row[4].comment.text
    assert kg_row[3].comment is None and share_row[4].comment is None and share_row[4].value == 75
    level = wb["Niveaus"]["C2"]
    assert isinstance(level.value, int) and level.comment is not None
