"""Which characters may stand in text that impactkit reads or writes, and how text is made safe.

One rule for every input and output: tab, line feed and carriage return are text; every other
control character (C0, DEL, C1), a lone surrogate and the non-characters U+FFFE and U+FFFF are
not. They cannot be stored in a workbook (XML forbids them), they reach the terminal as escape
sequences, and in a name they are a mistake. A YAML file is refused where one stands (see
``impactkit.io.yamlio``); text written to a spreadsheet shows them as visible symbols instead
(see ``impactkit.io.xlsx_style``). This module imports nothing heavy.
"""

from __future__ import annotations

import re

UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")  # a spreadsheet would run these as a formula
MAX_CELL_TEXT = 32_767  # the most characters a spreadsheet cell holds (Excel)
_ELLIPSIS = "…"


def code_point(char: str) -> str:
    """U+0000 for a character, as a message shows it."""
    return f"U+{ord(char):04X}"


def first_unsafe(text: str) -> int | None:
    """The index of the first character that may not stand in text, or None."""
    match = UNSAFE.search(text)
    return match.start() if match else None


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures symbol: U+0000 shows as ␀
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls, surrogates, non-characters: the replacement character


def visible_text(text: str, limit: int | None = MAX_CELL_TEXT) -> str:
    """Text a workbook can store and a person can still read: a control character becomes its
    visible symbol (NUL -> ␀, ESC -> ␛), anything else unstorable becomes U+FFFD, and text longer
    than a cell holds is cut with an ellipsis."""
    if UNSAFE.search(text):
        text = UNSAFE.sub(_visible, text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + _ELLIPSIS
    return text
