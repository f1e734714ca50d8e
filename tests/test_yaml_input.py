"""YAML input that Python or PyYAML would take wrongly or crash on: each is refused with the
file, the line, the field and what was expected (exit 4), by every command that reads YAML."""

from __future__ import annotations

import re

import pytest

from impactkit.errors import ExitCode, InvalidInputError
from impactkit.i18n import Translator
from impactkit.i18n.problems import problem_text
from impactkit.io.yamlio import MAX_INTEGER_DIGITS, parse_yaml
from tests.conftest import EXAMPLES, ROOT
from tests.file_commands import COMMANDS

TENDER = (EXAMPLES / "tender.yaml").read_text(encoding="utf-8")
MENU = (ROOT / "blocks" / "haaglanden-zhc@2023-07.yaml").read_text(encoding="utf-8")
ANSWERS = (EXAMPLES / "assessment.yaml").read_text(encoding="utf-8")
REALISATIONS = (EXAMPLES / "monitor" / "q3.yaml").read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def messages(text: str) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        parse_yaml(text, "t.yaml")
    return [problem_text(p, Translator("en")) for p in caught.value.problems]


# duplicated keys ------------------------------------------------------------------------------

def test_a_duplicated_contract_value_is_an_error_naming_both_lines(invoke, tmp_path):
    # before: the last value silently won, an obligation of EUR 2,250,000 (5% of 45,000,000) instead of 25,000
    text = TENDER.replace("  contract_value: 500000 ", "  contract_value: 500000\n  contract_value: 45000000 ", 1)
    tender = tmp_path / "t.yaml"
    tender.write_text(text, encoding="utf-8")
    result = invoke("check", tender)
    assert result.exit_code == ExitCode.INVALID, result.output
    first, second = line_of(text, "contract_value: 500000"), line_of(text, "contract_value: 45000000")
    assert f"line {second}, tender, field contract_value: is given twice (first on line {first})" in result.stderr
    assert "2,250,000" not in result.output


def test_duplicates_are_found_at_every_depth_and_all_reported():
    text = "tender:\n  id: A\n  id: B\nbids:\n  - bidder: X\n    bidder: Y\n"
    found = messages(text)
    assert found == ["t.yaml, line 3, tender, field id: is given twice (first on line 2); keep one",
                     "t.yaml, line 6, bid 1, field bidder: is given twice (first on line 5); keep one"]


def test_the_same_text_under_another_type_is_not_a_duplicate():
    data, _ = parse_yaml('1: a\n"1": b\n', "t.yaml")
    assert data == {1: "a", "1": "b"}


# numbers beyond any sensible bound --------------------------------------------------------------

PLAN = (EXAMPLES / "plan-short.yaml").read_text(encoding="utf-8")
YAML_COMMANDS = [c for c in COMMANDS if c.role in ("tender", "menu", "answers", "plan", "realisations")]
NUMBER_SLOT = {"tender": ("contract_value: 500000", TENDER), "menu": ("threshold: 215000", MENU),
               "realisations": ("hours_per_week: 32", REALISATIONS), "answers": (None, ANSWERS),
               "plan": ("cost_per_month: 300", PLAN)}


@pytest.mark.parametrize("command", YAML_COMMANDS, ids=[c.name for c in YAML_COMMANDS])
def test_a_5000_digit_integer_is_refused_by_every_yaml_command(invoke, tmp_path, command):
    # before: Python's limit on int-string conversion (4,300 digits) ended every one of them with exit 70
    slot, base = NUMBER_SLOT[command.role]
    huge = "9" * 5000
    if slot is None:
        text, field = base + f"employees: {huge}\n", "employees"
    else:
        field = slot.split(":")[0]
        text = base.replace(slot, f"{field}: {huge}", 1)
    source = tmp_path / "input.yaml"
    source.write_text(text, encoding="utf-8")
    result = invoke(*command.arguments(source, tmp_path))
    assert result.exit_code == ExitCode.INVALID, result.output
    line = line_of(text, huge)
    assert re.search(rf"input\.yaml, line {line}, (.* )?field {field}: ", result.stderr), result.stderr
    if command.role != "answers":  # assess reads its answers' numbers first, in its own words
        assert f"is too large: a number here has at most {MAX_INTEGER_DIGITS} digits" in result.stderr
        assert "(5000 digits)" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("number", ["1" * 400, "1234567890123456", "-" + "9" * 20, "0x" + "F" * 400,
                                    "1.0e+999999999", "-1.5e+40", "0" + "7" * 300, "1_000_000_000_000_000"])
def test_numbers_beyond_any_sensible_bound(number):
    (message,) = messages(f"tender:\n  contract_value: {number}\n")
    assert message.startswith("t.yaml, line 2, tender, field contract_value: is too large"), message


def test_a_number_with_thousands_of_decimals_is_refused():
    (message,) = messages("tender:\n  rate: 0." + "3" * 5000 + "\n")
    assert "field rate: has too many decimals: at most 20" in message


@pytest.mark.parametrize("number", ["123456789012345", "-999999999999999", "0.05", "1.5e+3", "0.00000000000000000001",
                                    "1_000", "0x1F", ".inf"])
def test_sensible_numbers_pass(number):
    data, _ = parse_yaml(f"n: {number}\n", "t.yaml")
    assert data["n"] is not None


def test_a_huge_number_as_a_key_is_refused_without_a_crash():
    (message,) = messages("tender:\n  ? " + "9" * 5000 + "\n  : x\n")
    assert message.startswith("t.yaml, line 2, tender: is too large")


# control characters ------------------------------------------------------------------------------

def test_a_nul_in_a_bidder_name_is_refused_with_line_and_field(invoke, tmp_path):
    # before: check printed it, and check --xlsx ended with exit 70 (openpyxl: IllegalCharacterError)
    text = TENDER.replace("bidder: Bouwbedrijf B", 'bidder: "Bouw\\0bedrijf B"', 1)
    tender = tmp_path / "t.yaml"
    tender.write_text(text, encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = invoke("check", tender, "--xlsx", out)
    assert result.exit_code == ExitCode.INVALID, result.output
    line = line_of(text, "Bouw\\0bedrijf")
    assert f"t.yaml, line {line}, bid 2, field bidder: contains the character U+0000 at position 5" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(("escaped", "shown"), [("\\e[2J", "U+001B"), ("\\a", "U+0007"), ("\\x7f", "U+007F"),
                                                ("\\x9b", "U+009B"), ("\\uFFFE", "U+FFFE")])
def test_escaped_control_characters_in_text(escaped, shown):
    (message,) = messages(f'tender:\n  title: "Onderhoud{escaped}"\n')
    assert message == (f"t.yaml, line 2, tender, field title: contains the character {shown} at position 10 "
                       "(a control character or NUL); remove it")


def test_tabs_and_line_breaks_stay_text():
    data, _ = parse_yaml('note: "a\\tb\\nc"\nblock: |\n  two\n  lines\n', "t.yaml")
    assert data == {"note": "a\tb\nc", "block": "two\nlines\n"}


def test_a_raw_control_character_names_its_line():
    (message,) = messages("tender:\n  id: T\n  title: x\x1b[31m\n")
    assert message == "t.yaml, line 3: the character U+001B is not allowed in a YAML file (a control character or NUL); remove it"


def test_a_bad_key_is_not_echoed_to_the_terminal():
    (message,) = messages('tender:\n  "ti\\e]0;owned\\atle": x\n')
    assert "\x1b" not in message and "\x07" not in message
    assert message.startswith("t.yaml, line 2, tender: contains the character U+001B")


# nesting, aliases, tags, dates, encodings ---------------------------------------------------------

def test_deep_nesting_is_refused_with_its_line():
    (message,) = messages("tender:\n  a: " + "[" * 40 + "]" * 40 + "\n")
    assert message == "t.yaml, line 2: nested more than 32 levels deep; impactkit's files need a few levels"


def test_nesting_beyond_libyaml_is_a_syntax_error_not_a_crash():
    (message,) = messages("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "YAML syntax error" in message


def test_aliases_and_merge_keys_stay_refused():
    assert "anchors, aliases and merge keys" in messages("a: &x 1\nb: *x\n")[0]
    assert "anchors, aliases and merge keys" in messages("a: &x {k: 1}\nb:\n  <<: *x\n")[0]


@pytest.mark.parametrize("tagged", ["!!python/object/apply:os.system [echo]", "!!binary aGVsbG8=", "!vault x",
                                    "!!set {a, b}", "!!omap [a: 1]"])
def test_tags_are_refused_with_their_name(tagged):
    (message,) = messages(f"tender:\n  title: {tagged}\n")
    tag = tagged.split()[0].replace("!!", "tag:yaml.org,2002:")
    assert message == f"t.yaml, line 2, tender, field title: YAML tags such as {tag} are not supported; write a plain value"


def test_an_impossible_date_is_refused_with_its_field():
    # before: datetime's ValueError ended check with exit 70
    (message,) = messages("tender:\n  reference_date: 2024-02-30\n")
    assert message == ("t.yaml, line 2, tender, field reference_date: 2024-02-30 is not a date in the calendar "
                       "(a date is written year-month-day, as 2024-03-01)")


def test_a_utf16_file_from_windows_is_read(invoke, tmp_path):
    tender = tmp_path / "t.yaml"
    tender.write_bytes(TENDER.encode("utf-16"))  # with its byte order mark, as Notepad saves "Unicode"
    result = invoke("check", tender)
    assert result.exit_code == 0, result.output
    assert invoke("check", EXAMPLES / "tender.yaml").stdout == result.stdout


@pytest.mark.parametrize("lang, words", [("en", "this is a CSV file, not a YAML file (for spreadsheets of bids use impactkit score"),
                                         ("nl", "dit is een CSV-bestand, geen YAML-bestand")])
def test_a_csv_given_to_check_points_to_score(invoke, tmp_path, lang, words):
    """A tester gave check a Dutch Excel CSV and was told to save it as UTF-8."""
    path = tmp_path / "hofstad.csv"
    path.write_bytes("Aanbesteding;Inschrijver;Bouwblok\nT1;Caf\xe9 BV;ww\n".encode("cp1252"))
    result = invoke("--lang", lang, "check", path)
    assert result.exit_code == 4 and words in result.stderr and "UTF-8" not in result.stderr, result.stderr


def test_two_bids_of_one_bidder_in_a_tender_are_refused(invoke, tmp_path):
    """A tester copied a bid and forgot to rename it: check showed 'Alfa BV' twice in its summary."""
    path = tmp_path / "t.yaml"
    path.write_text("tender: {id: T-1, menu: haaglanden-zhc, contract_value: 500000}\nbids:\n"
                    "  - bidder: Alfa BV\n    contributions: [{block: ww, candidate: X, hours_per_week: 36, months: 6}]\n"
                    "  - bidder: alfa b.v.\n    contributions: [{block: ww, candidate: Y, hours_per_week: 36, months: 6}]\n",
                    encoding="utf-8")
    result = invoke("check", path)
    told = "line 5, bid 2, field bidder: bid 2 ('alfa b.v.') is by the same bidder as bid 1 ('Alfa BV', line 3)"
    assert result.exit_code == 4 and told in result.stderr, result.stderr


def test_a_bonus_given_as_a_block_says_how_to_claim_it(invoke, tender_file):
    """A tester wrote `block: bonus_55_plus` and got "unknown block; nearest: -"."""
    from impactkit.menus import resolve_menu

    path = tender_file([{"block": "bonus_55_plus", "candidate": "X", "hours_per_week": 36, "months": 6}])
    result = invoke("check", path)
    assert result.exit_code == 5, result.output
    menu = resolve_menu("haaglanden-zhc").menu
    carrying = [b.id for b in menu.blocks if "bonus_55_plus" in b.bonuses]
    age = menu.bonus("bonus_55_plus").when.age_min
    assert "'bonus_55_plus' is a bonus, not a block" in result.stderr and f"age: {age}" in result.stderr
    assert all(block in result.stderr for block in carrying)


def test_every_problem_of_a_tender_comes_in_one_run(invoke, tmp_path):
    """A tester fixed a negative month, ran check again and only then heard of the unknown block and
    the missing months: the file's shape and the menu's blocks were checked in two waves."""
    path = tmp_path / "t.yaml"
    path.write_text("tender: {id: T-1, menu: haaglanden-zhc, contract_value: 500000}\nbids:\n  - bidder: Alfa BV\n"
                    "    contributions:\n"
                    "      - {block: ww, candidate: X, hours_per_week: 36, months: -6}\n"
                    "      - {block: wwx, candidate: Y, hours_per_week: 36, months: 6}\n"
                    "      - {block: ww, candidate: Z, hours_per_week: 36}\n"
                    "      - {block: bonus_55_plus, candidate: Q, hours_per_week: 36, months: 6}\n", encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 4, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [line.split(",")[1].strip() for line in lines] == ["line 5", "line 6", "line 7", "line 8"]
    assert "field months: must be at least 0" in lines[0] and "unknown block 'wwx'; nearest: ww" in lines[1]
    assert "field months: block ww is valued per year" in lines[2] and "is a bonus, not a block" in lines[3]
    # fixed as told, the file checks
    fixed = path.read_text(encoding="utf-8").replace("-6", "6").replace("wwx", "ww").replace(
        "hours_per_week: 36}", "hours_per_week: 36, months: 6}").replace("bonus_55_plus", "ww")
    path.write_text(fixed, encoding="utf-8")
    again = invoke("check", path)
    assert again.exit_code == 0 and "error" not in again.stderr, again.output


def test_a_wrong_tender_field_does_not_hide_the_blocks_problems(invoke, tmp_path):
    """A tester's wrong reference date hid the typos in four blocks: the menu is named all the same."""
    path = tmp_path / "t.yaml"
    path.write_text("tender: {id: T-1, menu: haaglanden-zhc, contract_value: veel, reference_date: 31-12-2025}\n"
                    "bids:\n  - bidder: Alfa BV\n"
                    "    contributions:\n      - {block: wwx, candidate: Y, hours_per_week: 36, months: 6}\n",
                    encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 4, result.output
    told = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(told) == 3 and {"contract_value", "reference_date"} == {t.split("field ")[1].split(":")[0] for t in told[:2]}
    assert "line 5, bid 1 › contribution 1, field block: unknown block 'wwx'" in told[2]
    path.write_text(path.read_text(encoding="utf-8").replace("menu: haaglanden-zhc", "menu: haaglandn"), encoding="utf-8")
    result = invoke("check", path)  # a menu that cannot be found: the header's problems alone
    assert result.exit_code == 4 and "wwx" not in result.stderr, result.stderr


@pytest.mark.parametrize("typed, words", [
    ("2025-02-30", "2025-02-30 is not a date in the calendar"),
    ("2025-13-01", "2025-13-01 is not a date in the calendar"),
    ("31-12-2025", "must be a date written year first (got 31-12-2025); write it as 2025-12-31"),
    ("'31/12/2025'", "must be a date written year first (got 31/12/2025); write it as 2025-12-31"),
    ("30-02-2025", "30-02-2025 is not a date in the calendar"),
    ("morgen", "must be a date like 2024-03-01 (got morgen)"),
])
def test_a_date_as_people_type_it_is_told_how_to_write_it(invoke, tmp_path, typed, words):
    path = tmp_path / "t.yaml"
    path.write_text(f"tender: {{id: T-1, menu: haaglanden-zhc, contract_value: 500000, reference_date: {typed}}}\n"
                    "bids: []\n", encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 4 and "line 1, tender, field reference_date: " + words in result.stderr, result.stderr


def test_problems_with_blocks_and_facts_are_told_in_the_order_of_the_file(invoke, tmp_path):
    """Unknown blocks and a missing fact: exit 4, as invalid entries beside unknown references are
    (5 only when every problem is an unknown reference; docs/exit-codes.md)."""
    path = tmp_path / "t.yaml"
    path.write_text("tender: {id: T-1, menu: haaglanden-zhc, contract_value: 500000}\nbids:\n"
                    "  - bidder: A\n    contributions:\n      - {block: wwx, candidate: X, hours_per_week: 36, months: 6}\n"
                    "      - {block: ww, candidate: Y, hours_per_week: 36}\n"
                    "  - bidder: B\n    contributions:\n      - {block: wwy, candidate: Z, hours_per_week: 36, months: 6}\n",
                    encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 4
    told = [int(line.split(", line ")[1].split(",")[0]) for line in result.stderr.splitlines() if line.startswith("error:")]
    assert told == [5, 6, 9]


@pytest.mark.parametrize("tail, field, words", [
    ("bids:\n", "bids", "has no entries: write them below it, each on a line of its own that starts with '- '"),
    ("bids:\n  - bidder: A\n    contributions:\n", "contributions", "has no entries"),
    ("bids:\n  - bidder: A\n    contributions: {block: ww}\n", "contributions",
     "must be a list: write each entry on a line of its own that starts with '- ' (got dict)"),
])
def test_an_empty_or_wrongly_shaped_list_says_how_to_write_one(invoke, tmp_path, tail, field, words):
    """A tester left `contributions:` empty and read "Input should be a valid tuple"."""
    path = tmp_path / "t.yaml"
    path.write_text("tender: {id: T-1, menu: haaglanden-zhc, contract_value: 300000}\n" + tail, encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 4 and f"field {field}: {words}" in result.stderr, result.stderr
    assert "tuple" not in result.stderr


@pytest.mark.parametrize("fact, value", [("amount", "0.005"), ("hours_per_week", "24.125"), ("months", "2.333")])
def test_a_third_decimal_in_a_tender_is_refused_not_rounded(invoke, tmp_path, fact, value):
    """A tester's amount of 0.005 was counted as a cent without a word."""
    facts = {"amount": "block: opleidingskosten", "hours_per_week": "block: ww, candidate: X, months: 6",
             "months": "block: ww, candidate: X, hours_per_week: 36"}[fact]
    path = tmp_path / "t.yaml"
    path.write_text("tender: {id: T-1, menu: haaglanden-zhc, contract_value: 300000}\nbids:\n  - bidder: A\n"
                    f"    contributions:\n      - {{{facts}, {fact}: {value}}}\n", encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 4 and f"line 5, bid 1 › contribution 1, field {fact}: " in result.stderr, result.stderr
    assert "decimals" in result.stderr or "could mean" in result.stderr


def test_a_value_equal_to_an_exclusive_threshold_is_said_to_be_not_above_it(invoke, tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("tender: {id: T-1, menu: haaglanden-zhc, contract_value: 215000, threshold: 215000,\n"
                    "         threshold_inclusive: false}\nbids:\n  - bidder: A\n    contributions: []\n", encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 0, result.output
    told = " ".join(result.stdout.split())
    assert "the contract value €215,000.00 equals the threshold and is not above it (needs > €215,000.00)" in told


def test_text_that_is_not_utf8_is_told_with_its_line(invoke, tmp_path):
    path = tmp_path / "t.yaml"
    path.write_bytes("tender:\n  id: T\n  title: Café De Hoek\n".encode("latin-1"))
    result = invoke("check", path)
    assert result.exit_code == 4 and f"{path}, line 3: not UTF-8 text" in result.stderr, result.stderr
