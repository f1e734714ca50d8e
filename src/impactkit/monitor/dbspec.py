"""Where the ledger is: a file path or a PostgreSQL URL, and how to show it without credentials."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

SCHEMES = ("postgresql://", "postgres://")
SECRET_KEYS = {"password", "sslpassword", "passfile"}  # never shown; passfile is a path, shown as set


def is_url(spec: str | Path | None) -> bool:
    return isinstance(spec, str) and spec.lower().startswith(SCHEMES)


def default_spec() -> str | Path:
    """IMPACTKIT_DB (a file or a postgresql:// URL), else the per-user data folder."""
    value = os.environ.get("IMPACTKIT_DB")
    if value:
        return value if is_url(value) else Path(value)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "impactkit" / "monitor.sqlite"


def redact(spec: str | Path) -> str:
    """The ledger as it may be shown or logged: a URL loses its password (user, host and database stay)."""
    if not is_url(spec):
        return str(spec)
    text = str(spec)
    try:
        parts = urlsplit(text)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, hosts = netloc.rpartition("@")
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}@{hosts}" if user else hosts
        query = urlencode([(k, "***" if k.lower() in SECRET_KEYS else v) for k, v in parse_qsl(parts.query)],
                          safe="/:", quote_via=quote)
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    except ValueError:  # a URL too broken to take apart: show only its scheme
        return text.split("://", 1)[0] + "://***"


def scrub(text: str, spec: str | Path | None) -> str:
    """Remove the credentials of `spec` from a message (a driver's error may quote the URL)."""
    if not is_url(spec):
        return text
    spec = str(spec)
    text = text.replace(spec, redact(spec))
    try:
        parts = urlsplit(spec)
        secrets = [parts.password] if parts.password else []
        secrets += [v for k, v in parse_qsl(parts.query) if k.lower() in SECRET_KEYS]
    except ValueError:
        secrets = []
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", text, flags=re.IGNORECASE)
