"""How names are compared: a bidder however its name is spelled (score joins the rows of one bidder by
it, monitor init finds the awarded bid by it)."""

from __future__ import annotations

import re
import unicodedata

_WORDS = re.compile(r"\w+|[&+]")
LEGAL_FORMS = {("b", "v"): "bv", ("n", "v"): "nv", ("v", "o", "f"): "vof", ("c", "v"): "cv", ("u", "a"): "ua"}


#: words that join two names: 'Müller & Zn' and 'Muller en Zn' are one bidder
_JOINING = {"&", "en", "and", "+"}


def bidder_key(name: str) -> str:
    """'Dubbel B.V.', 'dubbel  bv', 'Dubbel\u00a0BV', 'Dubbel' -> 'dubbel': case, spaces, accents, '&' or
    'en' and a legal form at the end do not make another bidder (a note names every name joined, for
    the reader to check)."""
    text = without_accents(unicodedata.normalize("NFKC", name).lower())
    found = _WORDS.findall(text)
    words = [w for i, w in enumerate(found) if not (w in _JOINING and 0 < i < len(found) - 1)]
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
    if len(out) > 1 and out[-1] in LEGAL_FORMS.values():
        out.pop()
    return " ".join(out)


def without_accents(text: str) -> str:
    """'müller' -> 'muller', 'çelik' -> 'celik': letters without their accents (their combining marks), as
    menus.lookup.normal compares block names; letters that carry no mark (ø, ß) stay as they are."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
