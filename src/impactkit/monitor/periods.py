"""Periods of realisations: a quarter (2024-Q1), a half-year (2024-H1) or a month (2024-03).

A period is a stretch of calendar time: it starts and ends on a date and lasts 3, 6 or 1 months.
Periods are ordered by their start date, then by their length (2024-01, 2024-Q1, 2024-H1, 2024-02,
2024-04, 2024-Q2), never as text (which puts 2024-04 before 2024-Q1): everywhere they are listed,
and in the order realised lines are valued (``ORDER_SQL`` is the same order for the database, in
SQL that both SQLite and PostgreSQL read).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PATTERN = re.compile(r"^(\d{4})-(?:Q([1-4])|H([12])|(0[1-9]|1[0-2]))$")
MONTHS = {"Q": 3, "H": 6, "M": 1}


@dataclass(frozen=True)
class Period:
    text: str
    start: date
    end: date  # the last day
    months: int

    def outside(self, first: date, last: date) -> bool:
        """True when no day of the period lies within first..last."""
        return self.end < first or self.start > last

    def within(self, first: date, last: date) -> tuple[date, date, int]:
        """The part of the period within first..last (which it must overlap): its first and last day, and
        its calendar months, counting a month when one of its days lies within (a contract that starts on
        15 February has two months of the first quarter: February and March)."""
        begin, end = max(self.start, first), min(self.end, last)
        return begin, end, (end.year - begin.year) * 12 + end.month - begin.month + 1


def parse_period(text: str) -> Period | None:
    """The period written as 2024-Q1, 2024-H1 or 2024-03; None for anything else."""
    match = PATTERN.match(text)
    if match is None:
        return None
    year, quarter, half, month = match.groups()
    if quarter:
        first, months = (int(quarter) - 1) * 3 + 1, 3
    elif half:
        first, months = (int(half) - 1) * 6 + 1, 6
    else:
        first, months = int(month), 1
    last = first + months - 1
    y = int(year)
    return Period(text, date(y, first, 1), date(y, last, calendar.monthrange(y, last)[1]), months)


def period_key(text: str | None) -> tuple:
    """Sort key: start date, then length; text that is no period (or none) after every period."""
    period = parse_period(text) if text else None
    if period is None:
        return (date.max, 0, text or "")
    return (period.start, period.months, text)


def _start_month(column: str) -> str:
    kind = f"substr({column}, 6, 1)"
    number = f"CAST(substr({column}, 7, 1) AS INTEGER)"
    return (f"CASE {kind} WHEN 'Q' THEN ({number} - 1) * 3 + 1 WHEN 'H' THEN ({number} - 1) * 6 + 1"
            f" ELSE CAST(substr({column}, 6, 2) AS INTEGER) END")


def order_sql(column: str = "period") -> str:
    """The order of period_key in SQL (for stored periods, which are always well-formed)."""
    length = f"CASE substr({column}, 6, 1) WHEN 'Q' THEN 3 WHEN 'H' THEN 6 ELSE 1 END"
    return f"substr({column}, 1, 4), {_start_month(column)}, {length}"


ORDER_SQL = order_sql()


def start_index_sql(column: str = "period") -> str:
    """The month a stored period starts in, counted as year x 12 + month (see month_index), in SQL."""
    return f"(CAST(substr({column}, 1, 4) AS INTEGER) * 12 + {_start_month(column)})"


def month_index(day: date) -> int:
    return day.year * 12 + day.month


def last_begun_month(on: date) -> int:
    """The month_index of the last month that has begun before `on` (a day taken at its start, as the
    time passed is): the month of `on` itself, unless `on` is its first day."""
    return month_index(on) - (1 if on.day == 1 else 0)

