"""Whether an existing file is one impactkit wrote: an output option replaces only those.

Running a command again with the same `--xlsx result.xlsx` replaces last week's result, as people
expect; but a name typed wrong (`--xlsx realisatie-q1.xlsx`, the contractor's sheet just
imported) must not destroy a file impactkit did not make. Every output carries impactkit's mark,
and an existing file without it is refused (exit 6) before any work:

- a workbook: the document property "creator" is exactly `impactkit` (set by
  xlsx_style.printable and the write-only workbooks). Excel and LibreOffice keep it when the
  workbook is edited and saved, so an edited result is still replaced. The bids template is a
  form for others to fill in, not a result: it is created by "impactkit template", so a filled-in
  template is the bidder's file;
- a text output (a Markdown or HTML report, a bid written as YAML): its last line is a comment
  holding a digest of everything above it (`<!-- impactkit 1a2b... -->`, `# impactkit 1a2b...`).
  The file is impactkit's only while that digest matches: a report someone edited, or pasted
  into their own notes, is theirs, and is refused with words that say so.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from impactkit.errors import OutputError, Problem

CREATOR = "impactkit"
TEMPLATE_CREATOR = "impactkit template"
_CORE = "docProps/core.xml"
_CREATOR_XML = re.compile(rb"<(?:\w+:)?creator\b[^>]*>\s*impactkit\s*<")
_MARK = re.compile(r"(?:<!-- impactkit ([0-9a-f]{16}) -->|# impactkit ([0-9a-f]{16}))\r?\n?\Z")
_TEXT_LIMIT = 50 * 1024 * 1024  # a report or bid impactkit writes is far smaller

OURS, CHANGED, FOREIGN = "ours", "changed", "foreign"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def marked(text: str, comment: str = "html") -> str:
    """`text` with impactkit's mark as its last line: an HTML comment (Markdown, HTML) or a YAML
    comment, holding the digest of the text above it."""
    text = text if text.endswith("\n") else text + "\n"
    mark = f"<!-- impactkit {_digest(text)} -->" if comment == "html" else f"# impactkit {_digest(text)}"
    return text + mark + "\n"


def whose(path: Path) -> str:
    """OURS (impactkit wrote it, and for text as it wrote it), CHANGED (a text impactkit wrote,
    edited since) or FOREIGN."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(path) as archive, archive.open(_CORE) as core:
                return OURS if _CREATOR_XML.search(core.read(64_000)) else FOREIGN
        if path.stat().st_size > _TEXT_LIMIT:
            return FOREIGN
        text = path.read_bytes().decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return FOREIGN
    found = _MARK.search(text)
    if found is None:
        return FOREIGN
    return OURS if _digest(text[:found.start()]) == (found.group(1) or found.group(2)) else CHANGED


def written_by_impactkit(path: Path) -> bool:
    """Whether the file at `path` is impactkit's, as it wrote it (see the module's note)."""
    return whose(path) == OURS


def refuse_replacing_foreign(target: Path | str | None) -> None:
    """Refuse (exit 6) an output whose file exists and is not impactkit's as it wrote it."""
    if target is None:
        return
    path = Path(target)
    if not path.is_file():
        return
    owner = whose(path)
    if owner == FOREIGN:
        raise OutputError(Problem("output_not_ours", {}, file=str(path)))
    if owner == CHANGED:
        raise OutputError(Problem("output_changed_since", {}, file=str(path)))
