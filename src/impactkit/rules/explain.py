"""Human explanations of credits, obligations and suggestions in the user's language.

The formula texts are built from plain numbers by small functions that the single-tender path
(`explain_line`) and the batch scorer share, so both explain a credit in the same words.
"""

from __future__ import annotations


from impactkit.engine.obligation import Obligation
from impactkit.engine.suggest import Suggestion
from impactkit.engine.valuation import Component, Line
from impactkit.i18n import Translator
from impactkit.i18n.problems import message_text


def per_year_text(tr: Translator, value, hours, basis, counted, credit) -> str:
    n = tr.number
    text = f"{n(value)} × {n(min(hours, basis))}/{n(basis)} × {n(counted)}/12 = {n(credit, 2)}"
    if hours > basis:
        text += "; " + tr("explain_hours_over_basis", hours=n(hours), basis=n(basis))
    return text


def months_note(tr: Translator, months, counted, cap, already, candidate) -> str:
    n = tr.number
    parts = []
    if already:
        parts.append(tr("explain_already", already=n(already), candidate=candidate or ""))
    if cap is not None:
        if counted < months:
            parts.append(tr("explain_cap_applied", months=n(months), counted=n(counted), cap=n(cap)))
        else:
            parts.append(tr("explain_cap", cap=n(cap)))
    return "".join("; " + p for p in parts)


def simple_text(tr: Translator, unit: str, credit, value=None, months=None, hours=None, days=None,
                amount=None, factor=None) -> str:
    """Explanations of the units other than per_year (per_month's cap note comes separately)."""
    n, eur = tr.number, tr.eur
    if unit == "per_month":
        return f"{n(value)} × {n(months)} = {n(credit, 2)}"
    if unit == "per_hour":
        return f"{n(value)} × {n(hours)} {tr('hours_unit')} = {n(credit, 2)}"
    if unit == "per_day":
        return tr("explain_per_day", amount=eur(amount), value=n(value), days=n(days),
                  ceiling=eur(value * days), credit=n(credit, 2))
    if unit == "invoice":
        if factor is not None and factor != 1:
            return tr("explain_invoice_factor", amount=eur(amount), factor=n(factor), credit=n(credit, 2))
        return tr("explain_invoice", amount=eur(amount))
    if unit == "by_agreement":
        return tr("explain_by_agreement", amount=eur(amount))
    return tr("explain_actual_cost", amount=eur(amount))


def explain_component(comp: Component, tr: Translator) -> str:
    f = comp.formula
    if comp.unit == "per_year":
        if f.get("one_off"):
            return tr("explain_one_off", value=tr.number(f["value"]), credit=tr.number(comp.credit, 2))
        if f.get("below_minimum") is not None:
            return tr("explain_below_minimum", hours=tr.number(f["hours"]), minimum=tr.number(f["below_minimum"]))
        text = per_year_text(tr, f["value"], f["hours"], f["basis"], f["counted"], comp.credit)
        if comp.kind == "block":
            text += months_note(tr, f["months"], f["counted"], f["cap"], f["already"], f.get("candidate"))
        return text
    if comp.unit == "per_month":
        return simple_text(tr, "per_month", comp.credit, value=f["value"], months=f["counted"]) + months_note(
            tr, f["months"], f["counted"], f["cap"], f["already"], None)
    return simple_text(tr, comp.unit, comp.credit, value=f.get("value"), hours=f.get("hours"),
                       days=f.get("days"), amount=f.get("amount"), factor=f.get("factor"))


def explain_line(line: Line, tr: Translator) -> str:
    """One sentence per line: the block's formula, then each bonus, then notes."""
    parts = []
    for comp in line.components:
        text = explain_component(comp, tr)
        if comp.kind == "bonus":
            text = f"+ {tr.label(comp.label)}: {text}"
        parts.append(text)
    for key, params in line.notes:
        if key == "note_min_hours":
            continue  # already said by the block's explanation
        parts.append(message_text(key, params, tr))
    return "; ".join(parts)



def explain_obligation(ob: Obligation, tr: Translator) -> str:
    eur = tr.eur
    base_name = tr("base_" + ob.base_kind)
    text = f"{tr.percent(ob.rate)} × {eur(ob.base)} ({base_name}) = {eur(ob.gross)}"
    if ob.below_threshold:
        op = "≥" if ob.threshold_inclusive else ">"
        return text + "; " + tr("obligation_below_threshold", op=op, threshold=eur(ob.threshold))
    if ob.capped:
        text += "; " + tr("obligation_capped", cap=eur(ob.cap))
    if ob.pso_discount:
        text += "; " + tr("obligation_pso", pct=tr.percent(ob.pso_discount), discount=eur(ob.discount))
    return text + f" → {eur(ob.amount)}" if (ob.capped or ob.pso_discount) else text


def explain_suggestion(s: Suggestion, tr: Translator) -> str:
    label = tr.label(s.label)
    n = tr.number
    one = "_one" if s.quantity == 1 and s.kind != "people_full_time" else ""
    if s.kind == "full_time_months":
        return tr("suggest_full_time_months" + one, months=n(s.quantity), label=label, value=tr.eur(s.value))
    if s.kind == "people_full_time":  # the months spread over people: no more for one than the cap counts
        return tr("suggest_people", people=s.people, months=n(s.quantity), per_person=n(s.per_person), label=label,
                  value=tr.eur(s.value))
    if s.kind == "amount":
        return tr("suggest_amount", amount=tr.eur(s.quantity), label=label)
    return tr(f"suggest_{s.kind}{one}", quantity=n(s.quantity), label=label, value=tr.eur(s.value))
