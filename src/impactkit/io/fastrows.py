"""Streaming many rows into a workbook written by openpyxl.

openpyxl spends ~10 µs on every cell it writes; a results sheet of a million lines would take
minutes. Here openpyxl writes the sheet with its header (and the styles, freeze panes, filter
and column widths), and the data rows are spliced into that sheet's XML afterwards, built as
text: numbers as numbers with the euro style, text always as inline strings (never a formula).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.io.atomic import temporary_file
from impactkit.io.text import RISKY_START, visible_text

CHUNK = 20_000
COMPRESSION = 1  # zlib level: 1 packs spreadsheet XML nearly as small as 6, several times faster


def _escape(text: str) -> str:
    text = visible_text(text)  # the one rule of impactkit.io.xlsx_style for text cells
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_cells(values, quote_style: int) -> np.ndarray:
    """The cell XML of a text column without its row number: `<c r="B` + row + this."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    cells = []
    for value in uniques:
        text = "" if value is None else str(value)
        style = f' s="{quote_style}"' if text.startswith(RISKY_START) else ""
        cells.append(f'{style} t="inlineStr"><is><t xml:space="preserve">{_escape(text)}</t></is></c>')
    cells.append(' t="inlineStr"><is><t></t></is></c>')
    return np.asarray(cells, dtype=object)[codes]


def number_cells(values, style: int | None = None) -> list[str]:
    attr = f' s="{style}"' if style is not None else ""
    return [f'{attr}><v>{v}</v></c>' for v in values]


def euro_cells(cents, style: int) -> list[str]:
    """Cents as euro cells; each distinct amount formatted once."""
    codes, uniques = pd.factorize(np.asarray(cents, dtype=np.int64))
    shown = [f' s="{style}"><v>{"-" if c < 0 else ""}{abs(c) // 100}.{abs(c) % 100:02d}</v></c>' for c in uniques.tolist()]
    return np.asarray(shown + ["/>"], dtype=object)[codes].tolist()


def rows_xml(columns: list[tuple[str, list]], first_row: int) -> Iterator[str]:
    """Row XML in chunks; `columns` are (column letter, per-row cell tails)."""
    n = len(columns[0][1]) if columns else 0
    for start in range(0, n, CHUNK):
        parts = []
        for offset, cells in enumerate(zip(*(col[start:start + CHUNK] for _, col in columns))):
            r = first_row + start + offset
            parts.append(f'<row r="{r}">' + "".join(f'<c r="{letter}{r}"{cell}' for (letter, _), cell in
                                                     zip(columns, cells)) + "</row>")
        yield "".join(parts)


def splice_rows(book: Path, sheets: dict[str, tuple[Iterator[str], int, str]]) -> None:
    """Insert row XML at the end of the <sheetData> of sheets of a saved workbook (in place).

    `sheets` maps a member (xl/worksheets/sheetN.xml) to (row XML chunks, last row, last column).
    Every member is written compressed (a results workbook of 300,000 lines is about 29 MB, not
    200 MB). The new workbook is built in a temporary file of impactkit.io.atomic, so a failure or
    a Ctrl-C while the rows stream leaves nothing behind.
    """
    with temporary_file(book) as tmp:
        _splice(book, tmp, sheets)
        os.replace(tmp, book)


def _splice(book: Path, tmp: Path, sheets: dict[str, tuple[Iterator[str], int, str]]) -> None:
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED,
                                                       compresslevel=COMPRESSION) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename not in sheets:
                dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION)
                continue
            rows, last_row, last_column = sheets[item.filename]
            xml = data.decode("utf-8")
            dimension = f'<dimension ref="A1:{last_column}{last_row}"/>'
            if "<dimension" in xml:
                xml = re.sub(r'<dimension ref="[^"]*"\s*/>', dimension, xml)
            else:  # it belongs after <sheetPr> and before <sheetViews>
                xml = xml.replace("<sheetViews", dimension + "<sheetViews", 1)
            if "</sheetData>" in xml:
                head, tail = xml.split("</sheetData>", 1)
            else:  # an empty sheet is written as <sheetData/>
                head, tail = xml.replace("<sheetData/>", "<sheetData>", 1).split("<sheetData>", 1)
                head, tail = head + "<sheetData>", tail
            info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            # read by ZipFile.open(..., "w") (Python 3.11-3.13)
            info._compresslevel = COMPRESSION  # type: ignore[attr-defined]  # private, so not in typeshed's ZipInfo
            with dst.open(info, "w") as out:
                out.write(head.encode("utf-8"))
                for chunk in rows:
                    out.write(chunk.encode("utf-8"))
                out.write(("</sheetData>" + tail).encode("utf-8"))
