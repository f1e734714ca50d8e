"""The bridge to social return in words: per menu what counts, who is recognised by which
source, the PSO route and the enterprise's own region (see `assess.bridge` for the facts)."""

from __future__ import annotations

from impactkit.assess.bridge import Bridge, MenuBridge, PurchaseRow
from impactkit.assess.model import Cited
from impactkit.i18n import Translator
from impactkit.money import money_str


def _cited(c: Cited, tr: Translator) -> dict:
    return {"url": c.url, "title": c.title, "tag": c.tag, "tag_text": tr(f"assess_tag_{c.tag}")}


def _tredes(shares: dict, tr: Translator) -> str:
    return ", ".join(f"{tr('assess_trede', trede=t)} {tr.percent(share)}" for t, share in shares.items())


def basis_text(row: PurchaseRow, tr: Translator) -> str:
    if row.basis == "by_trede":
        own = row.by_trede.get(row.own_trede) if row.own_trede else None
        text = tr("assess_basis_by_trede", shares=_tredes(row.by_trede, tr))
        return text + ("; " + tr("assess_basis_your_trede", share=tr.percent(own)) if own is not None else "")
    if row.basis == "invoice":
        if row.factor != 1:
            return tr("assess_basis_invoice_part", share=tr.percent(row.factor))
        return tr("assess_basis_invoice")
    return tr(f"assess_basis_{row.basis}")


def credit_text(row: PurchaseRow, bridge: Bridge, tr: Translator) -> str:
    order = tr.eur(bridge.order)
    if row.basis == "costs":
        return tr("assess_credit_costs", order=order)
    if row.basis == "by_trede":
        return tr("assess_credit_by_trede", order=order)
    if row.credit is None:
        return tr("assess_credit_part_unknown", order=order)
    if row.basis in ("labour_cost", "wage_cost") and bridge.labour_cost_share is not None:  # the credit rests on it
        return tr("assess_credit_part", order=order, share=tr.number(bridge.labour_cost_share),
                  credit=tr.eur(row.credit))
    return tr("assess_credit_invoice", order=order, credit=tr.eur(row.credit))


def _you(met: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[met]


def criterion_text(row: PurchaseRow, tr: Translator) -> str:
    you = _you(row.eligible)
    if row.criterion == "sw_company":
        return tr("assess_criterion_sw") + "; " + tr(f"assess_you_sw_{you}")
    if row.criterion == "recognition" and row.recognition is not None:  # the criterion names its recognition
        rec = row.recognition
        return tr("assess_criterion_recognition", staff=tr.number(rec.staff_min), trade=tr.number(rec.trade_min),
                  source=rec.source.title) + "; " + tr(f"assess_you_criteria_{you}")
    return tr("assess_criterion_not_published")


def short_texts(row: PurchaseRow, tr: Translator) -> tuple[str, str, str]:
    """The basis, the amount and who counts, in a few words (for the one-page table)."""
    if row.basis == "by_trede":
        basis = tr("assess_basis_short_by_trede", shares=_tredes(row.by_trede, tr))
    elif row.basis == "invoice" and row.factor != 1:
        basis = tr("assess_basis_short_invoice_part", share=tr.percent(row.factor))
    else:
        basis = tr(f"assess_basis_short_{row.basis}")
    credit = tr.eur(row.credit) if row.credit is not None else "?"
    you = _you(row.eligible)
    if row.criterion == "sw_company":
        who = tr("assess_who_short_sw") + ": " + tr(f"assess_you_sw_{you}")
    elif row.criterion == "recognition" and row.recognition is not None:
        who = tr("assess_who_short_recognised", source=row.recognition.source.title) + ": " + tr(f"assess_you_criteria_{you}")
    else:
        who = tr("assess_who_short_not_published")
    return basis, credit, who


def _row(row: PurchaseRow, bridge: Bridge, tr: Translator) -> dict:
    basis_short, credit_short, who_short = short_texts(row, tr)
    source = row.menu.source(row.block.source)
    return {
        "block": row.block.id,
        "label": tr.label(row.block.label),
        "unit": row.block.unit,
        "factor": str(row.factor),
        "factor_by_trede": {t: str(v) for t, v in row.by_trede.items()},
        "basis": row.basis,
        "basis_text": basis_text(row, tr),
        "basis_short": basis_short,
        "credit_short": credit_short,
        "criterion_short": who_short,
        "wording": row.wording,
        "menu_note": tr.label(row.block.note) or None,
        "order": money_str(bridge.order),
        "amount": None if row.amount is None else money_str(row.amount),
        "credit": None if row.credit is None else money_str(row.credit),
        "credit_text": credit_text(row, bridge, tr),
        "criterion": row.criterion,
        "criterion_text": criterion_text(row, tr),
        "criterion_source": _cited(row.recognition.source, tr) if row.recognition else None,
        "eligible": row.eligible,
        "source": {"url": source.url, "title": tr.label(source.title)},
    }


def _menu(part: MenuBridge, bridge: Bridge, tr: Translator) -> dict:
    menu = part.menu
    if part.pso_discount_by_trede:
        pso = tr("assess_menu_pso_by_trede", shares=_tredes(part.pso_discount_by_trede, tr))
    elif part.pso_discount is not None:
        pso = tr("assess_menu_pso_discount", share=tr.percent(part.pso_discount))
    else:
        pso = tr("assess_menu_pso_none")
    return {
        "menu": menu.ref,
        "name": tr.label(menu.name),
        "region": tr.label(menu.region) or None,
        "status": menu.status,
        "local": part.local,
        "rows": [_row(r, bridge, tr) for r in part.rows],
        "pso": pso,
        "pso_discount": None if part.pso_discount is None else str(part.pso_discount),
        "pso_discount_by_trede": {t: str(v) for t, v in part.pso_discount_by_trede.items()},
        "pso_rule": part.pso_discount is not None or bool(part.pso_discount_by_trede),
        "no_purchase_text": (tr.label(part.no_block.text) if part.no_block else tr("assess_no_purchase_block"))
        if not part.rows else None,
        "no_purchase_sources": [_cited(c, tr) for c in part.no_block.sources] if part.no_block else [],
    }


def own_region(bridge: Bridge, tr: Translator) -> dict:
    own = bridge.own
    note = own.note
    if own.municipality is None:
        text = tr("assess_region_not_given")
    elif note is not None:
        text = tr.label(note.text)
    elif own.named:
        text = tr("assess_region_menus", menus=", ".join(tr.label(m.name) for m in own.named))
    else:
        text = tr("assess_region_unknown", municipality=own.municipality)
    return {
        "municipality": own.municipality,
        "region": tr.label(note.name) if note else None,
        "text": text,
        "menus": [m.ref for m in own.menus],
        "sources": [_cited(c, tr) for c in note.sources] if note else [],
    }


def social_return(bridge: Bridge, tr: Translator) -> dict:
    pso_level = bridge.pso_level
    menus = [_menu(m, bridge, tr) for m in bridge.menus]
    rules = [f"{m['name']}: {m['pso']}" for m in menus if m["pso_rule"]]
    return {
        "order": money_str(bridge.order),
        "labour_cost_share": None if bridge.labour_cost_share is None else str(bridge.labour_cost_share),
        "own_region": own_region(bridge, tr),
        "menus": menus,
        "reference": [{
            "region": tr.label(rec.region),
            "text": tr("assess_reference", region=tr.label(rec.region), staff=tr.number(rec.staff_min),
                       trade=tr.number(rec.trade_min)),
            "met": met,
            "met_text": tr(f"assess_you_criteria_{_you(met)}"),
            "source": _cited(rec.source, tr),
        } for rec, met in bridge.reference],
        "pso": {
            "text": tr.label(bridge.pso.text),
            "level": pso_level,
            "level_text": tr(f"assess_pso_{pso_level}") if pso_level else tr("assess_pso_not_given"),
            "menus_text": "; ".join(rules) + "." if rules else tr("assess_menus_pso_none"),
            "sources": [_cited(c, tr) for c in bridge.pso.sources],
        },
    }
