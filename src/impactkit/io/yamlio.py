"""Reading YAML input safely, keeping the line of every key and list item.

Numbers with a decimal point are read as ``Decimal`` (never float), anchors and aliases
are refused (they allow exponential documents), and errors from pydantic are turned into
``Problem`` objects that name the file, the line, the entry and the field.
"""

from __future__ import annotations

import difflib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from impactkit.errors import InputFileError, InvalidInputError, Problem

MAX_YAML_BYTES = 10 * 1024 * 1024

Path_ = tuple  # a location inside a document: keys and list indexes


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader (libyaml's when available) that reads floats as Decimal."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return loader.construct_yaml_float(node)  # .inf / .nan: rejected by validation
    return value if value.is_finite() else float(text.lower().replace(".", ""))


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


class LineMap:
    """Line numbers (1-based) of the keys and list items of one YAML document."""

    def __init__(self, file: str, lines: dict[Path_, int]):
        self.file = file
        self.lines = lines

    def line(self, path: Path_) -> int | None:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def problem(self, key: str, path: Path_ = (), field: str | None = None, **params) -> Problem:
        path = tuple(path)
        return Problem(
            key=key,
            params=params,
            file=self.file,
            line=self.line(path + ((field,) if field else ())),
            where=path or None,
            field=field,
        )


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_text(path: Path) -> str:
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise InputFileError(Problem("file_not_found", file=shown))
    if not path.is_file():
        raise InputFileError(Problem("file_not_a_file", file=shown))
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise InputFileError(
                Problem("file_too_large", {"limit": MAX_YAML_BYTES // (1024 * 1024)}, file=shown)
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(Problem("file_unreadable", {"reason": exc.strerror or str(exc)}, file=shown)) from None
    if raw.startswith(b"PK\x03\x04"):  # a zip archive: an .xlsx workbook, not YAML
        raise InvalidInputError(Problem("file_is_workbook", file=shown))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(Problem("file_not_utf8", {"offset": exc.start}, file=shown)) from None


def parse_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse one YAML document; return the data and the line of every key and item."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InvalidInputError(Problem("yaml_empty", file=file, line=1))
        lines: dict[Path_, int] = {(): node.start_mark.line + 1}
        _walk(node, (), lines, set(), file)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InvalidInputError(
            Problem(
                "yaml_syntax",
                {"reason": exc.problem or exc.context or "syntax error"},
                file=file,
                line=mark.line + 1 if mark else None,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError(Problem("yaml_syntax", {"reason": str(exc)}, file=file)) from None
    finally:
        loader.dispose()
    return data, LineMap(file, lines)


def load_yaml(path: Path) -> tuple[Any, LineMap]:
    return parse_yaml(read_text(path), str(path))


def _walk(node: yaml.Node, path: Path_, lines: dict, seen: set, file: str) -> None:
    if id(node) in seen:
        raise InvalidInputError(Problem("yaml_alias", file=file, line=node.start_mark.line + 1))
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InvalidInputError(Problem("yaml_alias", file=file, line=key_node.start_mark.line + 1))
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            child = path + (key,)
            lines.setdefault(child, key_node.start_mark.line + 1)
            _walk(value_node, child, lines, seen, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = path + (index,)
            lines.setdefault(child, item.start_mark.line + 1)
            _walk(item, child, lines, seen, file)


# pydantic errors -> problems ------------------------------------------------------

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
    "too_short": "list_too_short",
    "missing": "field_missing",
}


def problems_from_validation(exc, lines: LineMap, prefix: Path_ = (), model=None) -> list[Problem]:
    """Turn a pydantic ValidationError into problems with lines and fields."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(prefix) + tuple(err["loc"])
        kind = err["type"]
        ctx = err.get("ctx") or {}
        field = next((p for p in reversed(loc) if isinstance(p, str)), None)
        parent = loc[:-1] if loc and loc[-1] == field else loc
        params: dict = {"got": _shown(err.get("input"))}
        if kind in _BOUND_KEYS:
            key, bound = _BOUND_KEYS[kind]
            params["limit"] = ctx.get(bound)
        elif kind == "literal_error":
            key = "value_not_allowed"
            params["expected"] = ctx.get("expected", "")
        elif kind == "extra_forbidden":
            key = "field_unknown"
            params["hint"] = _nearest_field(field, model, loc)
        elif kind in _TYPE_KEYS:
            key = _TYPE_KEYS[kind]
            params.update({k: v for k, v in ctx.items() if isinstance(v, (str, int, float, Decimal))})
        elif kind.startswith("ik_"):  # our own PydanticCustomError types
            key = kind[3:]
            params.update(ctx)
        else:
            key = "value_invalid"
            params["reason"] = err.get("msg", kind)
        problems.append(lines.problem(key, parent, field, **params))
    return problems


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return type(value).__name__
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _nearest_field(field: str | None, model, loc: Path_) -> str:
    """'did you mean' for an unknown field, using the model's field names at loc."""
    if not field or model is None:
        return ""
    names = _field_names_at(model, [p for p in loc[:-1] if isinstance(p, str)])
    match = difflib.get_close_matches(field, names, n=1, cutoff=0.6)
    return match[0] if match else ""


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
