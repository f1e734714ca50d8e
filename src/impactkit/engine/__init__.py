"""The stacking engine: obligation, valuation of contributions, bids against obligations.

Pure logic: no terminal, no files. ``evaluate_tender`` is the single entry point used by
``impactkit check``; the batch scorer and the monitor call the same valuation code.
"""

from impactkit.engine.obligation import Obligation, ObligationTerms, compute_obligation, terms_for
from impactkit.engine.stack import BidResult, TenderResult, evaluate_tender
from impactkit.engine.suggest import Suggestion, suggestions_for
from impactkit.engine.valuation import Component, Line, value_contribution

__all__ = [
    "BidResult",
    "Component",
    "Line",
    "Obligation",
    "ObligationTerms",
    "Suggestion",
    "TenderResult",
    "compute_obligation",
    "evaluate_tender",
    "suggestions_for",
    "terms_for",
    "value_contribution",
]
