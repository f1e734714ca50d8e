"""Pydantic's validation errors as impactkit's problems: each with its file, line, entry and
field, in words that say what to write instead (a number typed as a spreadsheet shows it, a date
written day first, a Dutch key for an English field, a field impactkit computes itself)."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Any

from impactkit.errors import Problem
from impactkit.io.yamlio import LineMap, Path_, shown_value

_BOUND_KEYS = {
    "greater_than_equal": ("value_min", "ge"),
    "greater_than": ("value_above", "gt"),
    "less_than_equal": ("value_max", "le"),
    "less_than": ("value_below", "lt"),
}
_TYPE_KEYS = {
    "decimal_parsing": "value_not_number",
    "decimal_type": "value_not_number",
    "finite_number": "value_not_number",
    "int_parsing": "value_not_whole",
    "int_type": "value_not_whole",
    "int_from_float": "value_not_whole",
    "decimal_max_places": "value_too_precise",
    "float_parsing": "value_not_number",
    "date_parsing": "value_not_date",
    "date_type": "value_not_date",
    "date_from_datetime_parsing": "value_not_date",
    "date_from_datetime_inexact": "value_not_date",
    "string_type": "value_not_text",
    "string_too_short": "value_empty",
    "string_too_long": "value_too_long",
    "string_pattern_mismatch": "value_pattern",
    "bool_parsing": "value_not_bool",
    "bool_type": "value_not_bool",
    "dict_type": "value_not_mapping",
    "model_type": "value_not_mapping",
    "model_attributes_type": "value_not_mapping",
    "list_type": "value_not_list",
    "tuple_type": "value_not_list",
    "too_short": "list_too_short",
    "missing": "field_missing",
}


#: fields people give a tender that impactkit computes (in English and Dutch)
_DERIVED = {"obligation", "verplichting", "sr_verplichting", "sroi_verplichting", "social_return_obligation"}


def problems_from_validation(exc, lines: LineMap, prefix: Path_ = (), model=None) -> list[Problem]:
    """Turn a pydantic ValidationError into problems with lines and fields."""
    problems = []
    for err in exc.errors(include_url=False):
        # a tagged union (a menu's Text: plain or {nl, en}) names its tag in the location; tags start
        # with "_", which no field does
        loc = tuple(prefix) + tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("_")))
        kind = err["type"]
        ctx = err.get("ctx") or {}
        field = next((p for p in reversed(loc) if isinstance(p, str)), None)
        parent = loc[:-1] if loc and loc[-1] == field else loc
        params: dict = {"got": shown_value(err.get("input"))}
        if kind in _BOUND_KEYS:
            key, bound = _BOUND_KEYS[kind]
            params["limit"] = ctx.get(bound)
        elif kind == "literal_error":
            key = "value_not_allowed"
            params["expected"] = ctx.get("expected", "")
        elif kind == "extra_forbidden" and field in _DERIVED and "tender" in loc:
            key = "field_derived"  # the obligation itself: it follows from the contract value and the menu
        elif kind == "extra_forbidden":
            key = "field_unknown"
            params["hint"] = _nearest_field(field, model, loc)
        elif kind in _TYPE_KEYS:
            key = _TYPE_KEYS[kind]
            params.update({k: v for k, v in ctx.items() if isinstance(v, (str, int, float, Decimal))})
            number = _as_typed_in_a_sheet(err.get("input")) if key == "value_not_number" else None
            if number is not None:  # "€ 500.000", "1,5": what a spreadsheet would have read
                key, params["number"] = "value_not_number_written", number
            if key == "value_not_date":
                key, params = _date_as_typed(err.get("input"), params)
            if key == "value_not_list" and err.get("input") is None:  # `contributions:` with nothing below it
                key = "list_left_empty"
        elif kind.startswith("ik_"):  # our own PydanticCustomError types
            key = kind[3:]
            params.update({k: v for k, v in ctx.items() if k not in ("at", "at_field", "first_at")})
            if "at" in ctx:  # an error of a list told at the item it is about: ("bids", 1), field bidder
                parent, field = loc + tuple(ctx["at"]), ctx.get("at_field")
            if "first_at" in ctx:  # and the line of the item it repeats
                params["first_line"] = lines.line(loc + tuple(ctx["first_at"])) or "?"
        else:
            key = "value_invalid"
            params["reason"] = err.get("msg", kind)
        problems.append(lines.problem(key, parent, field, **params))
    return problems


_ISO_SHAPE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def _date_as_typed(value: Any, params: dict) -> tuple[str, dict]:
    """A date that is not one, told as typed: 2025-02-30 (a day the month does not have), or
    31-12-2025 (day first, as Dutch people write it: said as 2025-12-31)."""
    from datetime import date

    text = str(value).strip() if isinstance(value, (str, date)) else ""
    iso = _ISO_SHAPE.fullmatch(text)
    if iso:
        return "date_not_exist", params
    day_first = _DAY_FIRST.fullmatch(text)
    if day_first:
        day, month, year = (int(g) for g in day_first.groups())
        try:
            return "value_not_date_written", {**params, "date": date(year, month, day).isoformat()}
        except ValueError:
            return "date_not_exist", params
    return "value_not_date", params


def _as_typed_in_a_sheet(value: Any) -> str | None:
    """A text that a spreadsheet cell would read as a number, written as YAML wants it."""
    if not isinstance(value, str):
        return None
    from impactkit.io.sheets import numbers as nb

    number = nb.parse_number(value)
    if number is None or not number.is_finite():
        return None
    return format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")


def _nearest_field(field: str | None, model, loc: Path_) -> str:
    """'did you mean' for an unknown field, using the model's field names at loc."""
    if not field or model is None:
        return ""
    names = _field_names_at(model, [p for p in loc[:-1] if isinstance(p, str)])
    dutch = _dutch_field(field)
    if dutch in names:
        return dutch
    match = difflib.get_close_matches(field, names, n=1, cutoff=0.6)
    return match[0] if match else ""


# the spreadsheet's name of a field -> its name in a YAML file, where they differ
_YAML_NAMES = {"tender_id": "id", "bid_value": "contract_value"}
_DUTCH_PARTS = {"aanbesteding": "tender", "inschrijving": "bids", "inschrijvingen": "bids", "bijdrage": "contributions",
                "bijdragen": "contributions"}


def _dutch_field(field: str) -> str | None:
    """The field a Dutch key means, as the spreadsheets' headers spell it: leeftijd -> age,
    uren_per_week -> hours_per_week, opdrachtwaarde -> contract_value, inschrijver -> bidder."""
    from impactkit.io.sheets.columns import ALL_LOOKUP, normalise

    key = normalise(field)
    if key in _DUTCH_PARTS:
        return _DUTCH_PARTS[key]
    name = ALL_LOOKUP.get(key)
    return _YAML_NAMES.get(name, name) if name is not None else None


def _field_names_at(model, keys: list[str]) -> list[str]:
    from typing import get_args

    current = model
    for key in keys:
        info = getattr(current, "model_fields", {}).get(key)
        if info is None:
            return []
        annotation = info.annotation
        nested = [a for a in (annotation, *get_args(annotation)) if hasattr(a, "model_fields")]
        if not nested:
            return []
        current = nested[0]
    fields = getattr(current, "model_fields", {})
    return [info.alias or name for name, info in fields.items()]
