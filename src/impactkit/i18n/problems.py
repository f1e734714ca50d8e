"""Problems in words: "tender.yaml, line 12, bid 1 › contribution 2, field months: ..."."""

from __future__ import annotations

from decimal import Decimal

from impactkit.errors import Problem
from impactkit.i18n import Translator


def where_text(path: tuple | None, tr: Translator) -> str:
    """A document path in words: ("bids", 0, "contributions", 1) -> "bid 1 › contribution 2"."""
    if not path:
        return ""
    parts: list[str] = []
    items = list(path)
    i = 0
    while i < len(items):
        part = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else None
        if isinstance(part, str) and isinstance(nxt, int):
            key = f"where_{part}"
            parts.append(tr(key, n=nxt + 1) if key in tr.messages else f"{part} {nxt + 1}")
            i += 2
            continue
        if isinstance(part, int):
            parts.append(tr("where_item", n=part + 1))
        else:
            key = f"where_{part}"
            parts.append(tr(key) if key in tr.messages else str(part))
        i += 1
    return " › ".join(parts)


def _term(tr: Translator, prefix: str, name: str) -> str:
    key = prefix + str(name)
    return tr(key) if key in tr.messages else str(name)


def _shown(name: str, value, tr: Translator):
    """A parameter in the reader's words: numbers formatted; a unit (`valued`) and canonical column
    names (`column`, `missing` as a tuple) as the reader's language calls them; a Problem (or a tuple
    of them) as its message (their texts joined by semicolons)."""
    if isinstance(value, Decimal):
        return tr.eur(value) if name.endswith("_eur") else tr.number(value)
    if name == "valued":
        return _term(tr, "unit_", value)
    if name == "counts_in":  # what a column counts in (hours, months, euros)
        return _term(tr, "counted_", value)
    if name == "column":
        return _term(tr, "column_", value)
    if name == "missing" and isinstance(value, (tuple, list)):
        return ", ".join(_term(tr, "column_", v) for v in value)
    if isinstance(value, Problem):  # a part of the message that is a message of its own
        return message_text(value.key, value.params, tr)
    if isinstance(value, tuple) and value and all(isinstance(v, Problem) for v in value):
        return "; ".join(message_text(v.key, v.params, tr) for v in value)
    return value


def message_text(key: str, params: dict, tr: Translator) -> str:
    """A message key with its parameters in words: numbers formatted, a nearest id as "did you mean",
    units and column names in the reader's language."""
    shown = {k: _shown(k, v, tr) for k, v in params.items()}
    hint = shown.get("hint")
    shown["hint_text"] = tr("did_you_mean", hint=hint) if hint and hint != "-" else ""
    return tr(key, **shown)


def problem_text(problem: Problem, tr: Translator) -> str:
    location = [p for p in (problem.file, tr("where_line", line=problem.line) if problem.line else None) if p]
    where = where_text(problem.where, tr)
    if where:
        location.append(where)
    if problem.field:
        location.append(tr("field", field=problem.field))
    message = message_text(problem.key, problem.params, tr)
    return f"{', '.join(location)}: {message}" if location else message
