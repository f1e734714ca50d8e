"""Opening an input file: one set of checks and messages for every file impactkit reads.

A missing file, a folder, a device or fifo, a file too large and a file that may not be read
(permission denied) are each reported with the file's name and exit code 3, whichever command
reads it and whatever reads it afterwards (PyYAML, calamine, the csv module, SQLite).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from impactkit.errors import InputFileError, Problem


def _unreadable(path: Path, exc: OSError) -> InputFileError:
    return InputFileError(Problem("file_unreadable", {"reason": exc.strerror or str(exc)}, file=str(path)))


def check_input(path: Path, limit: int | None = None) -> os.stat_result:
    """Check that `path` is a regular file this process may read (and at most `limit` bytes)."""
    path = Path(path)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise InputFileError(Problem("file_not_found", file=str(path))) from None
    except OSError as exc:  # a folder on the way that may not be entered, a name too long, ...
        raise _unreadable(path, exc) from None
    if not stat.S_ISREG(info.st_mode):  # a folder, a device (/dev/zero never ends), a fifo
        raise InputFileError(Problem("file_not_a_file", file=str(path)))
    if limit is not None and info.st_size > limit:
        raise InputFileError(Problem("file_too_large", {"limit": limit // (1024 * 1024)}, file=str(path)))
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:  # permission denied: asked of the file system, not guessed from mode bits
        raise _unreadable(path, exc) from None
    return info


def read_input_bytes(path: Path, limit: int) -> bytes:
    """The bytes of an input file of at most `limit` bytes, or an error naming it."""
    check_input(path, limit)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise _unreadable(Path(path), exc) from None
    if len(raw) > limit:  # it grew while we looked
        raise InputFileError(Problem("file_too_large", {"limit": limit // (1024 * 1024)}, file=str(path)))
    return raw
