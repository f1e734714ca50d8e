"""Reading a tender file (YAML) into the tender model, with the line of every entry."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from impactkit.errors import InvalidInputError
from impactkit.io.validation import problems_from_validation
from impactkit.io.yamlio import LineMap, load_yaml
from impactkit.model.tender import TenderFile


def load_tender(path: Path) -> tuple[TenderFile, LineMap]:
    """Read and validate a tender file; problems name the file, line, entry and field."""
    data, lines = load_yaml(Path(path))
    if not isinstance(data, dict):
        raise InvalidInputError(lines.problem("value_not_mapping", (), None, got=type(data).__name__))
    try:
        return TenderFile.model_validate(data), lines
    except ValidationError as exc:
        raise InvalidInputError(problems_from_validation(exc, lines, model=TenderFile)) from None
