"""The interactive part of `impactkit assess`: short questions, level by level, saved after
every answer. Three ways through it:

- the first time and on resume: only what is not answered yet;
- `--revise`: first every "no" and every "yes" without its evidence, then any answer picked
  from the list, then what is not answered yet;
- a new year (`--from`): every answer carried over from last year is shown and kept with
  Enter, or changed; then what is not answered yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from rich.markup import escape

from impactkit.assess.answers import ENTERPRISE, SHARES, Answer, Assessment, carried_items
from impactkit.assess.bridge import applies
from impactkit.assess.ids import Ids
from impactkit.assess.levels import counts, evaluate_theme, revise_items
from impactkit.assess.model import Catalogue, Indicator, Question
from impactkit.assess.profile import answer_text, gap_text, item_label, measure_text
from impactkit.assess.reading import YEARS, read_number
from impactkit.cli.interview_prompts import KEEP, Prompts, prompt, pso_word, short
from impactkit.i18n import Translator


class Interview(Prompts):
    def __init__(self, cat: Catalogue, assessment: Assessment, tr: Translator, saved: Callable[[], None]):
        super().__init__(tr)
        self.cat, self.a, self.saved = cat, assessment, saved

    # one question -------------------------------------------------------------------------
    def ask(self, theme: str | None, q: Question, show_text: bool = True) -> bool:
        """Ask one question (keeping the current answer on Enter); True when something was stored."""
        current = self.a.answer(theme, q.id)
        if show_text:
            self.say(self.tr.label(q.text) + ("" if q.required else f" ({self.tr('assess_optional')})"))
            explanation = q.explanation(theme)
            if explanation is not None and current is None:
                self.console.print(f"  {escape(self.tr.label(explanation))}", style="dim")
        if q.kind == "text":
            reply = self.text(current.value if current and isinstance(current.value, str) else None)
            if reply is KEEP:
                return False
            self.a.set_answer(theme, q.id, Answer(reply) if reply else None)
            return True
        value = self.yes_no(None, current.value if current and isinstance(current.value, bool) else None)
        if value is KEEP:
            if current is None:  # Enter keeps an answer only where there is one
                return False
            value = current.value
            if not (q.kind == "yes_no_evidence" and value is True):
                return False
        if value is None:
            self.a.set_answer(theme, q.id, None)
            return True
        evidence = None
        if value and q.kind == "yes_no_evidence":
            self.say(self.tr.label(q.evidence))
            old = current.evidence if current else None
            reply = self.text(old)
            evidence = old if reply is KEEP else reply
        self.a.set_answer(theme, q.id, Answer(value, evidence))
        return True

    def ask_item(self, item: str) -> None:
        """Ask again for one stored item (question, measured value or bridge answer)."""
        section, _, key = item.partition("/")
        if section not in ("measures", "bridge"):  # those prompts name themselves
            self.console.print(f"[bold]{escape(item_label(self.cat, item, self.tr))}[/bold]")
        if section == "measures":
            self.measure(self.cat.require_indicator(key), force=True)
        elif section == "bridge":
            self.bridge_item(key, force=True)
        else:
            self.ask(None if section == ENTERPRISE else section, self.cat.require_question(key))
        self.saved()

    # the walks ---------------------------------------------------------------------------
    def run(self, revise: bool = False) -> None:
        self.enterprise()
        if self.a.to_confirm:
            self.confirm()
        if revise:
            self.revise()
            self.pick()
        for theme in self.a.themes:
            self.theme(theme)
        if applies(self.a):
            self.bridge()

    def enterprise(self) -> None:
        tr = self.tr
        if not self.a.name:
            self.console.print(f"[bold]{escape(tr('assess_welcome'))}[/bold]")
            while not self.a.name:
                self.a.name = prompt(f"{tr('assess_prompt_name')}: ") or None
            self.saved()
        if self.a.year is None:
            while self.a.year is None:
                reply = prompt(tr("assess_prompt_year"), default=str(date.today().year))
                number = read_number(reply)
                if number is not None and number == number.to_integral_value() and YEARS[0] <= number <= YEARS[1]:
                    self.a.year = int(number)
                else:
                    self.say(tr("assess_year_again", low=YEARS[0], high=YEARS[1]), "yellow")
            self.saved()
        if self.a.municipality is None:
            self.say(tr("assess_prompt_municipality"))
            self.a.municipality = self.reply(tr("assess_skip_hint")) or None
            if self.a.municipality:
                self.saved()
        if not self.a.themes:
            self.choose_themes()
        for q in self.cat.enterprise_questions():
            if self.a.answer(None, q.id) is None and self.ask(None, q):
                self.saved()

    def choose_themes(self) -> None:
        tr = self.tr
        self.say(tr("assess_prompt_themes"))
        for n, theme in enumerate(self.cat.themes, start=1):
            later = f" ({tr('assess_later_theme')})" if theme.later else ""
            self.console.print(f"  {n}. [bold]{escape(tr.label(theme.name))}[/bold]{escape(later)}: "
                               f"{escape(tr.label(theme.explain))}")
        while not self.a.themes:
            reply = prompt(f"{tr('assess_theme_numbers')}: ")
            chosen, unknown = self.theme_choice(reply)
            if chosen and not unknown:
                self.a.themes = chosen
            else:
                self.say(tr("assess_theme_numbers_again", count=len(self.cat.themes),
                            got=", ".join(unknown) or "-"), "yellow")
        self.saved()

    def theme_choice(self, reply: str) -> tuple[list[str], list[str]]:
        """Themes by number (1,3) or by name as people type them (Circulaire economie); and the parts
        that are neither."""
        ids = Ids([t.id for t in self.cat.themes], [(n, t.id) for t in self.cat.themes for n in (t.name.nl, t.name.en)])
        chosen, unknown = [], []
        for part in (p.strip() for p in reply.replace(";", ",").split(",")):
            if not part:
                continue
            if part.isdigit() and 1 <= int(part) <= len(self.cat.themes):
                chosen.append(self.cat.themes[int(part) - 1].id)
            elif (found := ids.find(part)) is not None:
                chosen.append(found)
            else:
                unknown.append(part)
        return list(dict.fromkeys(chosen)), unknown

    def confirm(self) -> None:
        self.console.rule(f"[bold]{escape(self.tr('assess_confirm_title', count=len(self.a.to_confirm)))}[/bold]",
                          align="left")
        self.say(self.tr("assess_confirm_intro"), "dim")
        while self.a.to_confirm:
            item = self.a.to_confirm[0]
            self.ask_item(item)
            if item in self.a.to_confirm:
                self.a.to_confirm.remove(item)
            self.saved()

    def revise(self) -> None:
        items = revise_items(self.cat, self.a)
        if not items:
            self.say(self.tr("assess_revise_nothing"), "dim")
            return
        self.console.rule(f"[bold]{escape(self.tr('assess_revise_title', count=len(items)))}[/bold]", align="left")
        for theme, q, _reason in items:
            name = self.tr.label(self.cat.require_theme(theme).name) if theme else self.tr("assess_whole_enterprise")
            self.console.print(f"[bold]{escape(name)}[/bold]")
            if self.ask(theme, q):
                self.saved()

    def pick(self) -> None:
        items = carried_items(self.a)
        if not items:
            return
        tr = self.tr
        self.console.rule(f"[bold]{escape(tr('assess_pick_title'))}[/bold]", align="left")
        for n, item in enumerate(items, start=1):
            self.console.print(f"  {n:>2}. {escape(item_label(self.cat, item, tr))}: "
                               f"[dim]{escape(short(self.current(item), 50))}[/dim]")
        while True:
            reply = prompt(f"{tr('assess_pick_prompt')}: ")
            if not reply:
                return
            numbers = [p.strip() for p in reply.replace(";", ",").split(",") if p.strip()]
            if not all(p.isdigit() and 1 <= int(p) <= len(items) for p in numbers):
                self.say(tr("assess_pick_again", count=len(items)), "yellow")
                continue
            for p in numbers:
                self.ask_item(items[int(p) - 1])

    def current(self, item: str) -> str:
        section, _, key = item.partition("/")
        if section == "measures":
            return measure_text(self.cat.require_indicator(key), self.a.measures[key], self.tr)
        if section == "bridge":
            value = self.a.bridge[key]
            if key == "pso":
                return pso_word(value)
            return answer_text(value, self.tr) if isinstance(value, bool) else self.tr.number(value)
        answer = self.a.answer(None if section == ENTERPRISE else section, key)
        if answer is None:  # an item carried over always has its answer
            return ""
        text = answer_text(answer.value, self.tr)
        return f"{text} ({answer.evidence})" if answer.evidence else text

    def theme(self, theme_id: str) -> None:
        tr = self.tr
        self.console.rule(f"[bold]{escape(tr.label(self.cat.require_theme(theme_id).name))}[/bold]", align="left")
        for level in range(1, 6):
            questions = self.cat.questions_at(level)
            todo = [q for q in questions if self.a.answer(theme_id, q.id) is None]
            if todo:
                self.console.print(f"[bold]{escape(tr('assess_level', level=level).capitalize())}: "
                                   f"{escape(tr.label(self.cat.level(level).name))}[/bold]")
            for q in todo:
                if self.ask(theme_id, q):
                    self.saved()
            if not all(counts(q, self.a.answer(theme_id, q.id)) for q in questions if q.required):
                result = evaluate_theme(self.cat, self.a, theme_id)
                self.say(tr("assess_stop_level", level=level), "yellow")
                for gap in result.gaps:
                    self.say(f"  • {gap_text(gap, tr)}", "yellow")
                self.say(tr("assess_stop_revise"), "dim")
                break
        self.measures(theme_id)

    def measures(self, theme_id: str) -> None:
        level = evaluate_theme(self.cat, self.a, theme_id).level
        todo = [i for i in self.cat.indicators_for(theme_id) if i.kind != "computed"
                and i.min_level <= max(level + 1, 3) and i.id not in self.a.measures]
        if todo:
            self.console.print(f"[bold]{escape(self.tr('assess_measures_title', year=self.a.year))}[/bold]")
        for indicator in todo:
            self.measure(indicator)

    def measure(self, ind: Indicator, force: bool = False) -> None:
        tr = self.tr
        current = self.a.measures.get(ind.id)
        if current is not None and not force:
            return
        label = f"{tr.label(ind.name)} ({tr.label(ind.unit)})"
        if ind.kind == "yes_no":
            value = self.yes_no(label, current)
        elif ind.kind == "r_mapping":
            value = self.r_mapping(label, current)
        else:
            low, high = ind.bounds
            if ind.id == "ap_total_fte":
                low = max(low, self.a.measures.get("ap_target_group_fte") or Decimal(0))
            if ind.id == "ap_target_group_fte" and self.a.measures.get("ap_total_fte") is not None:
                high = min(high, self.a.measures["ap_total_fte"])
            value = self.number(label, low, high, ind.kind == "share", current, whole=ind.whole)
        if value is KEEP:
            return
        if value is None:
            self.a.measures.pop(ind.id, None)
        else:
            self.a.measures[ind.id] = value
        self.saved()

    def bridge(self) -> None:
        todo = [k for k in (*SHARES, "sw_company", "pso") if k not in self.a.bridge]
        if not todo:
            return
        self.console.rule(f"[bold]{escape(self.tr('assess_bridge_title'))}[/bold]", align="left")
        self.say(self.tr("assess_bridge_ask_intro"), "dim")
        for key in todo:
            self.bridge_item(key)

    def bridge_item(self, key: str, force: bool = False) -> None:
        tr = self.tr
        current = self.a.bridge.get(key)
        if current is not None and not force:
            return
        if key in SHARES:
            value = self.number(tr(f"assess_ask_{key}"), Decimal(0), Decimal(100), True, current)
        elif key == "sw_company":
            value = self.yes_no(tr("assess_ask_sw_company"), current)
        else:
            value = self.pso(current)
        if value is KEEP:
            return
        if value is None:
            self.a.bridge.pop(key, None)
        else:
            self.a.bridge[key] = value
        self.saved()

def interview(cat: Catalogue, assessment: Assessment, tr: Translator, saved: Callable[[], None],
              revise: bool = False) -> None:
    Interview(cat, assessment, tr, saved).run(revise)
