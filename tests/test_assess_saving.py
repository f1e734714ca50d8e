"""Saving answers never destroys what the user wrote: a hand-written answers file keeps its
comments, spellings and layout when answers are added, changed or removed, is not written at all
when nothing changed, and is left as it was (the answers going beside it) when an edit cannot be
done safely. Every file is written and read back."""

import copy
from decimal import Decimal

import pytest

from impactkit.assess import answers_edit, saving
from impactkit.assess.answers import Answer
from impactkit.assess.model import catalogue
from impactkit.assess.reading import load, load_text

CAT = catalogue()
CE = "circulaire_economie"
COMMENTS = ["# Ons eerste jaar - ingevuld door Anna", "# ons enige thema", "# nog niet geregeld",
            "# kort gehouden", "# volgend jaar", "# hieronder komt de theory of change", "# gewogen, 2024"]
HAND_WRITTEN = f"""{COMMENTS[0]}
enterprise:
  name: Kringloop K2
  municipality: Hoogeveen
  year: 2024
  themes: Circulaire Economie     {COMMENTS[1]}
  mission: Wij geven spullen een tweede leven.
  mission_statutes: nee   {COMMENTS[2]}
answers:
  circulaire_economie:
    problem: Er wordt te veel weggegooid in Hoogeveen.   {COMMENTS[3]}
    target_group: Inwoners en bedrijven
    objectives: In 2026 halen we 50.000 kg op voor hergebruik.
    toc_validated: nee  {COMMENTS[4]}
    {COMMENTS[5]}
measures:
  ce_secondary_inputs: 70%
  ce_kg_by_r_strategy: {{R3: 12000}}   {COMMENTS[6]}
"""
ENTER = "\n" * 60  # Enter at every question still to come


def kept_in_order(old: str, new: str, leaving=()) -> bool:
    """Every line of `old` (but those named in `leaving`) is in `new`, unchanged and in order."""
    remaining = iter(new.splitlines())
    return all(line in remaining for line in old.splitlines() if not any(part in line for part in leaving))


@pytest.fixture
def k2(tmp_path):
    path = tmp_path / "k2.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    return path


@pytest.mark.parametrize("revise", [False, True])
def test_nothing_changed_leaves_the_file_as_it_was(invoke, k2, revise):
    before = k2.read_bytes()
    result = invoke("assess", "--answers", k2, *(["--revise"] if revise else []), input=ENTER)
    assert result.exit_code == 0, result.output
    assert k2.read_bytes() == before
    assert f"no answer changed: {k2} is left as it was" in result.stderr
    dutch = invoke("--lang", "nl", "assess", "--answers", k2, input=ENTER)
    assert k2.read_bytes() == before and f"{k2} is niet aangepast" in dutch.stderr


def test_added_answers_go_into_the_file_as_the_user_wrote_it(invoke, k2):
    typed = "Hout uit sloop wordt meubels.\nSlopers leveren hout aan.\n"
    result = invoke("assess", "--answers", k2, input=typed + ENTER)
    assert result.exit_code == 0, result.output
    text = k2.read_text(encoding="utf-8")
    assert kept_in_order(HAND_WRITTEN, text)  # every comment, `nee`, `70%`, the theme as written
    a = load(k2, CAT)
    assert a.answers[CE]["theory_of_change"] == Answer("Hout uit sloop wordt meubels.")
    assert a.answers[CE]["assumptions"] == Answer("Slopers leveren hout aan.")
    assert "2 added, 0 changed, 0 removed" in result.stderr and "your comments included" in result.stderr


def test_revised_and_removed_answers_keep_every_comment(invoke, k2):
    # revise: the statutes' "no" removed (-), the check of the theory of change now yes with its evidence
    result = invoke("assess", "--answers", k2, "--revise", input="-\nja\nMet de buurt, mei 2024\n" + ENTER)
    assert result.exit_code == 0, result.output
    text = k2.read_text(encoding="utf-8")
    a = load(k2, CAT)
    assert "mission_statutes" not in a.general
    assert a.answers[CE]["toc_validated"] == Answer(True, "Met de buurt, mei 2024")
    assert all(comment in text for comment in COMMENTS)
    assert kept_in_order(HAND_WRITTEN, text, leaving=("mission_statutes", "toc_validated"))
    assert "toc_validated: {answer: ja," in text  # yes and no as this file writes them
    assert "0 added, 1 changed, 1 removed" in result.stderr


@pytest.mark.parametrize("encoding, newline, bom", [
    ("utf-8-sig", "\r\n", b"\xef\xbb\xbf"),  # Notepad's "UTF-8 with BOM", Windows line ends
    ("utf-16", "\r\n", b"\xff\xfe"),  # Notepad's "Unicode"
    ("utf-8", "\n", b""),
])
def test_an_edited_file_keeps_its_encoding_and_line_ends(invoke, k2, encoding, newline, bom):
    k2.write_bytes(HAND_WRITTEN.replace("\n", newline).encode(encoding))
    result = invoke("assess", "--answers", k2, input="Hout uit sloop wordt meubels.\n" + ENTER)
    assert result.exit_code == 0, result.output
    raw = k2.read_bytes()
    assert raw.startswith(bom) and raw[len(bom):len(bom) + 3] != b"\xef\xbb\xbf"
    text = raw.decode(encoding)
    assert kept_in_order(HAND_WRITTEN, text.replace(newline, "\n"))
    assert text.count("\n") == text.count(newline)  # no line end of the other kind crept in
    assert load(k2, CAT).answers[CE]["theory_of_change"] == Answer("Hout uit sloop wordt meubels.")
    again = invoke("assess", "--answers", k2, input=ENTER)
    assert again.exit_code == 0 and k2.read_bytes() == raw


def test_stopping_halfway_keeps_the_users_text(invoke, k2):
    result = invoke("assess", "--answers", k2, input="Hout uit sloop wordt meubels.\n")  # then the input ends
    assert result.exit_code == 130
    text = k2.read_text(encoding="utf-8")
    assert kept_in_order(HAND_WRITTEN, text)
    assert load(k2, CAT).answers[CE]["theory_of_change"] == Answer("Hout uit sloop wordt meubels.")


def test_when_an_edit_is_not_safe_the_file_is_left_and_the_answers_go_beside_it(invoke, k2, monkeypatch):
    monkeypatch.setattr(saving, "edit", lambda *args: None)  # as if the edit could not be read back intact
    before = k2.read_bytes()
    result = invoke("assess", "--answers", k2, input="Hout uit sloop wordt meubels.\n" + ENTER)
    assert result.exit_code == 0, result.output
    beside = k2.with_name("k2.saved.yaml")
    assert k2.read_bytes() == before
    assert load(beside, CAT).answers[CE]["theory_of_change"] == Answer("Hout uit sloop wordt meubels.")
    assert load(beside, CAT).answers[CE]["problem"] == load(k2, CAT).answers[CE]["problem"]
    assert f"{k2} is left as it was" in result.stderr and f"impactkit assess --answers {beside}" in result.stderr


def test_save_elsewhere_copies_the_users_text(invoke, k2, tmp_path):
    other = tmp_path / "k2-kopie.yaml"
    before = k2.read_bytes()
    assert invoke("assess", "--answers", k2, "--save", other, input=ENTER).exit_code == 0
    assert k2.read_bytes() == before and other.read_text(encoding="utf-8") == HAND_WRITTEN


CHANGES = {
    "a new answer": lambda a: a.answers[CE].__setitem__("assumptions", Answer("Slopers leveren hout aan.")),
    "a changed text": lambda a: a.answers[CE].__setitem__("problem", Answer("Te veel afval: 40% wordt verbrand.")),
    "a removed answer": lambda a: a.answers[CE].pop("target_group"),
    "evidence added": lambda a: a.answers[CE].__setitem__("toc_validated", Answer(True, "Met de buurt, mei")),
    "the mission removed": lambda a: a.general.pop("mission"),
    "a new value": lambda a: a.measures.__setitem__("ce_co2e_avoided", Decimal("1.125")),
    "another R-strategy": lambda a: a.measures.__setitem__("ce_kg_by_r_strategy", {"R3": Decimal(12000),
                                                                                   "R8": Decimal(800)}),
    "every value removed": lambda a: a.measures.clear(),
    "a share below 1%": lambda a: a.measures.__setitem__("ce_secondary_inputs", Decimal("0.5")),
    "a new section": lambda a: a.bridge.update({"sw_company": False, "labour_cost_share": Decimal(70)}),
    "to confirm": lambda a: setattr(a, "to_confirm", ["enterprise/mission", f"{CE}/problem"]),
    "a theme added": lambda a: a.themes.append("arbeidsparticipatie"),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_an_edit_changes_only_what_changed(name):
    before = load_text(HAND_WRITTEN, "k2.yaml", CAT)
    after = copy.deepcopy(before)
    CHANGES[name](after)
    edited = answers_edit.edit(CAT, HAND_WRITTEN, before, after, "k2.yaml")
    assert edited is not None
    assert answers_edit.items(load_text(edited, "k2.yaml", CAT)) == answers_edit.items(after)
    assert all(comment in edited for comment in COMMENTS)
    changed = {path[-1] for path in answers_edit.changed_items(before, after)}
    emptied = {"measures:"} if not after.measures else set()  # a section left empty goes, its comment stays
    assert kept_in_order(HAND_WRITTEN, edited, leaving=tuple(changed | emptied))


def test_a_change_taken_back_in_the_same_session_restores_the_file(k2):
    before = load(k2, CAT)
    original = k2.read_bytes()
    answers = saving.AnswersFile(CAT, k2, before, HAND_WRITTEN, source=k2)
    now = copy.deepcopy(before)
    now.general["mission"] = Answer("Meubels van sloophout.")
    assert answers.save(now).written and load(k2, CAT).general["mission"] == Answer("Meubels van sloophout.")
    now.general["mission"] = before.general["mission"]
    saved = answers.save(now)
    assert k2.read_bytes() == original and saved.counts == {"added": 0, "changed": 0, "removed": 0, "confirmed": 0}
