"""Rich rendering and the interactive review of `impactkit monitor`."""

from __future__ import annotations

import json
from decimal import Decimal

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from impactkit.i18n import Translator
from impactkit.money import money_str
from impactkit.monitor.ledger import Status

RISK_STYLE = {"met": "green", "on_track": "green", "at_risk": "yellow", "high_risk": "red", "not_started": "dim"}


def status_document(s: Status) -> dict:
    c = s.contract
    return {
        "contract": c.id, "bidder": c.bidder, "menu": c.menu.ref, "start": c.start.isoformat(),
        "end": c.end.isoformat(), "on": s.on.isoformat(), "obligation": money_str(c.obligation),
        "planned": money_str(s.planned), "planned_to_date": money_str(s.planned_to_date),
        "accepted": money_str(s.accepted), "claimed": money_str(s.claimed),
        "elapsed": str(s.elapsed.quantize(Decimal("0.0001"))),
        "projected": None if s.projected is None else money_str(s.projected), "risk": s.risk,
        "withheld_if_ended": money_str(s.withheld_if_ended),
        "periods": [{"period": p.period, "accepted": money_str(p.accepted), "claimed": money_str(p.claimed)}
                    for p in s.periods],
    }


def render_status(s: Status, tr: Translator, console: Console) -> None:
    c = s.contract
    console.rule(f"[bold]{escape(c.id)} — {escape(c.bidder)}[/bold]", align="left")
    console.print(escape(tr("monitor_header", menu=c.menu.ref, start=c.start, end=c.end, on=s.on,
                            elapsed=tr.percent(s.elapsed.quantize(Decimal("0.001"))))))
    table = Table(show_edge=False)
    table.add_column(tr("monitor_period_header"))
    table.add_column(tr("monitor_accepted"), justify="right")
    table.add_column(tr("monitor_claimed"), justify="right")
    for p in s.periods:
        table.add_row(escape(p.period), escape(tr.eur(p.accepted)), escape(tr.eur(p.claimed)))
    table.add_row(f"[bold]{escape(tr('monitor_total'))}[/bold]", f"[bold]{escape(tr.eur(s.accepted))}[/bold]",
                  escape(tr.eur(s.claimed)))
    console.print(table)
    projected = tr.eur(s.projected) if s.projected is not None else "-"
    console.print(escape(tr("monitor_summary", obligation=tr.eur(c.obligation), planned=tr.eur(s.planned),
                            to_date=tr.eur(s.planned_to_date), accepted=tr.eur(s.accepted), projected=projected)))
    style = RISK_STYLE[s.risk]
    console.print(f"[{style}]{escape(tr('monitor_risk_' + s.risk))}[/{style}]; "
                  f"{escape(tr('monitor_withheld_text', amount=tr.eur(s.withheld_if_ended)))}")


def render_portfolio(statuses: list[Status], tr: Translator, console: Console) -> None:
    table = Table(title=tr("monitor_portfolio_title", count=len(statuses)), title_justify="left")
    for key, justify in (("monitor_contract", "left"), ("bidder", "left"), ("obligation", "right"),
                         ("monitor_accepted", "right"), ("monitor_projected", "right"), ("monitor_risk", "left"),
                         ("monitor_end", "left")):
        table.add_column(tr(key), justify=justify, no_wrap=justify == "right")
    for s in statuses:
        style = RISK_STYLE[s.risk]
        days = (s.contract.end - s.on).days
        ending = f"{s.contract.end.isoformat()}" + (f" ({tr('monitor_days', days=days)})" if 0 <= days <= 90 else "")
        table.add_row(escape(s.contract.id), escape(s.contract.bidder), escape(tr.eur(s.contract.obligation)),
                      escape(tr.eur(s.accepted)), escape(tr.eur(s.projected) if s.projected is not None else "-"),
                      f"[{style}]{escape(tr('monitor_risk_' + s.risk))}[/{style}]", escape(ending))
    console.print(table)


def claim_text(row) -> str:
    facts = ", ".join(f"{k} {v}" for k, v in json.loads(row["facts"]).items())
    evidence = f" [{row['evidence']}]" if row["evidence"] else ""
    return f"#{row['id']} {row['contract_id']} {row['period']}: {row['block']} {row['candidate'] or ''} ({facts}){evidence}"


def list_claims(rows, tr: Translator, console: Console) -> None:
    if not rows:
        console.print(tr("monitor_nothing_to_review"), markup=False)
    for row in rows:
        console.print(claim_text(row), markup=False)


def ask_decisions(rows, tr: Translator) -> dict[int, str]:
    """Ask for each claimed line: accept, reject or skip."""
    decisions: dict[int, str] = {}
    console = Console(stderr=True, highlight=False)
    if not rows:
        console.print(tr("monitor_nothing_to_review"), markup=False)
        return decisions
    for row in rows:
        console.print(claim_text(row), markup=False)
        while True:
            reply = typer.prompt(tr("monitor_decide"), default="s").strip().lower()
            if reply in ("a", "accept", "accepteer", "j", "ja"):
                decisions[row["id"]] = "accepted"
            elif reply in ("r", "reject", "afwijzen", "n", "nee"):
                decisions[row["id"]] = "rejected"
            elif reply not in ("s", "skip", "overslaan"):
                continue
            break
    return decisions
