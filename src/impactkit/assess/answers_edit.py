"""Editing an answers file as the user wrote it: only the entries that changed, with ruamel.yaml's
round trip, every other line, spelling and comment kept (assess/saving.py decides when)."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import yaml

from impactkit.assess.answers import (ENTERPRISE, SHARES, Answer, Assessment, _answer_yaml, _Dumper, _share)
from impactkit.assess.ids import Ids
from impactkit.assess.model import Catalogue

Path_ = tuple[str, ...]  # an item: ("enterprise", "name"), ("answers", theme, question), ("measures", id), ...


# what changed -----------------------------------------------------------------------------

def items(a: Assessment) -> dict[Path_, Any]:
    """Every entry of an answers file, by where it goes in the file."""
    out: dict[Path_, Any] = {}
    for key in ("name", "id", "municipality", "year"):
        if getattr(a, key) is not None:
            out[(ENTERPRISE, key)] = getattr(a, key)
    if a.themes:
        out[(ENTERPRISE, "themes")] = list(a.themes)
    out.update({(ENTERPRISE, qid): answer for qid, answer in a.general.items()})
    out.update({("answers", theme, qid): answer for theme, found in a.answers.items() for qid, answer in found.items()})
    out.update({("measures", key): value for key, value in a.measures.items()})
    out.update({("bridge", key): value for key, value in a.bridge.items()})
    if a.to_confirm:
        out[("to_confirm",)] = list(a.to_confirm)
    return out


def changed_items(before: Assessment, after: Assessment) -> dict[Path_, tuple[Any, Any]]:
    """(value before, value after) of every entry that differs; None where there is none."""
    old, new = items(before), items(after)
    return {path: (old.get(path), new.get(path)) for path in dict.fromkeys([*old, *new])
            if old.get(path) != new.get(path)}


# editing the file as it is ----------------------------------------------------------------

def edit(cat: Catalogue, text: str, before: Assessment, after: Assessment, file: str) -> str | None:
    """The user's text with only the changed entries edited, or None when that cannot be done safely
    (the result is read back: it must hold `after` and every comment of `text`)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    from impactkit.assess.reading import load_text
    from impactkit.errors import InvalidInputError

    try:
        _, indent, offset = load_yaml_guess_indent(text)
        rt = YAML()
        rt.preserve_quotes = True
        rt.width = 4096  # never fold a long line the user wrote
        rt.indent(mapping=indent or 2, sequence=indent or 2, offset=offset or 0)
        rt.explicit_start = text.lstrip().startswith("---")
        tree = rt.load(text.replace("\r\n", "\n"))
        if not isinstance(tree, CommentedMap) or not tree:
            return None
        _Editor(cat, tree, indent or 2).apply(changed_items(before, after))
        out = io.StringIO()
        rt.dump(tree, out)
        edited = out.getvalue()
    except (YAMLError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None
    if "\r\n" in text:
        edited = edited.replace("\n", "\r\n")
    try:
        if items(load_text(edited, file, cat)) != items(after):
            return None
    except InvalidInputError:
        return None
    if Counter(_comments(text.replace("\r\n", "\n"))) - Counter(_comments(edited.replace("\r\n", "\n"))):
        return None  # a comment would be lost
    return edited


class _Editor:
    def __init__(self, cat: Catalogue, tree, indent: int):
        self.cat, self.tree, self.step = cat, tree, indent
        general = [q.id for q in cat.enterprise_questions()]
        self.top = Ids(("enterprise", "answers", "measures", "bridge", "to_confirm"))
        self.keys = {
            "enterprise": Ids(["name", "id", "municipality", "year", "themes", *general]).find,
            "measures": Ids([i.id for i in cat.indicators]).find,
            "bridge": Ids([*SHARES, "sw_company", "pso"]).find,
        }
        self.themes = Ids([t.id for t in cat.themes], [(n, t.id) for t in cat.themes for n in (t.name.nl, t.name.en)])
        self.questions = Ids([q.id for q in cat.questions])
        self.general = set(general)
        self.words = ("ja", "nee") if _writes_ja_nee(tree) else None  # yes and no as the file writes them

    def finders(self, section: str) -> list[Callable[[object], str | None]]:
        """How the keys are read at each depth of a section: the top, (the theme,) the entry."""
        if section == "answers":
            return [self.top.find, self.themes.find, self.questions.find]
        if section == "to_confirm":
            return [self.top.find]
        return [self.top.find, self.keys[section]]

    def apply(self, changes: dict[Path_, tuple[Any, Any]]) -> None:
        for path, (old, new) in changes.items():
            if path[0] == ENTERPRISE and path[-1] in self.general:
                self.drop_from_themes(path[-1])  # older files kept it per theme: once, in enterprise
            chain = self.chain(path, create=new is not None)
            if chain is not None:
                self.put(chain, path, new, old)
                self.prune(chain)

    def chain(self, path: Path_, create: bool) -> list | None:
        """The mappings from the top to the one an entry goes into (made when missing and `create`)."""
        from ruamel.yaml.comments import CommentedMap

        finders = self.finders(path[0])
        node, chain = self.tree, [self.tree]
        for depth, part in enumerate(path[:-1]):
            key = _written(node, finders[depth], part)
            child = node.get(key) if key is not None else None
            if not isinstance(child, CommentedMap):
                if not create:
                    return None
                child = CommentedMap()
                if key is None:
                    _append(node, part, child)
                else:
                    node[key] = child
            node = child
            chain.append(node)
        return chain

    def prune(self, chain: list) -> None:
        """A section left empty by a removal goes too (its comments stay)."""
        for depth in range(len(chain) - 1, 0, -1):
            node, parent = chain[depth], chain[depth - 1]
            if len(node):
                return
            key = next(k for k, v in parent.items() if v is node)
            _delete(parent, key, (depth - 1) * self.step, self.step)

    def drop_from_themes(self, question: str) -> None:
        answers = self.tree.get(_written(self.tree, self.top.find, "answers"))
        if not hasattr(answers, "items"):
            return
        for theme in list(answers.values()):
            if hasattr(theme, "items") and (key := _written(theme, self.questions.find, question)) is not None:
                _delete(theme, key, 2 * self.step, self.step)
                self.prune([self.tree, answers, theme])

    def put(self, chain: list, path: Path_, new, old) -> None:
        """Set (or with None remove) one entry, keeping the user's key and, inside a mapping value, every
        part that did not change."""
        from ruamel.yaml.comments import CommentedMap

        mapping, depth, key = chain[-1], len(chain) - 1, path[-1]
        written = _written(mapping, self.finders(path[0])[depth], key)
        indent = depth * self.step
        if new is None:
            if written is not None:
                _delete(mapping, written, indent, self.step)
            return
        value = self.plain(path, new)
        current = mapping.get(written) if written is not None else None
        if isinstance(current, CommentedMap) and (isinstance(new, Answer) or isinstance(value, dict)):
            old_value = self.plain(path, old) if old is not None else {}
            self.merge(current, path, _as_mapping(value), _as_mapping(old_value), indent + self.step)
            return
        if written is None:
            _append(mapping, key, _node(value))
            return
        kept = _item_tokens(mapping, written)
        inside = {k: t for k, t in _token_map(current).items() if k not in kept}
        mapping[written] = _node(value)
        if inside:
            _attach_after(mapping, written, _lines(inside.values()), indent, self.step)

    def merge(self, node, path: Path_, new: dict, old: dict, indent: int) -> None:
        find = _r_strategy if path[0] == "measures" else Ids(("answer", "evidence")).find
        for sub in dict.fromkeys([*old, *new]):
            written = _written(node, find, sub)
            if sub not in new:
                if written is not None:
                    _delete(node, written, indent, self.step)
            elif written is None:
                _append(node, sub, _node(new[sub]))
            elif old.get(sub) != new[sub]:
                node[written] = _node(new[sub])

    def plain(self, path: Path_, value):
        """An entry as impactkit writes it (the form new entries get), yes and no as the file has them."""
        if isinstance(value, Answer):
            return self.yes_no(_answer_yaml(value))
        if isinstance(value, bool):
            return self.yes_no(value)
        if path[0] == "measures":
            indicator = self.cat.indicator(path[-1])
            return _share(value) if indicator is not None and indicator.kind == "share" else value
        if path[0] == "bridge" and path[-1] in SHARES:
            return _share(value)
        return value


    def yes_no(self, value):
        if self.words is None:
            return value
        if isinstance(value, bool):
            return self.words[0] if value else self.words[1]
        if isinstance(value, dict):
            return {k: self.yes_no(v) for k, v in value.items()}
        return value


def _writes_ja_nee(node) -> bool:
    """The file answers yes/no in Dutch words somewhere (ja, nee)."""
    if isinstance(node, dict):
        return any(_writes_ja_nee(v) for v in node.values())
    if isinstance(node, list):
        return any(_writes_ja_nee(v) for v in node)
    return isinstance(node, str) and node.strip().lower() in ("ja", "nee")


def _r_strategy(written: object) -> str | None:
    """A key of kilograms per R-strategy as written (R3, r 3) read as the reader reads it."""
    return re.sub(r"\s+", "", str(written)).upper()


def _as_mapping(value) -> dict:
    return value if isinstance(value, dict) else {"answer": value}


def _written(mapping, find, key: str) -> str | None:
    """The key as the user wrote it in `mapping` for the id `key`, or None."""
    if not hasattr(mapping, "keys"):
        return None
    for written in mapping.keys():
        if find(written) == key:
            return written
    return None


def _node(value):
    """A value as a ruamel node, written the way impactkit writes it (a mapping in braces)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    text = yaml.dump({"v": value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
    node = YAML().load(text)["v"]
    if isinstance(node, (CommentedMap, CommentedSeq)):
        node.fa.set_flow_style()
    return node


# comments --------------------------------------------------------------------------------

def _flat(found, into: dict[int, Any]) -> None:
    from ruamel.yaml.tokens import CommentToken

    if isinstance(found, CommentToken):
        into[id(found)] = found
    elif isinstance(found, (list, tuple)):
        for part in found:
            _flat(part, into)


def _token_map(node) -> dict[int, Any]:
    """Every comment token in and under a node, by identity (ruamel keeps some in two places)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    out: dict[int, Any] = {}
    if isinstance(node, (CommentedMap, CommentedSeq)):
        _flat(node.ca.comment, out)
        _flat(list(node.ca.items.values()), out)
        _flat(getattr(node.ca, "end", None), out)
        for child in (node.values() if isinstance(node, CommentedMap) else node):
            out.update(_token_map(child))
    return out


def _item_tokens(mapping, key) -> dict[int, Any]:
    found: dict[int, Any] = {}
    _flat(mapping.ca.items.get(key), found)
    return found


def _lines(tokens) -> list[str]:
    """The comment lines of some tokens, in the order they were in the file."""
    def where(token) -> tuple[int, int]:
        mark = getattr(token, "start_mark", None)
        return (mark.line, mark.column) if mark is not None and hasattr(mark, "line") else (0, 0)

    return [line.strip() for t in sorted(tokens, key=where) for line in t.value.split("\n")
            if line.strip().startswith("#")]


def _delete(mapping, key, indent: int, step: int) -> None:
    """Remove an entry; a comment on it or after it stays in the file, after the entry before it."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    keys = list(mapping.keys())
    at = keys.index(key)
    lines = _lines({**_item_tokens(mapping, key), **_token_map(mapping[key])}.values())
    del mapping[key]
    mapping.ca.items.pop(key, None)
    if not lines:
        return
    if at > 0:
        _attach_after(mapping, keys[at - 1], lines, indent, step)
        return
    if mapping.ca.comment is None:
        mapping.ca.comment = [None, []]
    if mapping.ca.comment[1] is None:
        mapping.ca.comment[1] = []
    mapping.ca.comment[1].extend(CommentToken(line + "\n", CommentMark(indent)) for line in lines)


def _attach_after(mapping, key, lines: list[str], indent: int, step: int) -> None:
    """Comment lines right after an entry (after the last line of its value)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    value = mapping[key]
    if isinstance(value, CommentedMap) and len(value) and not value.fa.flow_style():
        _attach_after(value, list(value.keys())[-1], lines, indent + step, step)
        return
    text = "".join(" " * indent + line + "\n" for line in lines)
    if isinstance(value, CommentedSeq) and len(value) and not value.fa.flow_style():
        slot, index = value.ca.items.setdefault(len(value) - 1, [None, None, None, None]), 0
    else:
        slot, index = mapping.ca.items.setdefault(key, [None, None, None, None]), 2
    token = slot[index]
    if token is None:
        slot[index] = CommentToken("\n" + text, CommentMark(indent))
    else:
        token.value = token.value + ("" if token.value.endswith("\n") else "\n") + text


def _last_slot(mapping) -> tuple[list, int] | None:
    """Where the comments after the last line of a block mapping are kept (its last entry's slot)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not len(mapping) or mapping.fa.flow_style():
        return None
    last = list(mapping.keys())[-1]
    value = mapping[last]
    if isinstance(value, CommentedMap) and len(value) and not value.fa.flow_style():
        return _last_slot(value)
    if isinstance(value, CommentedSeq) and len(value) and not value.fa.flow_style():
        return value.ca.items.setdefault(len(value) - 1, [None, None, None, None]), 0
    return mapping.ca.items.setdefault(last, [None, None, None, None]), 2


def _append(mapping, key: str, node) -> None:
    """A new entry at the end of a mapping; comment lines that closed the mapping (or the file) move
    below it, so they stay last."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    found = _last_slot(mapping)
    closing = ""
    if found is not None and found[0][found[1]] is not None:
        slot, index = found
        token = slot[index]
        head, newline, tail = token.value.partition("\n")
        if tail.strip():
            token.value = head + newline
            closing = tail
    mapping[key] = node
    if closing:
        column = mapping.lc.col if getattr(mapping.lc, "col", None) is not None else 0
        mapping.ca.items.setdefault(key, [None, None, None, None])[2] = CommentToken("\n" + closing,
                                                                                     CommentMark(column))


def _comments(text: str) -> list[str]:
    """Every comment of a YAML text (as ruamel reads them), one entry per line."""
    from ruamel.yaml import YAML

    return [line.strip() for t in _token_map(YAML().load(text)).values() for line in t.value.split("\n")
            if line.strip().startswith("#")]


def holds_no_data(text: str) -> bool:
    try:
        return not yaml.safe_load(text)
    except yaml.YAMLError:
        return False


def comment_lines_of(text: str) -> str:
    return "".join(line.strip() + "\n" for line in text.splitlines() if line.strip().startswith("#"))
