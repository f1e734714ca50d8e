"""The tender file: one tender, the menu it uses and the bids with their contributions."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from impactkit.model.facts import (PRICE, QUANTITIES, ambiguous_thousands, flags_of, looks_like_bsn, names_a_trede,
                                   trede_text, yes_no)
from impactkit.model.names import bidder_key
from impactkit.money import quantity


def _within(name: str, kind: type) -> Any:
    """The bounds of a numeric fact, for its Annotated field; `kind` must match its places (a whole
    number is an int, one with decimals a Decimal)."""
    bound = QUANTITIES[name]
    if (kind is int) != (bound.places == 0):
        raise TypeError(f"{name} has {bound.places} places: declare it as {'int' if bound.places == 0 else 'Decimal'}")
    if kind is int:
        return Field(ge=bound.low, le=bound.high)
    # the rules count in hundredths (cents): a third decimal is refused, not rounded away unseen
    return Field(ge=bound.low, le=bound.high, decimal_places=bound.places)


Amount = Annotated[Decimal, Field(ge=PRICE.low, le=PRICE.high)]
#: the kind of contract, in the words of the Aanbestedingswet too (werken, diensten, leveringen)
KIND_WORDS = {"works": "works", "werken": "works", "werk": "works", "services": "services", "diensten": "services",
              "dienst": "services", "supplies": "supplies", "leveringen": "supplies", "levering": "supplies"}


def _kind(value: object) -> object:
    return KIND_WORDS.get(value.strip().lower(), value) if isinstance(value, str) else value


Kind = Annotated[Literal["works", "services", "supplies"], BeforeValidator(_kind)]
Trede = Literal["1", "2", "3", "30+"]


_trede = trede_text


def _yes_no(value: object) -> object:
    """ja/nee, j/n, yes/no, true/false as in the spreadsheets; other values are left to pydantic's check."""
    if isinstance(value, str):
        answer = yes_no(value)
        if answer is not None:
            return answer
    return value


def _certified(value: object) -> object:
    """A PSO trede given as the certification ("trede 2") points to the trede's own field."""
    if isinstance(value, (str, int)) and not isinstance(value, bool) and names_a_trede(value):
        raise PydanticCustomError("ik_pso_certified_is_trede", "a PSO trede", {"trede": trede_text(value)})
    return _yes_no(value)


#: a yes/no field: ja/nee and j/n are accepted as in the spreadsheets
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
#: whether a bidder is PSO certified; a trede given here is pointed to pso_trede
PsoCertified = Annotated[bool, BeforeValidator(_certified)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def unambiguous(value: object) -> object:
    """Refuse "500.000" in an amount or quantity: 500 to YAML, 500,000 to a Dutch reader."""
    if ambiguous_thousands(value):
        text = str(value).strip()
        decimal = text.rstrip("0").rstrip(".")
        # facts count in hundredths: 24.125 is written 24.13 (half-up) if that was meant
        written = decimal if len(decimal.partition(".")[2]) <= 2 else format(
            Decimal(decimal).quantize(Decimal("0.01"), ROUND_HALF_UP), "f")
        raise PydanticCustomError("ik_number_ambiguous", "ambiguous", {
            "got": text, "thousands": text.replace(".", ""), "decimal": decimal, "written": written})
    return value


def share(value: Decimal | None) -> Decimal | None:
    """A share (a rate, a discount) is at most 1; one typed as a percentage ("5" for 5%) is refused
    with the way to write it: 0.05 (in a spreadsheet also 5%)."""
    if value is None or value <= 1:
        return value
    example = value.normalize() if value <= 100 else Decimal(5)
    raise PydanticCustomError("ik_share_above_one", "at most 1", {
        "limit": 1, "got": format(value.normalize(), "f"), "percent": format(example, "f"),
        "fraction": format((example / 100).normalize(), "f")})


class Contribution(_Input):
    """One proposed or realised contribution: a block and the facts that value it."""

    block: Annotated[str, Field(min_length=1, max_length=64)]
    candidate: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    hours_per_week: Annotated[Decimal, _within("hours_per_week", Decimal)] | None = None
    months: Annotated[Decimal, _within("months", Decimal)] | None = None
    hours: Annotated[Decimal, _within("hours", Decimal)] | None = None
    days: Annotated[Decimal, _within("days", Decimal)] | None = None
    amount: Annotated[Decimal, _within("amount", Decimal)] | None = None
    age: Annotated[int, _within("age", int)] | None = None
    permanent_contract: YesNo = False
    statushouder: YesNo = False
    work_limitation: YesNo = False
    hired_after_internship: YesNo = False
    #: for purchases valued by the supplier's PSO trede (a menu's factor_by_trede)
    supplier_pso_trede: Trede | None = None
    note: Annotated[str, Field(max_length=500)] | None = None

    @field_validator("candidate", mode="before")
    @classmethod
    def _candidate_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("candidate")
    @classmethod
    def _not_a_bsn(cls, value: str | None) -> str | None:
        if value is not None and looks_like_bsn(value):
            raise PydanticCustomError("ik_candidate_bsn", "looks like a BSN")
        return value

    @field_validator("supplier_pso_trede", mode="before")
    @classmethod
    def _trede_text(cls, value: object) -> object:
        return _trede(value)

    @field_validator("hours_per_week", "months", "hours", "days", "amount", mode="before")
    @classmethod
    def _not_ambiguous(cls, value: object) -> object:
        return unambiguous(value)

    @field_validator("hours_per_week", "months", "hours", "days", "amount")
    @classmethod
    def _two_decimals(cls, value: Decimal | None) -> Decimal | None:
        """Quantities and amounts count to two decimals, rounded half-up (as in spreadsheets)."""
        return quantity(value)

    @property
    def flags(self) -> dict[str, bool]:
        return flags_of(self)


class Bid(_Input):
    bidder: Annotated[str, Field(min_length=1, max_length=200)]
    contract_value: Amount | None = None
    wage_sum: Amount | None = None
    pso_certified: PsoCertified = False
    #: the bidder's own PSO trede, where the menu states a discount per trede
    pso_trede: Trede | None = None
    contributions: tuple[Contribution, ...] = ()

    @field_validator("contract_value", "wage_sum", mode="before")
    @classmethod
    def _not_ambiguous(cls, value: object) -> object:
        return unambiguous(value)

    @field_validator("contract_value", "wage_sum")
    @classmethod
    def _cents(cls, value: Decimal | None) -> Decimal | None:
        return quantity(value)

    @field_validator("pso_trede", mode="before")
    @classmethod
    def _trede_text(cls, value: object) -> object:
        return _trede(value)

    @property
    def claims_pso(self) -> bool:
        return self.pso_certified or self.pso_trede is not None


class TenderInfo(_Input):
    id: Annotated[str, Field(min_length=1, max_length=100)]
    title: Annotated[str, Field(max_length=300)] | None = None
    buyer: Annotated[str, Field(max_length=200)] | None = None
    # the menu, or the municipality whose menu applies (impactkit.menus.municipalities resolves it)
    menu: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    municipality: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    reference_date: date | None = None
    #: works, services or supplies: picks the menu's threshold where it differs per kind
    kind: Kind | None = None
    contract_value: Amount
    wage_sum: Amount | None = None
    base: Literal["contract_value", "wage_sum"] | None = None
    rate: Annotated[Decimal, Field(gt=0)] | None = None  # at most 1: _shares says how to write it
    threshold: Amount | None = None
    threshold_inclusive: YesNo | None = None
    cap: Amount | None = None
    pso_discount: Annotated[Decimal, Field(ge=0)] | None = None
    hours_basis: Annotated[Decimal, Field(gt=0, le=60, decimal_places=2)] | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("rate", "pso_discount")
    @classmethod
    def _shares(cls, value: Decimal | None) -> Decimal | None:
        return share(value)

    @field_validator("contract_value", "wage_sum", "threshold", "cap", mode="before")
    @classmethod
    def _not_ambiguous(cls, value: object) -> object:
        return unambiguous(value)

    @field_validator("contract_value", "wage_sum", "threshold", "cap")
    @classmethod
    def _cents(cls, value: Decimal | None) -> Decimal | None:
        """Amounts count to cents, rounded half-up."""
        return quantity(value)

    @model_validator(mode="after")
    def _menu_or_municipality(self) -> Self:
        if self.menu is None and self.municipality is None:
            raise PydanticCustomError("ik_menu_or_municipality", "give menu or municipality")
        return self


class TenderFile(_Input):
    tender: TenderInfo
    bids: tuple[Bid, ...] = ()

    @field_validator("bids")
    @classmethod
    def _one_bid_per_bidder(cls, bids: tuple[Bid, ...]) -> tuple[Bid, ...]:
        """Two bids by one bidder (however the name is spelled) are a copy left in, not two bids."""
        seen: dict[str, int] = {}
        for number, bid in enumerate(bids, 1):
            key = bidder_key(bid.bidder)
            if key in seen:
                first = seen[key]
                raise PydanticCustomError("ik_bidder_repeated", "a bidder twice", {
                    "first": first, "second": number, "bidder": bid.bidder, "first_bidder": bids[first - 1].bidder,
                    "at": (number - 1,), "at_field": "bidder", "first_at": (first - 1, "bidder")})
            seen[key] = number
        return bids
