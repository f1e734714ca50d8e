"""The pydantic model of a menu of building blocks (one region, one version)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, PrivateAttr, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from impactkit.model.facts import FLAGS, MAX_MENU_VALUE, REQUIRED_FACTS, TREDES, UNITS, VALUED_UNITS

Unit = Literal["per_year", "per_month", "per_hour", "per_day", "invoice", "actual_cost", "by_agreement"]
Flag = Literal["permanent_contract", "statushouder", "work_limitation", "hired_after_internship"]
Base = Literal["contract_value", "wage_sum"]
Kind = Literal["works", "services", "supplies"]
Trede = Literal["1", "2", "3", "30+"]
assert get_args(Unit) == UNITS and get_args(Flag) == FLAGS and get_args(Trede) == TREDES
SourceStatus = Literal["primary", "secondary"]
MenuSourceStatus = Literal["primary", "secondary", "mixed"]
#: why a row of a source is not computed yet (docs/menus.md, "Rows not computed yet")
Needs = Literal[
    "fixed_amount", "hour_limit", "per_person_day", "per_half_day", "unclear_unit", "bonus_of_block_value",
    "cost_bonus", "target_group_value", "flag", "pso_trede", "share_cap", "threshold_by_kind", "penalty",
    "fte_rule", "partner_example", "amount_limit",
]

__all__ = ["REQUIRED_FACTS", "STANDARD_TEXTS", "VALUED_UNITS", "Assumption", "Block", "Bonus", "Label", "Menu",
           "ObligationRule", "Source", "StandardText", "Text"]

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=64)]
#: a block's or bonus's value: whole cents, within what the rules kernel computes exactly
Value = Annotated[Decimal, Field(ge=0, le=MAX_MENU_VALUE, decimal_places=2)]
#: a threshold or cap on the obligation: whole cents
Money = Annotated[Decimal, Field(ge=0, le=Decimal("1e12"), decimal_places=2)]
#: a share or percentage as a fraction (0.25 is 25%), to four decimals
Share = Annotated[Decimal, Field(ge=0, le=1, decimal_places=4)]
Months = Annotated[Decimal, Field(gt=0, le=600, decimal_places=2)]
Hours = Annotated[Decimal, Field(ge=0, le=60, decimal_places=2)]
MENU_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _trede_keys(value: object) -> object:
    """YAML reads `1: 0.25` with a number as key; tredes are named "1", "2", "3" and "30+"."""
    if isinstance(value, dict):
        return {str(k).strip().lower().removeprefix("trede").strip() if not isinstance(k, bool) else k: v
                for k, v in value.items()}
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    nl: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]


#: impactkit's own rules, each written once as a message of the catalogues (i18n/en.py, nl.py); a
#: menu lists the ones it follows where its source is silent as `- standard: ID` (docs/menus.md)
STANDARD_TEXTS = {
    "months_per_candidate": "standard_months_per_candidate",
    "rounding": "rounding_rule",
    "bonuses_pro_rated": "standard_bonuses_pro_rated",
    "no_counting_caps": "standard_no_counting_caps",
    "no_obligation_rule": "standard_no_obligation_rule",
}
StandardId = Literal["months_per_candidate", "rounding", "bonuses_pro_rated", "no_counting_caps", "no_obligation_rule"]
assert set(get_args(StandardId)) == set(STANDARD_TEXTS)


class StandardText(_Strict):
    """One of impactkit's own rules, named by its id; its words (in both languages) are in the catalogues."""

    standard: StandardId

    @property
    def message_key(self) -> str:
        return STANDARD_TEXTS[self.standard]


def _text_kind(value: object) -> str:
    """Which kind of text a value is: a mapping is {nl, en}, anything else plain text. The tags start
    with "_" so that an error's location, which names the tag, can drop them (no field does)."""
    return "_label" if isinstance(value, (dict, Label)) else "_text"


def _assumption_kind(value: object) -> str:
    if isinstance(value, StandardText) or (isinstance(value, dict) and "standard" in value):
        return "_standard"
    return _text_kind(value)


_Plain = Annotated[str, Field(min_length=1)]
#: a text impactkit or a user wrote: a plain string (shown as written, in any language) or a
#: bilingual {nl: ..., en: ...} (shown in the reader's language); see Translator.label
Text = Annotated[Annotated[_Plain, Tag("_text")] | Annotated[Label, Tag("_label")], Discriminator(_text_kind)]
#: an assumption may also name one of impactkit's standard texts: {standard: rounding}
Assumption = Annotated[
    Annotated[_Plain, Tag("_text")] | Annotated[Label, Tag("_label")] | Annotated[StandardText, Tag("_standard")],
    Discriminator(_assumption_kind),
]


class Source(_Strict):
    """Where rows of a menu come from.

    `status` says what kind of source it is: a ``primary`` page of the region (municipality,
    WSP, coordination point) or a ``secondary`` dataset that names no source document, whose
    values the user must confirm with the region. A secondary source names its dataset, file and
    commit, so the very version read can be found again.
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    title: Text
    recorded: date | None = None
    via: str | None = None
    status: SourceStatus = "primary"
    dataset: Annotated[str, Field(min_length=1)] | None = None
    file: Annotated[str, Field(min_length=1)] | None = None
    commit: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")] | None = None
    cites: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None  # the page a dataset names (not read)

    @model_validator(mode="after")
    def _dataset_fields(self) -> Self:
        if self.status == "secondary" and (self.dataset is None or self.commit is None):
            raise PydanticCustomError("ik_secondary_source", "a secondary source names its dataset and commit")
        return self


class ObligationRule(_Strict):
    rate: Annotated[Decimal, Field(gt=0, le=1, decimal_places=6)]
    base: Base = "contract_value"
    threshold: Money | None = None
    #: a threshold per kind of contract (works, services, supplies); a tender's `kind` picks one
    threshold_by_kind: dict[Kind, Money] | None = None
    threshold_inclusive: bool = True
    cap: Money | None = None
    #: a discount for any PSO-certified contractor, where the source states one percentage
    pso_discount: Share | None = None
    #: a discount per PSO trede of the contractor ("1", "2", "3", "30+"); 1 means exemption
    pso_discount_by_trede: dict[Trede, Share] | None = None
    #: the share of the unfilled obligation withheld or charged at the end (1.25 is 125%)
    penalty_rate: Annotated[Decimal, Field(gt=0, le=10, decimal_places=4)] | None = None
    source: str
    assumed: bool = False

    @field_validator("pso_discount_by_trede", mode="before")
    @classmethod
    def _tredes(cls, value: object) -> object:
        return _trede_keys(value)


class ShareCap(_Strict):
    """The blocks of one category count for at most a share of the obligation."""

    category: Id
    max_share: Annotated[Decimal, Field(gt=0, le=1, decimal_places=4)]
    source: str


class BonusCondition(_Strict):
    age_min: Annotated[int, Field(ge=15, le=100)] | None = None
    flag: Flag | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.age_min is None) == (self.flag is None):
            raise PydanticCustomError("ik_bonus_condition", "give exactly one of age_min and flag")
        return self

    def holds(self, age: int | None, flags: dict[str, bool]) -> bool:
        if self.age_min is not None:
            return age is not None and age >= self.age_min
        return self.flag is not None and bool(flags.get(self.flag))


class Bonus(_Strict):
    id: Id
    label: Label
    value: Value
    group: str | None = None
    when: BonusCondition
    one_off: bool = False
    source: str


class Block(_Strict):
    id: Id
    alias_of: Id | None = None
    label: Label | None = None
    unit: Unit | None = None
    value: Value | None = None
    factor: Annotated[Decimal, Field(gt=0, le=1, decimal_places=4)] = Decimal(1)
    #: for invoice blocks: the share of the invoice that counts, by the supplier's PSO trede
    factor_by_trede: dict[Trede, Share] | None = None
    cap_months: Months | None = None
    min_hours_per_week: Hours | None = None
    bonuses: tuple[Id, ...] = ()
    #: a group of blocks whose credit a menu's share cap limits (e.g. social_investment)
    category: Id | None = None
    source: str | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.alias_of is not None:
            extra = [name for name in ("label", "unit", "value", "source") if getattr(self, name) is not None]
            if extra or self.bonuses:
                raise PydanticCustomError(
                    "ik_alias_with_fields",
                    "an alias only names alias_of",
                    {"fields": ", ".join(extra or ["bonuses"])},
                )
            return self
        for name in ("label", "unit", "source"):
            if getattr(self, name) is None:
                raise PydanticCustomError("ik_block_field_missing", "missing", {"name": name})
        if self.unit in VALUED_UNITS and self.value is None:
            raise PydanticCustomError("ik_block_value_missing", "value missing", {"unit": self.unit})
        if self.unit not in VALUED_UNITS and self.value is not None:
            raise PydanticCustomError("ik_block_value_unexpected", "value not used", {"unit": self.unit})
        if self.unit != "per_year" and (self.bonuses or self.min_hours_per_week is not None):
            raise PydanticCustomError("ik_block_per_year_only", "per_year only", {"unit": self.unit})
        if self.factor_by_trede is not None and self.unit != "invoice":
            raise PydanticCustomError("ik_block_invoice_only", "invoice only", {"unit": self.unit})
        return self

    @field_validator("factor_by_trede", mode="before")
    @classmethod
    def _tredes(cls, value: object) -> object:
        return _trede_keys(value)

    # A block that is not an alias always has its label and unit (_shape refuses one without): these
    # give them typed, for code that holds a resolved block (Menu.resolve, Menu.rows).
    @property
    def row_label(self) -> Label:
        if self.label is None:
            raise ValueError(f"block {self.id} is an alias of {self.alias_of}: resolve it first")
        return self.label

    @property
    def row_unit(self) -> Unit:
        if self.unit is None:
            raise ValueError(f"block {self.id} is an alias of {self.alias_of}: resolve it first")
        return self.unit

    @property
    def row_value(self) -> Decimal:
        """The value of a block of a valued unit (per year, month, hour or day: _shape requires one)."""
        if self.value is None:
            raise ValueError(f"block {self.id} ({self.unit}) has no value: it takes the amount given")
        return self.value


class MemberGroup(_Strict):
    """More municipalities that use a menu, named by another source than the menu's own."""

    names: Annotated[tuple[Annotated[str, Field(min_length=1)], ...], Field(min_length=1)]
    source: str
    note: Text | None = None


class Coordination(_Strict):
    """Who coordinates social return for the municipalities of a menu."""

    name: Text
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    source: str | None = None


class PendingRow(_Strict):
    """A row the source shows that impactkit does not compute yet, kept with its value as written."""

    label: Label
    value: Text  # as the source states it, e.g. "EUR 7,500 per internship period"
    needs: Needs
    source: str
    note: Text | None = None


def _parse_valid_from(value: object) -> object:
    if value in (None, "unknown", "onbekend"):
        return None
    return value


class Menu(_Strict):
    schema_version: Literal[1] = Field(alias="schema")
    id: Annotated[str, Field(pattern=MENU_ID_RE.pattern, max_length=64)]
    version: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=32)]
    edition: Annotated[int, Field(ge=1)] = 1
    name: Text
    region: Text | None = None
    municipalities: tuple[str, ...] = ()
    municipalities_note: Text | None = None
    municipalities_source: str | None = None  # source id naming `municipalities`; default: the first source
    more_municipalities: tuple[MemberGroup, ...] = ()
    coordination: Coordination | None = None
    source_status: MenuSourceStatus | None = None  # derived from the rows' sources when absent
    not_encoded: tuple[PendingRow, ...] = ()
    valid_from: date | None
    valid_from_note: Text | None = None
    status: Literal["complete", "partial"]
    status_note: Text | None = None
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]
    hours_basis: Annotated[Decimal, Field(gt=0, le=60, decimal_places=2)]
    hours_basis_assumed: bool = False
    obligation: ObligationRule
    #: fields of the obligation rule whose values come from another source than obligation.source
    #: (e.g. {pso_discount_by_trede: a dataset}); documents where each figure comes from
    obligation_sources: dict[str, str] = Field(default_factory=dict)
    bonuses: tuple[Bonus, ...] = ()
    blocks: Annotated[tuple[Block, ...], Field(min_length=1)]
    share_caps: tuple[ShareCap, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    eligibility: tuple[Text, ...] = ()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    _block_index: dict[str, Block] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any) -> None:
        self._block_index = {b.id: b for b in self.blocks}
        if self.source_status is None:  # frozen: set once, here, from the rows
            object.__setattr__(self, "source_status", self.derived_source_status())

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> object:
        return str(value) if isinstance(value, (int, Decimal)) else value

    @field_validator("valid_from", mode="before")
    @classmethod
    def _unknown_date(cls, value: object) -> object:
        return _parse_valid_from(value)

    # lookups ---------------------------------------------------------------
    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def block(self, block_id: str) -> Block | None:
        return self._blocks().get(block_id)

    def resolve(self, block_id: str) -> Block | None:
        """The block that values `block_id`, following an alias."""
        block = self.block(block_id)
        if block is not None and block.alias_of is not None:
            return self.block(block.alias_of)
        return block

    def row(self, block_id: str) -> Block:
        """The block that values `block_id` (an alias followed), for an id known to be in the menu
        (a validated line's); KeyError otherwise."""
        block = self.resolve(block_id)
        if block is None:
            raise KeyError(f"{self.ref} has no block {block_id!r}")
        return block

    def bonus(self, bonus_id: str) -> Bonus | None:
        return next((b for b in self.bonuses if b.id == bonus_id), None)

    def source(self, source_id: str | None) -> Source:
        for src in self.sources:
            if src.id == source_id:
                return src
        return self.sources[0]

    def _blocks(self) -> dict[str, Block]:
        return self._block_index

    # where the rows come from ------------------------------------------------
    def row_status(self, source_id: str | None) -> SourceStatus:
        """"primary" or "secondary": the status of the source a row cites."""
        return self.source(source_id).status

    def row_sources(self) -> list[str]:
        """The source ids of every row a figure rests on: blocks, bonuses, and the obligation rule
        unless it is impactkit's assumption (then it rests on no region's source)."""
        ids = [b.source for b in self.blocks if b.source is not None] + [b.source for b in self.bonuses]  # not aliases
        if not self.obligation.assumed:
            ids.append(self.obligation.source)
        ids += list(self.obligation_sources.values()) + [c.source for c in self.share_caps]
        return ids

    def obligation_source(self, field_name: str) -> Source:
        """The source of one field of the obligation rule."""
        return self.source(self.obligation_sources.get(field_name, self.obligation.source))

    @property
    def source_kind(self) -> MenuSourceStatus:
        """primary, secondary or mixed: `source_status` as declared, else as derived from the rows."""
        return self.source_status if self.source_status is not None else self.derived_source_status()

    def derived_source_status(self) -> MenuSourceStatus:
        kinds = {self.row_status(i) for i in self.row_sources()}
        return kinds.pop() if len(kinds) == 1 else "mixed"

    def secondary_sources(self) -> list[Source]:
        """The secondary sources that rows of this menu cite, in the order of `sources`."""
        used = set(self.row_sources())
        return [s for s in self.sources if s.status == "secondary" and s.id in used]

    def members(self) -> list[tuple[str, Source]]:
        """Every municipality that uses this menu, with the source that says so."""
        own = self.source(self.municipalities_source)
        out = [(name, own) for name in self.municipalities]
        for group in self.more_municipalities:
            out += [(name, self.source(group.source)) for name in group.names]
        return out

    def reference_problems(self) -> list[tuple[tuple, str, dict]]:
        """Cross-references a schema cannot check: (path, message key, params)."""
        out: list[tuple[tuple, str, dict]] = []
        source_ids = {s.id for s in self.sources}
        bonus_ids = {b.id for b in self.bonuses}
        _duplicates(out, "sources", [s.id for s in self.sources])
        _duplicates(out, "bonuses", [b.id for b in self.bonuses])
        _duplicates(out, "blocks", [b.id for b in self.blocks])
        if self.obligation.source not in source_ids:
            out.append((("obligation", "source"), "ref_source_unknown", {"id": self.obligation.source}))
        categories = {b.category for b in self.blocks if b.category}
        for i, share_cap in enumerate(self.share_caps):
            if share_cap.source not in source_ids:
                out.append((("share_caps", i, "source"), "ref_source_unknown", {"id": share_cap.source}))
            if share_cap.category not in categories:
                out.append((("share_caps", i, "category"), "ref_category_unknown", {"id": share_cap.category}))
        for name, source_id in self.obligation_sources.items():
            if name not in ObligationRule.model_fields or name in ("source", "assumed"):
                out.append((("obligation_sources", name), "ref_rule_field_unknown", {"id": name}))
            elif getattr(self.obligation, name) is None:
                out.append((("obligation_sources", name), "ref_rule_field_unset", {"id": name}))
            if source_id not in source_ids:
                out.append((("obligation_sources", name), "ref_source_unknown", {"id": source_id}))
        if self.municipalities_source is not None and self.municipalities_source not in source_ids:
            out.append((("municipalities_source",), "ref_source_unknown", {"id": self.municipalities_source}))
        for i, group in enumerate(self.more_municipalities):
            if group.source not in source_ids:
                out.append((("more_municipalities", i, "source"), "ref_source_unknown", {"id": group.source}))
        if self.coordination is not None and self.coordination.source is not None \
                and self.coordination.source not in source_ids:
            out.append((("coordination", "source"), "ref_source_unknown", {"id": self.coordination.source}))
        for i, row in enumerate(self.not_encoded):
            if row.source not in source_ids:
                out.append((("not_encoded", i, "source"), "ref_source_unknown", {"id": row.source}))
        if not any(p[1] == "ref_source_unknown" for p in out):
            derived = self.derived_source_status()
            if self.source_status != derived:
                out.append((("source_status",), "ref_source_status", {"declared": self.source_status, "derived": derived}))
        for i, bonus in enumerate(self.bonuses):
            if bonus.source not in source_ids:
                out.append((("bonuses", i, "source"), "ref_source_unknown", {"id": bonus.source}))
        blocks = {b.id: b for b in self.blocks}
        for i, block in enumerate(self.blocks):
            if block.source is not None and block.source not in source_ids:
                out.append((("blocks", i, "source"), "ref_source_unknown", {"id": block.source}))
            for j, bonus_id in enumerate(block.bonuses):
                if bonus_id not in bonus_ids:
                    out.append((("blocks", i, "bonuses", j), "ref_bonus_unknown", {"id": bonus_id}))
            if block.alias_of is not None:
                target = blocks.get(block.alias_of)
                if target is None or target.alias_of is not None:
                    out.append((("blocks", i, "alias_of"), "ref_alias_unknown", {"id": block.alias_of}))
        return out


def _duplicates(out: list, section: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if item_id in seen:
            out.append(((section, i, "id"), "ref_duplicate_id", {"id": item_id}))
        seen.add(item_id)
