"""Writing output files atomically: a temporary file beside the target, then a rename.

Every output of impactkit is written here, so one set of promises holds for all of them:

- an output never replaces an input of the same command, nor anything but a regular file
  (a folder, a device such as /dev/null, a fifo), nor a read-only file;
- the target is either its old self or the complete new file: never half-written;
- a failed or interrupted (Ctrl-C) write leaves no temporary file behind;
- a process killed outright (kill -9, a power cut) cannot clean up after itself; its temporary
  files carry a recognisable name with the host and process id
  (``.results.xlsx.impactkit-1a2b3c4d-4242-9f8e7d6c.tmp``), and the next write into that
  folder removes those whose process is gone. Named temporary files were chosen over Linux's
  unnamed O_TMPFILE files because they work on every system and file system impactkit runs
  on (Windows and macOS included) and because a writer such as openpyxl needs a path;
- several files that belong together (``score --csv``) are written as one set: all are
  prepared first, then renamed in one go; a failure while renaming puts the old files back.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import socket
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from impactkit.errors import OutputError, Problem

Writer = Callable[[Path], object]  # writes the file at the path it is given; what it returns is ignored
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_TEMP = re.compile(r"^\..*\.impactkit-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-[0-9a-f]{8}\.tmp$")
_TARGET = re.compile(r"^\.(.*)\.impactkit-[0-9a-f]{8}-\d+-[0-9a-f]{8}\.tmp$")  # the target of a temporary file


def _refused(key: str, target: Path, **params) -> OutputError:
    return OutputError(Problem(key, params, file=str(target)))


def _unwritable(target: Path, exc: OSError) -> OutputError:
    return _refused("output_unwritable", target, reason=exc.strerror or str(exc))


def refuse_overwriting_inputs(target: Path, inputs: Iterable[Path | str | None] = ()) -> None:
    """Refuse a target that is an input of the same command, or is not (or may not be
    replaced as) a regular file, or whose folder does not exist. Call it before the work
    starts, so a refused output costs nothing; ``write_atomic`` calls it again."""
    target = Path(target)
    for item in inputs:
        if item is None:
            continue
        source = Path(item)
        with contextlib.suppress(OSError):
            if os.path.samefile(target, source):  # also through a link or another spelling
                raise _refused("output_is_input", target, input=str(source))
        if os.path.abspath(target) == os.path.abspath(source):
            raise _refused("output_is_input", target, input=str(source))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        folder = target.parent
        if not folder.is_dir():
            raise _refused("output_no_folder", target, folder=str(folder)) from None
        return
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise _refused("output_no_folder", target, folder=str(target.parent)) from None
        raise _unwritable(target, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise _refused("output_is_folder", target)
    if not stat.S_ISREG(info.st_mode):
        raise _refused("output_not_regular", target)
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise _refused("output_read_only", target)


def refuse_existing(target: Path, force: bool) -> None:
    """For commands that only replace a file when asked (--force)."""
    if not force and os.path.lexists(target):
        raise _refused("output_exists", Path(target))


def refuse_output_set(targets: Iterable[Path], inputs: Iterable[Path | str | None] = (),
                      folder: Path | None = None) -> None:
    """``refuse_overwriting_inputs`` for files written together into `folder`, which may not exist
    yet (it is then created when they are written) but must not be anything but a folder."""
    if folder is not None:
        folder = Path(folder)
        if os.path.lexists(folder) and not folder.is_dir():
            raise _refused("output_not_folder", folder)
        if not folder.is_dir():
            return  # nothing there yet that could be overwritten
    inputs = list(inputs)
    for target in targets:
        refuse_overwriting_inputs(target, inputs)


# temporary files -----------------------------------------------------------------------------

def _new_temp(beside: Path) -> Path:
    """Create an empty temporary file in the folder of `beside`, named so that it is hidden,
    recognisable, and traceable to this host and process."""
    folder = beside.parent
    umask = os.umask(0)
    os.umask(umask)
    for _ in range(100):
        name = _TARGET.sub(r"\1", beside.name)[:120]  # a temporary file's own: its target's; within 255 bytes
        path = folder / f".{name}.impactkit-{_HOST}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 & ~umask)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


@contextlib.contextmanager
def temporary_file(beside: Path) -> Iterator[Path]:
    """A temporary file next to `beside`, removed when the block fails or is interrupted, and
    when it ends while the file is still there (the block may move it into place)."""
    beside = Path(beside)
    remove_stale_temporaries(beside.parent)
    tmp = _new_temp(beside)
    try:
        yield tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process on Windows
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists; otherwise there is no such process
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def remove_stale_temporaries(folder: Path) -> int:
    """Remove impactkit's temporary files in `folder` left by processes of this host that are
    gone (killed outright). Other files, and files of other hosts sharing the folder, are left."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None or match["host"] != _HOST or _process_alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed += 1
    return removed


# writing ---------------------------------------------------------------------------------

def write_atomic(target: Path, write: Writer, *, inputs: Iterable[Path | str | None] = ()) -> Path:
    """Call `write(tmp_path)`, then move the result onto `target` in one step.

    An interrupted or failed write leaves `target` as it was and no temporary file behind.
    `inputs` are the files the command read: the target may be none of them.
    """
    target = Path(target)
    refuse_overwriting_inputs(target, inputs)
    try:
        with temporary_file(target) as tmp:
            write(tmp)
            os.replace(tmp, target)
    except OSError as exc:
        raise _unwritable(target, exc) from None
    return target


def write_text_atomic(target: Path, text: str, *, inputs: Iterable[Path | str | None] = (),
                      encoding: str = "utf-8") -> Path:
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding=encoding), inputs=inputs)


def text_writer(text: str) -> Writer:
    """A writer of UTF-8 text, for ``write_atomic_set``."""
    return lambda tmp: Path(tmp).write_text(text, encoding="utf-8")


def prepare_folder(folder: Path) -> bool:
    """Make sure `folder` exists as a folder for outputs; True when it was created here."""
    folder = Path(folder)
    if folder.is_dir():
        return False
    if os.path.lexists(folder):
        raise _refused("output_not_folder", folder)
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        if folder.is_dir():
            return False
        raise _refused("output_not_folder", folder) from None
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise _refused("output_not_folder", folder) from None
        raise _unwritable(folder, exc) from None
    return True


def write_atomic_set(writers: Mapping[Path, Writer], *, inputs: Iterable[Path | str | None] = (),
                     folder: Path | None = None, last: Path | None = None) -> list[Path]:
    """Write several files that belong together as one set.

    Every file is first written to a temporary file (a failure there leaves every target as it
    was); then all are renamed onto their targets. Should a rename fail or be interrupted, the
    files already renamed are put back as they were (from hard links made beforehand where the
    file system allows). With `last`, that target (e.g. a summary) is removed before the others
    are renamed and put in place after them, so even a process killed outright in between never
    leaves a new `last` beside old files of the set. With `folder`, the targets' folder is created
    when missing, and removed again when nothing could be written into it.
    """
    targets = [Path(t) for t in writers]
    inputs = list(inputs)
    refuse_output_set(targets, inputs, folder)
    created = prepare_folder(folder) if folder is not None else False
    try:
        refuse_output_set(targets, inputs)
        with contextlib.ExitStack() as stack:
            temps = {}
            for target, write in zip(targets, writers.values()):
                temps[target] = stack.enter_context(temporary_file(target))
                write(temps[target])
            _commit(temps, stack, None if last is None else Path(last))
    except OSError as exc:
        raise _unwritable(folder if folder is not None else targets[0], exc) from None
    except BaseException:
        if created and folder is not None:
            with contextlib.suppress(OSError):
                Path(folder).rmdir()
        raise
    return targets


def _commit(temps: dict[Path, Path], stack: contextlib.ExitStack, last: Path | None = None) -> None:
    """Rename every temporary file onto its target (`last` removed first, renamed last); on any
    failure restore what was there."""
    backups: dict[Path, Path | None] = {}
    for target in temps:
        if os.path.lexists(target):
            backup = stack.enter_context(temporary_file(target))
            try:
                os.unlink(backup)
                os.link(target, backup)
                backups[target] = backup
            except OSError:
                backups[target] = None  # no hard links here: the set is renamed without a way back
    done: list[Path] = []
    order = [t for t in temps if t != last] + ([last] if last in temps else [])
    try:
        if last in backups:
            os.unlink(last)
            done.append(last)  # to be restored should anything fail from here
        for target in order:
            os.replace(temps[target], target)
            if target not in done:
                done.append(target)
    except BaseException:
        for target in reversed(done):
            with contextlib.suppress(OSError):
                if target not in backups:
                    os.unlink(target)  # it did not exist before
                elif (saved := backups[target]) is not None:
                    os.replace(saved, target)
        raise
