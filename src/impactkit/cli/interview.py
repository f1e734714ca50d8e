"""The interactive part of `impactkit assess`: short questions, level by level, saved as it goes."""

from __future__ import annotations

import typer
from rich.markup import escape

from impactkit.assess.answers import Answer, Assessment
from impactkit.assess.bridge import applies
from impactkit.assess.levels import counts
from impactkit.assess.model import Catalogue
from impactkit.cli.common import stderr_console
from impactkit.i18n import Translator

YES = {"j", "ja", "y", "yes"}
NO = {"n", "nee", "no"}


def _ask_yes_no(tr: Translator, text: str) -> bool | None:
    while True:
        reply = typer.prompt(f"{text} [{tr('assess_yes_no_hint')}]", default="", show_default=False).strip().lower()
        if not reply:
            return None
        if reply in YES:
            return True
        if reply in NO:
            return False
        stderr_console().print(tr("assess_yes_no_again"), markup=False)


def _ask_number(tr: Translator, text: str, low: float = 0, high: float | None = None):
    from impactkit.io.sheets.numbers import parse_number

    while True:
        reply = typer.prompt(f"{text} [{tr('assess_skip_hint')}]", default="", show_default=False).strip()
        if not reply:
            return None
        number = parse_number(reply)
        if number is not None and number >= low and (high is None or number <= high):
            return number
        stderr_console().print(tr("assess_number_again", low=low, high=high if high is not None else "∞"), markup=False)


def interview(cat: Catalogue, assessment: Assessment, tr: Translator, saved) -> None:
    console = stderr_console()
    if not assessment.name:
        console.print(f"[bold]{escape(tr('assess_welcome'))}[/bold]")
        assessment.name = typer.prompt(tr("assess_prompt_name")).strip() or None
        saved()
    if not assessment.themes:
        console.print(escape(tr("assess_prompt_themes")))
        for n, theme in enumerate(cat.themes, start=1):
            later = f" ({tr('assess_later_theme')})" if theme.later else ""
            console.print(f"  {n}. [bold]{escape(tr.label(theme.name))}[/bold]{escape(later)}: "
                          f"{escape(tr.label(theme.explain))}")
        while not assessment.themes:
            reply = typer.prompt(tr("assess_theme_numbers"))
            chosen = [part.strip() for part in reply.replace(";", ",").split(",") if part.strip()]
            if chosen and all(p.isdigit() and 1 <= int(p) <= len(cat.themes) for p in chosen):
                assessment.themes = list(dict.fromkeys(cat.themes[int(p) - 1].id for p in chosen))
            else:
                console.print(tr("assess_theme_numbers_again", count=len(cat.themes)), markup=False)
        saved()
    for theme_id in assessment.themes:
        theme = cat.theme(theme_id)
        console.rule(f"[bold]{escape(tr.label(theme.name))}[/bold]", align="left")
        for level in range(1, 6):
            questions = cat.questions_at(level)
            todo = [q for q in questions if assessment.answer(theme_id, q.id) is None]
            if todo:
                console.print(f"[bold]{escape(tr('assess_level', level=level).capitalize())}: "
                              f"{escape(tr.label(cat.level(level).name))}[/bold]")
            for q in todo:
                console.print(escape(tr.label(q.text)) + ("" if q.required else f" ({tr('assess_optional')})"))
                explanation = q.explanation(theme_id)
                if explanation is not None:
                    console.print(f"  {escape(tr.label(explanation))}", style="dim")
                answer = _ask(tr, q)
                if answer is not None:
                    assessment.answers.setdefault(theme_id, {})[q.id] = answer
                    saved()
            if not all(counts(q, assessment.answer(theme_id, q.id)) for q in questions if q.required):
                console.print(escape(tr("assess_stop_level", level=level)), style="yellow")
                break
    if applies(assessment):
        _bridge(assessment, tr, saved)


def _ask(tr: Translator, q) -> Answer | None:
    if q.kind == "text":
        reply = typer.prompt(f"[{tr('assess_skip_hint')}]", default="", show_default=False).strip()
        return Answer(reply) if reply else None
    value = _ask_yes_no(tr, tr("assess_answer"))
    if value is None:
        return None
    evidence = None
    if value and q.kind == "yes_no_evidence":
        evidence = typer.prompt(tr.label(q.evidence), default="", show_default=False).strip() or None
    return Answer(value, evidence)


def _bridge(assessment: Assessment, tr: Translator, saved) -> None:
    console = stderr_console()
    console.rule(f"[bold]{escape(tr('assess_bridge_title'))}[/bold]", align="left")
    questions = [
        ("ap_target_group_fte", "measures", tr("assess_ask_fte"), None),
        ("ap_total_fte", "measures", tr("assess_ask_total_fte"), None),
        ("target_group_staff_share", "bridge", tr("assess_ask_staff_share"), 100),
        ("trade_income_share", "bridge", tr("assess_ask_trade_share"), 100),
    ]
    for key, where, text, high in questions:
        store = getattr(assessment, where)
        if key in store:
            continue
        number = _ask_number(tr, text, 0, high)
        if number is not None:
            if key == "ap_target_group_fte" or key != "ap_total_fte" or number >= store.get("ap_target_group_fte", 0):
                store[key] = number
                saved()
            else:
                console.print(tr("assess_fte_above_total_again"), markup=False)
    if "sw_company" not in assessment.bridge:
        value = _ask_yes_no(tr, tr("assess_ask_sw"))
        if value is not None:
            assessment.bridge["sw_company"] = value
            saved()
