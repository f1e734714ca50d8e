"""The plan file: a tender (or a menu and a contract value), the bid to plan, and the options.

An option is something the contractor can really do, with its limits and its cost: people from
a target group (an hours range, months, a cost a month), apprenticeships, purchases from an SW
company at a premium, volunteer hours, training costs. The menu decides what each is worth;
this model only holds what the contractor states. See docs/plan.md.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from impactkit.model.facts import QUANTITIES, flags_of
from impactkit.model.tender import Amount, PsoCertified, TenderInfo, YesNo
from impactkit.money import quantity

MAX_PEOPLE = 100
MAX_OPTIONS = 2000
Cost = Annotated[Decimal, Field(ge=0, le=Decimal("1e9"))]
Rate = Annotated[Decimal, Field(ge=0, le=100)]  # cost per euro: 0.10 is a 10% premium


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Span(_Input):
    """A range the plan may choose from: {min: 24, max: 36}."""

    min: Decimal | None = None
    max: Decimal

    @property
    def low(self) -> Decimal:
        return self.min if self.min is not None else Decimal(0)


def _number(value, shown) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise PydanticCustomError("ik_plan_quantity_shape", "shape", {"got": shown})
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise PydanticCustomError("ik_plan_quantity_shape", "shape", {"got": shown}) from None
    if not number.is_finite() or number < 0 or number > Decimal("1e9"):
        raise PydanticCustomError("ik_plan_quantity_range", "range", {"got": shown})
    return number


def parse_quantity(value: Any) -> Decimal | Span:
    """A number, or a range {min: .., max: ..}; one clear error for anything else."""
    shown = str(value) if not isinstance(value, (dict, list)) else type(value).__name__
    if isinstance(value, dict):
        unknown = sorted(str(k) for k in value if k not in ("min", "max"))
        if unknown or "max" not in value:
            raise PydanticCustomError("ik_plan_quantity_shape", "shape", {"got": ", ".join(unknown) or "no max"})
        low = None if value.get("min") is None else _number(value["min"], str(value["min"]))
        high = _number(value["max"], str(value["max"]))
        if low is not None and low > high:
            raise PydanticCustomError("ik_plan_span_order", "order", {"low": str(low), "high": str(high)})
        return Span(min=low, max=high)
    return _number(value, shown)


Quantity = Annotated[Any, BeforeValidator(parse_quantity)]


class Option(_Input):
    """One thing the contractor can offer, with its limits and its cost (see docs/plan.md)."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=40)]
    block: Annotated[str, Field(min_length=1, max_length=64)]
    note: Annotated[str, Field(max_length=300)] | None = None
    committed: YesNo = False
    # people (blocks valued per year or per month)
    people: Annotated[int, Field(ge=1, le=MAX_PEOPLE)] | None = None
    candidate: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    hours_per_week: Quantity | None = None
    months: Quantity | None = None
    age: Annotated[int, Field(ge=15, le=100)] | None = None
    permanent_contract: YesNo = False
    statushouder: YesNo = False
    work_limitation: YesNo = False
    hired_after_internship: YesNo = False
    # hours, days and amounts
    hours: Quantity | None = None
    days: Quantity | None = None
    amount: Quantity | None = None
    # costs to the contractor (all optional, 0 when absent)
    cost_per_month: Cost | None = None
    cost_per_hour: Cost | None = None
    cost_per_person: Cost | None = None
    cost_per_day: Cost | None = None
    cost_per_euro: Rate | None = None
    cost_fixed: Cost | None = None

    def required(self, name: str) -> Any:
        """A quantity the option's block needs: a number, or a Span to choose from (the option
        checks of plan/checks.py refuse an option without it)."""
        value = getattr(self, name)
        if value is None:
            raise ValueError(f"option {self.id} has no {name}")
        return value

    @field_validator("candidate", mode="before")
    @classmethod
    def _candidate_text(cls, value):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("cost_per_month", "cost_per_hour", "cost_per_person", "cost_per_day", "cost_fixed")
    @classmethod
    def _cents(cls, value):
        return quantity(value)

    @property
    def flags(self) -> dict[str, bool]:
        return flags_of(self)

    @property
    def has_cost(self) -> bool:
        return any(getattr(self, name) for name in COST_FIELDS)


COST_FIELDS = ("cost_per_month", "cost_per_hour", "cost_per_person", "cost_per_day", "cost_per_euro", "cost_fixed")


class PlanTender(TenderInfo):
    """The tender written out in the plan: as in a tender file, the id may be left out."""

    id: Annotated[str, Field(min_length=1, max_length=100)] = "plan"


class PlanBid(_Input):
    """The bid to plan: a bid of the tender file, or a new one (then its own price may be given)."""

    bidder: Annotated[str, Field(min_length=1, max_length=200)]
    contract_value: Amount | None = None
    wage_sum: Amount | None = None
    pso_certified: PsoCertified | None = None

    @field_validator("contract_value", "wage_sum")
    @classmethod
    def _cents(cls, value):
        return quantity(value)

    @property
    def has_details(self) -> bool:
        return any(v is not None for v in (self.contract_value, self.wage_sum, self.pso_certified))


class PlanFile(_Input):
    tender: Any  # the path of a tender file, or a tender written out (PlanTender): the loader decides
    bid: PlanBid | None = None
    options: Annotated[tuple[Option, ...], Field(max_length=MAX_OPTIONS)] = ()

    @field_validator("bid", mode="before")
    @classmethod
    def _bidder_only(cls, value):
        return {"bidder": value} if isinstance(value, str) else value


HOURS_LIMIT = QUANTITIES["hours_per_week"].high
MONTHS_LIMIT = QUANTITIES["months"].high
