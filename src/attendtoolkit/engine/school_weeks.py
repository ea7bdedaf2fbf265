"""School weeks: the one definition the toolkit counts them by.

A school week is a week (Monday to Sunday) with at least one possible session in the register: the
national framework's definition for its rolling 10 school weeks, so half term is not a school week.
School week 1 of a school year is the first such week from the start of the year (the policy's
[school_year], 1 September). A week holding only the last days of the summer holiday before the first
Monday (Friday 1 September 2023) is a school week only when the register has a session in it. A
register that starts later than the first Monday of the year (an export from October) counts each
week before its first school week as a school week, so its week numbers stay those of the year.

Early-year signals ("in the first 4 school weeks") and last year's same point ("--previous") both count
this way; every function here takes the school-week Mondays the register holds (date ordinals).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta


def monday_of(ordinal: int) -> int:
    """The Monday of the week holding a date ordinal (date.fromordinal(1) is a Monday)."""
    return ordinal - (ordinal - 1) % 7


def first_weekday(year_start: date) -> date:
    """The first weekday on or after the start of the school year."""
    day = year_start
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def _first_monday(year_start: date) -> int:
    """The first Monday on or after the school year's first weekday (ordinal)."""
    start = first_weekday(year_start).toordinal()
    return start if start == monday_of(start) else monday_of(start) + 7


def school_weeks(year_start: date, mondays: list[int]) -> list[int]:
    """The Mondays (ordinals) of school weeks 1, 2, ... of the school year starting on `year_start`,
    as far as the register's school-week `mondays` go."""
    start_week = monday_of(first_weekday(year_start).toordinal())
    next_year = monday_of(first_weekday(year_start.replace(year=year_start.year + 1)).toordinal())
    held = sorted(m for m in set(mondays) if start_week <= m < next_year)
    before = range(_first_monday(year_start), held[0], 7) if held else range(0)
    return list(before) + held


def school_week_number(day: date, year_start: date, mondays: list[int]) -> int:
    """The school week of `day`: 1 in the first school week, 0 before it; in a holiday, the number of
    the last school week before it."""
    return bisect_right(school_weeks(year_start, mondays), day.toordinal())


def school_week_monday(number: int, year_start: date, mondays: list[int]) -> int:
    """The Monday (ordinal) of school week `number` (1 or more). Past the register's last school week
    the weeks ahead are not known, so they are taken as the calendar weeks that follow it."""
    weeks = school_weeks(year_start, mondays)
    if number <= len(weeks):
        return weeks[number - 1]
    last = weeks[-1] if weeks else _first_monday(year_start) - 7
    return last + 7 * (number - len(weeks))
