"""Reading an answers file: every wrong entry is reported with its file, line and field, and
values are read as people type them ("65%", "0,78", "ja", "n"). Nothing is changed on disk."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from impactkit.assess.answers import ENTERPRISE, PSO_LEVELS, R_STRATEGIES, SHARES, Answer, Assessment
from impactkit.assess.ids import Ids
from impactkit.assess.model import Catalogue, Indicator
from impactkit.assess.scan import MAX_NUMBER_CHARS, scan
from impactkit.errors import InvalidInputError, Problem
from impactkit.io.sheets.numbers import parse_number, parse_yes_no
from impactkit.io.yamlio import LineMap, parse_yaml, read_text

TOP_KEYS = ("enterprise", "answers", "measures", "bridge", "to_confirm")
ENTERPRISE_KEYS = ("name", "id", "municipality", "year", "themes")
BRIDGE_KEYS = (*SHARES, "sw_company", "pso")
YEARS = (1990, 2100)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def load(path: Path, cat: Catalogue) -> Assessment:
    """Read an answers file; raise InvalidInputError with every problem found."""
    path = Path(path)
    return load_text(read_text(path), str(path), cat)


def load_text(text: str, file: str, cat: Catalogue) -> Assessment:
    """Read the text of an answers file (`file` names it in problems)."""
    ambiguous = scan(text, file)
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
    return _Reader(cat, lines, ambiguous).read(data)


# the document: one section at a time ---------------------------------------------------

class _Reader:
    def __init__(self, cat: Catalogue, lines: LineMap, problems: Iterable[Problem] = ()):
        self.cat = cat
        self.lines = lines
        self.problems: list[Problem] = list(problems)  # found in the raw document
        self.result = Assessment()
        self.theme_ids = Ids([t.id for t in cat.themes], [(name, t.id) for t in cat.themes
                                                          for name in (t.name.nl, t.name.en)])
        self.question_ids = Ids([q.id for q in cat.questions])
        self.indicator_ids = Ids([i.id for i in cat.indicators])
        self.general = {q.id: q for q in cat.enterprise_questions()}

    def fail(self, key: str, path: tuple, field: str | None, **params) -> None:
        self.problems.append(self.lines.problem(key, path, field, **params))

    def entries(self, mapping: dict, path: tuple, ids: Ids):
        """(key as written, the id it means or None, value) for each entry of a mapping. Two keys that
        mean the same id ('Problem' and 'problem'): the second is an error."""
        seen: dict[str, str] = {}
        for key, value in mapping.items():
            found = ids.find(key)
            if found is not None and found in seen:
                self.fail("assess_same_id", path, str(key), name=str(key), other=seen[found], id=found)
                continue
            if found is not None:
                seen[found] = str(key)
            yield str(key), found, value

    def read(self, data) -> Assessment:
        if not isinstance(data, dict):
            raise InvalidInputError(self.lines.problem("assess_expected_mapping", (), None, got=_kind(data),
                                                       example="enterprise: {name: ..., year: 2024, themes: [...]}"))
        sections: dict[str, tuple[str, object]] = {}
        for key, found, value in self.entries(data, (), Ids(TOP_KEYS)):
            if found is None:
                self.fail("field_unknown", (), key, hint=_near(key, TOP_KEYS))
            else:
                sections[found] = (key, value)
        for name in TOP_KEYS:
            written, value = sections.get(name, (name, None))
            getattr(self, name)(value, written)
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
    def enterprise(self, raw, section: str = "enterprise") -> None:
        path = (section,)
        raw = self.mapping(raw, path, "{name: ..., year: 2024, themes: [arbeidsparticipatie]}")
        ids = Ids([*ENTERPRISE_KEYS, *self.general])
        for key, found, value in self.entries(raw, path, ids):
            if found in ("name", "id", "municipality"):
                setattr(self.result, found, self.text(value, path, key))
            elif found == "year":
                self.result.year = self.year(value, path, key)
            elif found == "themes":
                self.themes(value, path, key)
            elif found is not None:
                answer = self.answer(self.general[found], value, path, key)
                if answer is not None:
                    self.result.general[found] = answer
            else:
                self.fail("field_unknown", path, key, hint=_near(key, (*ENTERPRISE_KEYS, *self.general)))

    def year(self, value, path: tuple = ("enterprise",), field: str = "year") -> int | None:
        number = None if isinstance(value, bool) else parse_number(value)
        if number is None or number != number.to_integral_value() or not YEARS[0] <= number <= YEARS[1]:
            self.fail("assess_expected_year", path, field, got=_shown(value), low=YEARS[0], high=YEARS[1])
            return None
        return int(number)

    def themes(self, value, path: tuple, field: str) -> None:
        if isinstance(value, str):  # "themes: arbeidsparticipatie" or "a, b": read as a list
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            self.fail("assess_expected_list", path, field, got=_kind(value))
            return
        known = ", ".join(t.id for t in self.cat.themes)
        for i, theme in enumerate(value):
            found = self.theme_ids.find(theme) if isinstance(theme, str) else None
            if found is None:
                self.fail("assess_theme_unknown", path + (field, i), None, theme=_shown(theme), known=known,
                          hint=_near(theme, [t.id for t in self.cat.themes]))
            elif found not in self.result.themes:
                self.result.themes.append(found)

    def answers(self, raw, section: str = "answers") -> None:
        path = (section,)
        raw = self.mapping(raw, path, "{arbeidsparticipatie: {problem: ...}}")
        known = ", ".join(t.id for t in self.cat.themes)
        for key, theme, items in self.entries(raw, path, self.theme_ids):
            if theme is None:
                self.fail("assess_theme_unknown", path, key, theme=key, known=known,
                          hint=_near(key, [t.id for t in self.cat.themes]))
                continue
            if theme not in self.result.themes:
                self.fail("assess_theme_not_chosen", path, key, theme=theme,
                          themes=", ".join(self.result.themes) or "-")
                continue
            items = self.mapping(items, path + (key,), "{problem: ..., baseline: ja}")
            for qkey, qid, value in self.entries(items, path + (key,), self.question_ids):
                if qid is None:
                    self.fail("assess_question_unknown", path + (key,), qkey, question=qkey,
                              hint=_near(qkey, [q.id for q in self.cat.questions]))
                    continue
                question = self.cat.require_question(qid)
                answer = self.answer(question, value, path + (key,), qkey)
                if answer is None:
                    continue
                if question.scope == "enterprise":  # older files kept it per theme: once is enough
                    self.result.general.setdefault(question.id, answer)
                else:
                    self.result.answers.setdefault(theme, {})[question.id] = answer

    def answer(self, question, raw, path: tuple, field: str | None = None) -> Answer | None:
        field = field or question.id  # the key as written
        if question.kind == "text":
            text = self.text(raw, path, field)
            return Answer(text) if text is not None else None
        evidence = None
        if isinstance(raw, dict):
            parts: dict[str, object] = {}
            for key, found, item in self.entries(raw, path + (field,), Ids(("answer", "evidence"))):
                if found is None:  # {evidence: a, b}: the comma ended the text
                    self.fail("assess_comma_in_braces" if item is None else "field_unknown", path + (field,),
                              key, hint=_near(key, ("answer", "evidence")))
                else:
                    parts[found] = item
            evidence = self.text(parts.get("evidence"), path + (field,), "evidence")
            raw = parts.get("answer")
        if raw is None:
            return Answer(None, evidence) if evidence else None
        value = None if isinstance(raw, (dict, list)) else parse_yes_no(raw)
        if value is None:
            self.fail("assess_expected_yes_no", path, field, got=_shown(raw))
            return None
        return Answer(value, evidence)

    def measures(self, raw, section: str = "measures") -> None:
        path = (section,)
        raw = self.mapping(raw, path, "{ap_total_fte: 22}")
        for key, found, value in self.entries(raw, path, self.indicator_ids):
            indicator = self.cat.indicator(found) if found else None
            if indicator is None:
                self.fail("assess_indicator_unknown", path, key, indicator=key,
                          hint=_near(key, [i.id for i in self.cat.indicators]))
            elif indicator.theme not in self.result.themes:
                self.fail("assess_indicator_not_chosen", path, key, theme=indicator.theme)
            elif indicator.kind == "computed":
                self.fail("assess_indicator_computed", path, key)
            else:
                measured = self.measure(indicator, value, path, key)
                if measured is not None:
                    self.result.measures[indicator.id] = measured
        fte, total = self.result.measures.get("ap_target_group_fte"), self.result.measures.get("ap_total_fte")
        if fte is not None and total is not None and fte > total:
            self.fail("assess_fte_above_total", path, "ap_target_group_fte", fte=fte, total=total)

    def measure(self, indicator: Indicator, value, path: tuple = ("measures",), field: str | None = None):
        field = field or indicator.id
        if indicator.kind == "yes_no":
            answer = None if isinstance(value, (dict, list)) else parse_yes_no(value)
            if answer is None:
                self.fail("assess_expected_yes_no", path, field, got=_shown(value))
            return answer
        if indicator.kind == "r_mapping":
            if not isinstance(value, dict):
                self.fail("assess_expected_r_mapping", path, field, got=_kind(value))
                return None
            masses = {}
            for r, kg in value.items():
                strategy = re.sub(r"\s+", "", str(r)).upper()
                if strategy not in R_STRATEGIES:
                    self.fail("assess_r_unknown", path + (field,), str(r), got=str(r))
                    continue
                if strategy in masses:
                    self.fail("assess_same_id", path + (field,), str(r), name=str(r), other=strategy, id=strategy)
                    continue
                number = self.number(kg, indicator.bounds, path + (field,), str(r))
                if number is not None:
                    masses[strategy] = number
            return dict(sorted(masses.items(), key=lambda item: int(item[0][1:])))
        return self.number(value, indicator.bounds, path, field, share=indicator.kind == "share", whole=indicator.whole)

    def number(self, value, bounds, path: tuple, field: str, share: bool = False, whole: bool = False) -> Decimal | None:
        number = read_number(value, share)
        low, high = bounds
        if whole and number is not None and number != number.to_integral_value():  # 2.5 people
            self.fail("assess_expected_whole", path, field, got=_shown(value))
        elif share and number is not None and looks_like_fraction(value, number):
            self.fail("assess_share_fraction", path, field, got=_shown(value), percent=_plain(number * 100))
        elif number is None:
            self.fail("assess_expected_share" if share else "assess_expected_amount", path, field, got=_shown(value),
                      low=low, high=high)
        elif not low <= number <= high:
            self.fail("assess_out_of_range", path, field, got=_shown(value), low=low, high=high)
        else:
            return number
        return None

    def bridge(self, raw, section: str = "bridge") -> None:
        path = (section,)
        raw = self.mapping(raw, path, "{target_group_staff_share: 65, sw_company: nee}")
        for key, found, value in self.entries(raw, path, Ids(BRIDGE_KEYS)):
            if found in SHARES:
                number = self.number(value, (Decimal(0), Decimal(100)), path, key, share=True)
                if number is not None:
                    self.result.bridge[found] = number
            elif found == "sw_company":
                answer = None if isinstance(value, (dict, list)) else parse_yes_no(value)
                if answer is None:
                    self.fail("assess_expected_yes_no", path, key, got=_shown(value))
                else:
                    self.result.bridge[found] = answer
            elif found == "pso":
                level = read_pso(value)
                if level is None:
                    self.fail("assess_pso_unknown", path, key, got=_shown(value), known=", ".join(PSO_LEVELS))
                else:
                    self.result.bridge[found] = level
            else:
                self.fail("field_unknown", path, key, hint=_near(key, BRIDGE_KEYS))

    def to_confirm(self, raw, section: str = "to_confirm") -> None:
        if raw is None:
            return
        if not isinstance(raw, list):
            self.fail("assess_expected_list", (), section, got=_kind(raw))
            return
        held = set(_held(self.result))
        for i, item in enumerate(raw):
            if str(item) not in held:
                self.fail("assess_to_confirm_unknown", (section, i), None, item=_shown(item))
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


def _has_decimals(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent  # a letter for NaN and infinity
    return isinstance(exponent, int) and exponent < 0


def looks_like_fraction(value, number: Decimal) -> bool:
    """A share written as a fraction: 0,65 or 0.65 (0 < value <= 1, with decimals, without %), where a
    percentage is asked. Such a value reads two ways (65% or 0.65%) and is refused."""
    if isinstance(value, str):
        text = value.strip()
        decimals = not text.endswith("%") and ("," in text or "." in text)
    else:  # YAML reads 0.65 as a Decimal (a float elsewhere): written with a point
        decimals = isinstance(value, float) or (isinstance(value, Decimal) and _has_decimals(value))
    return decimals and 0 < number <= 1


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


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
