"""Human explanations of credits, obligations and suggestions in the user's language."""

from __future__ import annotations

from decimal import Decimal

from impactkit.engine.obligation import Obligation
from impactkit.engine.suggest import Suggestion
from impactkit.engine.valuation import Component, Line
from impactkit.i18n import Translator


def explain_component(comp: Component, tr: Translator) -> str:
    f = comp.formula
    n, eur = tr.number, tr.eur
    if comp.unit == "per_year":
        if f.get("one_off"):
            text = tr("explain_one_off", value=n(f["value"]), credit=n(comp.credit, 2))
        elif f.get("below_minimum") is not None:
            return tr("explain_below_minimum", hours=n(f["hours"]), minimum=n(f["below_minimum"]))
        else:
            hours = min(f["hours"], f["basis"])
            text = f"{n(f['value'])} × {n(hours)}/{n(f['basis'])} × {n(f['counted'])}/12 = {n(comp.credit, 2)}"
            if f["hours"] > f["basis"]:
                text += "; " + tr("explain_hours_over_basis", hours=n(f["hours"]), basis=n(f["basis"]))
        if comp.kind == "block":
            text += _months_note(f, tr)
        return text
    if comp.unit == "per_month":
        return f"{n(f['value'])} × {n(f['counted'])} = {n(comp.credit, 2)}" + _months_note(f, tr)
    if comp.unit == "per_hour":
        return f"{n(f['value'])} × {n(f['hours'])} {tr('hours_unit')} = {n(comp.credit, 2)}"
    if comp.unit == "per_day":
        return tr(
            "explain_per_day",
            amount=eur(f["amount"]),
            value=n(f["value"]),
            days=n(f["days"]),
            ceiling=eur(f["ceiling"]),
            credit=n(comp.credit, 2),
        )
    if comp.unit == "invoice":
        if f["factor"] != 1:
            return tr("explain_invoice_factor", amount=eur(f["amount"]), factor=n(f["factor"]), credit=n(comp.credit, 2))
        return tr("explain_invoice", amount=eur(f["amount"]))
    if comp.unit == "by_agreement":
        return tr("explain_by_agreement", amount=eur(f["amount"]))
    return tr("explain_actual_cost", amount=eur(f["amount"]))


def _months_note(f: dict, tr: Translator) -> str:
    n = tr.number
    parts = []
    if f.get("already"):
        parts.append(tr("explain_already", already=n(f["already"]), candidate=f.get("candidate") or ""))
    if f.get("cap") is not None:
        if f["counted"] < f["months"]:
            parts.append(tr("explain_cap_applied", months=n(f["months"]), counted=n(f["counted"]), cap=n(f["cap"])))
        else:
            parts.append(tr("explain_cap", cap=n(f["cap"])))
    return "".join("; " + p for p in parts)


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
        parts.append(note_text(key, params, tr))
    return "; ".join(parts)


def note_text(key: str, params: dict, tr: Translator) -> str:
    """A note (message key and parameters) in words; amounts and dates formatted."""
    shown = {k: (tr.number(v) if isinstance(v, Decimal) else v) for k, v in params.items()}
    return tr(key, **shown)


def explain_obligation(ob: Obligation, tr: Translator) -> str:
    n, eur = tr.number, tr.eur
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
    if s.kind == "people_full_time":
        return tr("suggest_people", people=s.people, months=n(s.quantity), label=label, value=tr.eur(s.value))
    if s.kind == "amount":
        return tr("suggest_amount", amount=tr.eur(s.quantity), label=label)
    return tr(f"suggest_{s.kind}{one}", quantity=n(s.quantity), label=label, value=tr.eur(s.value))
