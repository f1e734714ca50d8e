"""Messages a user meets first, as a user who has not read the code meets them: a tab or a comma in
a YAML file, Dutch keys, ja/nee, a rate typed as "5%", an unknown IMPACTKIT_LANG, a block typed by
its label. Each says what is wrong and what to write instead, in both languages."""

from __future__ import annotations

import json

import pytest

from impactkit.errors import ExitCode
from impactkit.menus import resolve_menu
from impactkit.menus.lookup import find_block, nearest_blocks
from tests.conftest import EXAMPLES
from tests.file_commands import COMMANDS

HEAD = "tender:\n  id: T-1\n  menu: haaglanden-zhc\n  contract_value: 600000\n"


def check(invoke, write, text, *options):
    return invoke(*options, "check", write("t.yaml", text))


# 1. a tab ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, line", [
    ("tender:\n\tid: X\n  menu: haaglanden-zhc\n", 2),  # a tab as the indentation
    ("tender:\n  id: X\n  \tmenu: haaglanden-zhc\n", 3),  # spaces, then a tab
    (HEAD + "bids:\n  - bidder: A\n\t- bidder: B\n", 7),  # a list item
])
def test_a_tab_is_named_with_its_line_in_both_languages(invoke, write, text, line):
    result = check(invoke, write, text)
    assert result.exit_code == ExitCode.INVALID
    assert f"t.yaml, line {line}: a tab; YAML indents with spaces" in result.stderr
    assert "cannot start any token" not in result.stderr
    dutch = check(invoke, write, text, "--lang", "nl")
    assert f"t.yaml, regel {line}: een tab; YAML springt in met spaties" in dutch.stderr


def test_another_syntax_error_is_not_blamed_on_a_tab(invoke, write):
    result = check(invoke, write, "tender:\n  id: [X\n")
    assert result.exit_code == ExitCode.INVALID
    assert "YAML syntax error" in result.stderr and "tab" not in result.stderr


# 2. a comma inside {...} ---------------------------------------------------------------------

def test_a_decimal_comma_inside_braces_says_what_to_write(invoke, write):
    text = HEAD + "bids:\n  - bidder: A\n    contributions:\n" \
                  "      - {block: participatiewet, candidate: J-1, hours_per_week: 24,5, months: 12}\n"
    result = check(invoke, write, text)
    assert result.exit_code == ExitCode.INVALID
    assert ("t.yaml, line 8, bid 1 › contribution 1, field hours_per_week: a comma inside {...} ends the value: "
            "write 24.5 instead of 24,5") in result.stderr
    assert "Keys should be strings" not in result.stderr
    dutch = check(invoke, write, text, "--lang", "nl")
    assert "veld hours_per_week: een komma binnen {...} beëindigt de waarde: schrijf 24.5" in dutch.stderr


def test_a_dutch_amount_and_a_text_inside_braces(invoke, write):
    text = HEAD + "bids:\n  - bidder: A\n    contributions:\n" \
                  "      - {block: opleidingskosten, amount: 1.250,50, note: met dank, aan Piet}\n"
    result = check(invoke, write, text)
    assert "field amount: a comma inside {...} ends the value: write 1250.50 instead of 1.250,50" in result.stderr
    assert 'field note: a comma inside {...} ends the value; put a value with a comma in quotes: "met dank, aan Piet"' \
        in result.stderr


ROLES = {"answers": ("assess", "answers:\n  arbeidsparticipatie: {problem: ja, evidence: met staf, maart 2024}\n"),
         "plan": ("plan", "options:\n  - {id: a, block: ww, hours_per_week: 24,5}\n"),
         "realisations": ("monitor import", "lines:\n  - {contract: X, hours_per_week: 24,5}\n")}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_yaml_reader_explains_the_comma(invoke, tmp_path, role):
    command = next(c for c in COMMANDS if c.role == role)
    source = tmp_path / "input.yaml"
    source.write_text(ROLES[role][1], encoding="utf-8")
    result = invoke(*command.arguments(source, tmp_path))
    assert result.exit_code == ExitCode.INVALID, result.output
    assert "a comma inside {...} ends the value" in result.stderr


def test_a_flag_written_without_a_value_is_not_taken_for_a_comma(invoke, write):
    text = HEAD + "bids:\n  - bidder: A\n    contributions:\n      - {block: ww, candidate: J-1, statushouder}\n"
    result = check(invoke, write, text)
    assert "comma" not in result.stderr and "statushouder" in result.stderr


# 6. Dutch keys and ja/nee ----------------------------------------------------------------------

def test_dutch_keys_point_to_the_field(invoke, write):
    text = ("tender:\n  id: T-1\n  menu: haaglanden-zhc\n  opdrachtwaarde: 600000\nbids:\n  - inschrijver: A\n"
            "    contributions:\n      - {block: ww, kandidaat: K1, uren_per_week: 36, maanden: 12, leeftijd: 55}\n"
            "      - {block: opleidingskosten, bedrag: 100}\n")
    result = check(invoke, write, text)
    for dutch, field in [("opdrachtwaarde", "contract_value"), ("inschrijver", "bidder"), ("kandidaat", "candidate"),
                         ("uren_per_week", "hours_per_week"), ("maanden", "months"), ("leeftijd", "age"),
                         ("bedrag", "amount")]:
        assert f"field {dutch}: is not a known field; did you mean {field}?" in result.stderr


def test_ja_nee_j_n_are_yes_and_no_in_yaml(invoke, write):
    text = HEAD + ("bids:\n  - bidder: A\n    pso_certified: ja\n    contributions:\n"
                   "      - {block: participatiewet, candidate: K1, hours_per_week: 36, months: 12, age: 55,"
                   " permanent_contract: j, statushouder: nee}\n  - bidder: B\n    pso_certified: N\n")
    said = invoke("check", write("t.yaml", text), "--json")
    assert said.exit_code == 0, said.output
    plain = text.replace(": ja", ": true").replace(": j,", ": true,").replace(": nee", ": false").replace(": N", ": false")
    same = invoke("check", write("t.yaml", plain), "--json")
    bids = json.loads(said.stdout)["bids"]
    assert bids == json.loads(same.stdout)["bids"]
    assert bids[0]["obligation_detail"]["pso"] == "claimed_without_percentage"  # ja: certified
    assert bids[1]["obligation_detail"]["pso"] != "claimed_without_percentage"  # N: not


def test_a_trede_as_the_certification_points_to_pso_trede(invoke, write):
    text = HEAD + "bids:\n  - bidder: A\n    pso_certified: trede 2\n  - bidder: B\n    pso_certified: misschien\n"
    result = check(invoke, write, text)
    assert "bid 1, field pso_certified: is yes or no; trede 2 is a PSO trede: give it as pso_trede: 2" in result.stderr
    assert "bid 2, field pso_certified: must be yes or no (ja/nee, true/false; got misschien)" in result.stderr


# 3. amounts and rates on the command line ---------------------------------------------------------

def obligation(invoke, *args):
    result = invoke("obligation", "-m", "utrecht", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["obligation"]


@pytest.mark.parametrize("rate", ["5%", "5 %", "0,05", "0.05"])
def test_a_rate_as_people_write_it(invoke, rate):
    assert obligation(invoke, "--value", "800000", "--rate", rate) == obligation(invoke, "--value", "800000",
                                                                                  "--rate", "0.05")


@pytest.mark.parametrize("value", ["800.000", "€ 800.000,00", "800000", "800000.00", "€800,000.00"])
def test_an_amount_as_people_write_it(invoke, value):
    assert obligation(invoke, "--value", value)["amount"] == obligation(invoke, "--value", "800000")["amount"]


@pytest.mark.parametrize("args, option, words", [
    (["--value", "800000", "--rate", "5"], "--rate", "not a rate: '5' (write 5% or 0.05"),
    (["--value", "800000", "--rate", "150%"], "--rate", "not a rate: '150%'"),
    (["--value", "5%"], "--value", "not an amount: '5%'"),
    (["--value", "veel"], "--value", "not an amount: 'veel'"),
    (["--value", "1000", "--threshold", "-5"], "--threshold", "must be an amount from 0"),
    (["--value", "1000", "--cap", "x"], "--cap", "not an amount: 'x'"),
])
def test_a_wrong_amount_or_rate_names_its_option(invoke, args, option, words):
    result = invoke("obligation", "-m", "utrecht", *args)
    assert result.exit_code == ExitCode.USAGE
    assert f"Invalid value for {option}: {words}" in result.output


def test_a_budget_as_people_write_it(invoke):
    plain = invoke("plan", EXAMPLES / "plan.yaml", "--budget", "15000", "--json")
    dutch = invoke("plan", EXAMPLES / "plan.yaml", "--budget", "€ 15.000,-", "--json")
    assert plain.exit_code == dutch.exit_code == 0, dutch.output
    assert json.loads(plain.stdout)["plan"] == json.loads(dutch.stdout)["plan"]
    refused = invoke("plan", EXAMPLES / "plan.yaml", "--budget", "5%")
    assert refused.exit_code == ExitCode.USAGE and "Invalid value for --budget: not an amount" in refused.output


# 4. an unknown IMPACTKIT_LANG ------------------------------------------------------------------

def test_an_unknown_language_from_the_environment_names_the_variable(invoke):
    result = invoke("obligation", "-m", "utrecht", "-v", "1000", env={"IMPACTKIT_LANG": "fr"})
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for IMPACTKIT_LANG: unknown language 'fr'" in result.output
    assert "--lang" not in result.output.split("Error")[-1] and "None" not in result.output
    explicit = invoke("--lang", "xx", "obligation", "-m", "utrecht", "-v", "1000", env={"IMPACTKIT_LANG": "fr"})
    assert "Invalid value for --lang: unknown language 'xx'" in explicit.output
    chosen = invoke("--lang", "nl", "obligation", "-m", "utrecht", "-v", "1000", env={"IMPACTKIT_LANG": "fr"})
    assert chosen.exit_code == 0 and "Verplichting" in chosen.stdout


# 5. blocks by their labels ----------------------------------------------------------------------

def test_a_block_is_found_by_its_label_case_spaces_and_hyphens_aside():
    menu = resolve_menu("haaglanden-zhc").menu
    for text, block in [("ww", "ww"), ("WW uitkering", "ww"), ("ww-uitkering", "ww"),
                        ("WW unemployment benefit", "ww"), ("Participatiewet-uitkering", "participatiewet"),
                        ("Opleiding en bijzondere begeleiding", "opleidingskosten"),
                        ("Stagiair MBO/HBO [stage_mbo_hbo]", "stage_mbo_hbo"), ("stage mbo hbo", "stage_mbo_hbo")]:
        assert find_block(menu, text) == block, text
    for text in ("Opleiding", "WIA WAO", "Stage MBO", "", "[nothing]"):
        assert find_block(menu, text) is None, text


def test_the_nearest_blocks_compare_labels_too():
    menu = resolve_menu("haaglanden-zhc").menu
    assert nearest_blocks(menu, "Opleiding")[0] == "opleidingskosten"
    assert nearest_blocks(menu, "WIA/WAO")[0] == "wia"
    assert nearest_blocks(menu, "BBL niveau 2")[:2] == ["bbl_niveau_1_2", "bbl_niveau_3_plus"]
    assert nearest_blocks(menu, "xyzzy") == []


def test_check_suggests_a_block_by_its_label(invoke, write):
    text = HEAD + "bids:\n  - bidder: A\n    contributions:\n      - {block: Opleiding, amount: 100}\n"
    result = check(invoke, write, text)
    assert "unknown block 'Opleiding'; nearest: opleidingskosten" in result.stderr
