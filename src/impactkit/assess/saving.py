"""Saving the answers of `impactkit assess` without destroying what the user wrote.

An answers file is often written by hand, with comments ("# ingevuld door Anna") and values as
people type them (`ja`, `70%`, `themes: Circulaire Economie`). Saving never throws that away:

- when no answer changed, the file is not written at all;
- when answers were added, changed or removed, only those entries are edited in the file as it is
  (a round trip with ruamel.yaml): every other line keeps its text, spelling, order and comments,
  and a comment on an entry that is removed stays in the file;
- the edited text is read back before it is written: it must hold exactly the answers of the
  session and every comment of the file; if not (a layout this cannot edit safely), the file is
  left as it was and the answers go to a file beside it (`NAME.saved.yaml`), which is said.

A new file (or one that holds only comments) is written in impactkit's own layout.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path


from impactkit.assess.answers import Assessment
from impactkit.assess.answers_edit import changed_items, comment_lines_of, edit, holds_no_data
from impactkit.assess.model import Catalogue
from impactkit.io.atomic import write_text_atomic
from impactkit.io.yamlio import encoding_of



@dataclass
class Saved:
    """What one save did."""

    path: Path  # where the answers are now
    written: bool  # whether the answers were written in this session (False: the file is as it was)
    counts: dict[str, int] = field(default_factory=dict)  # added, changed, removed, confirmed since it was read
    edited: bool = False  # the user's own file was edited in place: its text and comments kept
    left: Path | None = None  # the user's file, left as it was because the answers went to `path` instead


def change_counts(before: Assessment, after: Assessment) -> dict[str, int]:
    """Answers and values added, changed and removed; answers carried over that were confirmed."""
    changes = changed_items(before, after)
    changes.pop(("to_confirm",), None)
    added = sum(1 for old, _ in changes.values() if old is None)
    removed = sum(1 for _, new in changes.values() if new is None)
    return {"added": added, "changed": len(changes) - added - removed, "removed": removed,
            "confirmed": len(set(before.to_confirm) - set(after.to_confirm))}


class AnswersFile:
    """The answers file of one session: the text it was read from and the answers it held then.

    `own` says the text is the user's (a file they resumed), not one impactkit wrote in this session."""

    def __init__(self, cat: Catalogue, target: Path, read: Assessment, text: str | None = None,
                 source: Path | None = None, own: bool = True, inputs: tuple = ()):
        self.cat = cat
        self.target = Path(target)
        self.text = text  # None: a new file
        # the user's text is written back as it was saved: UTF-8, UTF-8 with a BOM or UTF-16
        self.encoding = encoding_of(Path(source)) if source is not None and text is not None else "utf-8"
        self.in_place = source is not None and _same_file(Path(source), self.target)  # the file read is saved
        self.own = own and text is not None
        self.read = copy.deepcopy(read)
        self.inputs = [i for i in inputs if i is not None]
        self.aside: Path | None = None  # set when the user's file could not be edited safely
        self.wrote = False  # whether this session wrote the file (or the one beside it)

    def save(self, assessment: Assessment) -> Saved:
        changes = changed_items(self.read, assessment)
        counts = change_counts(self.read, assessment)
        if self.aside is not None:
            return self._write(self.aside, assessment.to_yaml(), counts, left=self.target)
        if self.text is None:
            return self._write(self.target, assessment.to_yaml(), counts)
        if not changes:  # the file read stays as it is, byte for byte; a copy goes to another --save
            if self.in_place and not self.wrote:
                return Saved(self.target, False, counts)
            return self._write(self.target, self.text, counts)
        edited = edit(self.cat, self.text, self.read, assessment, str(self.target))
        if edited is not None:
            return self._write(self.target, edited, counts, edited=self.own)
        if holds_no_data(self.text):  # only comments (or nothing): impactkit's layout, the comments on top
            return self._write(self.target, comment_lines_of(self.text) + assessment.to_yaml(), counts)
        self.aside = _beside(self.target)
        return self._write(self.aside, assessment.to_yaml(), counts, left=self.target)

    def _write(self, path: Path, text: str, counts: dict[str, int], edited: bool = False,
               left: Path | None = None) -> Saved:
        encoding = "utf-8" if path == self.aside else self.encoding
        if not (path.is_file() and _read(path) == text and encoding_of(path) == encoding):
            write_text_atomic(path, text, inputs=self.inputs, encoding=encoding)
            self.wrote = True
        return Saved(path, self.wrote, counts, edited, left)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a.absolute() == b.absolute()


def _read(path: Path) -> str | None:
    encoding = encoding_of(path)
    try:
        with open(path, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def _beside(target: Path) -> Path:
    """A free name beside the user's file: k2.saved.yaml, k2.saved-2.yaml, ..."""
    for n in range(1, 1000):
        candidate = target.with_name(f"{target.stem}.saved{'' if n == 1 else f'-{n}'}{target.suffix or '.yaml'}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(target)
