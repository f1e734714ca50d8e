"""check's suggestions for a shortfall: least effort first, never more months for one person
than the block's counting cap counts (12 where the menu has none)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from impactkit.engine.suggest import UNCAPPED_MONTHS, explain_suggestion, suggestions_for
from impactkit.i18n import Translator
from impactkit.menus import resolve_menu


def test_one_hour_comes_before_a_month_full_time_for_a_small_shortfall():
    menu = resolve_menu("utrecht@2", None).menu
    first, *rest = suggestions_for(menu, Decimal("1.00"))
    assert (first.block, first.kind, first.quantity) == ("mvo_uren", "hours", 1)
    assert explain_suggestion(first, Translator("en")).startswith("1 hour of")
    assert any(s.kind == "full_time_months" for s in rest)


@pytest.mark.parametrize("menu_ref", ["haaglanden-zhc", "fryslan", "utrecht@2", "holland-rijnland-leiden"])
@pytest.mark.parametrize("shortfall", ["1.00", "2777.78", "62500.00", "270000.00"])
def test_least_effort_first_and_never_more_months_a_person_than_the_cap(menu_ref, shortfall):
    menu = resolve_menu(menu_ref, None).menu
    found = suggestions_for(menu, Decimal(shortfall))
    work = [s for s in found if s.effort_hours is not None]
    assert [s.effort_hours for s in work] == sorted(s.effort_hours for s in work)
    assert found[len(work):] == [s for s in found if s.kind == "amount"]
    for s in work:
        block = menu.block(s.block)
        if s.kind in ("full_time_months", "people_full_time"):
            limit = block.cap_months if block.cap_months is not None else UNCAPPED_MONTHS
            per_person = s.quantity if s.kind == "full_time_months" else s.per_person
            assert per_person <= limit
            if s.kind == "people_full_time":
                assert s.people * s.per_person >= s.quantity > (s.people - 1) * s.per_person
            # the months, full time, close the shortfall on their own
            assert Fraction(block.value) * Fraction(s.quantity) / 12 >= Fraction(Decimal(shortfall))


def test_a_large_shortfall_spreads_an_uncapped_block_over_people():
    menu = resolve_menu("haaglanden-zhc", None).menu
    found = {s.block: s for s in suggestions_for(menu, Decimal("270000.00"))}
    banen = found["banenafspraak"]  # 270,000 x 12 / 50,000 = 64.8: 65 months, 12 a person
    assert (banen.kind, banen.quantity, banen.people, banen.per_person) == ("people_full_time", 65, 6, 12)
    text = explain_suggestion(banen, Translator("en"))
    assert "65 months full time" in text and "over 6 people, at most 12 months each" in text
