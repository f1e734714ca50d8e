"""Messages and number formats in Dutch and English.

Two catalogues with the same keys (``en.py``, ``nl.py``); the language is chosen by an
explicit argument, then ``IMPACTKIT_LANG``, then the locale, English otherwise.
Domain terms (Participatiewet, bouwblok, Impactpad) keep their Dutch names in both.
"""

from __future__ import annotations

import os
import string
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from impactkit.i18n import en, nl

LANGUAGES = ("en", "nl")
CATALOGUES = {"en": en.MESSAGES, "nl": nl.MESSAGES}


def resolve_lang(explicit: str | None = None, environ: dict | None = None) -> str:
    """The language to use: explicit choice, IMPACTKIT_LANG, the locale, else English."""
    env = os.environ if environ is None else environ
    for candidate in (explicit, env.get("IMPACTKIT_LANG")):
        if candidate:
            code = candidate.strip().lower()[:2]
            if code in LANGUAGES:
                return code
            raise ValueError(candidate)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    return "en"


class MessageError(RuntimeError):
    """A message that cannot be shown: a bug in impactkit, never hidden behind a half-filled text."""


_DUTCH = str.maketrans({",": ".", ".": ","})


class _Plurals(string.Formatter):
    """`{count:?line|lines}` in a message: the first form for one, the second for any other number.

    A message may count several things ("{files} {files:?profile|profiles} of {enterprises} ...");
    messages without a plural form are filled in by str.format (faster)."""

    def format_field(self, value, format_spec: str):
        if format_spec.startswith("?"):  # a count, or a number already formatted ("1", "1,5")
            one, _, other = format_spec[1:].partition("|")
            return one if value == 1 or (isinstance(value, str) and value.strip() == "1") else other
        return super().format_field(value, format_spec)


_PLURALS = _Plurals()


class Translator:
    """Messages and number formatting for one language."""

    def __init__(self, lang: str = "en"):
        if lang not in CATALOGUES:
            raise ValueError(lang)
        self.lang = lang
        self.messages = CATALOGUES[lang]
        self._numbers: dict = {}  # formatted numbers: reports repeat the same few values a lot

    def __call__(self, key: str, /, **params: object) -> str:
        template = self.messages.get(key)
        if template is None:  # a missing key is a bug (a test checks every key the code uses)
            raise MessageError(f"no message {key!r} in the {self.lang} catalogue")
        try:
            return _PLURALS.vformat(template, (), params) if ":?" in template else template.format(**params)
        except (KeyError, IndexError, ValueError) as exc:  # a placeholder the caller did not give: a bug
            raise MessageError(f"message {key!r} ({self.lang}) could not be filled in: {exc!r}") from None

    # numbers -------------------------------------------------------------
    def number(self, value: Decimal | int | Fraction, places: int | None = None) -> str:
        """A number with grouping; `places=None` drops a zero fraction (24, 24,5)."""
        key = (value, places)
        found = self._numbers.get(key)
        if found is None:
            if len(self._numbers) > 100_000:
                self._numbers.clear()
            found = self._numbers[key] = self._format_number(value, places)
        return found

    def _format_number(self, value: Decimal | int | Fraction, places: int | None) -> str:
        if isinstance(value, Fraction):
            value = Decimal(value.numerator) / Decimal(value.denominator)
        value = Decimal(value)
        if places is not None:  # half-up, like every amount (format() would round half-even)
            value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        else:
            value = value.normalize()
        text = format(value, ",f")  # grouped with "," and a "." decimal point
        return text.translate(_DUTCH) if self.lang == "nl" else text

    def eur(self, value: Decimal | int) -> str:
        amount = self.number(Decimal(value), 2)
        return f"€ {amount}" if self.lang == "nl" else f"€{amount}"

    def percent(self, rate: Decimal) -> str:
        return self.number(Decimal(rate) * 100) + "%"

    def day(self, value: date | None) -> str:
        return value.isoformat() if value else self("unknown")

    def label(self, text) -> str:
        """A text from a menu, the places file or a catalogue of questions, in this language.

        The one place that decides how such a text is shown (docs/menus.md, "Texts in two languages"):
        a plain string (a user's own menu) as written; a bilingual label (an object with .nl and .en,
        or a mapping with those keys, as in a menu's JSON) in this language; one of impactkit's
        standard texts (an object with .message_key) from this catalogue; None as "".
        """
        if text is None:
            return ""
        if isinstance(text, str):
            return text
        if isinstance(text, dict):
            return text[self.lang]
        key = getattr(text, "message_key", None)
        if key is not None:
            return self(key)
        return getattr(text, self.lang)
