"""Options turned into what the model chooses from, each valued through the adapter.

A person option becomes its *patterns*: one per hours level and number of months that can be
worth choosing, each with the credit of one person's line (from `value_line`: caps, minimum
hours and bonuses applied, rounded once as the rules round a line) and its cost in cents. Hours,
amounts and days become integer quantities with a credit per unit from the adapter. Patterns
that another pattern beats on both credit and cost are dropped; credit never falls when hours
or months grow (an invariant of the rules), so patterns whose cost does not grow with hours are
only valued at the most hours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from impactkit.model.menu import Block
from impactkit.model.tender import Contribution
from impactkit.money import ZERO, cents
from impactkit.model.facts import QUANTITIES
from impactkit.plan.model import Option, Span
from impactkit.plan.valuation import Setting, value_line, value_lines

PEOPLE_UNITS = ("per_year", "per_month")
AMOUNT_UNITS = ("invoice", "actual_cost", "by_agreement")
WEEKS_PER_MONTH = Fraction(52, 12)
FLAGS = ("permanent_contract", "statushouder", "work_limitation", "hired_after_internship")
COSTS_FIXED = ("cost_fixed",)
ALLOWED: dict[str, set[str]] = {
    "per_year": {"people", "candidate", "hours_per_week", "months", "age", *FLAGS, "cost_per_month", "cost_per_hour",
                 "cost_per_person", *COSTS_FIXED},
    "per_month": {"people", "candidate", "months", "cost_per_month", "cost_per_person", *COSTS_FIXED},
    "per_hour": {"hours", "cost_per_hour", *COSTS_FIXED},
    "per_day": {"days", "amount", "cost_per_day", "cost_per_euro", *COSTS_FIXED},
    **{unit: {"amount", "cost_per_euro", *COSTS_FIXED} for unit in AMOUNT_UNITS},
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "per_year": ("hours_per_week", "months"),
    "per_month": ("months",),
    "per_hour": ("hours",),
    "per_day": ("days", "amount"),
    **{unit: ("amount",) for unit in AMOUNT_UNITS},
}
LIMITS = {name: QUANTITIES[name].high for name in ("hours_per_week", "months", "hours", "days")}


@dataclass(frozen=True)
class ShareCap:
    """At most `share` of the obligation may come from these blocks (credit above it does not count)."""

    blocks: frozenset[str]
    share: Decimal
    label: str = ""


@dataclass(frozen=True)
class Pattern:
    """One person's line: hours a week and months, its checked credit and its cost (cents)."""

    hours_per_week: Decimal | None
    months: Decimal
    credit: int
    cost: int


@dataclass
class Choice:
    """One option as the model sees it."""

    option: Option
    position: int
    block: Block
    kind: str  # "people", "quantity" or "days"
    fixed_cost: int  # cents, once when the option is used
    patterns: tuple[Pattern, ...] = ()
    people_low: int = 1
    people: int = 0
    candidates: tuple[str, ...] = ()
    measure: str = ""  # quantity: "hours" or "amount"
    scale: int = 1  # units of the model per unit of the field: 100 for amounts (cents)
    low: int = 0
    high: int = 0
    credit_per_unit: Fraction = Fraction(0)
    cost_per_unit: Fraction = Fraction(0)  # cents per unit
    exact: bool = True  # credit per unit times units is exactly the checked credit
    days_low: int = 0
    days_high: int = 0
    amount_high: int = 0  # cents
    day_value: int = 0  # cents a day
    already: Decimal = ZERO  # months already counted for the option's named candidate and block

    @property
    def id(self) -> str:
        return self.option.id

    @property
    def committed(self) -> bool:
        return self.option.committed


# costs of one line, exact and rounded half-up to cents once -------------------------------

def person_cost(option: Option, hours: Decimal | None, months: Decimal) -> Decimal:
    """cost_per_month x months + cost_per_hour x hours a week x 52/12 x months, rounded half-up to
    cents once, + cost_per_person; in integers (cents and hundredths), exactly."""
    per_month = int((option.cost_per_month or ZERO) * 100)
    per_hour = int((option.cost_per_hour or ZERO) * 100) if hours is not None else 0
    m, h = int(months * 100), int((hours or ZERO) * 100)
    scale = 120000  # 100 (hundredths of a month) x 100 (hundredths of an hour) x 12 (months a year)
    exact = per_month * m * 1200 + per_hour * h * 52 * m
    rounded = (2 * exact + scale) // (2 * scale)
    return (Decimal(rounded) + int((option.cost_per_person or ZERO) * 100)) / 100


def quantity_cost(option: Option, field_name: str, value: Decimal) -> Decimal:
    rate = option.cost_per_hour if field_name == "hours" else option.cost_per_euro
    return cents(Fraction(rate or 0) * Fraction(value))


def days_cost(option: Option, days: Decimal, amount: Decimal) -> Decimal:
    return cents(Fraction(option.cost_per_day or 0) * Fraction(days) + Fraction(option.cost_per_euro or 0) * Fraction(amount))


def to_cents(amount: Decimal) -> int:
    return int(amount * 100)


# contributions ---------------------------------------------------------------------------------

def person_contribution(option: Option, hours: Decimal | None, months: Decimal, candidate: str | None,
                        check: bool = True) -> Contribution:
    facts = {"block": option.block, "candidate": candidate, "hours_per_week": hours, "months": months,
             "age": option.age, **{flag: getattr(option, flag) for flag in FLAGS}}
    if not check:  # facts already validated: valuing many patterns skips pydantic's checks
        return Contribution.model_construct(**facts)
    return Contribution(**{k: v for k, v in facts.items() if v is not None})


def quantity_contribution(option: Option, values: dict) -> Contribution:
    return Contribution(block=option.block, **values)


# levels ------------------------------------------------------------------------------------------

def hour_levels(spec: Decimal | Span) -> list[Decimal]:
    """Hours a week the plan may choose: the number, or whole hours within the range and its ends."""
    if isinstance(spec, Decimal):
        return [spec]
    low = max(spec.low, Decimal(1)) if spec.max >= 1 else spec.max
    levels = {low, spec.max}
    levels.update(Decimal(h) for h in range(math.ceil(low), math.floor(spec.max) + 1))
    return sorted(level for level in levels if level > 0)


def count_range(spec: Decimal | Span, committed: bool) -> tuple[int, int]:
    """(low if used, high) of a whole number of months, hours, days or people."""
    if isinstance(spec, Span):
        return max(int(spec.low), 1), int(spec.max)
    if committed:
        return int(spec), int(spec)
    return 1, int(spec)


def build_people(choice: Choice, setting: Setting, already: Decimal) -> None:
    option = choice.option
    choice.already = already
    hours = hour_levels(option.required("hours_per_week")) if choice.block.unit == "per_year" else [None]
    low, high = count_range(option.required("months"), False)
    months = [Decimal(m) for m in range(low, high + 1)]
    if not option.cost_per_hour:
        hours = hours[-1:]  # the same cost at fewer hours never buys more credit
        if not option.cost_per_month:
            months = months[-1:]
    grid = [(h, m) for h in hours for m in months]
    if already:  # a named person with months already counted: each line after those months
        credits = [value_line(setting, person_contribution(option, h, m, option.candidate, check=False), already).credit
                   for h, m in grid]
    else:
        valued = value_lines(setting, [person_contribution(option, h, m, None, check=False) for h, m in grid])
        credits = [v.credit for v in valued]
    choice.patterns = pareto([Pattern(h, m, to_cents(credit), to_cents(person_cost(option, h, m)))
                              for (h, m), credit in zip(grid, credits)])


def pareto(patterns: list[Pattern]) -> tuple[Pattern, ...]:
    """Keep the patterns no other beats: more credit for the same or less cost."""
    kept: list[Pattern] = []
    best = 0
    for p in sorted(patterns, key=lambda p: (p.cost, -p.credit, p.months, p.hours_per_week or 0)):
        if p.credit > best:
            kept.append(p)
            best = p.credit
    return tuple(kept)


def build_quantity(choice: Choice, setting: Setting) -> None:
    option = choice.option
    field_name = "hours" if choice.block.unit == "per_hour" else "amount"
    spec = getattr(option, field_name)
    scale = 1 if field_name == "hours" else 100
    if isinstance(spec, Span):
        low, high = spec.low, spec.max
    else:
        low, high = (spec, spec) if option.committed else (ZERO, spec)
    choice.measure, choice.scale = field_name, scale
    choice.low, choice.high = int(low * scale), int(high * scale)
    if choice.high > 0:
        top = value_line(setting, quantity_contribution(option, {field_name: high})).credit
        one = value_line(setting, quantity_contribution(option, {field_name: Decimal(1) / scale})).credit
        choice.credit_per_unit = Fraction(to_cents(top), choice.high)
        choice.exact = to_cents(one) * choice.high == to_cents(top)
    rate = option.cost_per_hour if field_name == "hours" else option.cost_per_euro
    choice.cost_per_unit = Fraction(rate or 0) * (100 if field_name == "hours" else 1)


def build_days(choice: Choice, setting: Setting) -> None:
    option = choice.option
    choice.days_low, choice.days_high = count_range(option.required("days"), option.committed)
    spec = option.required("amount")
    choice.amount_high = to_cents(spec.max if isinstance(spec, Span) else spec)
    ceiling = value_line(setting, quantity_contribution(option, {"days": Decimal(1), "amount": Decimal("1e9")}))
    choice.day_value = to_cents(ceiling.credit)
