"""The Impactpad as data: themes, growth-path levels, questions, the indicator catalogue, where
each part comes from, and the facts of the bridge to social return.

The catalogue lives in YAML files under `impactkit/assess/data`; adding a theme, a question or
an indicator needs no code change.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from typing import Annotated, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field

from impactkit.model.menu import Label

Source = Literal["impactpad", "external", "impactkit"]
DEFAULT_HIGH = Decimal(10) ** 12  # the largest measured value impactkit accepts where none is stated


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Theme(_Data):
    id: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    name: Label
    name_note: str | None = None
    since: str
    later: bool = False
    source: Source
    explain: Label
    sdg_targets: tuple[str, ...] = ()


class TocStep(_Data):
    """One element of a theory of change: problem -> target group -> ... -> impact."""

    id: str
    name: Label


class Level(_Data):
    level: Annotated[int, Field(ge=1, le=5)]
    name: Label
    source: Source


class Question(_Data):
    id: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    short: Label  # the label in reports and lists
    scope: Literal["theme", "enterprise"] = "theme"
    level: Annotated[int, Field(ge=1, le=5)]
    kind: Literal["text", "yes_no", "yes_no_evidence"]
    required: bool
    text: Label
    explain: Label | None = None
    examples: dict[str, Label] = {}  # an example per theme, where the general one would not fit
    evidence: Label | None = None

    def explanation(self, theme_id: str | None) -> Label | None:
        return self.examples.get(theme_id or "", self.explain)


class Indicator(_Data):
    id: Annotated[str, Field(pattern=r"^[a-z_0-9]+$")]
    theme: str
    toc_step: Literal["output", "outcome", "impact"]
    min_level: Annotated[int, Field(ge=1, le=5)]
    kind: Literal["number", "share", "yes_no", "r_mapping", "computed"]
    low: Decimal = Decimal(0)
    high: Decimal | None = None
    whole: bool = False  # counts of people or producers: no fraction of one
    aggregate: Literal["sum", "median"]
    unit: Label
    name: Label
    methods: tuple[Label, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    refs: tuple[Label, ...] = ()
    source: Source

    @property
    def bounds(self) -> tuple[Decimal, Decimal]:
        if self.kind == "share":
            return Decimal(0), Decimal(100)
        return self.low, self.high if self.high is not None else DEFAULT_HIGH


class Part(_Data):
    """Where one part of an assessment comes from."""

    id: str
    origin: Source
    short: Label
    text: Label
    urls: tuple[str, ...] = ()


class Cited(_Data):
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    title: str
    tag: Literal["P", "S"]


class Basis(_Data):
    menu: str
    version: str
    block: str
    basis: Literal["invoice", "labour_cost", "wage_cost", "costs"]
    wording: str


class Recognition(_Data):
    id: str
    region: Label
    menus: tuple[str, ...] = ()
    staff_min: Decimal
    trade_min: Decimal
    source: Cited


class NoPurchaseBlock(_Data):
    menu: str
    text: Label
    sources: tuple[Cited, ...]


class PsoRoute(_Data):
    text: Label
    sources: tuple[Cited, ...]


class Region(_Data):
    id: str
    name: Label
    municipalities: tuple[str, ...]
    menus: tuple[str, ...] = ()
    text: Label
    sources: tuple[Cited, ...]


class BridgeFacts(_Data):
    bases: tuple[Basis, ...]
    recognition: tuple[Recognition, ...]
    no_purchase_block: tuple[NoPurchaseBlock, ...]
    pso: PsoRoute
    regions: tuple[Region, ...]

    def basis(self, menu_id: str, version: str, block_id: str) -> Basis | None:
        return next((b for b in self.bases if (b.menu, b.version, b.block) == (menu_id, version, block_id)), None)

    def recognition_for(self, menu_id: str) -> Recognition | None:
        return next((r for r in self.recognition if menu_id in r.menus), None)

    def no_purchase(self, menu_id: str) -> NoPurchaseBlock | None:
        return next((n for n in self.no_purchase_block if n.menu == menu_id), None)

    def region_of(self, municipality: str | None) -> Region | None:
        wanted = _plain(municipality)
        return next((r for r in self.regions if wanted and wanted in {_plain(m) for m in r.municipalities}), None)


def _plain(name: str | None) -> str:
    return " ".join((name or "").replace("-", " ").split()).casefold()


class Catalogue(_Data):
    themes: tuple[Theme, ...]
    toc_steps: tuple[TocStep, ...]
    levels: tuple[Level, ...]
    questions: tuple[Question, ...]
    indicators: tuple[Indicator, ...]
    parts: tuple[Part, ...]
    bridge: BridgeFacts

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    # for an id the catalogue's own files or a read assessment name: KeyError for any other
    def require_theme(self, theme_id: str) -> Theme:
        return _required(self.theme(theme_id), "theme", theme_id)

    def require_question(self, question_id: str) -> Question:
        return _required(self.question(question_id), "question", question_id)

    def require_indicator(self, indicator_id: str) -> Indicator:
        return _required(self.indicator(indicator_id), "indicator", indicator_id)

    def part(self, part_id: str) -> Part:
        return next(p for p in self.parts if p.id == part_id)

    def level(self, number: int) -> Level:
        return next(level for level in self.levels if level.level == number)

    def questions_at(self, level: int, scope: str = "theme") -> list[Question]:
        return [q for q in self.questions if q.level == level and q.scope == scope]

    def enterprise_questions(self) -> list[Question]:
        return [q for q in self.questions if q.scope == "enterprise"]

    def indicators_for(self, theme_id: str, level: int | None = None) -> list[Indicator]:
        return [i for i in self.indicators if i.theme == theme_id and (level is None or i.min_level == level)]


def municipality_key(name: str | None) -> str:
    """A municipality name compared without case, hyphens or extra spaces."""
    return _plain(name)


def _read(name: str) -> dict:
    return yaml.safe_load(files("impactkit.assess.data").joinpath(name).read_text(encoding="utf-8"))


_T = TypeVar("_T")


def _required(found: _T | None, kind: str, key: str) -> _T:
    if found is None:
        raise KeyError(f"the catalogue has no {kind} {key!r}")
    return found


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    themes = _read("themes.yaml")
    return Catalogue.model_validate({
        "themes": themes["themes"],
        "toc_steps": themes["toc_steps"],
        "levels": themes["levels"],
        "questions": _read("questions.yaml")["questions"],
        "indicators": _read("indicators.yaml")["indicators"],
        "parts": _read("sources.yaml")["parts"],
        "bridge": _read("bridge.yaml"),
    })
