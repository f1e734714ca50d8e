"""Writing output files atomically: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from impactkit.errors import OutputError, Problem


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp_path)`, then move the result onto `target` in one step.

    An interrupted or failed write leaves `target` as it was and no temporary file behind.
    """
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(Problem("output_unwritable", {"reason": f"no such folder: {directory}"}, file=str(target)))
    if target.is_dir():
        raise OutputError(Problem("output_unwritable", {"reason": "it is a folder"}, file=str(target)))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; give it the usual mode
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(Problem("output_unwritable", {"reason": exc.strerror or str(exc)}, file=str(target))) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def write_text_atomic(target: Path, text: str) -> Path:
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
