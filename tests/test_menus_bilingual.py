"""The texts impactkit wrote in its menus and places file, in the reader's language: every shipped
text in Dutch and English (or one of the standard texts), shown by one helper (Translator.label) in
`menus show`, `menus for`, `check` (terminal, JSON, workbook) and `score`; a user's own menu in one
language shown as written."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook
from pydantic import BaseModel

from impactkit.i18n import CATALOGUES, LANGUAGES, Translator
from impactkit.menus import resolve_menu, shipped_menus
from impactkit.menus.municipalities import _places_data
from impactkit.model.menu import STANDARD_TEXTS, Label, Menu, StandardText

MENUS = shipped_menus()
NL, EN = Translator("nl"), Translator("en")
#: words of English sentences that a Dutch text never holds (and the reverse)
ENGLISH = (" the ", " and ", " which ", "impactkit assumes", "not computed", "pro-rated", "excluding VAT",
           "older table", "Counted months", "rounded half-up", "a consultancy")
DUTCH = (" het ", " wordt ", " worden ", "aanbestedingsstukken", "maximale telduur", "impactkit gaat uit")
#: fields whose shipped text impactkit wrote: always in both languages (or a standard text)
WRITTEN = {"name", "municipalities_note", "valid_from_note", "status_note", "note", "value", "assumptions",
           "eligibility", "summary", "text"}
#: fields that may hold a name as the source spells it (a page title, a region, an organisation)
NAMES = {"title", "region"}


def texts(obj, path=()):
    """(path, text) for every text field of a menu (or part of one), walking the model."""
    if isinstance(obj, (Label, StandardText)):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from texts(getattr(obj, name), path + (name,))
    elif isinstance(obj, (tuple, list)):
        for i, item in enumerate(obj):
            yield from texts(item, path + (i,))
    elif isinstance(obj, str) and path and path[-1] in WRITTEN | NAMES | {"label"}:
        yield path, obj
    elif isinstance(obj, str) and len(path) > 1 and path[-2] in ("assumptions", "eligibility"):
        yield path, obj


def place_texts():
    _, places = _places_data()
    for place in places:
        yield (place.id, "region"), place.region
        if place.summary is not None:
            yield (place.id, "summary"), place.summary
        if place.coordination:
            yield (place.id, "coordination", "name"), place.coordination["name"]
        for i, fact in enumerate(place.facts):
            yield (place.id, "facts", i, "text"), fact.text


def _field(path) -> str:
    return next(p for p in reversed(path) if isinstance(p, str))


def _written(path) -> bool:
    """A text impactkit wrote (not a name as the source spells it)."""
    if path[-2:] == ("coordination", "name"):
        return False
    return _field(path) in WRITTEN or (len(path) > 1 and path[-2] in ("assumptions", "eligibility"))


def _check_shipped(path, text):
    field = _field(path)
    if isinstance(text, StandardText):
        assert field == "assumptions", path
        return
    if isinstance(text, str):  # a name as the source spells it; never an English sentence
        assert not _written(path) and field != "label", path
        assert not any(word in f" {text} " for word in ENGLISH), (path, text)
        return
    assert not any(word in text.nl for word in ENGLISH), (path, text.nl)
    assert not any(word in text.en for word in DUTCH), (path, text.en)
    if _written(path) and field != "name" and len(text.en) > 25:
        assert text.nl != text.en, (path, "not translated")


@pytest.mark.parametrize("menu", MENUS, ids=[m.ref for m in MENUS])
def test_every_shipped_menu_text_is_in_both_languages(menu):
    found = list(texts(menu))
    assert isinstance(menu.name, Label)
    for path, text in found:
        if _written(path):
            assert isinstance(text, (Label, StandardText)), (menu.ref, path, text)
        _check_shipped((menu.ref, *path), text)
    assert sum(1 for _, t in found if isinstance(t, Label)) >= 10


def test_every_places_text_is_in_both_languages():
    found = list(place_texts())
    assert len(found) > 80
    for path, text in found:
        if _written(path):
            assert isinstance(text, Label), path
        _check_shipped(path, text)


def test_the_rules_of_impactkit_are_written_once_as_standard_texts():
    for key in STANDARD_TEXTS.values():
        assert all(key in catalogue for catalogue in CATALOGUES.values()), key
    standard_en = {EN.label(StandardText(standard=s)) for s in STANDARD_TEXTS}
    for menu in MENUS:
        for _, text in texts(menu):  # no menu copies one of them (nor an older wording of it)
            if isinstance(text, Label):
                assert text.en not in standard_en, (menu.ref, text.en)
                assert not text.en.startswith(("Counted months are summed", "Each line is rounded")), menu.ref
    rounding = [m.ref for m in MENUS if StandardText(standard="rounding") in m.assumptions]
    months = [m.ref for m in MENUS if StandardText(standard="months_per_candidate") in m.assumptions]
    assert len(rounding) == len(MENUS) and len(months) == len(MENUS) - 1  # groningen has no counted months


def test_the_helper_shows_each_kind_of_text():
    label = Label(nl="Mijn tekst", en="My text")
    standard = StandardText(standard="rounding")
    for lang in LANGUAGES:
        tr = Translator(lang)
        assert tr.label("as written") == "as written"
        assert tr.label(None) == ""
        assert tr.label(label) == getattr(label, lang)
        assert tr.label({"nl": "a", "en": "b"}) == {"nl": "a", "en": "b"}[lang]
        assert tr.label(standard) == CATALOGUES[lang]["rounding_rule"]


@pytest.fixture
def wide(monkeypatch):
    """A console wide enough that no sentence is wrapped (so a sentence is found whole, or not at all)."""
    monkeypatch.setenv("COLUMNS", "5000")


def _other_texts(items, lang: str) -> set[str]:
    """The texts of the other language that differ from this one's (not the labels of blocks and
    bonuses: a short Dutch term such as "Beschut werk" is quoted in English sentences too)."""
    other = Translator("en" if lang == "nl" else "nl")
    own = Translator(lang)
    return {other.label(t) for path, t in items
            if not isinstance(t, str) and _field(path) != "label" and other.label(t) != own.label(t)}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("menu", MENUS, ids=[m.ref for m in MENUS])
def test_menus_show_speaks_the_readers_language(invoke, wide, menu, lang):
    out = invoke("--lang", lang, "menus", "show", menu.ref).stdout
    tr = Translator(lang)
    shown = [*menu.assumptions, *menu.eligibility, *(s.title for s in menu.sources), menu.name]
    shown += [menu.status_note, menu.valid_from_note, menu.municipalities_note]
    shown += [b.note for b in menu.blocks] + [r.note for r in menu.not_encoded] + [r.value for r in menu.not_encoded]
    shown += [g.note for g in menu.more_municipalities]
    shown = [text for text in shown if text is not None]
    for text in shown:  # what `menus show` prints is there in this language, whole
        assert tr.label(text) in out, (menu.ref, lang, tr.label(text))
    for text in _other_texts(list(texts(menu)), lang):
        assert text not in out, (menu.ref, lang, text)
    markers = ENGLISH if lang == "nl" else DUTCH
    assert not [w for w in markers if w in out], (menu.ref, lang)


def _place_names():
    _, places = _places_data()
    return sorted({p.names[0] for p in places} | {"Katwijk", "Den Haag", "Meppel", "Schiedam", "Amersfoort"})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_menus_for_speaks_the_readers_language(invoke, wide, lang):
    everything = list(place_texts()) + [t for m in MENUS for t in texts(m)]
    other = _other_texts(everything, lang)
    tr = Translator(lang)
    _, places = _places_data()
    summaries = {tr.label(p.summary) for p in places if p.summary is not None}
    seen = set()
    for name in _place_names():
        out = invoke("--lang", lang, "menus", "for", name).stdout
        assert not [t for t in other if t in out], (name, lang)
        seen |= {s for s in summaries if s in out}
        doc = json.loads(invoke("--lang", lang, "menus", "for", name, "--json").stdout)
        flat = json.dumps(doc, ensure_ascii=False)
        assert not [t for t in other if json.dumps(t, ensure_ascii=False)[1:-1] in flat], (name, lang)
    assert seen == summaries  # every summary was shown whole, in this language


def _workbook_texts(path) -> list[str]:
    return [c.value for ws in load_workbook(path) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("ref", ["haaglanden-zhc", "rijnmond", "holland-rijnland-leiden", "oost-nederland@V05-2023-04"])
def test_check_speaks_the_readers_language(invoke, wide, tender_file, tmp_path, ref, lang):
    menu = resolve_menu(ref).menu
    block = next(b.id for b in menu.blocks if b.unit == "per_year" and b.alias_of is None)
    path = tender_file([{"block": block, "candidate": "K1", "hours_per_week": 36, "months": 6}], menu=ref)
    tr = Translator(lang)
    other = _other_texts(list(texts(menu)), lang)
    out = invoke("--lang", lang, "check", path).stdout
    assert tr.label(menu.name) in out and not [t for t in other if t in out]
    doc = json.loads(invoke("--lang", lang, "check", path, "--json").stdout)
    assert doc["language"] == lang and doc["menu"]["name"] == tr.label(menu.name)
    assert doc["menu"]["assumptions"] == [tr.label(a) for a in menu.assumptions]
    assert [s["title"] for s in doc["menu"]["sources"]] == [tr.label(s.title) for s in menu.sources]
    book = tmp_path / "check.xlsx"
    assert invoke("--lang", lang, "check", path, "--xlsx", book).exit_code == 0
    cells = _workbook_texts(book)
    assert [c for c in cells if c in {tr.label(a) for a in menu.assumptions}]  # the Tender sheet lists them
    assert set(map(tr.label, menu.assumptions)) <= set(cells)
    assert not [c for c in cells for t in other if t in c], (ref, lang)


def test_score_names_the_menus_in_the_readers_language(invoke, tmp_path):
    path = tmp_path / "bids.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["tender_id", "menu", "contract_value", "bidder", "block", "candidate", "hours_per_week", "months"])
        writer.writerow(["T1", "utrecht@1", "500000", "A", "participatiewet_lt2y", "K1", "36", "12"])
    menu = resolve_menu("utrecht@1").menu
    for lang in LANGUAGES:
        out = tmp_path / f"results-{lang}.xlsx"
        assert invoke("--lang", lang, "score", path, "-o", out).exit_code == 0
        cells = _workbook_texts(out)
        tr = Translator(lang)
        assert tr.label(menu.name) in cells
        assert {tr.label(s.title) for s in menu.sources} <= set(cells)
        assert not [c for c in cells for t in _other_texts(list(texts(menu)), lang) if t in c]


OWN_MENU = """
schema: 1
id: mijn-regio
version: "1"
name: Mijn regio
status: complete
status_note: Alleen de eerste pagina was leesbaar.
valid_from: unknown
sources:
  - {id: own, url: "https://example.org/tabel", title: Tabel van mijn regio}
hours_basis: 36
obligation: {rate: "0.05", source: own}
blocks:
  - {id: participatiewet, label: {nl: Participatiewet, en: Participatiewet}, unit: per_year, value: 40000, source: own}
assumptions:
  - Wij gaan uit van 36 uur.
  - nl: De bron noemt geen maximale telduur.
    en: The source states no counting cap.
  - standard: rounding
eligibility:
  - Alleen inwoners van de regio.
"""


def test_an_own_menu_in_one_language_is_shown_as_written(invoke, wide, write, tender_file):
    path = write("mijn-regio.yaml", OWN_MENU)
    assert invoke("menus", "validate", path).exit_code == 0
    for lang in LANGUAGES:
        tr = Translator(lang)
        out = invoke("--lang", lang, "menus", "show", path).stdout
        for text in ("Mijn regio", "Alleen de eerste pagina was leesbaar.", "Tabel van mijn regio",
                     "Wij gaan uit van 36 uur.", "Alleen inwoners van de regio.", CATALOGUES[lang]["rounding_rule"],
                     {"nl": "De bron noemt geen maximale telduur.", "en": "The source states no counting cap."}[lang]):
            assert text in out, (lang, text)
        tender = tender_file([{"block": "participatiewet", "candidate": "K1", "hours_per_week": 36, "months": 6}],
                             menu=str(path))
        doc = json.loads(invoke("--lang", lang, "check", tender, "--json").stdout)
        assert doc["menu"]["name"] == "Mijn regio"
        assert doc["menu"]["assumptions"][0] == "Wij gaan uit van 36 uur."
        assert doc["menu"]["assumptions"][2] == tr("rounding_rule")
    doc = json.loads(invoke("menus", "show", path, "--json").stdout)
    assert doc["name"] == "Mijn regio" and doc["assumptions"][0] == "Wij gaan uit van 36 uur."
    assert doc["assumptions"][2] == {"standard": "rounding", "nl": NL("rounding_rule"), "en": EN("rounding_rule")}


@pytest.mark.parametrize("old, new, field", [
    ("name: Mijn regio", "name: {nl: Mijn regio}", "en"),
    ("name: Mijn regio", "name: [Mijn, regio]", "name"),
    ("  - standard: rounding", "  - standard: everything_is_fine", "standard"),
    ("  - Wij gaan uit van 36 uur.", "  - {nl: Tekst, en: Text, de: Text}", "de"),
])
def test_a_text_in_the_wrong_shape_is_refused_with_its_line(invoke, write, old, new, field):
    body = OWN_MENU.replace(old, new, 1).lstrip("\n")
    line = body.splitlines().index(new) + 1
    path = write("mijn-regio.yaml", body)
    result = invoke("menus", "validate", path)
    assert result.exit_code == 4, result.output
    assert f"line {line}" in result.output and field in result.output and "Traceback" not in result.output


def test_a_menus_text_as_written_round_trips_through_the_model():
    for menu in MENUS:
        again = Menu.model_validate(menu.model_dump(by_alias=True))
        assert again == menu


@pytest.mark.parametrize("lang", LANGUAGES)
def test_assess_bridge_speaks_the_readers_language(invoke, lang):
    from tests.conftest import EXAMPLES

    result = invoke("--lang", lang, "assess", "--answers", EXAMPLES / "assessment.yaml", "--no-input", "--json")
    doc = json.loads(result.stdout)
    tr = Translator(lang)
    parts = doc["social_return"]["menus"]
    assert len(parts) >= 10
    for part in parts:
        menu = resolve_menu(part["menu"]).menu
        assert part["name"] == tr.label(menu.name) and part["region"] == (tr.label(menu.region) or None)
        for row in part["rows"]:
            block = menu.block(row["block"])
            assert row["menu_note"] == (tr.label(block.note) or None)
            assert row["source"]["title"] == tr.label(menu.source(block.source).title)


def test_a_standard_text_is_only_an_assumption(invoke, write):
    path = write("mijn-regio.yaml", OWN_MENU.replace("name: Mijn regio", "name: {standard: rounding}", 1))
    result = invoke("menus", "validate", path)
    assert result.exit_code == 4 and "line 4" in result.output and "standard" in result.output
    assert "_label" not in result.output and "Traceback" not in result.output
