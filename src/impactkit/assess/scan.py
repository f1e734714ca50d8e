"""The raw answers document, before anything is built from it: keys given twice (with both lines),
numbers beyond any sensible length, and numbers that read two ways.

A plain (unquoted) `1.400` is a YAML float, 1.4; a Dutch reader wrote one thousand four hundred.
Exactly three digits after a point, after a whole part of 1 to 3 digits that does not start with
0 (1.400, 2.500, 12.000; not 0.125 or 1.25), is such a number: it is refused with its line, to be
written 1400 or 1.4. Quoted ("1.400") it is text, read the Dutch way as people type it.
"""

from __future__ import annotations

import re

import yaml

from impactkit.errors import InvalidInputError, Problem

MAX_NUMBER_CHARS = 40  # a number written with more characters is no measured value
DUTCH_THOUSANDS = re.compile(r"[+-]?([1-9]\d{0,2})\.(\d{3})")


def ambiguous_thousands(node: yaml.ScalarNode) -> bool:
    """A plain float such as 1.400 that a Dutch reader means as 1400."""
    return not node.style and node.tag.endswith(":float") and DUTCH_THOUSANDS.fullmatch(node.value) is not None


def scan(text: str, file: str) -> list[Problem]:
    """Raise InvalidInputError with every key given twice and every overlong number (the document
    cannot be read as it stands); return the numbers that read two ways, to be listed with the rest."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []  # parse_yaml reports the syntax error with its line
    except RecursionError:
        raise InvalidInputError(Problem("assess_too_deep", file=file)) from None
    problems: list[Problem] = []
    ambiguous: list[Problem] = []
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())] if root is not None else []
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                line = key_node.start_mark.line + 1
                if key is not None and key in first:
                    problems.append(Problem("assess_duplicate_key", {"name": key, "first": first[key], "second": line},
                                            file=file, line=line, where=path or None, field=key))
                elif key is not None:
                    first[key] = line
                stack.append((value_node, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, path + (i,)) for i, item in enumerate(node.value))
        elif isinstance(node, yaml.ScalarNode) and node.tag.endswith((":int", ":float")):
            line = node.start_mark.line + 1
            where, field = path[:-1] or None, str(path[-1]) if path else None
            if len(node.value) > MAX_NUMBER_CHARS:
                problems.append(Problem("assess_number_too_long", {"chars": len(node.value)}, file=file, line=line,
                                        where=where, field=field))
            elif ambiguous_thousands(node) and (match := DUTCH_THOUSANDS.fullmatch(node.value)) is not None:
                whole, decimals = match.groups()
                sign = "-" if node.value.startswith("-") else ""
                ambiguous.append(Problem("assess_number_thousands", {
                    "got": node.value, "thousands": f"{sign}{whole}{decimals}",
                    "decimal": sign + f"{whole}.{decimals}".rstrip("0").rstrip(".")}, file=file, line=line,
                    where=where, field=field))
    if problems:
        raise InvalidInputError(sorted(problems, key=lambda p: p.line or 0))
    return ambiguous
