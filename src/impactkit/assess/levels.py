"""Where an enterprise stands on the growth path, per theme (impactkit rule: cumulative levels,
no total score across themes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from impactkit.assess.answers import Assessment
from impactkit.assess.model import Catalogue, Indicator, Question


def counts(question: Question, answer) -> bool:
    """A required item holds: text given, or yes (with its evidence where the item asks for it)."""
    if answer is None or answer.value is None:
        return False
    if question.kind == "text":
        return bool(answer.value)
    if question.kind == "yes_no_evidence":
        return answer.value is True and bool(answer.evidence)
    return answer.value is True


@dataclass
class Gap:
    question: Question
    reason: str  # "missing", "no", "evidence"


@dataclass
class ThemeResult:
    theme: str
    level: int
    met: list[Question] = field(default_factory=list)  # required items met up to the next level
    gaps: list[Gap] = field(default_factory=list)  # what the next level still needs
    next_required: int = 0  # required items of the next level
    next_indicators: list[Indicator] = field(default_factory=list)
    sdg_targets: tuple[str, ...] = ()
    unanswered: list[Question] = field(default_factory=list)  # asked but not answered yet


def evaluate_theme(cat: Catalogue, assessment: Assessment, theme_id: str) -> ThemeResult:
    level = 0
    for number in range(1, 6):
        required = [q for q in cat.questions_at(number) if q.required]
        if all(counts(q, assessment.answer(theme_id, q.id)) for q in required):
            level = number
        else:
            break
    theme = cat.require_theme(theme_id)
    result = ThemeResult(theme_id, level, sdg_targets=theme.sdg_targets)
    for number in range(1, min(level + 1, 5) + 1):
        for q in cat.questions_at(number):
            if q.required and counts(q, assessment.answer(theme_id, q.id)):
                result.met.append(q)
    if level < 5:
        required = [q for q in cat.questions_at(level + 1) if q.required]
        result.next_required = len(required)
        for q in required:
            answer = assessment.answer(theme_id, q.id)
            if counts(q, answer):
                continue
            if answer is None or answer.value is None:
                reason = "missing"
            elif q.kind == "yes_no_evidence" and answer.value is True:
                reason = "evidence"
            else:
                reason = "no"
            result.gaps.append(Gap(q, reason))
        # the indicators to start measuring: those of the next level (outputs from level 3 on)
        result.next_indicators = cat.indicators_for(theme_id, max(level + 1, 3))
    result.unanswered = unanswered(cat, assessment, theme_id)
    return result


def unanswered(cat: Catalogue, assessment: Assessment, theme_id: str) -> list[Question]:
    """Questions still to ask: level by level, up to the first level that is not complete."""
    out = []
    for number in range(1, 6):
        questions = cat.questions_at(number)
        out += [q for q in questions if assessment.answer(theme_id, q.id) is None]
        if not all(counts(q, assessment.answer(theme_id, q.id)) for q in questions if q.required):
            break
    return out


def evaluate(cat: Catalogue, assessment: Assessment) -> list[ThemeResult]:
    return [evaluate_theme(cat, assessment, theme) for theme in assessment.themes]


# measured values ----------------------------------------------------------------------

def half_up(value: Fraction, places: int) -> Decimal:
    """An exact value rounded half-up (away from zero on a tie) to `places` decimals: the one rounding,
    for display. Exact at any size: no decimal context is involved."""
    scaled = abs(value) * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return Decimal((1 if value < 0 and whole else 0, tuple(int(d) for d in str(whole)), -places))


def decimals(value: Decimal) -> int:
    """How many decimals a number was written with (1.25: 2; 12: 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def target_group_share_exact(assessment: Assessment) -> Fraction | None:
    """Target-group FTE / total FTE as a percentage, exact (a plain FTE ratio, not PSO's weighted one)."""
    fte, total = assessment.measures.get("ap_target_group_fte"), assessment.measures.get("ap_total_fte")
    if fte is None or not total:
        return None
    return Fraction(fte) * 100 / Fraction(total)


def target_group_share(assessment: Assessment) -> Decimal | None:
    """The share of target-group FTE as shown: rounded half-up to one decimal."""
    exact = target_group_share_exact(assessment)
    return None if exact is None else half_up(exact, 1)


def r_ladder_position(assessment: Assessment) -> Decimal | None:
    """Mass-weighted position on the R-ladder (R0 refuse ... R9 recover): lower is more circular."""
    masses = assessment.measures.get("ce_kg_by_r_strategy") or {}
    total = sum((Fraction(kg) for kg in masses.values()), Fraction(0))
    if not total:
        return None
    weighted = sum((int(r[1:]) * Fraction(kg) for r, kg in masses.items()), Fraction(0))
    return half_up(weighted / total, 1)


# what to look at again ----------------------------------------------------------------

def revise_items(cat: Catalogue, assessment: Assessment) -> list[tuple[str | None, Question, str]]:
    """Answers worth a second look: every "no", and every "yes" that still lacks its evidence.
    (theme or None for the whole enterprise, question, reason "no" or "evidence")."""
    out: list[tuple[str | None, Question, str]] = []
    scopes: list[str | None] = [None, *assessment.themes]
    for theme in scopes:
        for q in cat.questions:
            if (q.scope == "enterprise") != (theme is None) or q.kind == "text":
                continue
            answer = assessment.answer(theme, q.id)
            if answer is None or answer.value is None:
                continue
            if answer.value is False:
                out.append((theme, q, "no"))
            elif q.kind == "yes_no_evidence" and not answer.evidence:
                out.append((theme, q, "evidence"))
    return out
