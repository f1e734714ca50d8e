"""Numbers as people type them, the same reading everywhere: "800.000" is eight hundred thousand on
the command line, a comma-separated row with a decimal comma is refused, not shifted, and an
ambiguous "500.000" in a tender file is refused rather than read as 500."""

from decimal import Decimal

import pytest

from impactkit.errors import ExitCode


@pytest.mark.parametrize("typed", ["800000", "800.000", "€ 800.000", "800.000,00", "800000.00", "800,000.00",
                                   "800,000", "€ 800,000"])
def test_the_contract_value_on_the_command_line_reads_as_typed(invoke, typed):
    result = invoke("obligation", "--menu", "haaglanden-zhc", "--value", typed, "--json")
    assert result.exit_code == 0, result.output
    import json

    assert Decimal(json.loads(result.stdout)["obligation"]["amount"]) == Decimal("40000.00")


@pytest.mark.parametrize("option", ["--value", "--budget"])
def test_an_amount_with_one_group_of_thousands_is_thousands_with_either_separator(invoke, option, tmp_path):
    """A user tester typed --value 500,000 and got an obligation of €500.00 (read as a Dutch decimal
    comma), while 500.000 gave €500,000.00: an amount has cents, never a third decimal."""
    from impactkit.cli.common import amount_option

    for typed in ("62,500", "62.500", "€ 62,500"):
        assert amount_option(typed, option) == Decimal("62500.00")
    for typed, expected in (("62,5", "62.50"), ("62,50", "62.50"), ("1.5", "1.50"), ("1,250,000", "1250000.00")):
        assert amount_option(typed, option) == Decimal(expected)
    result = invoke("obligation", "--menu", "haaglanden-zhc", "--value", "500,000", "--json")
    assert result.exit_code == 0
    import json

    assert Decimal(json.loads(result.stdout)["obligation"]["amount"]) == Decimal("25000.00")


@pytest.mark.parametrize("lang, words", [("en", "at most two decimals"), ("nl", "hoogstens twee decimalen")])
def test_an_amount_with_more_than_two_decimals_is_refused_not_rounded(invoke, lang, words):
    result = invoke("--lang", lang, "obligation", "--menu", "haaglanden-zhc", "--value", "500000,001")
    assert result.exit_code == ExitCode.USAGE and words in result.output and "--value" in result.output


def test_a_rate_may_be_a_percentage_and_options_say_who_set_them(invoke):
    result = invoke("obligation", "--menu", "haaglanden-zhc", "--value", "800.000", "--rate", "4%", "--cap", "10.000")
    assert result.exit_code == 0
    assert "€10,000.00" in result.stdout and "set on the command line: rate, cap" in result.stdout.replace("\n", " ")
    bad = invoke("obligation", "--menu", "haaglanden-zhc", "--value", "800000", "--rate", "abc")
    assert bad.exit_code == ExitCode.USAGE and "not a rate" in bad.output and "--rate" in bad.output


@pytest.mark.parametrize("field, value", [("contract_value", "500.000"), ("threshold", "215.000"), ("cap", "20.000")])
def test_an_ambiguous_amount_in_a_tender_file_is_refused(invoke, tender_file, field, value):
    path = tender_file([])
    keep = "contract_value: 500000\n  " if field != "contract_value" else ""
    text = path.read_text(encoding="utf-8").replace("contract_value: 500000", keep)
    path.write_text(text.replace("tender:\n", f"tender:\n  {field}: {value}\n", 1), encoding="utf-8")  # unquoted, as typed
    result = invoke("check", path)
    assert result.exit_code == ExitCode.INVALID, result.output
    assert f"{value} could mean {value.replace('.', '')}" in result.stderr and f"field {field}" in result.stderr


def test_a_quantity_with_three_decimals_that_looks_like_thousands_is_refused(invoke, tender_file):
    path = tender_file([{"block": "opleidingskosten", "amount": 1}])
    path.write_text(path.read_text(encoding="utf-8").replace("amount: 1", "amount: 1.400"), encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == ExitCode.INVALID and "1.400 could mean 1400" in result.stderr
    fine = tender_file([{"block": "participatiewet", "hours_per_week": 24.5, "months": 6}], name="fine.yaml")
    assert invoke("check", fine).exit_code == 0  # one or two decimals are decimals


def test_a_comma_separated_row_with_a_decimal_comma_is_refused_not_shifted(invoke, tmp_path):
    path = tmp_path / "bids.csv"
    path.write_text("Aanbesteding,Menu,Opdrachtwaarde,Inschrijver,Bouwblok,Kandidaat,Uren per week,Maanden\n"
                    "T1,utrecht,500000,Naief BV,ww,A,32,5,6\n"
                    "T1,utrecht,500000,Naief BV,ww,B,32,6\n", encoding="utf-8")
    result = invoke("score", path, "--json")
    assert result.exit_code == 0
    import json

    document = json.loads(result.stdout)
    assert [r["row"] for r in document["rejected"]] == [2]
    assert "more fields than the header (9/8)" in document["rejected"][0]["message"]
    assert [line["row"] for line in document["lines"]] == [3]


@pytest.mark.parametrize("lang, typed, written", [("en", "€ 500.000", "500000"), ("nl", "€ 500.000", "500000"),
                                                 ("en", "1.250,-", "1250"), ("en", "4,50", "4.50")])
def test_a_number_typed_as_in_a_spreadsheet_says_how_to_write_it_in_yaml(invoke, tender_file, lang, typed, written):
    """A tester wrote `contract_value: € 500.000` and `cost_per_hour: 4,50` and got only "must be a
    number": the message now gives the number as YAML wants it."""
    path = tender_file([{"block": "opleidingskosten", "amount": 1}])
    path.write_text(path.read_text(encoding="utf-8").replace("amount: 1", f"amount: '{typed}'"), encoding="utf-8")
    result = invoke("--lang", lang, "check", path)
    assert result.exit_code == ExitCode.INVALID, result.output
    words = {"en": f"write it as {written},", "nl": f"schrijf het in een YAML-bestand als {written},"}[lang]
    assert words in result.stderr and "field amount" in result.stderr.replace("veld amount", "field amount")


def test_an_obligation_given_in_a_tender_says_it_is_computed(invoke, tender_file):
    path = tender_file([])
    path.write_text(path.read_text(encoding="utf-8").replace("tender:\n", "tender:\n  obligation: 62500\n", 1),
                    encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == ExitCode.INVALID
    assert "field obligation: is computed, not given" in result.stderr and "contract_value" in result.stderr
