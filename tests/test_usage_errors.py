"""Usage errors speak the reader's language: the frame ("Usage:", "Try ... for help.", "Error:")
and the messages click and typer word themselves (an unknown option, a missing argument, a value
that is not a whole number or a date that does not exist)."""

import pytest

from impactkit.cli.usage import message_text
from impactkit.errors import ExitCode
from impactkit.i18n import Translator

CASES = [  # arguments, the Dutch words, the English words
    (["check"], "Argument 'tender' ontbreekt.", "Missing argument 'tender'."),
    (["check", "--xlsx"], "Optie '--xlsx' heeft een waarde nodig.", "Option '--xlsx' requires an argument."),
    (["check", "a.yaml", "b.yaml"], "Onverwacht extra argument (b.yaml)", "unexpected extra argument (b.yaml)"),
    (["check", "a.yaml", "--jsn"], "Onbekende optie: --jsn", "No such option: --jsn"),
    (["chek"], "Onbekende opdracht 'chek'. Bedoelde u 'check'?", "No such command 'chek'."),
    (["monitor", "review", "--accept", "abc"], "Ongeldige waarde voor '--accept': geen geheel getal",
     "Invalid value for '--accept': not a whole number"),
    (["monitor", "log", "--last", "0"], "moet minstens 1 zijn", "must be at least 1"),
    (["obligation", "--menu", "fryslan", "--value", "5", "--date", "2024-02-30"],
     "geen datum: '2024-02-30' (schrijf JJJJ-MM-DD", "not a date: '2024-02-30' (write YYYY-MM-DD"),
]


@pytest.mark.parametrize("args, dutch, english", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_usage_errors_in_both_languages(invoke, args, dutch, english):
    nl = invoke("--lang", "nl", *args)
    en = invoke("--lang", "en", *args)
    assert nl.exit_code == en.exit_code == ExitCode.USAGE, nl.output
    assert dutch in nl.stderr and "Fout: " in nl.stderr and "Error:" not in nl.stderr, nl.stderr
    assert english in en.stderr and "Error: " in en.stderr, en.stderr
    if "Usage:" in en.stderr:  # the frame, when click shows one
        assert "Gebruik: impactkit" in nl.stderr and "voor hulp." in nl.stderr and "[OPTIONS]" not in nl.stderr


def test_the_language_of_the_environment_counts_before_a_command_is_known(invoke):
    result = invoke("chek", env={"IMPACTKIT_LANG": "nl"})
    assert result.exit_code == ExitCode.USAGE and "Onbekende opdracht 'chek'" in result.stderr


def test_a_message_impactkit_wrote_itself_is_left_as_it_is():
    tr = Translator("nl")
    own = "Invalid value for --value: geen bedrag: 'abc'"
    assert message_text(own, tr) == "Ongeldige waarde voor --value: geen bedrag: 'abc'"
    assert message_text("something click says that we do not know", tr) == "something click says that we do not know"
