"""The answers file of `impactkit assess`: what the entrepreneur said, saved as it goes.

    enterprise: {name: Textielwerk Emmen, themes: [arbeidsparticipatie, circulaire_economie]}
    answers:
      arbeidsparticipatie:
        problem: Mensen in de bijstand vinden in Emmen geen werk.
        mission_statutes: true
        toc_validated: {answer: true, evidence: Met deelnemers en UWV, maart 2024}
    measures: {ap_target_group_fte: 14.5, ap_total_fte: 22, ce_kg_by_r_strategy: {R3: 12000, R8: 30000}}
    bridge: {target_group_staff_share: 65, trade_income_share: 80, sw_company: false}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from impactkit.assess.model import Catalogue
from impactkit.io.atomic import write_text_atomic
from impactkit.errors import InvalidInputError, Problem
from impactkit.io.sheets.numbers import parse_number, parse_yes_no
from impactkit.io.yamlio import LineMap, load_yaml

R_STRATEGIES = tuple(f"R{i}" for i in range(10))
SHARES = ("target_group_staff_share", "trade_income_share")


@dataclass
class Answer:
    value: bool | str | None = None  # True/False for yes/no, text for text questions
    evidence: str | None = None


@dataclass
class Assessment:
    name: str | None = None
    themes: list[str] = field(default_factory=list)
    answers: dict[str, dict[str, Answer]] = field(default_factory=dict)
    measures: dict[str, object] = field(default_factory=dict)
    bridge: dict[str, object] = field(default_factory=dict)

    def answer(self, theme: str, question: str) -> Answer | None:
        return self.answers.get(theme, {}).get(question)

    def to_yaml(self) -> str:
        doc: dict = {"enterprise": {"name": self.name, "themes": list(self.themes)}, "answers": {}}
        for theme, items in self.answers.items():
            doc["answers"][theme] = {
                qid: (a.value if a.evidence is None else {"answer": a.value, "evidence": a.evidence})
                for qid, a in items.items()
            }
        if self.measures:
            doc["measures"] = {k: (float(v) if isinstance(v, Decimal) else
                                   {r: float(x) for r, x in v.items()} if isinstance(v, dict) else v)
                               for k, v in self.measures.items()}
        if self.bridge:
            doc["bridge"] = {k: float(v) if isinstance(v, Decimal) else v for k, v in self.bridge.items()}
        header = "# impactkit assess: answers so far. Resume with: impactkit assess --answers THIS_FILE\n"
        return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def save(assessment: Assessment, path: Path) -> None:
    write_text_atomic(Path(path), assessment.to_yaml())


def load(path: Path, cat: Catalogue) -> Assessment:
    """Read an answers file; every wrong entry is reported with its line, nothing is changed."""
    data, lines = load_yaml(Path(path))
    if data is None:
        return Assessment()
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InvalidInputError(lines.problem("value_not_mapping", (), None, got=type(data).__name__))
    known = {"enterprise", "answers", "measures", "bridge"}
    for key in data:
        if key not in known:
            problems.append(lines.problem("field_unknown", (), str(key), hint="", got=key))
    enterprise = data.get("enterprise") or {}
    result = Assessment(name=_text(enterprise.get("name")), themes=[])
    for i, theme in enumerate(enterprise.get("themes") or []):
        if cat.theme(str(theme)) is None:
            problems.append(lines.problem("assess_theme_unknown", ("enterprise", "themes", i), None, theme=theme,
                                          known=", ".join(t.id for t in cat.themes)))
        elif theme not in result.themes:
            result.themes.append(str(theme))
    for theme, items in (data.get("answers") or {}).items():
        if cat.theme(str(theme)) is None:
            problems.append(lines.problem("assess_theme_unknown", ("answers",), str(theme), theme=theme,
                                          known=", ".join(t.id for t in cat.themes)))
            continue
        for qid, raw in (items or {}).items():
            question = cat.question(str(qid))
            path = ("answers", theme)
            if question is None:
                problems.append(lines.problem("assess_question_unknown", path, str(qid), question=qid))
                continue
            answer, key = _answer(question.kind, raw)
            if key:
                problems.append(lines.problem(key, path, str(qid), got=str(raw)[:40]))
                continue
            result.answers.setdefault(str(theme), {})[str(qid)] = answer
    result.measures = _measures(data.get("measures") or {}, cat, lines, problems)
    result.bridge = _bridge(data.get("bridge") or {}, lines, problems)
    if problems:
        raise InvalidInputError(problems)
    return result


def _text(value) -> str | None:
    return None if value is None else str(value).strip() or None


def _answer(kind: str, raw) -> tuple[Answer, str | None]:
    if kind == "text":
        if isinstance(raw, (dict, list, bool)):
            return Answer(), "assess_expected_text"
        return Answer(_text(raw)), None
    evidence = None
    if isinstance(raw, dict):
        evidence = _text(raw.get("evidence"))
        raw = raw.get("answer")
    if raw is None:
        return Answer(None, evidence), None
    value = parse_yes_no(raw)
    return (Answer(value, evidence), None) if value is not None else (Answer(), "assess_expected_yes_no")


def _number(raw) -> Decimal | None:
    return parse_number(raw) if not isinstance(raw, bool) else None


def _measures(raw: dict, cat: Catalogue, lines: LineMap, problems: list) -> dict:
    out: dict = {}
    ids = {i.id for i in cat.indicators}
    for key, value in raw.items():
        if key not in ids:
            problems.append(lines.problem("assess_indicator_unknown", ("measures",), str(key), indicator=key))
            continue
        if key == "ce_kg_by_r_strategy":
            if not isinstance(value, dict):
                problems.append(lines.problem("assess_expected_r_mapping", ("measures",), key, got=str(value)[:40]))
                continue
            masses = {}
            for r, kg in value.items():
                number = _number(kg)
                if str(r).upper() not in R_STRATEGIES:
                    problems.append(lines.problem("assess_r_unknown", ("measures", key), str(r), got=r))
                elif number is None or number < 0:
                    problems.append(lines.problem("assess_expected_amount", ("measures", key), str(r), got=kg))
                else:
                    masses[str(r).upper()] = number
            out[key] = masses
            continue
        number = _number(value)
        if number is None or number < 0:
            problems.append(lines.problem("assess_expected_amount", ("measures",), key, got=str(value)[:40]))
            continue
        out[key] = number
    fte, total = out.get("ap_target_group_fte"), out.get("ap_total_fte")
    if fte is not None and total is not None and fte > total:
        problems.append(lines.problem("assess_fte_above_total", ("measures",), "ap_target_group_fte",
                                      fte=fte, total=total))
    return out


def _bridge(raw: dict, lines: LineMap, problems: list) -> dict:
    out: dict = {}
    for key, value in raw.items():
        if key in SHARES:
            number = _number(value)
            if number is None or not 0 <= number <= 100:
                problems.append(lines.problem("assess_expected_share", ("bridge",), key, got=str(value)[:40]))
            else:
                out[key] = number
        elif key == "sw_company":
            if not isinstance(value, bool):
                problems.append(lines.problem("assess_expected_yes_no", ("bridge",), key, got=str(value)[:40]))
            else:
                out[key] = value
        else:
            problems.append(lines.problem("field_unknown", ("bridge",), str(key), hint="", got=key))
    return out
