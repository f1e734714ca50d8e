import ast
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from impactkit.i18n import CATALOGUES, Translator, resolve_lang
from impactkit.money import cents, to_decimal

SRC = Path(__file__).resolve().parent.parent / "src" / "impactkit"


@pytest.mark.parametrize(
    "value, expected",
    [
        (Fraction(5, 1000), "0.01"),  # half-up, where half-even would give 0.00
        (Fraction(125, 1000), "0.13"),
        (Fraction(40000 * 24 * 6, 36 * 12), "13333.33"),
        (Fraction(-5, 1000), "-0.01"),
        (Decimal("5000.005"), "5000.01"),
        (Decimal("0.125"), "0.13"),
    ],
)
def test_cents_rounds_half_up(value, expected):
    assert cents(value) == Decimal(expected)
    assert str(cents(value)) == expected


def test_to_decimal_uses_the_shortest_float_repr():
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal("12.50") == Decimal("12.50")
    with pytest.raises(TypeError):
        to_decimal(True)


def test_amounts_in_dutch_and_english():
    nl, en = Translator("nl"), Translator("en")
    assert nl.eur(Decimal("13333.333")) == "€ 13.333,33"
    assert en.eur(Decimal("13333.333")) == "€13,333.33"
    assert nl.number(Decimal("24.5")) == "24,5"
    assert nl.number(Decimal("40000")) == "40.000"
    assert nl.percent(Decimal("0.025")) == "2,5%"
    assert en.eur(Decimal("-1234567.8")) == "€-1,234,567.80"


def test_language_choice_order():
    assert resolve_lang("nl", {"IMPACTKIT_LANG": "en"}) == "nl"
    assert resolve_lang(None, {"IMPACTKIT_LANG": "nl", "LANG": "en_US.UTF-8"}) == "nl"
    assert resolve_lang(None, {"LANG": "nl_NL.UTF-8"}) == "nl"
    assert resolve_lang(None, {"LC_ALL": "C", "LANG": "nl_NL.UTF-8"}) == "en"
    assert resolve_lang(None, {}) == "en"
    with pytest.raises(ValueError):
        resolve_lang("fr", {})


def test_catalogues_have_the_same_keys_and_placeholders():
    en, nl = CATALOGUES["en"], CATALOGUES["nl"]
    assert set(en) == set(nl)
    field = re.compile(r"{(\w+)")
    for key in en:
        assert set(field.findall(en[key])) == set(field.findall(nl[key])), key


def _message_keys_used_in_source() -> set[str]:
    """String literals passed as the first argument of tr(...), Problem(...) or .problem(key...)."""
    keys = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in ("tr", "Problem", "problem") and isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.add(first.value)
            if isinstance(node.func, ast.Name) and node.func.id == "PydanticCustomError":
                if isinstance(first, ast.Constant) and first.value.startswith("ik_"):
                    keys.add(first.value[3:])
    return keys


def test_every_message_key_used_in_the_code_exists():
    used = _message_keys_used_in_source()
    assert len(used) > 40  # the scan found the calls
    missing = sorted(k for k in used if k not in CATALOGUES["en"])
    assert missing == []


def test_counts_take_their_plural_form_in_both_languages():
    en, nl = Translator("en"), Translator("nl")
    assert en("monitor_imported", new=1) == "1 new line imported" and en("monitor_imported", new=3) == "3 new lines imported"
    assert nl("monitor_imported", new=1) == "1 nieuwe regel ingelezen"
    assert nl("monitor_imported", new=2) == "2 nieuwe regels ingelezen"


def test_no_message_writes_a_plural_as_s_in_brackets():
    for lang, catalogue in CATALOGUES.items():
        for key, text in catalogue.items():
            assert not re.search(r"\w\((s|en|len|men)\)", text), (lang, key, text)


def test_a_message_that_cannot_be_filled_in_is_a_bug_not_a_half_text():
    from impactkit.i18n import MessageError

    with pytest.raises(MessageError):
        Translator("en")("monitor_imported")  # the count is missing
    with pytest.raises(MessageError):
        Translator("nl")("no such key")


# a count before a plural noun ("{bids} bids") must take its plural form: "1 bid", never "1 bids"
_PLURAL_NOUNS = {
    "en": "rows|bids|tenders|months|hours|days|lines|files|menus|blocks|bonuses|people|enterprises|requirements|cells"
          "|columns|options|levels|digits|decimals|characters|times|contracts|candidates|themes|indicators|problems"
          "|entries|answers|questions|profiles|sheets|places|persons|bidders|years|weeks|notes|values",
    "nl": "rijen|inschrijvingen|aanbestedingen|maanden|dagen|regels|bestanden|menu's|bouwblokken|bonussen|personen"
          "|ondernemingen|eisen|cellen|kolommen|opties|niveaus|cijfers|decimalen|tekens|contracten|kandidaten|thema's"
          "|indicatoren|problemen|antwoorden|vragen|profielen|bladen|plaatsen|inschrijvers|jaren|weken|notities"
          "|waarden|bijdragerijen|aanbestedingsrijen",
}
# placeholders before such a noun that are not counts of it
_NOT_COUNTS = {("ref_source_status", "derived"), ("for_table_status", "kind"), ("trede_not_in_menu", "trede")}


@pytest.mark.parametrize("lang", sorted(_PLURAL_NOUNS))
def test_every_count_before_a_noun_takes_its_plural_form(lang):
    pattern = re.compile(r"\{(\w+)\} (?:[\w-]+ )?(?:" + _PLURAL_NOUNS[lang] + r")(?![\w'])")
    for key, text in CATALOGUES[lang].items():
        for name in pattern.findall(text):
            if (key, name) not in _NOT_COUNTS:
                assert f"{{{name}:?" in text, (lang, key, text)


@pytest.mark.parametrize("key, params, one, other", [
    ("score_bids", {"bids": 1, "tenders": 1, "met": 1}, "1 bid in 1 tender; 1 meets its obligation",
     "2 bids in 3 tenders; 0 meet their obligation"),
    ("score_counts", {"rows_in": 1, "rows_scored": 1, "rows_rejected": 0}, "1 contribution row in",
     "2 contribution rows in"),
    ("explain_cap_applied", {"months": "1", "counted": "1", "cap": "1"}, "1 month worked, 1 counted (cap 1 month)",
     "1,5 maanden"),
])
def test_plural_forms_of_counts_and_formatted_numbers(key, params, one, other):
    assert one in Translator("en")(key, **params)
    many = {k: 2 if k == "bids" else 3 if k == "tenders" else 0 if k == "met" else 2 for k in params}
    if key == "explain_cap_applied":
        assert other in Translator("nl")(key, months="1,5", counted="1,5", cap="12")
    else:
        assert other in Translator("en")(key, **many)
