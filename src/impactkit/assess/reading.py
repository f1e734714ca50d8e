"""Reading an answers file: every wrong entry is reported with its file, line and field, and
values are read as people type them ("65%", "0,78", "ja", "n"). Nothing is changed on disk."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from pathlib import Path

import yaml

from impactkit.assess.answers import ENTERPRISE, PSO_LEVELS, R_STRATEGIES, SHARES, Answer, Assessment
from impactkit.assess.model import Catalogue, Indicator
from impactkit.errors import InvalidInputError, Problem
from impactkit.io.sheets.numbers import parse_number, parse_yes_no
from impactkit.io.yamlio import LineMap, parse_yaml, read_text

TOP_KEYS = ("enterprise", "answers", "measures", "bridge", "to_confirm")
ENTERPRISE_KEYS = ("name", "id", "municipality", "year", "themes")
BRIDGE_KEYS = (*SHARES, "sw_company", "pso")
MAX_NUMBER_CHARS = 40  # a number written with more characters is no measured value
YEARS = (1990, 2100)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def load(path: Path, cat: Catalogue) -> Assessment:
    """Read an answers file; raise InvalidInputError with every problem found."""
    path = Path(path)
    text = read_text(path)
    file = str(path)
    _scan(text, file)
    try:
        data, lines = parse_yaml(text, file)
    except RecursionError:
        raise InvalidInputError(Problem("assess_too_deep", file=file)) from None
    except InvalidInputError as exc:
        if any(p.key == "yaml_empty" for p in exc.problems):
            return Assessment()
        raise
    if data is None:
        return Assessment()
    return _Reader(cat, lines).read(data)


# the raw document: duplicate keys and absurd numbers, before anything is built -------------

def _scan(text: str, file: str) -> None:
    """Duplicate keys (with both lines) and numbers beyond any sensible length."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return  # parse_yaml reports the syntax error with its line
    except RecursionError:
        raise InvalidInputError(Problem("assess_too_deep", file=file)) from None
    problems: list[Problem] = []
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())] if root is not None else []
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                line = key_node.start_mark.line + 1
                if key is not None and key in first:
                    problems.append(Problem("assess_duplicate_key", {"name": key, "first": first[key], "second": line},
                                            file=file, line=line, where=path or None, field=key))
                elif key is not None:
                    first[key] = line
                stack.append((value_node, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, path + (i,)) for i, item in enumerate(node.value))
        elif node.tag.endswith((":int", ":float")) and len(node.value) > MAX_NUMBER_CHARS:
            problems.append(Problem("assess_number_too_long", {"chars": len(node.value)}, file=file,
                                    line=node.start_mark.line + 1, where=path[:-1] or None,
                                    field=str(path[-1]) if path else None))
    if problems:
        raise InvalidInputError(sorted(problems, key=lambda p: p.line or 0))


# the document: one section at a time ---------------------------------------------------

class _Reader:
    def __init__(self, cat: Catalogue, lines: LineMap):
        self.cat = cat
        self.lines = lines
        self.problems: list[Problem] = []
        self.result = Assessment()

    def fail(self, key: str, path: tuple, field: str | None, **params) -> None:
        self.problems.append(self.lines.problem(key, path, field, **params))

    def read(self, data) -> Assessment:
        if not isinstance(data, dict):
            raise InvalidInputError(self.lines.problem("assess_expected_mapping", (), None, got=_kind(data),
                                                       example="enterprise: {name: ..., year: 2024, themes: [...]}"))
        for key in data:
            if key not in TOP_KEYS:
                self.fail("field_unknown", (), str(key), hint=_near(key, TOP_KEYS))
        self.enterprise(data.get("enterprise"))
        self.answers(data.get("answers"))
        self.measures(data.get("measures"))
        self.bridge(data.get("bridge"))
        self.to_confirm(data.get("to_confirm"))
        if self.problems:
            raise InvalidInputError(sorted(self.problems, key=lambda p: p.line or 0))
        return self.result

    def mapping(self, value, path: tuple, example: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail("assess_expected_mapping", path[:-1], path[-1], got=_kind(value), example=example)
            return {}
        return value

    def text(self, value, path: tuple, field: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, (dict, list, bool)):
            self.fail("assess_expected_text", path, field, got=_kind(value))
            return None
        text = str(value).strip()
        if _CONTROL.search(text):
            self.fail("assess_control_character", path, field)
            return None
        return text or None

    # sections -------------------------------------------------------------------------
    def enterprise(self, raw) -> None:
        raw = self.mapping(raw, ("enterprise",), "{name: ..., year: 2024, themes: [arbeidsparticipatie]}")
        general = {q.id: q for q in self.cat.enterprise_questions()}
        for key, value in raw.items():
            if key in ("name", "id", "municipality"):
                setattr(self.result, key, self.text(value, ("enterprise",), key))
            elif key == "year":
                self.result.year = self.year(value)
            elif key == "themes":
                self.themes(value)
            elif key in general:
                answer = self.answer(general[key], value, ("enterprise",))
                if answer is not None:
                    self.result.general[key] = answer
            else:
                self.fail("field_unknown", ("enterprise",), str(key), hint=_near(key, (*ENTERPRISE_KEYS, *general)))

    def year(self, value) -> int | None:
        number = None if isinstance(value, bool) else parse_number(value)
        if number is None or number != number.to_integral_value() or not YEARS[0] <= number <= YEARS[1]:
            self.fail("assess_expected_year", ("enterprise",), "year", got=_shown(value), low=YEARS[0], high=YEARS[1])
            return None
        return int(number)

    def themes(self, value) -> None:
        if isinstance(value, str):  # "themes: arbeidsparticipatie" or "a, b": read as a list
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            self.fail("assess_expected_list", ("enterprise",), "themes", got=_kind(value))
            return
        known = ", ".join(t.id for t in self.cat.themes)
        for i, theme in enumerate(value):
            if not isinstance(theme, str) or self.cat.theme(theme.strip()) is None:
                self.fail("assess_theme_unknown", ("enterprise", "themes", i), None, theme=_shown(theme), known=known,
                          hint=_near(theme, [t.id for t in self.cat.themes]))
            elif theme.strip() not in self.result.themes:
                self.result.themes.append(theme.strip())

    def answers(self, raw) -> None:
        raw = self.mapping(raw, ("answers",), "{arbeidsparticipatie: {problem: ...}}")
        known = ", ".join(t.id for t in self.cat.themes)
        for theme, items in raw.items():
            theme = str(theme)
            if self.cat.theme(theme) is None:
                self.fail("assess_theme_unknown", ("answers",), theme, theme=theme, known=known,
                          hint=_near(theme, [t.id for t in self.cat.themes]))
                continue
            if theme not in self.result.themes:
                self.fail("assess_theme_not_chosen", ("answers",), theme, theme=theme,
                          themes=", ".join(self.result.themes) or "-")
                continue
            items = self.mapping(items, ("answers", theme), "{problem: ..., baseline: ja}")
            for qid, value in items.items():
                question = self.cat.question(str(qid))
                if question is None:
                    self.fail("assess_question_unknown", ("answers", theme), str(qid), question=str(qid),
                              hint=_near(qid, [q.id for q in self.cat.questions]))
                    continue
                answer = self.answer(question, value, ("answers", theme))
                if answer is None:
                    continue
                if question.scope == "enterprise":  # older files kept it per theme: once is enough
                    self.result.general.setdefault(question.id, answer)
                else:
                    self.result.answers.setdefault(theme, {})[question.id] = answer

    def answer(self, question, raw, path: tuple) -> Answer | None:
        if question.kind == "text":
            text = self.text(raw, path, question.id)
            return Answer(text) if text is not None else None
        evidence = None
        if isinstance(raw, dict):
            for key, item in raw.items():
                if key not in ("answer", "evidence"):  # {evidence: a, b}: the comma ended the text
                    self.fail("assess_comma_in_braces" if item is None else "field_unknown", path + (question.id,),
                              str(key), hint=_near(key, ("answer", "evidence")))
            evidence = self.text(raw.get("evidence"), path + (question.id,), "evidence")
            raw = raw.get("answer")
        if raw is None:
            return Answer(None, evidence) if evidence else None
        value = None if isinstance(raw, (dict, list)) else parse_yes_no(raw)
        if value is None:
            self.fail("assess_expected_yes_no", path, question.id, got=_shown(raw))
            return None
        return Answer(value, evidence)

    def measures(self, raw) -> None:
        raw = self.mapping(raw, ("measures",), "{ap_total_fte: 22}")
        for key, value in raw.items():
            indicator = self.cat.indicator(str(key))
            if indicator is None:
                self.fail("assess_indicator_unknown", ("measures",), str(key), indicator=str(key),
                          hint=_near(key, [i.id for i in self.cat.indicators]))
            elif indicator.theme not in self.result.themes:
                self.fail("assess_indicator_not_chosen", ("measures",), str(key), theme=indicator.theme)
            elif indicator.kind == "computed":
                self.fail("assess_indicator_computed", ("measures",), str(key))
            else:
                measured = self.measure(indicator, value)
                if measured is not None:
                    self.result.measures[indicator.id] = measured
        fte, total = self.result.measures.get("ap_target_group_fte"), self.result.measures.get("ap_total_fte")
        if fte is not None and total is not None and fte > total:
            self.fail("assess_fte_above_total", ("measures",), "ap_target_group_fte", fte=fte, total=total)

    def measure(self, indicator: Indicator, value):
        path = ("measures",)
        if indicator.kind == "yes_no":
            answer = None if isinstance(value, (dict, list)) else parse_yes_no(value)
            if answer is None:
                self.fail("assess_expected_yes_no", path, indicator.id, got=_shown(value))
            return answer
        if indicator.kind == "r_mapping":
            if not isinstance(value, dict):
                self.fail("assess_expected_r_mapping", path, indicator.id, got=_kind(value))
                return None
            masses = {}
            for r, kg in value.items():
                strategy = str(r).strip().upper()
                if strategy not in R_STRATEGIES:
                    self.fail("assess_r_unknown", path + (indicator.id,), str(r), got=str(r))
                    continue
                number = self.number(kg, indicator.bounds, path + (indicator.id,), str(r))
                if number is not None:
                    masses[strategy] = number
            return dict(sorted(masses.items(), key=lambda item: int(item[0][1:])))
        return self.number(value, indicator.bounds, path, indicator.id, share=indicator.kind == "share")

    def number(self, value, bounds, path: tuple, field: str, share: bool = False) -> Decimal | None:
        number = read_number(value, share)
        low, high = bounds
        if number is None:
            self.fail("assess_expected_share" if share else "assess_expected_amount", path, field, got=_shown(value),
                      low=low, high=high)
        elif not low <= number <= high:
            self.fail("assess_out_of_range", path, field, got=_shown(value), low=low, high=high)
        else:
            return number
        return None

    def bridge(self, raw) -> None:
        raw = self.mapping(raw, ("bridge",), "{target_group_staff_share: 65, sw_company: nee}")
        for key, value in raw.items():
            if key in SHARES:
                number = self.number(value, (Decimal(0), Decimal(100)), ("bridge",), key, share=True)
                if number is not None:
                    self.result.bridge[key] = number
            elif key == "sw_company":
                answer = None if isinstance(value, (dict, list)) else parse_yes_no(value)
                if answer is None:
                    self.fail("assess_expected_yes_no", ("bridge",), key, got=_shown(value))
                else:
                    self.result.bridge[key] = answer
            elif key == "pso":
                level = read_pso(value)
                if level is None:
                    self.fail("assess_pso_unknown", ("bridge",), key, got=_shown(value), known=", ".join(PSO_LEVELS))
                else:
                    self.result.bridge[key] = level
            else:
                self.fail("field_unknown", ("bridge",), str(key), hint=_near(key, BRIDGE_KEYS))

    def to_confirm(self, raw) -> None:
        if raw is None:
            return
        if not isinstance(raw, list):
            self.fail("assess_expected_list", (), "to_confirm", got=_kind(raw))
            return
        held = set(_held(self.result))
        for i, item in enumerate(raw):
            if str(item) not in held:
                self.fail("assess_to_confirm_unknown", ("to_confirm", i), None, item=_shown(item))
            elif str(item) not in self.result.to_confirm:
                self.result.to_confirm.append(str(item))


def _held(assessment: Assessment) -> list[str]:
    from impactkit.assess.answers import carried_items

    return carried_items(assessment) + [f"{ENTERPRISE}/{key}" for key in ("name", "municipality")]


# values as people type them -------------------------------------------------------------

def read_number(value, share: bool = False) -> Decimal | None:
    """A number from 12, "12,5", "1.234", and for a share also "65%" or "65 %"."""
    if isinstance(value, (bool, dict, list)) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            if not share:
                return None
            text = text[:-1]
        if len(text) > MAX_NUMBER_CHARS:
            return None
        value = text
    return parse_number(value)  # 1e400 stays a (huge) Decimal: the range check refuses it


def read_pso(value) -> str | None:
    """A PSO level from "trede 2", "Trede2", "2", "30+", "basistrede", "geen"."""
    if isinstance(value, bool):
        return "none" if value is False else None
    text = re.sub(r"[\s_-]+", "", str(value).strip().lower())
    aliases = {"geen": "none", "nee": "none", "no": "none", "none": "none", "aspirant": "aspirant",
               "basistrede": "basistrede", "basis": "basistrede", "30+": "30_plus", "30plus": "30_plus",
               "pso30+": "30_plus"}
    if text in aliases:
        return aliases[text]
    match = re.fullmatch(r"(?:pso)?(?:trede)?([123])", text)
    return f"trede_{match.group(1)}" if match else None


def _kind(value) -> str:
    return {dict: "a mapping", list: "a list", str: "a text", bool: "yes/no"}.get(type(value), _shown(value))


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _near(word, choices) -> str:
    match = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return match[0] if match else ""
