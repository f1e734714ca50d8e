"""Checking a tender: each bid's contributions valued and stacked against its obligation.

Orchestration only; the rules are the kernel's (`impactkit.rules`). ``evaluate_tender`` is the
entry point of ``impactkit check``; ``evaluate_bid`` values one bid (the monitor passes a
contract's lines as one bid); ``compute_obligation`` answers ``impactkit obligation``.
"""

from impactkit.engine.stack import (
    BidResult,
    Line,
    TenderResult,
    compute_obligation,
    evaluate_bid,
    evaluate_tender,
    value_contribution,
)
from impactkit.engine.suggest import Suggestion, suggestions_for
from impactkit.rules.obligation import Obligation
from impactkit.rules.terms import ObligationTerms, terms_for

__all__ = [
    "BidResult",
    "Line",
    "Obligation",
    "ObligationTerms",
    "Suggestion",
    "TenderResult",
    "compute_obligation",
    "evaluate_bid",
    "evaluate_tender",
    "suggestions_for",
    "terms_for",
    "value_contribution",
]
