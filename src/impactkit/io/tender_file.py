"""Reading a tender file (YAML) into the tender model, with the line of every entry."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from impactkit.errors import InvalidInputError, UnknownReferenceError
from impactkit.io.yamlio import LineMap, load_yaml, problems_from_validation
from impactkit.model.tender import TenderFile


def load_tender(path: Path) -> tuple[TenderFile, LineMap]:
    """Read and validate a tender file; problems name the file, line, entry and field.

    A tender that names its municipality instead of a menu gets the menu version in force for
    that municipality (`menu` is set to its id@version); none or several is an error at the
    municipality's line.
    """
    data, lines = load_yaml(Path(path))
    if not isinstance(data, dict):
        raise InvalidInputError(lines.problem("value_not_mapping", (), None, got=type(data).__name__))
    try:
        tender_file = TenderFile.model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(problems_from_validation(exc, lines, model=TenderFile)) from None
    tender = tender_file.tender
    if tender.menu is None:
        from impactkit.menus.municipalities import menu_for_municipality

        try:
            choice = menu_for_municipality(tender.municipality, tender.reference_date)
        except UnknownReferenceError as exc:
            raise UnknownReferenceError([lines.problem(p.key, ("tender",), "municipality", **p.params)
                                         for p in exc.problems]) from None
        tender_file = tender_file.model_copy(update={"tender": tender.model_copy(update={"menu": choice.menu.ref})})
    return tender_file, lines
