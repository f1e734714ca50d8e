"""Writing output files atomically: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from impactkit.errors import OutputError, Problem


def refuse_overwriting_inputs(target: Path, inputs: Iterable[Path | str] = ()) -> None:
    """An output must never replace an input of the same command, nor anything but a regular file."""
    target = Path(target)
    for item in inputs:
        if item is None:
            continue
        source = Path(item)
        same = False
        try:
            same = target.exists() and source.exists() and os.path.samefile(target, source)
        except OSError:
            same = False
        if same or target.resolve() == source.resolve():
            raise OutputError(Problem("output_is_input", {"input": str(source)}, file=str(target)))
    if target.exists() and not target.is_file():
        reason = "it is a folder" if target.is_dir() else "it is not a regular file"
        raise OutputError(Problem("output_unwritable", {"reason": reason}, file=str(target)))


def write_atomic(target: Path, write: Callable[[Path], None], *, inputs: Iterable[Path | str] = ()) -> Path:
    """Call `write(tmp_path)`, then move the result onto `target` in one step.

    An interrupted or failed write leaves `target` as it was and no temporary file behind.
    `inputs` are the files the command read: the target may be none of them.
    """
    target = Path(target)
    refuse_overwriting_inputs(target, inputs)
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


def write_text_atomic(target: Path, text: str, *, inputs: Iterable[Path | str] = ()) -> Path:
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"), inputs=inputs)
