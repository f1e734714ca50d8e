"""A ledger line's facts in typed integer columns, to and from a Contribution.

Quantities and amounts are stored in hundredths (exact: a Contribution keeps two decimals),
ages as integers, flags as 0 or 1. Reading builds a Contribution without validating again: the
facts were validated when they came in.
"""

from __future__ import annotations

from decimal import Decimal

from impactkit.model.tender import Contribution
from impactkit.monitor.schema import FACT_COLUMNS, FLAGS, QUANTITIES

LINE_COLUMNS = ("contract_id", "kind", "period", "block", "candidate", *FACT_COLUMNS, "status", "evidence",
                "line_ref", "import_id", "source_row")
# the columns the valuation reads, in this order (see contribution_of)
VALUE_COLUMNS = ("id", "contract_id", "kind", "period", "status", "block", "candidate", *FACT_COLUMNS,
                 "frozen_credit_cents")
_FACTS_AT = VALUE_COLUMNS.index(FACT_COLUMNS[0])
_SCALE = Decimal("0.01")
# every field given (defaults included) makes model_construct skip its per-field default look-up
_DEFAULTS = {name: info.get_default(call_default_factory=True) for name, info in Contribution.model_fields.items()}
_SET = frozenset(("block", "candidate"))


def fact_values(c: Contribution) -> tuple:
    """The fact columns of a contribution, in FACT_COLUMNS order."""
    values: list = []
    for name in QUANTITIES:
        value = getattr(c, name)
        values.append(None if value is None else int((value * 100).to_integral_value()))
    values.append(c.age)
    values.extend(int(bool(getattr(c, f))) for f in FLAGS)
    values.append(c.supplier_pso_trede)
    return tuple(values)


def _decimal(hundredths: int | None) -> Decimal | None:
    return None if hundredths is None else Decimal(hundredths) * _SCALE


def contribution_of(row: tuple) -> Contribution:
    """A Contribution from a row of VALUE_COLUMNS."""
    f = _FACTS_AT
    fields = dict(_DEFAULTS)
    fields["block"], fields["candidate"] = row[5], row[6]
    for i, name in enumerate(QUANTITIES):
        if row[f + i] is not None:
            fields[name] = _decimal(row[f + i])
    if row[f + 5] is not None:
        fields["age"] = row[f + 5]
    for i, name in enumerate(FLAGS):
        if row[f + 6 + i]:
            fields[name] = True
    if row[f + 10] is not None:
        fields["supplier_pso_trede"] = row[f + 10]
    return Contribution.model_construct(set(_SET), **fields)


def facts_text(row) -> str:
    """The facts of a line (a row by column name) for a reviewer: 'hours_per_week 24.00, months 3.00, age 56'."""
    parts = []
    for name in QUANTITIES:
        value = row[f"{name}_100"]
        if value is not None:
            parts.append(f"{name} {_decimal(value):.2f}")
    if row["age"] is not None:
        parts.append(f"age {row['age']}")
    parts.extend(f for f in FLAGS if row[f])
    if row["supplier_pso_trede"]:
        parts.append(f"supplier_pso_trede {row['supplier_pso_trede']}")
    return ", ".join(parts)


def content_key(row) -> tuple:
    """What makes two lines identical: contract, period, block, candidate and facts (a row by column name)."""
    return (row["contract_id"], row["period"], row["block"], row["candidate"], *(row[c] for c in FACT_COLUMNS))
