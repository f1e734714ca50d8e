"""How names are compared: a bidder however its name is spelled."""

from __future__ import annotations

import re
import unicodedata

_WORDS = re.compile(r"[\w&+]+")
LEGAL_FORMS = {("b", "v"): "bv", ("n", "v"): "nv", ("v", "o", "f"): "vof", ("c", "v"): "cv", ("u", "a"): "ua"}


def bidder_key(name: str) -> str:
    """'Dubbel B.V.', 'dubbel  bv', 'Dubbel\u00a0BV' -> 'dubbel bv'."""
    text = unicodedata.normalize("NFKC", name).lower()
    words = _WORDS.findall(text)
    out: list[str] = []
    i = 0
    while i < len(words):
        for form, joined in LEGAL_FORMS.items():
            if tuple(words[i:i + len(form)]) == form:
                out.append(joined)
                i += len(form)
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)
