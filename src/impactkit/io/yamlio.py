"""Reading YAML input safely, keeping the line of every key and list item.

Numbers with a decimal point are read as ``Decimal`` (never float), anchors and aliases
are refused (they allow exponential documents), and errors from pydantic are turned into
``Problem`` objects (io/validation.py) that name the file, the line, the entry and the field.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from impactkit.errors import InvalidInputError, Problem
from impactkit.io.inputs import read_input_bytes
from impactkit.io.sheets.numbers import parse_number
from impactkit.io.text import code_point, first_unsafe

MAX_YAML_BYTES = 10 * 1024 * 1024

Path_ = tuple  # a location inside a document: keys and list indexes


try:  # libyaml's loader when PyYAML was built with it, else the pure-Python one (same behaviour)
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - the wheels on PyPI bundle libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]  # the same interface in pure Python


class _Loader(_SafeLoader):
    """SafeLoader (libyaml's when available) that reads floats as Decimal."""


def _construct_decimal(loader: _SafeLoader, node: yaml.ScalarNode) -> Any:
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
    raw = read_input_bytes(path, MAX_YAML_BYTES)
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # a zip archive (.xlsx, .ods) or an old .xls
        raise InvalidInputError(Problem("file_is_workbook", file=shown))
    if path.suffix.lower() in (".csv", ".tsv"):  # a spreadsheet saved as text: not a YAML file either
        raise InvalidInputError(Problem("file_is_csv", file=shown))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark (Windows "Unicode")
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InvalidInputError(Problem("file_not_utf8", {"offset": exc.start}, file=shown)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(Problem("file_not_utf8", {"offset": exc.start}, file=shown,
                                        line=raw.count(b"\n", 0, exc.start) + 1)) from None


def encoding_of(path: Path) -> str:
    """The encoding to write a text file back in, as `read_text` found it: UTF-16 or UTF-8 with a
    byte order mark (as Windows programs save "Unicode" and "UTF-8 with BOM"), else UTF-8."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(3)
    except OSError:
        return "utf-8"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8-sig" if head == b"\xef\xbb\xbf" else "utf-8"


def parse_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse one YAML document; return the data and the line of every key and item.

    Refused, each with its line: characters that are not text, duplicated keys, anchors and
    aliases, tags, nesting deeper than MAX_DEPTH, numbers beyond any sensible bound and dates
    that do not exist. What remains is plain data for pydantic."""
    bad = first_unsafe(text)
    if bad is not None:
        raise InvalidInputError(Problem("yaml_character", {"char": code_point(text[bad])}, file=file,
                                        line=text.count("\n", 0, bad) + 1))
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InvalidInputError(Problem("yaml_empty", file=file, line=1))
        lines: dict[Path_, int] = {(): node.start_mark.line + 1}
        problems = _check_tree(loader, node, lines, file, text)
        if problems:
            raise InvalidInputError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and _tab_at(text, mark.line, mark.column):
            raise InvalidInputError(Problem("yaml_tab", file=file, line=mark.line + 1)) from None
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
    except RecursionError:  # the pure-Python parser (without libyaml) recurses per level
        raise InvalidInputError(Problem("yaml_too_deep", {"limit": MAX_DEPTH}, file=file)) from None
    finally:
        loader.dispose()
    return data, LineMap(file, lines)


def load_yaml(path: Path) -> tuple[Any, LineMap]:
    return parse_yaml(read_text(path), str(path))


def _tab_at(text: str, line: int, column: int) -> bool:
    """Whether a syntax error comes from a tab: one in the indentation of the line where the parser
    stopped, or the character it stopped at (YAML indents with spaces only; both parsers only say
    "found character that cannot start any token" or "a tab character that violates indentation")."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return False
    here = lines[line]
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    return "\t" in indent or here[column:column + 1] == "\t"


# checks on the node tree, before anything is constructed ------------------------------

MAX_DEPTH = 32  # impactkit's documents nest 6 levels; libyaml itself stops at 1000
MAX_INTEGER_DIGITS = 15  # 999 999 999 999 999: more than any contract, hour or month count
MAX_DECIMALS = 20
MAX_PROBLEMS = 50
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _check_tree(loader, root: yaml.Node, lines: dict, file: str, text: str = "") -> list[Problem]:
    """Walk the node tree (without recursion), note the line of every key and item, and
    return every problem found; an alias or a tree nested too deep stops the walk."""
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Path_, int]] = [(root, (), 1)]
    while stack and len(problems) < MAX_PROBLEMS:
        node, path, depth = stack.pop()
        where = _where(path)
        if id(node) in seen:
            raise InvalidInputError(Problem("yaml_alias", file=file, line=node.start_mark.line + 1))
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            problems.append(_at(file, node, where, "yaml_tag", tag=node.tag))
            continue
        if depth > MAX_DEPTH:
            raise InvalidInputError(Problem("yaml_too_deep", {"limit": MAX_DEPTH}, file=file,
                                            line=node.start_mark.line + 1))
        if isinstance(node, yaml.ScalarNode):
            problem = _check_scalar(loader, node, file, where)
            if problem is not None:
                problems.append(problem)
            continue
        children = []
        if isinstance(node, yaml.MappingNode):
            if node.flow_style:
                problems.extend(_commas_in_braces(node, text, file, path))
            first: dict[tuple, int] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise InvalidInputError(Problem("yaml_alias", file=file, line=line))
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                child = path + (key,)
                if key is not None:  # a bad key is not named: it may hold the bad character
                    problem = _check_scalar(loader, key_node, file, (path, None))
                    if problem is not None:
                        problems.append(problem)
                        continue
                    identity = (key_node.tag, key)
                    if identity in first:
                        problems.append(Problem("yaml_duplicate_key", {"first": first[identity]}, file=file,
                                                line=line, where=path or None, field=str(key)))
                        continue
                    first[identity] = line
                lines.setdefault(child, line)
                children.append((value_node, child, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = path + (index,)
                lines.setdefault(child, item.start_mark.line + 1)
                children.append((item, child, depth + 1))
        stack.extend(reversed(children))  # in document order, so problems come in line order
    return problems


_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def _bare_key(pair: tuple[yaml.Node, yaml.Node], text: str) -> bool:
    """An entry of `{...}` written without a colon, that is no field name: the part after a comma
    that was meant to belong to the value before it (`hours_per_week: 24,5` -> a key `5`)."""
    key, value = pair
    if not (isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)):
        return False
    if value.tag != "tag:yaml.org,2002:null" or value.value or _FIELD_NAME.fullmatch(key.value or ""):
        return False
    return not text[key.end_mark.index:].lstrip(" \t\r\n").startswith(":")


def _commas_in_braces(node: yaml.MappingNode, text: str, file: str, path: Path_) -> list[Problem]:
    """`{..., hours_per_week: 24,5, ...}`: a comma inside braces ends the value; the part after it
    becomes a key of its own. Said for the value it cut, with what to write instead."""
    if not text:
        return []
    problems = []
    pairs = node.value
    i = 1
    while i < len(pairs):
        if not _bare_key(pairs[i], text):
            i += 1
            continue
        key, value = pairs[i - 1]
        j = i
        while j < len(pairs) and _bare_key(pairs[j], text):
            j += 1
        cut = text[value.start_mark.index:pairs[j - 1][0].end_mark.index]
        field = key.value if isinstance(key, yaml.ScalarNode) else None
        line = value.start_mark.line + 1
        number = None
        if j == i + 1 and isinstance(value, yaml.ScalarNode) and value.tag in (_INT, _FLOAT) and (
                pairs[i][0].value.isdigit() and not pairs[i][0].style):
            number = parse_number(cut)  # 24,5 -> 24.5; 1.250,50 -> 1250.50 (the Dutch reading)
        if number is not None:
            problems.append(Problem("yaml_decimal_comma_in_braces", {"got": cut, "write": format(number, "f")},
                                    file=file, line=line, where=path or None, field=field))
        else:
            problems.append(Problem("yaml_comma_in_braces", {"got": cut}, file=file, line=line, where=path or None,
                                    field=field))
        i = j
    return problems


def _where(path: Path_) -> tuple[Path_, str | None]:
    """(parent path, field) of a value: the field is the key it stands under, if any."""
    if path and isinstance(path[-1], str):
        return path[:-1], path[-1]
    return path, None


def _at(file: str, node: yaml.Node, where: tuple[Path_, str | None], key: str, **params) -> Problem:
    parent, field = where
    return Problem(key, params, file=file, line=node.start_mark.line + 1, where=parent or None, field=field)


def _check_scalar(loader, node: yaml.ScalarNode, file: str, where: tuple[Path_, str | None]) -> Problem | None:
    text = node.value
    if node.tag == _STR:
        bad = first_unsafe(text)
        if bad is not None:
            return _at(file, node, where, "value_character", char=code_point(text[bad]), position=bad + 1)
    elif node.tag in (_INT, _FLOAT):
        return _check_number(loader, node, file, where)
    elif node.tag == _TIMESTAMP:
        try:
            loader.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return _at(file, node, where, "date_not_exist", got=shown_value(text))  # 2025-02-30: the form is a date's
    return None


def _check_number(loader, node: yaml.ScalarNode, file: str, where) -> Problem | None:
    """A number must be one a person could mean: at most MAX_INTEGER_DIGITS digits before the
    point and MAX_DECIMALS after it (Python refuses to even read an integer of 4,300 digits)."""
    text = node.value.replace("_", "")
    too_large = _at(file, node, where, "value_too_large", digits=MAX_INTEGER_DIGITS, got=_shown_number(text))
    plain = text.lstrip("+-")
    if node.tag == _INT and (":" in plain or plain[:2] in ("0x", "0b") or (plain.startswith("0") and plain != "0")):
        if len(plain) > 60:  # hexadecimal, binary, octal, base 60: short, or nothing a person meant
            return too_large
        try:
            value = loader.construct_yaml_int(node)
        except ValueError:
            return _at(file, node, where, "value_not_number", got=shown_value(text))
        return too_large if abs(value) >= 10**MAX_INTEGER_DIGITS else None
    try:
        number = Decimal(text)  # the decimal module reads any number of digits, unlike int()
    except InvalidOperation:
        return too_large if node.tag == _INT or "e" in text.lower() else None  # .inf, .nan: the model's words
    if not number.is_finite() or not number:
        return None
    if number.adjusted() >= MAX_INTEGER_DIGITS:
        return too_large
    exponent = number.as_tuple().exponent  # an int for a finite number
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        return _at(file, node, where, "value_too_many_decimals", digits=MAX_DECIMALS, got=_shown_number(text))
    return None


def _shown_number(text: str) -> str:
    digits = sum(ch.isdigit() for ch in text)
    return text if len(text) <= 24 else f"{text[:10]}…{text[-6:]} ({digits} digits)"


# pydantic errors -> problems ------------------------------------------------------


def shown_value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return type(value).__name__
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."
