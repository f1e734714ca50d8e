"""The answers file of `impactkit assess`: what the entrepreneur said about one year, saved as it goes.

    enterprise:
      name: Werkbedrijf De Vaart
      municipality: Assen
      year: 2024
      themes: [arbeidsparticipatie]
      mission: Wij geven mensen met een afstand tot de arbeidsmarkt in Assen een echte baan.
      mission_statutes: true
    answers:
      arbeidsparticipatie:
        problem: Mensen in de bijstand vinden in Assen geen werk.
        toc_validated: {answer: true, evidence: Met deelnemers en UWV, maart 2024}
    measures: {ap_target_group_fte: 14.5, ap_total_fte: 22, ce_kg_by_r_strategy: {R3: 12000, R8: 30000}}
    bridge: {target_group_staff_share: 65, trade_income_share: 80, sw_company: false}
    to_confirm: [arbeidsparticipatie/problem]   # carried over from last year, not yet confirmed

Reading (with every check) is in `impactkit.assess.reading`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from impactkit.assess.scan import DUTCH_THOUSANDS
from impactkit.io.atomic import write_text_atomic

R_STRATEGIES = tuple(f"R{i}" for i in range(10))
SHARES = ("target_group_staff_share", "trade_income_share", "labour_cost_share")
PSO_LEVELS = ("none", "aspirant", "basistrede", "trede_1", "trede_2", "trede_3", "30_plus")
ENTERPRISE = "enterprise"  # the section of enterprise-wide answers in an item key


@dataclass
class Answer:
    value: bool | str | None = None  # True/False for yes/no, text for text questions
    evidence: str | None = None


@dataclass
class Assessment:
    name: str | None = None
    id: str | None = None  # the enterprise's own code (e.g. a KvK number), to follow it over the years
    municipality: str | None = None
    year: int | None = None
    themes: list[str] = field(default_factory=list)
    general: dict[str, Answer] = field(default_factory=dict)  # enterprise-wide answers (mission)
    answers: dict[str, dict[str, Answer]] = field(default_factory=dict)
    # Values by key, as the reader checked them (typed Any: the type depends on the key):
    # measures: Decimal, bool or {R-strategy: Decimal}, by the indicator's kind;
    # bridge: a Decimal share (SHARES), sw_company a bool, pso a level of PSO_LEVELS
    measures: dict[str, Any] = field(default_factory=dict)
    bridge: dict[str, Any] = field(default_factory=dict)
    to_confirm: list[str] = field(default_factory=list)  # carried over from last year, not yet confirmed

    def answer(self, theme: str | None, question: str) -> Answer | None:
        if question in self.general:
            return self.general[question]
        return self.answers.get(theme or "", {}).get(question)

    def set_answer(self, scope_theme: str | None, question: str, answer: Answer | None) -> None:
        """Store (or with None remove) an answer; scope_theme None is the enterprise-wide section."""
        store = self.general if scope_theme is None else self.answers.setdefault(scope_theme, {})
        if answer is None:
            store.pop(question, None)
        else:
            store[question] = answer

    @property
    def is_empty(self) -> bool:
        """Nothing to report on: no enterprise (name, id, themes) and no answer or value."""
        return not (self.name or self.id or self.themes or self.general or self.answers or self.measures
                    or self.bridge)

    @property
    def key(self) -> str:
        """Who this is across the years: the enterprise's own code, else its name."""
        text = self.id or self.name or ""
        return " ".join(text.split()).casefold()

    def next_year(self) -> Assessment:
        """A copy for the next year: every answer carried over, to be confirmed or changed."""
        new = copy.deepcopy(self)
        new.year = self.year + 1 if self.year is not None else None
        new.to_confirm = carried_items(new)
        return new

    def to_yaml(self) -> str:
        enterprise: dict = {"name": self.name}
        for key in ("id", "municipality", "year"):
            if getattr(self, key) is not None:
                enterprise[key] = getattr(self, key)
        enterprise["themes"] = list(self.themes)
        enterprise.update({qid: _answer_yaml(a) for qid, a in self.general.items()})
        doc: dict = {"enterprise": enterprise, "answers": {}}
        for theme, items in self.answers.items():
            if items:
                doc["answers"][theme] = {qid: _answer_yaml(a) for qid, a in items.items()}
        if self.measures:
            from impactkit.assess.model import catalogue

            shares = {i.id for i in catalogue().indicators if i.kind == "share"}
            doc["measures"] = {k: _share(v) if k in shares else v for k, v in self.measures.items()}
        if self.bridge:
            doc["bridge"] = {k: _share(v) if k in SHARES else v for k, v in self.bridge.items()}
        if self.to_confirm:
            doc["to_confirm"] = list(self.to_confirm)
        header = "# impactkit assess: answers so far. Resume with: impactkit assess --answers THIS_FILE\n"
        return header + yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def carried_items(assessment: Assessment) -> list[str]:
    """The item keys of every answer and value an assessment holds."""
    items = [f"{ENTERPRISE}/{qid}" for qid in assessment.general]
    for theme in assessment.themes:
        items += [f"{theme}/{qid}" for qid in assessment.answers.get(theme, {})]
    items += [f"measures/{key}" for key in assessment.measures]
    items += [f"bridge/{key}" for key in assessment.bridge]
    return items


def _answer_yaml(answer: Answer):
    return answer.value if answer.evidence is None else {"answer": answer.value, "evidence": answer.evidence}


class _Dumper(yaml.SafeDumper):
    """Decimals written as plain numbers, exactly as they were given (never through float)."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal):
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    text = format(value.normalize(), "f")
    if DUTCH_THOUSANDS.fullmatch(text):  # 1.125 would read as Dutch thousands: 1.1250 reads one way only
        text += "0"
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _share(value):
    """A share of at most 1% with decimals is written with its % sign (0.65%): without it, it reads as a
    fraction (65%?) and the reader refuses it."""
    if isinstance(value, Decimal) and 0 < value <= 1 and value != value.to_integral_value():
        return format(value.normalize(), "f") + "%"
    return value


_Dumper.add_representer(Decimal, _decimal)


def save(assessment: Assessment, path: Path, inputs: tuple = ()) -> None:
    write_text_atomic(Path(path), assessment.to_yaml(), inputs=[i for i in inputs if i is not None])
