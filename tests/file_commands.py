"""Every command that reads a file, and the kind of file it reads (its role).

Shared by the fuzz test and the test of unreadable files; a test walks the app's command tree
so that a new command that reads a file cannot be left out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT

TENDER = EXAMPLES / "tender.yaml"
MENU = ROOT / "blocks" / "haaglanden-zhc@2023-07.yaml"


@dataclass(frozen=True)
class FileCommand:
    name: str  # as shown in test ids
    path: tuple[str, ...]  # the command in the app's tree
    role: str  # tender, menu, answers, plan, realisations, bids, ledger
    args: object  # (file, work folder) -> the arguments

    def arguments(self, file: Path, work: Path) -> list[str]:
        return [str(a) for a in self.args(file, work)]


def _db(work: Path) -> Path:
    """The ledger that `monitor init` and `monitor import` write into: an empty one when the folder has
    none yet (only init makes a ledger; import into a ledger that does not exist is refused first)."""
    from impactkit.monitor.store import open_store

    path = work / "ledger.sqlite"
    if not path.exists():
        open_store(path, command="test").close()
    return path


COMMANDS = [
    FileCommand("check", ("check",), "tender", lambda f, w: ["check", f]),
    FileCommand("check --xlsx", ("check",), "tender", lambda f, w: ["check", f, "--xlsx", w / "out.xlsx"]),
    FileCommand("check --menu", ("check",), "menu", lambda f, w: ["check", TENDER, "--menu", f]),
    FileCommand("obligation --menu", ("obligation",), "menu", lambda f, w: ["obligation", "--menu", f, "--value", "500000"]),
    FileCommand("menus show", ("menus", "show"), "menu", lambda f, w: ["menus", "show", f]),
    FileCommand("menus validate", ("menus", "validate"), "menu", lambda f, w: ["menus", "validate", f]),
    FileCommand("menus new --from", ("menus", "new"), "menu", lambda f, w: ["menus", "new", "--from", f]),
    FileCommand("template --menu", ("template",), "menu", lambda f, w: ["template", w / "t.xlsx", "--menu", f]),
    FileCommand("assess --answers", ("assess",), "answers", lambda f, w: ["assess", "--answers", f, "--no-input"]),
    FileCommand("assess --from", ("assess",), "answers", lambda f, w: ["assess", "--from", f, "--no-input"]),
    FileCommand("assess history", ("assess", "history"), "answers", lambda f, w: ["assess", "history", f]),
    FileCommand("assess summary", ("assess", "summary"), "answers", lambda f, w: ["assess", "summary", f]),
    FileCommand("plan", ("plan",), "plan", lambda f, w: ["plan", f]),
    FileCommand("monitor init", ("monitor", "init"), "tender",
                lambda f, w: ["monitor", "--db", _db(w), "init", f, "--bid", "Aannemer A", "--start", "2024-01-01",
                              "--end", "2025-12-31"]),
    FileCommand("monitor import", ("monitor", "import"), "realisations",
                lambda f, w: ["monitor", "--db", _db(w), "import", f]),
    FileCommand("score", ("score",), "bids", lambda f, w: ["score", f]),
    FileCommand("score -o", ("score",), "bids", lambda f, w: ["score", f, "-o", w / "out.xlsx", "--csv", w / "csv"]),
    FileCommand("monitor status", ("monitor", "status"), "ledger", lambda f, w: ["monitor", "--db", f, "status"]),
    FileCommand("monitor portfolio", ("monitor", "portfolio"), "ledger", lambda f, w: ["monitor", "--db", f, "portfolio"]),
    FileCommand("monitor review", ("monitor", "review"), "ledger",
                lambda f, w: ["monitor", "--db", f, "review", "--list"]),
    FileCommand("monitor forget", ("monitor", "forget"), "ledger", lambda f, w: ["monitor", "--db", f, "forget", "K-9"]),
    FileCommand("monitor log", ("monitor", "log"), "ledger", lambda f, w: ["monitor", "--db", f, "log"]),
    FileCommand("monitor migrate", ("monitor", "migrate"), "ledger",
                lambda f, w: ["monitor", "--db", f, "migrate", "--to", w / "copy.sqlite"]),
    FileCommand("menus diff", ("menus", "diff"), "menu", lambda f, w: ["menus", "diff", f, MENU]),
]

# commands of the tree that read no file of the user's
READ_NOTHING = {("menus", "list"): "lists the shipped menus",
                ("menus", "for"): "takes a municipality's name"}
