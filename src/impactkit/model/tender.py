"""The tender file: one tender, the menu it uses and the bids with their contributions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from impactkit.money import quantity

Amount = Annotated[Decimal, Field(ge=0, le=Decimal("1e12"))]
MAX_HOURS_PER_WEEK = 60
MAX_MONTHS = 120


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Contribution(_Input):
    """One proposed or realised contribution: a block and the facts that value it."""

    block: Annotated[str, Field(min_length=1, max_length=64)]
    candidate: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    hours_per_week: Annotated[Decimal, Field(ge=0, le=MAX_HOURS_PER_WEEK)] | None = None
    months: Annotated[Decimal, Field(ge=0, le=MAX_MONTHS)] | None = None
    hours: Annotated[Decimal, Field(ge=0, le=1_000_000)] | None = None
    days: Annotated[Decimal, Field(ge=0, le=3660)] | None = None
    amount: Amount | None = None
    age: Annotated[int, Field(ge=15, le=100)] | None = None
    permanent_contract: bool = False
    statushouder: bool = False
    work_limitation: bool = False
    hired_after_internship: bool = False
    note: Annotated[str, Field(max_length=500)] | None = None

    @field_validator("candidate", mode="before")
    @classmethod
    def _candidate_text(cls, value):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("hours_per_week", "months", "hours", "days", "amount")
    @classmethod
    def _two_decimals(cls, value):
        """Quantities and amounts count to two decimals, rounded half-up (as in spreadsheets)."""
        return quantity(value)

    @property
    def flags(self) -> dict[str, bool]:
        return {
            "permanent_contract": self.permanent_contract,
            "statushouder": self.statushouder,
            "work_limitation": self.work_limitation,
            "hired_after_internship": self.hired_after_internship,
        }


class Bid(_Input):
    bidder: Annotated[str, Field(min_length=1, max_length=200)]
    contract_value: Amount | None = None
    wage_sum: Amount | None = None
    pso_certified: bool = False
    contributions: tuple[Contribution, ...] = ()

    @field_validator("contract_value", "wage_sum")
    @classmethod
    def _cents(cls, value):
        return quantity(value)


class TenderInfo(_Input):
    id: Annotated[str, Field(min_length=1, max_length=100)]
    title: Annotated[str, Field(max_length=300)] | None = None
    buyer: Annotated[str, Field(max_length=200)] | None = None
    # the menu, or the municipality whose menu applies (impactkit.menus.municipalities resolves it)
    menu: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    municipality: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    reference_date: date | None = None
    contract_value: Amount
    wage_sum: Amount | None = None
    base: Literal["contract_value", "wage_sum"] | None = None
    rate: Annotated[Decimal, Field(gt=0, le=1)] | None = None
    threshold: Amount | None = None
    threshold_inclusive: bool | None = None
    cap: Amount | None = None
    pso_discount: Annotated[Decimal, Field(ge=0, le=1)] | None = None
    hours_basis: Annotated[Decimal, Field(gt=0, le=60, decimal_places=2)] | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("contract_value", "wage_sum", "threshold", "cap")
    @classmethod
    def _cents(cls, value):
        """Amounts count to cents, rounded half-up."""
        return quantity(value)

    @model_validator(mode="after")
    def _menu_or_municipality(self):
        if self.menu is None and self.municipality is None:
            raise PydanticCustomError("ik_menu_or_municipality", "give menu or municipality")
        return self


class TenderFile(_Input):
    tender: TenderInfo
    bids: tuple[Bid, ...] = ()
