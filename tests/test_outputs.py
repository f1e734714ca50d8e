"""Outputs: never over an input, never over anything but a regular file, never half-written, and
no temporary file left behind: not on an error, not on Ctrl-C or SIGTERM, and not for long after
a kill -9."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from impactkit.errors import ExitCode, OutputError
from impactkit.io import atomic
from impactkit.io.atomic import remove_stale_temporaries, write_atomic, write_atomic_set
from tests.conftest import EXAMPLES, ROOT
from tests.other_user import PERMISSIONS_HOLD, job, run_worker, shared_folder

MENU = ROOT / "blocks" / "haaglanden-zhc@2023-07.yaml"


@pytest.fixture
def work(tmp_path):
    for name in ("tender.yaml", "bids.xlsx", "assessment.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    shutil.copy(MENU, tmp_path / "menu.yaml")
    return tmp_path


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# every writer knows its inputs ------------------------------------------------------------------

def test_template_refuses_to_write_over_its_menu_file(invoke, work):
    # before: with --force the menu file became a workbook (exit 0)
    before = (work / "menu.yaml").read_bytes()
    result = invoke("template", work / "menu.yaml", "--menu", work / "menu.yaml", "--force")
    assert result.exit_code == ExitCode.OUTPUT, result.output
    assert "would overwrite the input" in result.stderr
    assert (work / "menu.yaml").read_bytes() == before


def test_menus_new_refuses_to_write_over_the_menu_it_copies(invoke, work):
    before = (work / "menu.yaml").read_bytes()
    result = invoke("menus", "new", "--from", work / "menu.yaml", "-o", work / "menu.yaml", "--force")
    assert result.exit_code == ExitCode.OUTPUT, result.output
    assert (work / "menu.yaml").read_bytes() == before


@pytest.mark.parametrize("how", ["--menu", "the tender's menu"])
def test_check_refuses_to_write_over_its_menu_file(invoke, work, how):
    tender = work / "tender.yaml"
    args = ["--menu", work / "menu.yaml"] if how == "--menu" else []
    if how != "--menu":
        tender.write_text(tender.read_text(encoding="utf-8").replace("menu: haaglanden-zhc ", "menu: menu.yaml "),
                          encoding="utf-8")
    before = (work / "menu.yaml").read_bytes()
    result = invoke("check", tender, *args, "--xlsx", work / "menu.yaml")
    # a menu given on the command line is a known input (6); the tender's own menu is known only once
    # the tender is read, and the name is refused before that: a workbook is not called .yaml (2)
    assert result.exit_code == (ExitCode.OUTPUT if how == "--menu" else ExitCode.USAGE), result.output
    assert (work / "menu.yaml").read_bytes() == before


def test_score_csv_refuses_a_folder_holding_its_input(invoke, work):
    folder = work / "out"
    folder.mkdir()
    lines = folder / "lines.csv"
    invoke("score", work / "bids.xlsx", "--csv", work / "first")
    shutil.copy(work / "first" / "lines.csv", lines)
    before = lines.read_bytes()
    result = invoke("score", lines, "--csv", folder)
    assert result.exit_code == ExitCode.OUTPUT, result.output
    assert lines.read_bytes() == before and listing(folder) == ["lines.csv"]


def test_an_input_reached_by_another_name_is_recognised(invoke, work):
    (work / "link.yaml").symlink_to(work / "tender.yaml")
    result = invoke("check", work / "tender.yaml", "--xlsx", work / "link.yaml")
    assert result.exit_code == ExitCode.OUTPUT
    assert (work / "tender.yaml").read_text(encoding="utf-8").startswith("# An example tender")


# targets that are not regular files ----------------------------------------------------------------

WRITERS = {
    "check --xlsx": lambda w, t: ["check", w / "tender.yaml", "--xlsx", t],
    "score -o": lambda w, t: ["score", w / "bids.xlsx", "-o", t if t.exists() else t.with_name(t.name + ".xlsx")],
    "template": lambda w, t: ["template", t, "--force"],
    "menus new -o": lambda w, t: ["menus", "new", "--from", "haaglanden-zhc", "-o", t, "--force"],
    "assess --md": lambda w, t: ["assess", "--answers", w / "assessment.yaml", "--no-input", "--md", t],
    "assess --xlsx": lambda w, t: ["assess", "--answers", w / "assessment.yaml", "--no-input", "--xlsx", t],
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_dev_null_stays_a_device(invoke, work, writer):
    # before, as root: check --xlsx /dev/null replaced the device with a workbook
    result = invoke(*WRITERS[writer](work, Path("/dev/null")))
    assert result.exit_code == ExitCode.OUTPUT, result.output
    assert "not a regular file" in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_fifo_or_a_folder_is_refused(invoke, work, writer):
    fifo = work / "pipe"
    os.mkfifo(fifo)
    assert invoke(*WRITERS[writer](work, fifo)).exit_code == ExitCode.OUTPUT  # and does not wait for a reader
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    folder = work / "folder"
    folder.mkdir()
    result = invoke(*WRITERS[writer](work, folder))
    assert result.exit_code == ExitCode.OUTPUT and "this is a folder" in result.stderr
    assert folder.is_dir()


def test_score_csv_into_a_file_is_refused(invoke, work):
    # before: FileExistsError, exit 70
    target = work / "results"
    target.write_text("mine", encoding="utf-8")
    result = invoke("score", work / "bids.xlsx", "--csv", target)
    assert result.exit_code == ExitCode.OUTPUT, result.output
    assert "this is a file, not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_read_only_file_is_not_replaced(invoke, work, writer):
    target = work / "report.out"
    target.write_text("keep me", encoding="utf-8")
    target.chmod(0o444)
    result = invoke(*WRITERS[writer](work, target))
    assert result.exit_code == ExitCode.OUTPUT, result.output
    assert "read-only" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"


@pytest.mark.skipif(not PERMISSIONS_HOLD, reason="run as root without setpriv: every folder is writable")
def test_a_read_only_folder_gives_exit_6_for_every_writer():
    # before: PermissionError, exit 70, from every writer
    with shared_folder("impactkit-ro-") as root:
        inputs = root / "in"
        inputs.mkdir()
        for name in ("tender.yaml", "bids.xlsx", "assessment.yaml"):
            shutil.copy(EXAMPLES / name, inputs / name)
        closed = root / "closed"
        closed.mkdir()
        closed.chmod(0o555)  # and, for the worker run as nobody, root's
        writers = {**WRITERS, "score --csv": lambda w, t: ["score", w / "bids.xlsx", "--csv", t]}
        named = {"check --xlsx": "out.xlsx", "score -o": "out.xlsx", "assess --md": "out.md", "assess --xlsx": "out.xlsx",
                 "template": "out.xlsx", "menus new -o": "out.yaml"}
        jobs = [job(name, make(inputs, closed / named.get(name, "out")), root) for name, make in writers.items()]
        jobs.append(job("score --csv new folder", ["score", inputs / "bids.xlsx", "--csv", closed / "new" / "csv"], root))
        outcomes = run_worker(jobs, root)
        assert os.listdir(closed) == []
    for name, outcome in outcomes.items():
        assert outcome["exit"] == ExitCode.OUTPUT, (name, outcome)
        assert "Permission denied" in outcome["output"] and "Traceback" not in outcome["output"], outcome


def test_a_missing_folder_is_named(invoke, work):
    result = invoke("score", work / "bids.xlsx", "-o", work / "nope" / "r.xlsx")
    assert result.exit_code == ExitCode.OUTPUT
    assert f"the folder {work / 'nope'} does not exist" in result.stderr


def test_an_existing_file_needs_force(invoke, work):
    (work / "t.xlsx").write_text("mine", encoding="utf-8")
    result = invoke("template", work / "t.xlsx")
    assert result.exit_code == ExitCode.OUTPUT and "add --force" in result.stderr
    assert (work / "t.xlsx").read_text(encoding="utf-8") == "mine"


# no temporary files left behind ----------------------------------------------------------------------

def test_ctrl_c_while_saving_leaves_the_old_file_and_nothing_else(invoke, work, monkeypatch):
    target = work / "report.xlsx"
    assert invoke("check", work / "tender.yaml", "--xlsx", target).exit_code == 0  # last week's result
    old = target.read_bytes()

    def interrupted(self, filename):
        Path(filename).write_bytes(b"half a workbook")
        raise KeyboardInterrupt

    monkeypatch.setattr(openpyxl.Workbook, "save", interrupted)
    before = listing(work)
    result = invoke("check", work / "tender.yaml", "--xlsx", target)
    assert result.exit_code == 130
    assert target.read_bytes() == old and listing(work) == before


def test_ctrl_c_while_the_lines_stream_leaves_no_splice_file(invoke, work, monkeypatch):
    # before: a .splice file was left every time
    from impactkit.report import score_workbook

    real = score_workbook.rows_xml

    def interrupted(columns, first_row):
        chunks = real(columns, first_row)
        yield next(chunks)
        raise KeyboardInterrupt

    monkeypatch.setattr(score_workbook, "rows_xml", interrupted)
    before = listing(work)
    result = invoke("score", work / "bids.xlsx", "-o", work / "results.xlsx")
    assert result.exit_code == 130, result.output
    assert listing(work) == before


def test_a_failed_csv_set_leaves_the_previous_set_whole(invoke, work, monkeypatch):
    folder = work / "csv"
    assert invoke("score", work / "bids.xlsx", "--csv", folder).exit_code == 0
    for name in ("summary.csv", "lines.csv", "rejected.csv"):
        (folder / name).write_text(f"previous {name}", encoding="utf-8")
    from impactkit.report import score_csv

    def broken(header, columns, **dialect):
        yield "half"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(score_csv, "_lines_of", broken)
    result = invoke("score", work / "bids.xlsx", "--csv", folder)
    assert result.exit_code == ExitCode.OUTPUT and "No space left on device" in result.stderr
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} == {
        name: f"previous {name}" for name in ("summary.csv", "lines.csv", "rejected.csv")}


def test_a_failed_csv_set_into_a_new_folder_leaves_no_folder(invoke, work, monkeypatch):
    from impactkit.report import score_csv

    def broken(header, columns, **dialect):
        raise KeyboardInterrupt
        yield  # a generator, like the one it stands in for

    monkeypatch.setattr(score_csv, "_lines_of", broken)
    assert invoke("score", work / "bids.xlsx", "--csv", work / "new").exit_code == 130
    assert not (work / "new").exists()


def test_a_set_whose_rename_fails_halfway_is_put_back(tmp_path, monkeypatch):
    first, second, third = (tmp_path / n for n in ("a.csv", "b.csv", "c.csv"))
    first.write_text("old a", encoding="utf-8")
    second.write_text("old b", encoding="utf-8")
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(Path(dst).name)
        if Path(dst) == third:
            raise OSError(5, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    writer = lambda text: lambda tmp: Path(tmp).write_text(text, encoding="utf-8")  # noqa: E731
    with pytest.raises(OutputError):
        write_atomic_set({first: writer("new a"), second: writer("new b"), third: writer("new c")})
    assert calls[:3] == ["a.csv", "b.csv", "c.csv"]
    assert first.read_text(encoding="utf-8") == "old a" and second.read_text(encoding="utf-8") == "old b"
    assert listing(tmp_path) == ["a.csv", "b.csv"]


def test_a_set_is_written_whole(tmp_path):
    def writer(text):
        return lambda tmp: Path(tmp).write_text(text, encoding="utf-8")

    targets = {tmp_path / f"{n}.txt": writer(n) for n in ("one", "two")}
    assert write_atomic_set(targets) == list(targets)
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == {"one.txt": "one", "two.txt": "two"}


KILLED = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from impactkit.io.atomic import write_atomic

    def writer(tmp):
        Path(tmp).write_bytes(b"half a workbook")
        os.kill(os.getpid(), signal.{signal})

    {setup}
    write_atomic(Path(sys.argv[1]), writer)
""")


def test_temporary_files_of_a_killed_run_are_removed_by_the_next_write(invoke, work):
    # before: kill -9 during score -o left hidden temporary files for good
    target = work / "report.xlsx"
    killed = subprocess.run([sys.executable, "-c", KILLED.format(signal="SIGKILL", setup=""), str(target)],
                            capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    (litter,) = [p for p in work.iterdir() if p.name.startswith(".report.xlsx.impactkit-")]
    assert litter.read_bytes() == b"half a workbook"
    # a temporary file of a live process (this one) and one of another computer sharing the folder stay
    live = work / f".other.xlsx.impactkit-{atomic._HOST}-{os.getpid()}-0123abcd.tmp"
    elsewhere = work / ".other.xlsx.impactkit-00000000-4242-0123abcd.tmp"
    live.write_bytes(b"")
    elsewhere.write_bytes(b"")
    assert invoke("check", work / "tender.yaml", "--xlsx", work / "other.xlsx").exit_code == 0
    assert not litter.exists() and live.exists() and elsewhere.exists()
    assert openpyxl.load_workbook(work / "other.xlsx").sheetnames[0] == "Summary"


def test_sigterm_ends_a_write_like_ctrl_c(tmp_path):
    target = tmp_path / "report.xlsx"
    setup = "from impactkit.cli.common import stop_on_sigterm\nstop_on_sigterm()"
    ended = subprocess.run([sys.executable, "-c", KILLED.format(signal="SIGTERM", setup=setup), str(target)],
                           capture_output=True)
    assert ended.returncode == 128 + signal.SIGTERM
    assert listing(tmp_path) == []


def test_stale_temporaries_only_of_impactkit(tmp_path):
    mine = tmp_path / f".r.xlsx.impactkit-{atomic._HOST}-999999999-0123abcd.tmp"  # no such process
    theirs = tmp_path / ".r.xlsx.tmp"
    mine.write_bytes(b"")
    theirs.write_bytes(b"")
    assert remove_stale_temporaries(tmp_path) == 1
    assert listing(tmp_path) == [".r.xlsx.tmp"]


def test_write_atomic_keeps_the_usual_file_mode(tmp_path):
    target = write_atomic(tmp_path / "r.txt", lambda tmp: Path(tmp).write_text("x", encoding="utf-8"))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_a_long_target_name_still_gets_a_temporary_file(tmp_path):
    target = tmp_path / ("r" * 240 + ".xlsx")  # 245 bytes: with impactkit's mark it would pass 255
    write_atomic(target, lambda tmp: Path(tmp).write_text("x", encoding="utf-8"))
    assert listing(tmp_path) == [target.name]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_sheet_of_the_check_workbook_has_two_columns_of_one_name(invoke, work, lang):
    """A tester found two columns headed "Waarde" on the Dutch Regels sheet (the credit and the menu value)."""
    import openpyxl

    target = work / "out.xlsx"
    assert invoke("--lang", lang, "check", work / "tender.yaml", "--xlsx", target).exit_code == 0
    for sheet in openpyxl.load_workbook(target).worksheets:
        header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1)) if c.value is not None]
        assert len(header) == len(set(header)), (sheet.title, header)
