"""Ids of the answers file as people type them: "Circulaire Economie", "circulaire-economie" and
"Arbeidsparticipatie" are the themes circulaire_economie and arbeidsparticipatie.

An id is compared without case, accents, spaces and hyphens (each run of spaces, hyphens or
underscores counts as one underscore). A theme is also known by its name in either language
("Circular economy"). A written form that could mean two ids means neither.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s_\-‐-―]+")


def folded(text: object) -> str:
    """'  Circulaire-Économie ' -> 'circulaire_economie'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub("_", plain.casefold().strip()).strip("_")


class Ids:
    """Known ids, found by any of their written forms."""

    def __init__(self, ids: Iterable[str], aliases: Iterable[tuple[str, str]] = ()):
        self.ids = list(ids)
        forms: dict[str, set[str]] = {}
        for known in self.ids:
            forms.setdefault(folded(known), set()).add(known)
        for alias, known in aliases:
            forms.setdefault(folded(alias), set()).add(known)
        self._forms = {form: next(iter(found)) for form, found in forms.items() if len(found) == 1}

    def find(self, written: object) -> str | None:
        """The id a written form means, or None."""
        if isinstance(written, (dict, list, bool)) or written is None:
            return None
        text = str(written)
        return text if text in self.ids else self._forms.get(folded(text))
