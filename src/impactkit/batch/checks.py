"""Checking contribution rows column-wise: cells that are not values (error cells, formulas
without a value, totals rows), tenders, blocks, facts within their bounds, one price per bid.

Each check rejects rows that have no reason yet (`Reasons`), so a row is named once, for the
first thing wrong with it, in this order.
"""

from __future__ import annotations

from decimal import Decimal

import difflib
from collections.abc import Sequence
import numpy as np
import pandas as pd

from impactkit.batch.reasons import Reasons
from impactkit.batch.tenders import NUMERIC, TenderFailure
from impactkit.rules.catalog import block_index
from impactkit.i18n import Translator
from impactkit.io.sheets import numbers as nb
from impactkit.io.sheets.notes import Note
from impactkit.io.sheets.read import Sheet
from impactkit.io.sheets.table import FIRST
from impactkit.io.sheets.totals import totals_rows
from impactkit.io.sheets.values import PROBLEMS, NumberColumn, blank, bool_column, number_column, text_column
from impactkit.menus.lookup import find_block, unknown_block
from impactkit.menus.registry import all_block_ids
from impactkit.model.facts import FLAGS, PRICE, QUANTITIES, TREDES, names_a_trede
from impactkit.model.menu import Menu

# column: (lowest, highest) in hundredths (cents for amounts), from the bounds declared in model.facts
BOUNDS = {name: (int(b.low * 100), int(b.high * 100)) for name, b in {**QUANTITIES, "bid_value": PRICE}.items()}
# column: highest plausible value in one row: above it a typing error is far more likely than a fact
PLAUSIBLE = {
    "hours": 100_000_00,  # about 55 full-time years of hours in one row
    "amount": 10_000_000_00,  # EUR 10 million for one invoice or one training
    "bid_value": 10_000_000_000_00,  # EUR 10 billion
}
TEXT_CELLS = ("tender_id", "bidder", "block", "candidate")


def table_slices(sheet: Sheet):
    """(table index, start, stop) of each table's rows in the sheet (they are contiguous)."""
    starts = np.searchsorted(sheet.part, np.arange(len(sheet.tables)), side="left")
    stops = np.searchsorted(sheet.part, np.arange(len(sheet.tables)), side="right")
    return [(k, int(a), int(b)) for k, (a, b) in enumerate(zip(starts, stops)) if b > a]


def check_cells(reasons: Reasons, sheet: Sheet, texts: dict[str, np.ndarray]) -> None:
    """Totals rows, then cells that hold an error or a formula without a value.

    `texts` holds the text of the identifying columns (tender id, bidder, block, candidate)."""
    cf = sheet.frame
    if FIRST in cf.columns:
        texts = {**texts, FIRST: text_column(cf[FIRST]).to_numpy(dtype=object)}
    errors = {}
    factorized = {name: pd.factorize(words) for name, words in texts.items()}
    for name, (codes, uniques) in factorized.items():
        error = np.asarray([u[:1] in "#E" and nb.form(u) == nb.ERROR for u in uniques] + [False])[codes]
        if error.any():
            errors[name] = error
    reasons.add(totals_rows(factorized), "reject_totals_row", None)
    for k, start, stop in table_slices(sheet):
        table = sheet.tables[k]
        if not table.problems:
            continue
        rows = sheet.rows[start:stop]
        for row, column, key, text in sorted(table.problems, key=lambda p: (p[0], str(p[1]), p[2])):
            at = np.searchsorted(rows, row)
            if at < len(rows) and rows[at] == row:
                mask = np.zeros(reasons.n, dtype=bool)
                mask[start + at] = True
                reasons.add(mask, "reject_" + key, column, {start + at: text}, {"code": text})  # value: #N/A
    for name, error in errors.items():
        values = texts[name]
        reasons.add(error, "reject_cell_error", name, values, lambda i, v=values: {"code": v[i]})


def nearest_tender(typed: object, known: Sequence[str]) -> str:
    """The tender id a row means when it is written otherwise (other capitals, spaces, a typo)."""
    key = "".join(str(typed).split()).casefold()
    same = [k for k in known if "".join(k.split()).casefold() == key]
    if same:
        return same[0]
    near = difflib.get_close_matches(str(typed).strip(), list(known), n=1, cutoff=0.8)
    return near[0] if near else "-"


def check_tenders(reasons: Reasons, tid: np.ndarray, tender_index: np.ndarray, combined: np.ndarray,
                  failures: dict[str, TenderFailure], conflict: dict[int, str], known: Sequence[str] = ()) -> None:
    reasons.add(tid == "", "reject_tender_missing", "tender_id")
    failed = (tender_index < 0) & pd.Series(tid).isin(list(failures)).to_numpy()
    for i in np.flatnonzero(failed & reasons.ok).tolist():
        failure = failures[tid[i]]
        if failure.key == "reject_example_row":  # the template's example: each of its rows says so itself
            reasons.set(i, failure.key, "tender_id", tid[i], {})
        elif failure.where.combined and combined[i]:  # the tender's fields are on this row: its problem is the row's
            reasons.set(i, failure.key, failure.column, failure.value, failure.params)
        else:
            reasons.set(i, "reject_tender_rejected", "tender_id", tid[i],
                        {"id": tid[i], "row": failure.where.row, "sheet": failure.where.source})
    reasons.add(tender_index < 0, "reject_tender_unknown", "tender_id", tid,
                lambda i: {"id": tid[i], "hint": nearest_tender(tid[i], known)})
    for i, column in sorted(conflict.items()):
        if reasons.ok[i]:
            header = reasons.sheet.header(i, column)
            reasons.set(i, "reject_tender_conflict", column, reasons.sheet.frame[column].iat[i], {"column": header})


def tender_conflicts(cf: pd.DataFrame, tid: np.ndarray, combined: np.ndarray, reference: dict[str, dict]) -> dict[int, str]:
    """Rows that carry tender fields differing from the row the tender was taken from (a blank
    cell repeats the tender's value)."""
    out: dict[int, str] = {}
    rows = combined & (tid != "")
    if not rows.any():
        return out
    from impactkit.io.sheets.columns import TENDER_COLUMNS

    for column in (c for c in cf.columns if c in TENDER_COLUMNS and c != "tender_id"):
        given = _canonical(cf[column], column)
        expected = pd.Series(tid).map({t: r.get(column) for t, r in reference.items()}).to_numpy(dtype=object)
        differs = rows & (given != "") & pd.notna(expected) & (given != expected)
        for i in np.flatnonzero(differs):
            out.setdefault(int(i), column)
    return out


def _canonical(series: pd.Series, column: str) -> np.ndarray:
    """Tender cells compared as values: '500.000' equals 500000."""
    text = text_column(series)
    if column not in NUMERIC:
        return text.to_numpy(dtype=object)
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    shown = text_column(pd.Series(uniques, dtype=object)).tolist()
    values = [str(n.normalize()) if (n := nb.parse_number(u)) is not None else s for u, s in zip(uniques, shown)]
    return np.asarray(values + [""], dtype=object)[codes]


def canonical_value(value, column: str) -> str:
    return str(_canonical(pd.Series([value], dtype=object), column)[0])


def check_blocks(reasons: Reasons, cf, block, states, tender_index):
    """Find each row's block in its tender's menu; unknown blocks name the nearest ids. Returns the
    menus' block index and each row's entry in it (-1: none)."""
    menus: dict[str, Menu] = {}
    for state in states:
        menus.setdefault(state.choice.menu.ref, state.choice.menu)
    table = block_index(list(menus.values()))
    menu_of_tender = np.array([list(menus).index(s.choice.menu.ref) for s in states] + [-1])
    menu_row = menu_of_tender[tender_index]
    block_codes, block_values = pd.factorize(block)
    pairs = menu_row.astype(np.int64) * (len(block_values) + 1) + block_codes
    pair_codes, pair_values = pd.factorize(pairs)
    refs = list(menus)
    width = len(block_values) + 1

    def lookup(pair: int) -> int:
        menu, code = divmod(int(pair), width)
        if pair < 0 or menu >= len(refs) or code >= len(block_values):
            return -1
        found = table.entries.get((menu, block_values[code]), -1)
        if found < 0:  # "Label [id]" (the template's dropdown), or a label typed out
            meant = find_block(menus[refs[menu]], block_values[code])
            found = table.entries.get((menu, meant), -1) if meant is not None else -1
        return found

    k_of_pair = np.array([lookup(p) for p in pair_values] + [-1], dtype=np.int64)
    k = k_of_pair[pair_codes] if len(pair_codes) else np.zeros(0, dtype=np.int64)
    reasons.add(block == "", "reject_block_missing", "block")
    unknown = (k < 0) & reasons.ok
    if unknown.any():
        every_id = set(all_block_ids())
        hints: dict[tuple, tuple] = {}
        for i in np.flatnonzero(unknown):
            key = (refs[menu_row[i]], block[i])
            if key not in hints:
                why, params = unknown_block(menus[key[0]], key[1], every_id)
                hints[key] = ("reject_" + why, params)
        unknown_idx = np.flatnonzero(unknown)
        kinds = np.full(reasons.n, "", dtype=object)
        kinds[unknown_idx] = [hints[(refs[menu_row[i]], block[i])][0] for i in unknown_idx]
        raw = cf["block"].to_numpy(dtype=object)
        for kind in dict.fromkeys(kinds[unknown_idx]):  # each answer unknown_block gave (rejections sort by row)
            reasons.add(unknown & (kinds == kind), kind, "block", raw,
                        lambda i: hints[(refs[menu_row[i]], block[i])][1])
    return table, k


def check_required(reasons: Reasons, table, k, block, present, facts) -> None:
    """The facts each row's block needs (its unit's, and a supplier's trede where the menu values by it)."""
    if not len(table.entry_key):
        return
    entry = np.maximum(k, 0)
    for e, (menu_position, block_id) in enumerate(table.entries):
        rows = (entry == e) & (k >= 0) & reasons.ok
        if not rows.any():
            continue
        compiled = table.block_of_entry(e)
        for name in table.rules[menu_position].required_facts(block_id):
            have = present[name] if name in present else facts["supplier_trede"] >= 0
            reasons.add(rows & ~have, "reject_fact_missing", name, None,
                        lambda i, u=compiled.unit, n=name: {"block": block[i], "valued": u, "column": n})
        if compiled.factor_by_trede:
            allowed = [TREDES.index(t) for t in compiled.factor_by_trede]
            reasons.add(rows & (facts["supplier_trede"] >= 0) & ~np.isin(facts["supplier_trede"], allowed),
                        "reject_trede_not_in_menu", "supplier_pso_trede", None,
                        lambda i, b=compiled: {"block": b.id, "known": ", ".join(b.factor_by_trede)})


def trede_column(reasons: Reasons, cf, name: str) -> np.ndarray:
    """PSO tredes as positions in TREDES (-1: empty); anything else is rejected."""
    if name not in cf.columns:
        return np.full(reasons.n, -1, dtype=np.int64)
    words = text_column(cf[name]).str.lower().str.replace("trede", "", regex=False).str.strip()
    words = words.str.replace(r"\.0$", "", regex=True)
    lookup = {t: i for i, t in enumerate(TREDES)}
    codes = words.map(lambda w: lookup.get(w, -1 if w == "" else -2)).to_numpy(dtype=np.int64)
    reasons.add(codes == -2, "reject_not_trede", name, cf[name].to_numpy(dtype=object))
    return np.maximum(codes, -1)


def plain(value: Decimal) -> str:
    """1250 rather than 1.25E+3; 0.05 rather than 0.0500."""
    return format(value.normalize(), "f")


def numbers(sheet: Sheet, name: str, notes: list[Note]) -> NumberColumn:
    """A number column read table by table (each file has its own way of writing numbers)."""
    parts = table_slices(sheet)
    column = sheet.frame[name]
    if len(parts) <= 1:
        result = number_column(column, column=name)
        _reading_note(sheet, parts[0][0] if parts else 0, name, result, notes)
        return result
    results = []
    for k, start, stop in parts:
        result = number_column(column.iloc[start:stop], column=name)
        _reading_note(sheet, k, name, result, notes)
        results.append(result)
    def joined(field: str) -> np.ndarray:
        return np.concatenate([getattr(r, field) for r in results])

    return NumberColumn(joined("hundredths"), joined("present"), joined("valid"), joined("problem"))


def _reading_note(sheet: Sheet, k: int, name: str, column: NumberColumn, notes: list[Note]) -> None:
    if not sheet.tables:
        return
    table = sheet.tables[k]
    if column.rounded is not None:  # a formula's result, or a third decimal typed: counted in hundredths
        notes.append(Note(table.source, "note_rounded_hundredths", {
            "count": column.rounded["count"], "example": column.rounded["example"],
            "value": plain(column.rounded["value"])}, column=table.headers.get(name, name)))
    reading = column.reading
    if reading is None:
        return
    dutch = reading["convention"] == nb.DUTCH
    key = ("note_reading_clue_dutch" if dutch else "note_reading_clue_english") if reading["clue"] else (
        "note_reading_default")
    notes.append(Note(table.source, key, {
        "example": reading["example"], "value": plain(reading["value"]) if reading["value"] is not None else "-",
        "clue": reading["clue"] or "", "count": reading["count"]}, column=table.headers.get(name, name)))


def check_facts(reasons: Reasons, sheet: Sheet, tr: Translator, notes: list[Note]):
    """Numbers within their bounds and yes/no values; empty cells are absent facts."""
    cf = sheet.frame
    facts: dict[str, np.ndarray] = {}
    present: dict[str, np.ndarray] = {}
    cells: dict[str, np.ndarray] = {}  # per number column: present (a cell was given)
    for name, (low, high) in BOUNDS.items():
        if name not in cf.columns:
            facts[name] = np.zeros(reasons.n, dtype=np.int64)
            present[name] = cells[name] = np.zeros(reasons.n, dtype=bool)
            continue
        col = numbers(sheet, name, notes)
        raw = cf[name].to_numpy(dtype=object)
        for code, key in enumerate(PROBLEMS):
            if code:
                reasons.add(col.present & (col.problem == code), key, name, raw,
                            (lambda i, v=raw: {"code": str(v[i]).strip()}) if key == "reject_cell_error" else
                            {"counts_in": nb.COLUMN_UNITS[name][0]} if key == "reject_unit" else None)
        reasons.add(col.present & ~col.valid, "reject_not_number", name, raw)
        in_range = col.valid & (col.hundredths >= low) & (col.hundredths <= high)
        reasons.add(col.valid & ~in_range, "reject_out_of_range", name, raw,
                    {"low": _shown(low, name, tr), "high": _shown(high, name, tr)})
        if name in PLAUSIBLE:
            implausible = in_range & (col.hundredths > PLAUSIBLE[name])
            reasons.add(implausible, "reject_implausible", name, raw, {"high": _shown(PLAUSIBLE[name], name, tr)})
            in_range &= ~implausible
        if name == "age":
            reasons.add(col.valid & (col.hundredths % 100 != 0), "reject_not_whole", name, raw)
        facts[name] = np.where(col.valid, col.hundredths, 0)
        present[name] = col.valid if name != "bid_value" else in_range
        cells[name] = col.present
    for name in (*FLAGS, "pso_certified"):
        if name in cf.columns:
            value, valid = bool_column(cf[name])
            if name == "pso_certified" and not valid.all():  # "trede 2": the PSO trede column was meant
                trede = np.asarray([not ok and names_a_trede(v) for v, ok in zip(cf[name], valid)], dtype=bool)
                reasons.add(trede, "reject_pso_certified_is_trede", name, cf[name].to_numpy(dtype=object))
            reasons.add(~valid, "reject_not_bool", name, cf[name].to_numpy(dtype=object))
            facts[name] = value & valid
        else:
            facts[name] = np.zeros(reasons.n, dtype=bool)
    facts["supplier_trede"] = trede_column(reasons, cf, "supplier_pso_trede")
    facts["pso_trede"] = trede_column(reasons, cf, "pso_trede")
    return facts, present, cells


def check_bid_fields(reasons: Reasons, cf, bid_code, facts, present) -> None:
    """One price and one PSO status per bid: a later row that differs is rejected."""
    for name in ("bid_value", "pso_certified", "pso_trede"):
        if name not in cf.columns:
            continue
        given = present[name] if name == "bid_value" else ~blank(cf[name]) & reasons.ok
        if not given.any():
            continue
        values = pd.Series(np.where(given, facts[name], -1).astype(np.int64))
        first = values.where(given).groupby(bid_code).transform("first").to_numpy()
        reasons.add(given & (values.to_numpy() != first), "reject_bid_conflict", name, cf[name].to_numpy(dtype=object))


def _shown(hundredths: int, name: str, tr: Translator) -> str:
    value = Decimal(hundredths) / 100
    return tr.eur(value) if name in ("amount", "bid_value") else tr.number(value)
