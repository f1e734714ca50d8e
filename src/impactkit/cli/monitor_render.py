"""Rich rendering and the interactive review of `impactkit monitor`."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import typer
from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table

from impactkit.i18n import Translator
from impactkit.i18n.problems import message_text
from impactkit.money import money_str
from impactkit.monitor.ledger import Status
from impactkit.monitor.lines import facts_text

RISK_STYLE = {"met": "green", "on_track": "green", "at_risk": "yellow", "high_risk": "red", "not_started": "dim"}


def status_document(s: Status) -> dict:
    c = s.contract
    return {
        "contract": c.id, "bidder": c.bidder, "menu": c.menu.ref, "start": c.start.isoformat(),
        "end": c.end.isoformat(), "on": s.on.isoformat(), "obligation": money_str(c.obligation),
        "planned": money_str(s.planned), "planned_to_date": money_str(s.planned_to_date),
        "accepted": money_str(s.accepted), "claimed": money_str(s.claimed),
        "elapsed": str(s.elapsed.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)),
        "projected": None if s.projected is None else money_str(s.projected),
        "pace": None if s.pace is None else money_str(s.pace),
        "plan_shortfall": money_str(s.plan_shortfall), "risk": s.risk,
        "withheld_if_ended": money_str(s.withheld_if_ended), "later_lines": s.later_lines,
        "months_over": [o.document() for o in s.months_over],
        "periods": [{"period": p.period, "accepted": money_str(p.accepted), "claimed": money_str(p.claimed)}
                    for p in s.periods],
    }


def render_status(s: Status, tr: Translator, console: Console) -> None:
    c = s.contract
    console.rule(f"[bold]{escape(c.id)} — {escape(c.bidder)}[/bold]", align="left")
    console.print(escape(tr("monitor_header", menu=c.menu.ref, start=c.start, end=c.end, on=s.on,
                            elapsed=tr.percent(s.elapsed.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)))))
    table = Table(show_edge=False)
    table.add_column(tr("monitor_period_header"))
    table.add_column(tr("monitor_accepted"), justify="right")
    table.add_column(tr("monitor_claimed"), justify="right")
    for p in s.periods:
        table.add_row(escape(p.period), escape(tr.eur(p.accepted)), escape(tr.eur(p.claimed)))
    table.add_row(f"[bold]{escape(tr('monitor_total'))}[/bold]", f"[bold]{escape(tr.eur(s.accepted))}[/bold]",
                  escape(tr.eur(s.claimed)))
    console.print(table)
    if s.later_lines:
        key = "monitor_later_lines_not_started" if s.on <= s.contract.start else "monitor_later_lines"
        console.print(escape(tr(key, count=s.later_lines, on=s.on, start=s.contract.start)), style="dim")
    for over in s.months_over:  # lines imported before the importer refused such months
        problem = over.problem()
        console.print(escape(message_text(problem.key, problem.params, tr)), style="yellow")
    projected = tr.eur(s.projected) if s.projected is not None else "-"
    if s.pace is not None and s.projected is not None and s.pace > s.projected:  # both known once time has passed
        projected += " " + tr("monitor_projection_capped", pace=tr.eur(s.pace))
    console.print(escape(tr("monitor_summary", obligation=tr.eur(c.obligation), planned=tr.eur(s.planned),
                            to_date=tr.eur(s.planned_to_date), accepted=tr.eur(s.accepted), projected=projected)))
    if s.plan_shortfall > 0 and s.risk != "met":
        console.print(escape(tr("monitor_plan_short", planned=tr.eur(s.planned), short=tr.eur(s.plan_shortfall),
                                obligation=tr.eur(c.obligation))), style="yellow")
    style = RISK_STYLE[s.risk]
    console.print(f"[{style}]{escape(tr('monitor_risk_' + s.risk))}[/{style}]; "
                  f"{escape(_withheld_text(s, tr))}")


def _withheld_text(s, tr) -> str:
    """What would be withheld if the contract ended today, or on the date of --on."""
    from datetime import date

    if s.on == date.today():
        return tr("monitor_withheld_text", amount=tr.eur(s.withheld_if_ended))
    return tr("monitor_withheld_text_on", amount=tr.eur(s.withheld_if_ended), on=s.on.isoformat())


#: past this many contracts the portfolio prints one plain row per contract (a rich table of thousands of
#: rows takes seconds to lay out); --xlsx and status --json give every figure
COMPACT_AFTER = 200


def _ending(s: Status, tr: Translator) -> str:
    """The end date, with the days left when the contract ends within 90 days: its last day included, so
    "1 day" on the last day (the end date is the contract's last day, and `on` is taken at its start)."""
    left = (s.contract.end - s.on).days + 1
    return f"{s.contract.end.isoformat()}" + (f" ({tr('monitor_days', days=left)})" if 0 < left <= 90 else "")


def _compact_portfolio(statuses: list[Status], tr: Translator, console: Console) -> None:
    rows = [(s.contract.id, s.contract.bidder, tr.eur(s.contract.obligation), tr.eur(s.accepted),
             tr.eur(s.projected) if s.projected is not None else "-", tr("monitor_risk_" + s.risk), _ending(s, tr))
            for s in statuses]
    titles = tuple(tr(k) for k in ("monitor_contract", "bidder", "obligation", "monitor_accepted", "monitor_projected",
                                   "monitor_risk", "monitor_end"))
    widths = [max(len(r[i]) for r in [titles, *rows]) for i in range(len(titles))]
    right = (2, 3, 4)

    def line(values) -> str:
        return "  ".join(v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths)))

    console.out("\n".join([tr("monitor_portfolio_title", count=len(statuses)), line(titles),
                            *(line(r).rstrip() for r in rows)]), highlight=False)


def render_portfolio(statuses: list[Status], tr: Translator, console: Console) -> None:
    if len(statuses) > COMPACT_AFTER:
        _compact_portfolio(statuses, tr, console)
        return
    table = Table(title=tr("monitor_portfolio_title", count=len(statuses)), title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("monitor_contract", "left"), ("bidder", "left"), ("obligation", "right"), ("monitor_accepted", "right"),
        ("monitor_projected", "right"), ("monitor_risk", "left"), ("monitor_end", "left"))
    for key, justify in columns:
        table.add_column(tr(key), justify=justify, no_wrap=justify == "right")
    for s in statuses:
        style = RISK_STYLE[s.risk]
        table.add_row(escape(s.contract.id), escape(s.contract.bidder), escape(tr.eur(s.contract.obligation)),
                      escape(tr.eur(s.accepted)), escape(tr.eur(s.projected) if s.projected is not None else "-"),
                      f"[{style}]{escape(tr('monitor_risk_' + s.risk))}[/{style}]", escape(_ending(s, tr)))
    console.print(table)


def import_report(result, tr: Translator, console: Console) -> None:
    """What an import did: new lines, rows known by their line id, the same file again, identical lines."""
    if result.same_file is not None:
        earlier = result.same_file
        console.print(tr("monitor_same_file", rows=result.rows, id=earlier["id"], file=earlier["file_name"],
                         at=earlier["at"]), markup=False)
        return
    text = tr("monitor_imported", new=result.new)
    if result.decided:
        text += "; " + tr("monitor_imported_decided", accepted=result.decided.get("accepted", 0),
                          rejected=result.decided.get("rejected", 0))
    if result.known:
        text += "; " + tr("monitor_imported_known", known=result.known)
    console.print(text, markup=False)
    for skipped in result.skipped:  # a totals row is never dropped silently
        console.print(message_text(skipped.key, skipped.params, tr), markup=False)
    if result.identical:
        groups = "; ".join(" = ".join(f"#{i}" for i in group) for group in result.identical[:10])
        if len(result.identical) > 10:
            groups += "; …"
        console.print(tr("monitor_identical", count=sum(len(g) for g in result.identical), groups=groups), markup=False)


def claim_text(claim, tr: Translator) -> str:
    row = claim.row
    facts = facts_text(row)
    if row["forgotten_on"]:
        evidence = f" [{tr('monitor_evidence_removed', date=row['forgotten_on'])}]"
    else:
        evidence = f" [{row['evidence']}]" if row["evidence"] else ""
    ref = f" {tr('monitor_line_ref', ref=row['line_ref'])}" if row["line_ref"] else ""
    same = ""
    if claim.identical_to:
        same = " " + tr("monitor_identical_to", lines=", ".join(f"#{i}" for i in claim.identical_to[:5]))
    candidate = "" if row["forgotten_on"] else (row["candidate"] or "")
    return f"#{row['id']} {row['contract_id']} {row['period']}: {row['block']} {candidate} ({facts}){evidence}{ref}{same}"


def list_claims(claims, tr: Translator, console: Console) -> None:
    if not claims:
        console.print(tr("monitor_nothing_to_review"), markup=False)
    for claim in claims:
        console.print(claim_text(claim, tr), markup=False)


def ask_decisions(store, claims, tr: Translator, decide) -> int:
    """Ask for each claimed line: accept, reject or skip; each decision is stored as it is made, so a
    line that someone else decided meanwhile is reported and skipped (exit 4 at the end). Accepting a
    line that would give a person more months in a period than it has is refused, and asked again. The
    end of the input or Ctrl-C stops the review: the decisions made so far stay, and it exits 130."""
    from impactkit.cli.common import report_console
    from impactkit.cli.interview_prompts import prompt
    from impactkit.errors import InvalidInputError
    from impactkit.i18n.problems import problem_text

    console = report_console(stderr=True)  # as wide as any other output: a pipe is 200 columns unless COLUMNS says
    if not claims:
        console.print(tr("monitor_nothing_to_review"), markup=False)
        return 0
    done, conflicts = 0, []
    try:
        for claim in claims:
            console.print(claim_text(claim, tr), markup=False)
            while (decision := _ask(tr, prompt, console)) is not None:
                try:
                    reviewed = decide(store, {claim.row["id"]: decision})
                except InvalidInputError as exc:
                    console.print(escape(problem_text(exc.problems[0], tr)), style="yellow")
                    if exc.problems[0].key == "monitor_months_over_line":  # more months than its period has:
                        continue  # asked again, to reject or skip it
                    conflicts.extend(exc.problems)  # decided the other way by someone else in the meantime
                    break
                done += reviewed.changed
                for same in reviewed.unchanged:  # the same decision, by someone else in the meantime
                    console.print(problem_text(same, tr), markup=False)
                break
    except (EOFError, KeyboardInterrupt):
        console.print("\n" + tr("monitor_review_stopped", count=done), markup=False)
        raise typer.Exit(130) from None
    if conflicts:
        from impactkit.errors import Problem

        console.print(tr("monitor_reviewed", count=done), markup=False)
        raise InvalidInputError(Problem("monitor_review_conflicts", {"count": len(conflicts)}))
    return done


def _ask(tr: Translator, prompt, console: Console) -> str | None:
    """One decision: 'accepted', 'rejected' or None (skip, the default)."""
    while True:
        reply = prompt(tr("monitor_decide"), default="s").strip().lower()
        if reply in ("a", "accept", "accepteer", "accepteren", "j", "ja"):
            return "accepted"
        if reply in ("r", "reject", "afwijzen", "n", "nee"):
            return "rejected"
        if reply in ("s", "skip", "overslaan"):
            return None
        console.print(tr("monitor_decide_again", reply=reply), markup=False, style="yellow")


def render_log(rows, tr: Translator, console: Console) -> None:
    if not rows:
        console.print(tr("monitor_log_empty"), markup=False)
    for row in rows:
        who = row["os_user"] + (f" ({row['db_user']})" if row["db_user"] and row["db_user"] != row["os_user"] else "")
        detail = ", ".join(f"{k} {v}" for k, v in json.loads(row["detail"]).items())
        console.print(f"#{row['id']} {row['at']} {who}: {row['action']} ({detail}) — {row['command']}", markup=False,
                      soft_wrap=True)
