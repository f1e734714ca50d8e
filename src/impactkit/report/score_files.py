"""Outputs of `impactkit score`: what the workbook (`score_workbook`), the CSV files
(`score_csv`) and the JSON document share: the order of bids, and texts for bases, obligations,
rejections and reading notes."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from impactkit import __version__
from impactkit.batch.bidders import BidBase
from impactkit.batch.score import ScoreResult
from impactkit.i18n import Translator
from impactkit.i18n.problems import message_text
from impactkit.rules.explain import explain_obligation
from impactkit.report.score_csv import write_score_csv
from impactkit.report.score_workbook import write_score_workbook
from impactkit.menus.notices import secondary_notice_text
from impactkit.money import money_str

__all__ = ["counts", "ordered", "score_document", "summary_rows", "write_score_csv", "write_score_workbook"]


def secondary_notices(result: ScoreResult, tr: Translator) -> list[str]:
    """One line per menu used whose rows rest (partly) on a secondary source."""
    menus = {state.choice.menu.ref: state.choice.menu for state in result.tenders.values()}
    return [text for text in (secondary_notice_text(m, tr) for m in menus.values()) if text]


def rejection_text(rejection, tr: Translator) -> str:
    return message_text(rejection.key, rejection.params, tr)


def note_text(note, tr: Translator) -> str:
    return message_text(note.key, note.params, tr)


def ordered(result: ScoreResult) -> list[int]:
    """Positions of the bids by tender (in the order tenders first appear), then rank."""
    tender_order: dict[str, int] = {}
    for bid in result.bids:
        tender_order.setdefault(bid.tender_id, len(tender_order))
    keys = np.asarray([tender_order[b.tender_id] for b in result.bids], dtype=np.int64)
    ranks = np.asarray([b.rank for b in result.bids], dtype=np.int64)
    return np.lexsort((np.arange(len(keys)), ranks, keys)).tolist()


BASE_LABELS = {"bid_price": "bid_price", "contract_value": "tender_value", "wage_sum": "base_source_wage_sum"}


def base_label(kind: str, tr: Translator) -> str:
    """'bid price', "tender's contract value", 'wage sum'."""
    return tr(BASE_LABELS.get(kind, "base_source_" + kind))


def base_text(base: BidBase, tr: Translator) -> str:
    """'bid price (bids.xlsx › Bijdragen, row 5)', or why the tender's value was used."""
    cause = message_text(base.cause, base.cause_params, tr) if base.cause else ""
    if base.note in ("score_base_price_unreadable", "score_base_no_price"):
        return tr(base.note, source=base.source, row=base.row, reason=cause)
    text = base_label(base.kind, tr)
    if base.source:
        text = tr("score_base_from_row", base=text, source=base.source, row=base.row)
    if base.note:
        text += "; " + tr(base.note, reason=cause)
    return text


def obligation_text(bid, base: BidBase, tr: Translator, short: bool = False) -> str:
    """How the obligation is computed, as `check` says it ("5% × €1,250,000.00 (the bid's own price)
    = €62,500.00", with threshold, cap and PSO discount); `short`: rate, base and what the base is."""
    if not short:
        return explain_obligation(bid.obligation, tr)
    ob = bid.obligation
    text = f"{tr.percent(ob.rate)} × {tr.eur(ob.base)} {base_label(base.kind, tr)}"
    if ob.below_threshold:
        return text + "; " + tr("score_short_out_of_scope")
    if ob.capped:
        text += "; " + tr("score_short_capped", cap=tr.eur(ob.cap))
    if ob.discount:
        text += "; " + (tr("score_short_pso_trede", trede=ob.pso_trede, pct=tr.percent(ob.pso_discount)) if ob.pso_trede
                        else tr("score_short_pso", pct=tr.percent(ob.pso_discount)))
    return text


def how_text(result: ScoreResult, i: int, tr: Translator) -> str:
    """How bids[i]'s obligation is computed, and where its base comes from when that needs a word."""
    base = result.base(i)
    note = base_text(base, tr) if base.note and base.note != "score_base_no_price" else ""
    return obligation_text(result.bids[i], base, tr) + (f" ({note})" if note else "")


def tender_title(result: ScoreResult, tender_id: str) -> str:
    state = result.tenders.get(tender_id)
    if state is None:
        return tender_id
    info = state.info
    return " · ".join(p for p in (info.id, info.title, info.buyer, state.choice.menu.ref) if p)


def overview(result: ScoreResult, tr: Translator, max_bids: int | None = None) -> tuple[list[dict], int]:
    """What a client reads first, per tender: its bids by rank, met or not, and how each
    obligation is computed. The workbook's first sheet and the terminal show the same.
    Returns ([{"id", "title", "bids": [...]}], tenders left out)."""
    tenders: dict[str, dict] = {}
    shown = 0
    order = ordered(result)
    for i in order:
        bid = result.bids[i]
        if bid.tender_id not in tenders:
            if max_bids is not None and shown >= max_bids:
                break
            tenders[bid.tender_id] = {"id": bid.tender_id, "title": tender_title(result, bid.tender_id), "bids": []}
        base = result.base(i)
        tenders[bid.tender_id]["bids"].append({"bid": bid, "how": how_text(result, i, tr),
                                                 "short": obligation_text(bid, base, tr, True)})
        shown += 1
    left = len({b.tender_id for b in result.bids}) - len(tenders)
    return list(tenders.values()), left


def summary_rows(result: ScoreResult, tr: Translator) -> list[dict]:
    """One row per bid, by tender and rank."""
    rows = []
    for i in ordered(result):
        bid = result.bids[i]
        rows.append({
            "tender_id": bid.tender_id,
            "bidder": bid.bidder,
            "menu": bid.menu_ref,
            "obligation": bid.obligation.amount,
            "credited": bid.credited,
            "coverage": bid.coverage,
            "met": bid.met,
            "shortfall": bid.shortfall,
            "surplus": bid.surplus,
            "rank": bid.rank,
            "lines": bid.lines,
            "rejected": bid.rejected,
            "incomplete": bid.rejected > 0,
            "base": result.base(i),
            "base_amount": Decimal(int(bid.base_cents)).scaleb(-2),
            "position": i,
        })
    return rows


def counts(result: ScoreResult) -> dict:
    tender_rejected = sum(1 for r in result.rejections if r.kind == "tender")
    return {
        "rows_in": result.rows_in,
        "rows_scored": result.rows_scored,
        "rows_rejected": result.rows_rejected,
        "tender_rows_in": result.tender_rows_in,
        "tender_rows_rejected": tender_rejected,
        "bids": len(result.bids),
    }


def _cents(value: int) -> str:
    return f"{'-' if value < 0 else ''}{abs(value) // 100}.{abs(value) % 100:02d}"


def score_document(result: ScoreResult, tr: Translator, include_lines: bool = True) -> dict:
    from impactkit.report.check_json import obligation_dict

    def bid_json(row: dict) -> dict:
        base: BidBase = row["base"]
        out = {k: (money_str(v) if isinstance(v, Decimal) else v) for k, v in row.items()
               if k not in ("base", "base_amount", "position", "coverage")}
        out["coverage"] = None if row["coverage"] is None else str(row["coverage"].quantize(Decimal("0.0001")))
        out["base"] = {"kind": base.kind, "amount": money_str(row["base_amount"]), "source": base.source or None,
                       "row": base.row or None, "note": base_text(base, tr) if base.note else None}
        # the obligation step by step, as in check's document: threshold, cap, PSO trede and discount
        out["obligation_detail"] = obligation_dict(result.bids[row["position"]].obligation, tr)
        return out

    doc = {
        "impactkit": __version__,
        "schema": 2,
        "language": tr.lang,
        "counts": counts(result),
        "bids": [bid_json(row) for row in summary_rows(result, tr)],
        "rejected": [{"source": r.source, "row": r.row, "column": r.column, "value": r.value, "reason": r.key,
                      "message": rejection_text(r, tr), "kind": r.kind, "tender_id": r.tender_id or None,
                      "bidder": r.bidder or None} for r in result.rejections],
        "notes": [{"source": n.source, "row": n.row, "column": n.column, "note": n.key, "message": note_text(n, tr)}
                  for n in result.notes],
        "ignored_columns": [{"source": source, "header": header} for source, header in result.ignored],
        "hidden_rows": [{"source": source, "rows": rows} for source, rows in result.hidden],
        "menus": sorted({s.choice.menu.ref for s in result.tenders.values()}),
        "secondary_notices": secondary_notices(result, tr),
        "rounding": tr("rounding_rule"),
    }
    if include_lines:
        lines = result.explain()
        credit = lines["credit"].tolist()
        block = lines["block_credit"].tolist() if "block_credit" in lines.columns else credit
        doc["lines"] = [
            {"source": s, "row": r, "tender_id": t, "bidder": b, "block": k, "counted_as": c, "candidate": cand,
             "credit": _cents(cr), "block_credit": _cents(bc), "bonus_credit": _cents(cr - bc), "explanation": e}
            for s, r, t, b, k, c, cand, cr, bc, e in zip(
                lines["source"], lines["row"].tolist(), lines["tender_id"], lines["bidder"], lines["block"],
                lines["counted_as"], lines["candidate"], credit, block, lines["explanation"])
        ]
    return doc
