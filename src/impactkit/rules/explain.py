"""Explanations in the user's language, built from the kernel's typed results.

`check`, `score` and `monitor` explain a line, an obligation and a note with these functions
only, so a credit reads the same in the terminal, the JSON document, CSV files and workbooks.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from impactkit.i18n import Translator
from impactkit.i18n.problems import message_text
from impactkit.model.facts import NUMERIC_FACTS, PERSON_UNITS, facts_used
from impactkit.rules.obligation import PSO_FLAT, PSO_TREDE, PSO_UNKNOWN, Obligation
from impactkit.rules.valuation import LineValue, Part

Note = tuple[str, dict]


def _h(value: int) -> Decimal:
    """Hundredths (or cents) as a Decimal."""
    return Decimal(int(value)).scaleb(-2)


def exact_text(tr: Translator, value: Fraction) -> str:
    """A part of a line before its one rounding: to the cent when exact, else to 3 decimals and '…'."""
    if (value * 100).denominator == 1:
        return tr.number(value, 2)
    return tr.number(value, 3) + ("" if (value * 1000).denominator == 1 else "…")


def _per_year_text(tr: Translator, value: Decimal, hours: Decimal, basis: Decimal, counted: Decimal,
                   result: str) -> str:
    n = tr.number
    text = f"{n(value)} × {n(min(hours, basis))}/{n(basis)} × {n(counted)}/12 = {result}"
    if hours > basis:
        text += "; " + tr("explain_hours_over_basis", hours=n(hours), basis=n(basis))
    return text


def _months_note(tr: Translator, lv: LineValue, candidate: str | None) -> str:
    n = tr.number
    parts = []
    if lv.already:
        parts.append(tr("explain_already", already=n(_h(lv.already)), candidate=candidate or ""))
    cap = lv.block.block.cap_months
    if cap is not None:
        if lv.counted < lv.months:
            parts.append(tr("explain_cap_applied", months=n(_h(lv.months)), counted=n(_h(lv.counted)), cap=n(cap)))
        else:
            parts.append(tr("explain_cap", cap=n(cap)))
    return "".join("; " + p for p in parts)


def _part_text(tr: Translator, lv: LineValue, part: Part, shown: str) -> str:
    bonus = part.bonus
    if bonus is None:
        return _per_year_text(tr, lv.block.block.row_value, _h(lv.hours_per_week), _h(lv.basis), _h(lv.counted), shown)
    label = tr.label(bonus.bonus.label)
    if part.repeat:
        return f"+ {label}: " + tr("explain_one_off_counted")
    if bonus.one_off:
        return f"+ {label}: " + tr("explain_one_off", value=tr.number(bonus.bonus.value), credit=shown)
    return f"+ {label}: " + _per_year_text(tr, bonus.bonus.value, _h(lv.hours_per_week), _h(lv.basis),
                                           _h(lv.counted), shown)


def explain_value(lv: LineValue, tr: Translator, candidate: str | None = None) -> str:
    """The formula of a line: the block, each bonus, the line's one rounding."""
    n, eur = tr.number, tr.eur
    block = lv.block.block
    credit = n(_h(lv.credit), 2)
    unit = block.unit
    if unit == "per_year":
        if lv.below_minimum and block.min_hours_per_week is not None:  # below only where a minimum is set
            return tr("explain_below_minimum", hours=n(_h(lv.hours_per_week)), minimum=n(block.min_hours_per_week))
        if len(lv.parts) == 1:  # the block alone: its value is the line's one rounding
            return _part_text(tr, lv, lv.parts[0], credit) + _months_note(tr, lv, candidate)
        texts = [_part_text(tr, lv, lv.parts[0], exact_text(tr, lv.parts[0].exact)) + _months_note(tr, lv, candidate)]
        texts += [_part_text(tr, lv, p, exact_text(tr, p.exact)) for p in lv.parts[1:]]
        if all((p.exact * 100).denominator == 1 for p in lv.parts):
            return "; ".join(texts)  # every part is whole cents: the total needs no word
        return "; ".join(texts) + "; " + tr("explain_line_total", credit=credit)
    if unit == "per_month":
        return f"{n(block.row_value)} × {n(_h(lv.counted))} = {credit}" + _months_note(tr, lv, None)
    if unit == "per_hour":
        return f"{n(block.row_value)} × {n(_h(lv.hours))} {tr('hours_unit')} = {credit}"
    if unit == "per_day":
        ceiling = block.row_value * _h(lv.days)
        return tr("explain_per_day", amount=eur(_h(lv.amount)), value=n(block.row_value), days=n(_h(lv.days)),
                  ceiling=eur(ceiling), credit=credit)
    if unit == "invoice":
        factor = lv.factor or (1, 1)
        if factor != (1, 1):
            share = Decimal(factor[0]) / Decimal(factor[1])
            text = tr("explain_invoice_factor", amount=eur(_h(lv.amount)), factor=n(share), credit=credit)
            return text + ("; " + tr("explain_supplier_trede", trede=lv.trede) if lv.trede else "")
        return tr("explain_invoice", amount=eur(_h(lv.amount)))
    if unit == "by_agreement":
        return tr("explain_by_agreement", amount=eur(_h(lv.amount)))
    return tr("explain_actual_cost", amount=eur(_h(lv.amount)))


def line_notes(lv: LineValue, entered: str, present: frozenset[str], has_candidate: bool,
               identical_to: int | None = None, identical_kind: str = "line") -> list[Note]:
    """What a reviewer should know about a line besides its formula (message keys and parameters).

    `identical_to` is the number of an identical earlier line (`identical_kind` "line": as `check`
    numbers a bid's lines; "row": a spreadsheet row)."""
    unit = lv.block.unit
    notes: list[Note] = []
    if entered != lv.block.id:
        notes.append(("note_alias", {"entered": entered, "block": lv.block.id}))
    used = facts_used(unit)
    for name in NUMERIC_FACTS:
        if name in present and name not in used:
            notes.append(("note_field_ignored", {"field": name, "valued": unit}))
    if unit == "by_agreement":
        notes.append(("note_by_agreement", {}))
    if unit in PERSON_UNITS and not has_candidate and lv.block.cap is not None:
        notes.append(("note_no_candidate", {}))
    if identical_to is not None:
        notes.append(("note_identical" if identical_kind == "line" else "note_identical_row", {"line": identical_to}))
    return notes


def explain_line(lv: LineValue, notes: list[Note], tr: Translator, candidate: str | None = None) -> str:
    """One sentence per line: the formula, then the notes."""
    return "; ".join([explain_value(lv, tr, candidate), *(message_text(k, p, tr) for k, p in notes)])


def explain_obligation(ob: Obligation, tr: Translator) -> str:
    eur = tr.eur
    text = f"{tr.percent(ob.rate)} × {eur(ob.base)} ({tr('base_source_' + ob.base_source)}) = {eur(ob.gross)}"
    if ob.below_threshold and ob.threshold is not None:  # below only where a threshold is set
        op = "≥" if ob.threshold_inclusive else ">"
        key = "obligation_below_threshold" if ob.threshold_inclusive or ob.scope_value != ob.threshold else (
            "obligation_at_threshold")  # "boven": a value equal to the threshold is not above it
        return text + "; " + tr(key, value=eur(ob.scope_value), op=op, threshold=eur(ob.threshold))
    if ob.capped and ob.cap is not None:  # capped only where a cap is set
        text += "; " + tr("obligation_capped", cap=eur(ob.cap))
    if ob.pso == PSO_TREDE and ob.pso_discount is not None:  # PSO_TREDE and PSO_FLAT come with their percentage
        text += "; " + tr("obligation_pso_trede", trede=ob.pso_trede, pct=tr.percent(ob.pso_discount),
                          discount=eur(ob.discount))
    elif ob.pso == PSO_FLAT and ob.pso_discount is not None:
        text += "; " + tr("obligation_pso", pct=tr.percent(ob.pso_discount), discount=eur(ob.discount))
    return text + f" → {eur(ob.amount)}" if (ob.capped or ob.pso in (PSO_FLAT, PSO_TREDE)) else text


def obligation_notes(ob: Obligation, needs_kind: bool = False, tredes: tuple[str, ...] = ()) -> list[Note]:
    """What the obligation's reader must know: a PSO claim without a known percentage (or without the
    trede the menu's percentages need), a kind of contract to give."""
    notes: list[Note] = []
    if ob.pso == PSO_UNKNOWN:
        if ob.pso_trede:
            notes.append(("note_pso_trede_unknown", {"trede": ob.pso_trede}))
        elif tredes:  # certified, but the discount depends on the trede
            notes.append(("note_pso_give_trede", {"tredes": ", ".join(tredes)}))
        else:
            notes.append(("note_pso_unknown", {"trede": ""}))
    if needs_kind:
        notes.append(("note_threshold_kind", {}))
    return notes
