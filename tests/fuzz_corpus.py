"""A corpus of malformed inputs, made here from the examples: no file of it is stored.

Each case turns the valid file of a role (a tender, a menu, answers, realisations, a bids
workbook or CSV, a ledger) into a malformed one, and says which exit code the documentation
(docs/exit-codes.md) promises for it."""

from __future__ import annotations

import io
import random
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT

FILE, INVALID = 3, 4  # exit codes: a file that cannot be read; invalid input

BASE = {
    "tender": (EXAMPLES / "tender.yaml").read_bytes(),
    "menu": (ROOT / "blocks" / "haaglanden-zhc@2023-07.yaml").read_bytes(),
    "answers": (EXAMPLES / "assessment.yaml").read_bytes(),
    "realisations": (EXAMPLES / "monitor" / "q3.yaml").read_bytes(),
    "plan": (EXAMPLES / "plan-short.yaml").read_bytes(),
}
XLSX = (EXAMPLES / "bids.xlsx").read_bytes()
CSV = {"bids": None, "realisations": (EXAMPLES / "monitor" / "q1.csv").read_bytes()}
YAML_ROLES = ("tender", "menu", "answers", "plan", "realisations")
SHEET_ROLES = ("bids", "realisations")
ALL_ROLES = ("tender", "menu", "answers", "plan", "realisations", "bids", "ledger")

# where a number, a text and a date stand in each YAML role's example (the line as written)
NUMBER = {"tender": b"contract_value: 500000", "menu": b"threshold: 215000", "realisations": b"hours_per_week: 32",
          "plan": b"cost_per_month: 300"}
TEXT = {"tender": b"bidder: Aannemer A", "menu": b"  nl: Haaglanden + Zuid-Holland Centraal",
        "answers": b"name: Textielwerk Emmen", "realisations": b"evidence: loonstroken jul-sep",
        "plan": b"bid: Bouwbedrijf B"}
DATE = {"tender": b"reference_date: 2024-03-01", "menu": b"valid_from: 2023-07-01"}


@dataclass(frozen=True)
class Case:
    id: str
    roles: tuple[str, ...]
    make: Callable[[str], bytes | str]  # role -> the file's bytes, or a special kind (see SPECIAL)
    expect: int | Callable[[str], int] = INVALID  # exit code, or command name -> exit code
    suffix: str | None = None  # for sheets: .xlsx or .csv

    def expected(self, command: str) -> int:
        return self.expect(command) if callable(self.expect) else self.expect


SPECIAL = ("missing", "folder", "fifo", "unreadable", "device", "too_large")


def _replace(role: str, slots: dict[str, bytes], new: Callable[[bytes], bytes]) -> bytes:
    base = BASE[role]
    if role not in slots:  # the answers have no number or date: add a field at the top level
        return base + new(b"extra: 1") + b"\n"
    old = slots[role]
    assert old in base, (role, old)
    return base.replace(old, new(old), 1)


def number(text: str) -> Callable[[str], bytes]:
    return lambda role: _replace(role, NUMBER, lambda old: old.split(b":")[0] + b": " + text.encode())


def text(escaped: str) -> Callable[[str], bytes]:
    return lambda role: _replace(role, TEXT, lambda old: old.split(b":")[0] + b': "' + escaped.encode() + b'"')


DUPLICATE = {  # the line of a field, and the same field given again right after it
    "tender": (b"  contract_value: 500000", b"\n  contract_value: 45000000"),
    "menu": (b"  threshold: 215000", b"\n  threshold: 45000000"),
    "answers": (b"  name: Textielwerk Emmen", b"\n  name: Iemand Anders"),
    "realisations": (b"hours_per_week: 32", b", hours_per_week: 3"),
    "plan": (b"    months: 6", b"\n    months: 7"),
}


def _duplicate(role: str) -> bytes:
    old, again = DUPLICATE[role]
    assert old in BASE[role], role
    return BASE[role].replace(old, old + again, 1)


def _yaml(body: bytes) -> Callable[[str], bytes]:
    return lambda role: body


def _nested(depth: int) -> Callable[[str], bytes]:
    return lambda role: b"tender: " + b"[" * depth + b"]" * depth + b"\n"


BILLION_LAUGHS = b"""a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]
"""


def _fresh_start(command: str) -> int:
    """An empty answers file is a fresh start for the interview, but with --no-input (as the assess
    commands run here) it holds nothing to report: invalid, as everywhere else."""
    return INVALID


YAML_CASES = [
    Case("empty", YAML_ROLES, _yaml(b""), expect=_fresh_start),
    Case("comments-only", YAML_ROLES, _yaml(b"# nothing here\n\n"), expect=_fresh_start),
    Case("binary", YAML_ROLES, lambda role: random.Random(9).randbytes(4096)),
    Case("nul-byte", YAML_ROLES, lambda role: BASE[role].replace(b"\n", b"\n# \x00\n", 1)),
    Case("control-byte", YAML_ROLES, lambda role: BASE[role] + b"\x1b[2J\n"),
    Case("utf16-with-bom", YAML_ROLES, lambda role: BASE[role].decode("utf-8").encode("utf-16"), expect=0),
    Case("utf8-with-bom", YAML_ROLES, lambda role: b"\xef\xbb\xbf" + BASE[role], expect=0),
    Case("utf16-without-bom", YAML_ROLES, lambda role: BASE[role].decode("utf-8").encode("utf-16-le")),
    Case("latin1", YAML_ROLES, lambda role: BASE[role] + "# café\n".encode("latin-1")),
    Case("int-5000-digits", YAML_ROLES, number("9" * 5000)),
    Case("int-400-digits", YAML_ROLES, number("1" * 400)),
    Case("int-16-digits", YAML_ROLES, number("1234567890123456")),
    Case("int-negative-huge", YAML_ROLES, number("-" + "9" * 5000)),
    Case("hex-huge", YAML_ROLES, number("0x" + "F" * 5000)),
    Case("float-huge-exponent", YAML_ROLES, number("1.0e+999999999")),
    Case("float-5000-decimals", YAML_ROLES, number("0." + "3" * 5000)),
    Case("float-nan", YAML_ROLES, number(".nan"), expect=lambda command: INVALID),
    Case("nested-40", YAML_ROLES, _nested(40)),
    Case("nested-100000", YAML_ROLES, _nested(100_000)),
    Case("alias-bomb", YAML_ROLES, _yaml(BILLION_LAUGHS)),
    Case("merge-key", YAML_ROLES, _yaml(b"base: &b {id: T}\ntender:\n  <<: *b\n")),
    Case("tag-python", YAML_ROLES, _yaml(b"tender: !!python/object/apply:os.system [echo hacked]\n")),
    Case("tag-binary", YAML_ROLES, _yaml(b"tender: !!binary aGVsbG8=\n")),
    Case("tag-custom", YAML_ROLES, _yaml(b"tender: !vault secret\n")),
    Case("tag-set", YAML_ROLES, _yaml(b"tender: !!set {a, b}\n")),
    Case("duplicate-key", YAML_ROLES, _duplicate),
    Case("escaped-nul-in-text", YAML_ROLES, text("Aannemer\\0A")),
    Case("escaped-esc-in-text", YAML_ROLES, text("Aannemer\\e[31mA")),
    Case("escaped-c1-in-text", YAML_ROLES, text("Aannemer\\x9bA")),
    Case("escaped-nul-in-key", YAML_ROLES, lambda role: BASE[role] + b'"ex\\0tra": 1\n'),
    Case("impossible-date", YAML_ROLES, lambda role: _replace(role, DATE, lambda old: old.split(b":")[0] + b": 2024-02-30")),
    Case("two-documents", YAML_ROLES, lambda role: BASE[role] + b"\n---\nsecond: document\n"),
    Case("scalar-root", YAML_ROLES, _yaml(b"just some text\n")),
    Case("unclosed-quote", YAML_ROLES, lambda role: BASE[role] + b'extra: "open\n'),
    Case("tab-indent", YAML_ROLES, _yaml(b"tender:\n\tid: T\n")),
    Case("workbook-as-yaml", YAML_ROLES, lambda role: XLSX),
]


# spreadsheets -------------------------------------------------------------------------------

def xlsx_with(members: dict[str, bytes | None], base: bytes = XLSX) -> bytes:
    """The example workbook with some members replaced (None: removed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename in members:
                if members[item.filename] is not None:
                    dst.writestr(item.filename, members[item.filename])
            else:
                dst.writestr(item, src.read(item.filename))
        for name, data in members.items():
            if data is not None and name not in src.namelist():
                dst.writestr(name, data)
    return out.getvalue()


SHEETS_OF_XLSX = ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml")  # tenders and contributions
SHEET = SHEETS_OF_XLSX[1]
_ORIGINAL = zipfile.ZipFile(io.BytesIO(XLSX)).read(SHEET)


def both_sheets(change: Callable[[bytes], bytes]) -> bytes:
    """The example workbook with both sheets changed (`score` reads both, `monitor import` the first)."""
    with zipfile.ZipFile(io.BytesIO(XLSX)) as src:
        return xlsx_with({name: change(src.read(name)) for name in SHEETS_OF_XLSX})
_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _sheet(body: bytes, dimension: bytes | None = None) -> bytes:
    dim = b'<dimension ref="' + dimension + b'"/>' if dimension else b""
    return _NS + dim + b"<sheetData>" + body + b"</sheetData></worksheet>"


def _far_cell(ref: bytes, row: bytes) -> bytes:
    return both_sheets(lambda xml: _sheet(b'<row r="' + row + b'"><c r="' + ref + b'"><v>1</v></c></row>', b"A1:" + ref))


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(XLSX)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != SHEET:
                dst.writestr(item, src.read(item.filename))
        with dst.open(SHEET, "w", force_zip64=True) as fh:  # 64 MB of blanks in a sheet, packed to ~64 KB
            fh.write(_NS + b"<sheetData>")
            block = b" " * (1 << 20)
            for _ in range(64):
                fh.write(block)
            fh.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _false_sizes() -> bytes:
    """A workbook whose zip directory says its sheet is 100 bytes long; it is 20 MB."""
    data = bytearray(xlsx_with({SHEET: _ORIGINAL.replace(b"<sheetData>", b"<sheetData>" + b" " * 20_000_000, 1)}))
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:  # central directory entries
        name_len = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46:start + 46 + name_len] == SHEET.encode():
            struct.pack_into("<I", data, start + 24, 100)  # uncompressed size
        start += 4
    start = 0
    while (start := data.find(b"PK\x03\x04", start)) != -1:  # local headers
        name_len = struct.unpack_from("<H", data, start + 26)[0]
        if data[start + 30:start + 30 + name_len] == SHEET.encode():
            struct.pack_into("<I", data, start + 22, 100)
        start += 4
    return bytes(data)


_ENTITIES = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
             b'&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


def _rows_csv(role: str, rows: list[list[str]]) -> bytes:
    if role == "realisations":
        header = CSV["realisations"].splitlines()[0]
    else:
        header = b"Aanbesteding,Menu,Opdrachtwaarde,Inschrijver,Bouwblok,Kandidaat,Uren per week,Maanden,Bedrag"
    lines = [header] + [",".join(r).encode("utf-8") for r in rows]
    return b"\n".join(lines) + b"\n"


def _good_row(role: str, **change) -> list[str]:
    if role == "realisations":
        row = dict(contract="GEM-2024-017", periode="2024-Q1", bouwblok="participatiewet", kandidaat="K-001",
                   uren="24", maanden="3", bedrag="", leeftijd="56", status="ingediend", bewijs="loonstrook")
    else:
        row = dict(tender="T-1", menu="haaglanden-zhc", waarde="500000", inschrijver="Aannemer A",
                   bouwblok="participatiewet", kandidaat="K-001", uren="24", maanden="6", bedrag="")
    row.update(change)
    return list(row.values())


def _per_command(score: int, score_o: int | None = None, imported: int = INVALID) -> Callable[[str], int]:
    codes = {"score": score, "score -o": score if score_o is None else score_o, "monitor import": imported}
    return lambda command: codes[command]


def _text_value(role: str) -> str:
    return "bewijs" if role == "realisations" else "inschrijver"


MONITOR = "monitor"

SHEET_CASES = [
    Case("xlsx-empty", SHEET_ROLES, lambda role: b"", suffix=".xlsx"),
    Case("xlsx-binary", SHEET_ROLES, lambda role: random.Random(3).randbytes(8192), suffix=".xlsx"),
    Case("xlsx-truncated", SHEET_ROLES, lambda role: XLSX[: len(XLSX) * 3 // 5], suffix=".xlsx"),
    Case("xlsx-is-csv", SHEET_ROLES, lambda role: b"a,b\n1,2\n", suffix=".xlsx"),
    Case("xlsx-no-content-types", SHEET_ROLES, lambda role: xlsx_with({"[Content_Types].xml": None}), suffix=".xlsx"),
    Case("xlsx-zip-bomb", SHEET_ROLES, lambda role: _zip_bomb(), suffix=".xlsx"),
    Case("xlsx-false-sizes", SHEET_ROLES, lambda role: _false_sizes(), suffix=".xlsx"),
    Case("xlsx-far-cell-ALL1048576", SHEET_ROLES, lambda role: _far_cell(b"ALL1048576", b"1048576"), suffix=".xlsx"),
    Case("xlsx-far-cell-XFD1048576", SHEET_ROLES, lambda role: _far_cell(b"XFD1048576", b"1048576"), suffix=".xlsx"),
    Case("xlsx-entities", SHEET_ROLES, lambda role: xlsx_with({SHEET: _ENTITIES + _sheet(b"")}), suffix=".xlsx"),
    Case("xlsx-entities-after-4k", SHEET_ROLES,
         lambda role: xlsx_with({SHEET: b'<?xml version="1.0"?>' + b" " * 5000 + _ENTITIES[21:] + _sheet(b"")}),
         suffix=".xlsx"),
    Case("xlsx-undeclared-entity", SHEET_ROLES,
         lambda role: both_sheets(lambda xml: xml.replace(b"<t>Aanbesteding</t>", b"<t>&nope;</t>", 1)), suffix=".xlsx"),
    Case("xlsx-broken-xml", SHEET_ROLES, lambda role: both_sheets(lambda xml: xml[: len(xml) // 2]),
         suffix=".xlsx"),
    Case("xlsx-bad-utf8", SHEET_ROLES,
         lambda role: both_sheets(lambda xml: xml.replace(b"Aanbesteding", b"Aanbe\xff\xfesteding", 1)), suffix=".xlsx"),
    Case("xlsx-no-sheets", SHEET_ROLES, lambda role: xlsx_with({SHEET: None, "xl/worksheets/sheet1.xml": None}),
         suffix=".xlsx"),
    Case("csv-empty", SHEET_ROLES, lambda role: b"", suffix=".csv"),
    Case("csv-binary", SHEET_ROLES, lambda role: random.Random(5).randbytes(8192), suffix=".csv"),
    Case("csv-nul", SHEET_ROLES, lambda role: _rows_csv(role, [_good_row(role)]).replace(b"K-001", b"K\x00001"),
         suffix=".csv", expect=_per_command(0, 0, 0)),
    Case("csv-utf16", SHEET_ROLES, lambda role: _rows_csv(role, [_good_row(role)]).decode().encode("utf-16"),
         suffix=".csv", expect=_per_command(0, 0, 0)),
    Case("csv-amount-400-digits", SHEET_ROLES,
         lambda role: _rows_csv(role, [_good_row(role, uren="9" * 400)]), suffix=".csv",
         expect=_per_command(0, 0, INVALID)),
    Case("csv-amount-5000-digits", SHEET_ROLES,
         lambda role: _rows_csv(role, [_good_row(role, uren="9" * 5000)]), suffix=".csv",
         expect=_per_command(0, 0, INVALID)),
    Case("csv-field-1mb", SHEET_ROLES,
         lambda role: _rows_csv(role, [_good_row(role, **{_text_value(role): "x" * 1_000_000})]), suffix=".csv",
         expect=_per_command(0, 0, INVALID)),  # a bidder's name is kept; evidence text has a length limit
    Case("csv-control-characters-in-names", SHEET_ROLES,
         lambda role: _rows_csv(role, [_good_row(role, **{_text_value(role): "A\x07B\x1b[31m\x01"})]), suffix=".csv",
         expect=_per_command(0, 0, 0)),
    Case("csv-formula-in-name", SHEET_ROLES,
         lambda role: _rows_csv(role, [_good_row(role, **{_text_value(role): '"=HYPERLINK(""http://x"")"'})]),
         suffix=".csv", expect=_per_command(0, 0, 0)),
    Case("csv-no-known-columns", SHEET_ROLES, lambda role: b"foo,bar\n1,2\n", suffix=".csv",
         ),
    Case("csv-header-only", SHEET_ROLES, lambda role: _rows_csv(role, []), suffix=".csv",
         expect=_per_command(0, 0, 0)),
]


# ledgers ------------------------------------------------------------------------------------

def _other_database() -> bytes:
    con = sqlite3.connect(":memory:")
    con.execute("create table notes (id integer primary key, text)")
    con.execute("insert into notes (text) values ('not a ledger')")
    data = con.serialize()
    con.close()
    return bytes(data)



LEDGER_CASES = [
    Case("ledger-garbage", ("ledger",), lambda role: random.Random(7).randbytes(8192)),
    Case("ledger-truncated-header", ("ledger",), lambda role: b"SQLite format 3\x00" + b"\x10\x00"),
    Case("ledger-text", ("ledger",), lambda role: b"contract,period\nA,2024-Q1\n"),
    Case("ledger-other-database", ("ledger",), lambda role: _other_database()),
]


# any file -----------------------------------------------------------------------------------

def _generic(kind: str, expect=FILE) -> Case:
    return Case(kind, ALL_ROLES, lambda role: kind, expect=expect)


GENERIC_CASES = [
    _generic("missing"),  # a ledger too: only `monitor init` makes one, the others say how (exit 3)
    _generic("folder"),
    _generic("fifo"),
    _generic("device"),
    _generic("unreadable"),
]

TOO_LARGE = Case("too-large", YAML_ROLES, lambda role: "too_large", expect=FILE)

CASES = YAML_CASES + SHEET_CASES + LEDGER_CASES + GENERIC_CASES + [TOO_LARGE]


_MADE: dict[tuple[str, str], bytes | str] = {}


def content(case: Case, role: str) -> bytes | str:
    """The case's file for a role (made once: some take a moment, such as the zip bomb)."""
    key = (case.id, role)
    if key not in _MADE:
        _MADE[key] = case.make(role)
    return _MADE[key]


def materialise(case: Case, role: str, folder: Path) -> Path:
    """Write the case's file for a role into `folder` and return its path."""
    suffix = case.suffix or {"ledger": ".sqlite", "bids": ".xlsx"}.get(role, ".yaml")
    path = folder / f"input{suffix}"
    made = content(case, role)
    if made == "missing":
        return path
    if made == "folder":
        path.mkdir()
    elif made == "fifo":
        import os

        os.mkfifo(path)
    elif made == "device":
        return Path("/dev/zero")
    elif made == "too_large":
        with open(path, "wb") as fh:
            fh.truncate(11 * 1024 * 1024)  # sparse: costs no disk
    elif made == "unreadable":
        path.write_bytes(BASE.get(role, XLSX))
        path.chmod(0)
    else:
        path.write_bytes(made)
    return path
