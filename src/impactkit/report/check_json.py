"""The JSON document of `impactkit check` (schema documented in the README).

Amounts are decimal strings with two decimals; every line names the menu row that valued
it and that row's source, so every euro can be traced.
"""

from __future__ import annotations

from decimal import Decimal

from impactkit import __version__
from impactkit.rules.obligation import PSO_FLAT, PSO_NONE, PSO_TREDE, PSO_UNKNOWN, Obligation
from impactkit.rules.terms import ObligationTerms
from impactkit.engine.stack import BidResult, TenderResult
from impactkit.i18n import Translator
from impactkit.model.menu import Menu
from impactkit.money import money_str
from impactkit.engine.suggest import explain_suggestion
from impactkit.rules.explain import explain_obligation
from impactkit.i18n.problems import message_text

SCHEMA_VERSION = 2  # 2: lines carry their parts before the one rounding; obligations say their base


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money_str(value)


def menu_summary(menu: Menu, tr: Translator, origin: str = "shipped") -> dict:
    """The menu a document used; its texts (name, source titles, assumptions) in the reader's language."""
    return {
        "id": menu.id,
        "version": menu.version,
        "ref": menu.ref,
        "name": tr.label(menu.name),
        "valid_from": menu.valid_from.isoformat() if menu.valid_from else None,
        "status": menu.status,
        "source_status": menu.source_status,
        "secondary_sources": [
            {"id": s.id, "dataset": s.dataset, "file": s.file, "commit": s.commit, "url": s.url}
            for s in menu.secondary_sources()
        ],
        "origin": origin,
        "hours_basis": _num(menu.hours_basis),
        "hours_basis_assumed": menu.hours_basis_assumed,
        "sources": [
            {"id": s.id, "url": s.url, "title": tr.label(s.title), "recorded": s.recorded.isoformat() if s.recorded else None}
            for s in menu.sources
        ],
        "assumptions": [tr.label(a) for a in menu.assumptions],
    }


def terms_dict(terms: ObligationTerms) -> dict:
    return {
        "rate": _num(terms.rate),
        "base": terms.base,
        "threshold": _money(terms.threshold),
        "threshold_inclusive": terms.threshold_inclusive,
        "cap": _money(terms.cap),
        "pso_discount": _num(terms.pso_discount),
        "pso_discount_by_trede": {t: _num(v) for t, v in terms.pso_discount_by_trede.items()},
        "kind": terms.kind,
        "threshold_by_kind": {k: _money(v) for k, v in terms.threshold_by_kind.items()},
        "hours_basis": _num(terms.hours_basis),
        "overridden_by_tender": list(terms.overridden),
        "assumed": terms.assumed,
    }


PSO_NAMES = {PSO_NONE: None, PSO_FLAT: "certified", PSO_TREDE: "trede", PSO_UNKNOWN: "claimed_without_percentage"}


def obligation_dict(ob: Obligation, tr: Translator) -> dict:
    return {
        "base": ob.base_kind,
        "base_amount": _money(ob.base),
        "base_source": ob.base_source,
        "scope_value": _money(ob.scope_value),
        "rate": _num(ob.rate),
        "gross": _money(ob.gross),
        "below_threshold": ob.below_threshold,
        "capped": ob.capped,
        "pso": PSO_NAMES[ob.pso],
        "pso_trede": ob.pso_trede,
        "pso_discount": _num(ob.pso_discount),
        "discount": _money(ob.discount),
        "amount": _money(ob.amount),
        "explanation": explain_obligation(ob, tr),
    }


def bid_dict(bid: BidResult, menu: Menu, tr: Translator) -> dict:
    lines = []
    for line in bid.lines:
        block = menu.row(line.block)
        source = menu.source(block.source)
        lines.append(
            {
                "index": line.index,
                "block": line.block,
                "counted_as": line.counted_as,
                "unit": line.unit,
                "candidate": line.candidate,
                "credit": _money(line.credit),
                "block_credit": _money(Decimal(line.value.block_credit).scaleb(-2)),
                "bonus_credit": _money(Decimal(line.value.bonus_credit).scaleb(-2)),
                "explanation": line.explanation(tr),
                "parts": [_part(p, line, menu) for p in line.value.parts],
                "notes": [message_text(k, p, tr) for k, p in line.notes],
                "menu_row": {
                    "block": block.id,
                    "label": tr.label(block.label),
                    "value": _money(block.value),
                    "cap_months": _num(block.cap_months),
                    "source_url": source.url,
                    "menu": menu.ref,
                    "valid_from": menu.valid_from.isoformat() if menu.valid_from else None,
                },
            }
        )
    return {
        "bidder": bid.bidder,
        "base_from_bid": bid.base_from_bid,
        "obligation": _money(bid.obligation.amount),
        "obligation_detail": obligation_dict(bid.obligation, tr),
        "credited": _money(bid.credited),
        "met": bid.met,
        "shortfall": _money(bid.shortfall),
        "surplus": _money(bid.surplus),
        "lines": lines,
        "share_caps": [{"category": c.category, "share": _num(c.share), "total": _money(c.total),
                        "cap": _money(c.cap), "not_counted": _money(c.excess), "source": c.source}
                       for c in bid.share_caps],
        "suggestions": [explain_suggestion(s, tr) for s in bid.suggestions],
        "notes": [message_text(k, p, tr) for k, p in bid.notes],
    }


def _part(part, line, menu: Menu) -> dict:
    """A block or bonus of a line before the line's one rounding (exact to 6 decimals)."""
    exact = Decimal(part.exact.numerator) / Decimal(part.exact.denominator)
    if part.bonus is None:
        return {"kind": "block", "id": line.counted_as, "exact": _num(exact.quantize(Decimal("0.000001"))),
                "source": line.value.block.block.source}
    return {"kind": "bonus", "id": part.bonus.bonus.id, "exact": _num(exact.quantize(Decimal("0.000001"))),
            "one_off": part.bonus.one_off, "already_counted": part.repeat, "source": part.bonus.bonus.source}


def _municipality_notes(result: TenderResult) -> list:
    name = result.tender_file.tender.municipality
    if not name:
        return []
    from impactkit.menus.municipalities import membership_note

    note = membership_note(name, result.menu)
    return [] if note in result.choice.notes else [note]


def tender_document(result: TenderResult, tr: Translator) -> dict:
    t = result.tender_file.tender
    return {
        "impactkit": __version__,
        "schema": SCHEMA_VERSION,
        "language": tr.lang,
        "tender": {
            "id": t.id,
            "title": t.title,
            "buyer": t.buyer,
            "reference_date": t.reference_date.isoformat() if t.reference_date else None,
            "contract_value": _money(t.contract_value),
            "municipality": t.municipality,
            "kind": t.kind,
        },
        "menu": menu_summary(result.menu, tr, result.choice.origin),
        "menu_notes": [message_text(k, p, tr) for k, p in _municipality_notes(result) + list(result.choice.notes)],
        "terms": terms_dict(result.terms),
        "rounding": tr("rounding_rule"),
        "bids": [bid_dict(b, result.menu, tr) for b in result.bids],
    }
