"""The Impactpad as data: themes, growth-path levels, questions and the indicator catalogue.

The catalogue lives in YAML files under `impactkit/assess/data`; adding a theme, a question or
an indicator needs no code change.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from impactkit.model.menu import Label

Source = Literal["impactpad", "external", "impactkit"]


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
    level: Annotated[int, Field(ge=1, le=5)]
    kind: Literal["text", "yes_no", "yes_no_evidence"]
    required: bool
    text: Label
    explain: Label | None = None
    examples: dict[str, Label] = {}  # an example per theme, where the general one would not fit
    evidence: Label | None = None

    def explanation(self, theme_id: str) -> Label | None:
        return self.examples.get(theme_id, self.explain)


class Indicator(_Data):
    id: Annotated[str, Field(pattern=r"^[a-z_0-9]+$")]
    theme: str
    toc_step: Literal["output", "outcome", "impact"]
    min_level: Annotated[int, Field(ge=1, le=5)]
    unit: str
    name: Label
    methods: tuple[Label, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    source: Source


class Catalogue(_Data):
    themes: tuple[Theme, ...]
    toc_steps: tuple[TocStep, ...]
    levels: tuple[Level, ...]
    questions: tuple[Question, ...]
    indicators: tuple[Indicator, ...]

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def level(self, number: int) -> Level:
        return next(level for level in self.levels if level.level == number)

    def questions_at(self, level: int) -> list[Question]:
        return [q for q in self.questions if q.level == level]

    def indicators_for(self, theme_id: str, level: int | None = None) -> list[Indicator]:
        return [i for i in self.indicators if i.theme == theme_id and (level is None or i.min_level == level)]


def _read(name: str) -> dict:
    return yaml.safe_load(files("impactkit.assess.data").joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    themes = _read("themes.yaml")
    return Catalogue(
        themes=themes["themes"],
        toc_steps=themes["toc_steps"],
        levels=themes["levels"],
        questions=_read("questions.yaml")["questions"],
        indicators=_read("indicators.yaml")["indicators"],
    )
