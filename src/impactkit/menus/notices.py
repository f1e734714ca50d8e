"""The one line every report prints when a menu rests (partly) on a secondary source."""

from __future__ import annotations

from impactkit.model.menu import Menu


def secondary_notice(menu: Menu) -> tuple[str, dict] | None:
    """A message key and its parameters, or None when every row comes from a primary source."""
    sources = menu.secondary_sources()
    if not sources:
        return None
    secondary = {s.id for s in sources}
    rows = menu.row_sources()
    count = sum(1 for source_id in rows if source_id in secondary)
    # a secondary source names its dataset and commit (Source's validator)
    datasets = ", ".join(dict.fromkeys(s.dataset for s in sources if s.dataset is not None))
    commits = ", ".join(dict.fromkeys(f"{s.file}@{s.commit[:7]}" for s in sources if s.commit is not None))
    params = {"ref": menu.ref, "dataset": datasets, "commits": commits, "count": count, "rows": len(rows)}
    return ("menu_secondary_all" if count == len(rows) else "menu_secondary_some"), params


def secondary_notice_text(menu: Menu, tr) -> str | None:
    found = secondary_notice(menu)
    return None if found is None else tr(found[0], **found[1])
