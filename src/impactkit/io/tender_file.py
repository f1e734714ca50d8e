"""Reading a tender file (YAML) into the tender model, with the line of every entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from impactkit.errors import InvalidInputError
from impactkit.io.validation import problems_from_validation
from impactkit.io.yamlio import LineMap, load_yaml
from impactkit.model.tender import TenderFile


class InvalidTender(InvalidInputError):
    """A tender file that reads as YAML but does not validate, with what was read (its data and the
    line of every entry), so the problems its valid parts would meet next can be told without
    reading the file again (engine/second_look.py)."""

    def __init__(self, problems, data: Any, lines: LineMap):
        super().__init__(problems)
        self.data = data
        self.lines = lines


def load_tender(path: Path) -> tuple[TenderFile, LineMap]:
    """Read and validate a tender file; problems name the file, line, entry and field."""
    data, lines = load_yaml(Path(path))
    if not isinstance(data, dict):
        raise InvalidInputError(lines.problem("value_not_mapping", (), None, got=type(data).__name__))
    try:
        return TenderFile.model_validate(data), lines
    except ValidationError as exc:
        raise InvalidTender(problems_from_validation(exc, lines, model=TenderFile), data, lines) from None
