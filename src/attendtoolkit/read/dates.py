"""Dates and sessions as schools write them: UK day/month/year or ISO; US order only when asked.

A file that looks month-first is refused rather than half misread (see `looks_month_first`), and a
date that cannot be a register mark (in the future, or more than a year away from the rest of the
file) is rejected rather than allowed to move the as-of date (see `implausible_dates`).
"""

from __future__ import annotations

import re
from datetime import date

from attendtoolkit.policy.days import MONTHS, long_date  # noqa: F401 (long_date: other modules import it from here)

AM, PM = "AM", "PM"
DMY, MDY = "dmy", "mdy"
DATE_ORDERS = (DMY, MDY)
YEAR_GAP_DAYS = 366  # a date further than this from the rest of the file is a typing mistake

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
# 2 September 2024, 02 Sep 2024, 2-Sep-24, 2nd Sept 2024: the month named, so never ambiguous
_NAMED = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([A-Za-z]{3,9})\.?[\s\-/.,]*(\d{4}|\d{2})")
_TIME = r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"
_DATE_ONLY = re.compile(rf"^(?:{_ISO.pattern}|{_UK.pattern}|{_NAMED.pattern}){_TIME}$")
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?"
_SESSION_WORDS = {
    "am": AM, "a": AM, "morning": AM,
    "pm": PM, "p": PM, "afternoon": PM,
}
_HEADER = re.compile(
    rf"^(?:{_WEEKDAY}\s+)?(?P<date>\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"
    r"|\d{1,2}(?:st|nd|rd|th)?[\s\-/.]*[A-Za-z]{3,9}\.?[\s\-/.,]*(?:\d{4}|\d{2}))"
    r"[\s_\-:]*\(?(?P<session>am|pm|a|p|morning|afternoon)\)?$",
    re.IGNORECASE,
)



def month_number(name: str) -> int | None:
    """1 to 12 from a month's name or its first three or more letters (`Sep`, `Sept`, `September`)."""
    name = name.lower()
    return next((i + 1 for i, month in enumerate(MONTHS) if len(name) >= 3 and month.lower().startswith(name)), None)


def parse_date(text: str, order: str = DMY) -> date | None:
    """A date from `2024-09-02`, `2 September 2024` or `02/09/2024` (day first, or month first if `order` is "mdy")."""
    parts = _parts(text, order)
    return _valid(*parts) if parts else None


def missing_day(text: str, order: str = DMY) -> str | None:
    """The day written, as '31 September 2024', when `text` is written as a date but its month has no such day."""
    parts = _parts(text, order)
    if not parts or _valid(*parts):
        return None
    year, month, day = parts
    return f"{day} {MONTHS[month - 1]} {year}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _parts(text: str, order: str) -> tuple[int, int, int] | None:
    """(year, month, day) as written, whether or not that day exists; None if `text` is not written as a date."""
    m = _DATE_ONLY.match(text.strip())
    if not m:
        return None
    if m.group(1):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m.group(7):
        month = month_number(m.group(8))
        if month is None:
            return None
        day, year = int(m.group(7)), int(m.group(9))
        year = year + 2000 if len(m.group(9)) == 2 else year
    else:
        day, month, year = int(m.group(4)), int(m.group(5)), m.group(6)
        year = int(year) + 2000 if len(year) == 2 else int(year)
        if order == MDY:
            day, month = month, day
    return year, month, day


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _both_ways(text: str) -> tuple[date | None, date | None] | None:
    """(day-first reading, month-first reading) of a slash/dot/dash date; None for ISO or non-dates."""
    m = _DATE_ONLY.match(text.strip())
    if not m or not m.group(4):
        return None
    return parse_date(text, DMY), parse_date(text, MDY)


def looks_month_first(texts) -> str | None:
    """A date text from the file that only makes sense month-first, if nothing in the file is day-first.

    Month-first shows as a second number above 12 (`09/13/2024`), or, when every date reads both
    ways, as weekends everywhere one way and none the other. One day-first date (`13/09/2024`)
    settles it the other way.
    """
    evidence, ambiguous = None, []
    for text in texts:
        readings = _both_ways(text)
        if readings is None:
            continue
        day_first, month_first = readings
        if day_first and not month_first:
            return None
        if month_first and not day_first:
            evidence = evidence or text.strip()
        elif day_first and month_first and day_first != month_first:
            ambiguous.append((text.strip(), day_first, month_first))
    if evidence or len(ambiguous) < 5:
        return evidence
    weekend_dmy = sum(d.weekday() >= 5 for _, d, _ in ambiguous)
    weekend_mdy = sum(m.weekday() >= 5 for _, _, m in ambiguous)
    if weekend_mdy == 0 and weekend_dmy * 10 >= len(ambiguous) * 3:
        return next(text for text, d, _ in ambiguous if d.weekday() >= 5)
    return None


def main_span(days) -> tuple[date, date] | None:
    """First and last date of the run with no gap over a year that holds the most dates (latest on a tie)."""
    ordered = sorted(set(days))
    if not ordered:
        return None
    runs = [[ordered[0]]]
    for day in ordered[1:]:
        if (day - runs[-1][-1]).days > YEAR_GAP_DAYS:
            runs.append([day])
        else:
            runs[-1].append(day)
    best = max(runs, key=lambda run: (len(run), run[-1]))
    return best[0], best[-1]


def far_days(ordinals, today: date) -> dict[int, str]:
    """implausible_dates for days given as ordinals: day ordinal -> why a mark on it is not counted."""
    why = implausible_dates((date.fromordinal(o) for o in ordinals), today)
    return {d.toordinal(): reason for d, reason in why.items()}


def implausible_dates(days, today: date) -> dict[date, str]:
    """Date -> why it cannot be a register mark: after today, or more than a year from the rest."""
    days = set(days)
    why = {d: (f"The date {long_date(d)} is in the future (today is {long_date(today)}), so it cannot be "
               "a register mark yet. Check the date; this mark was not counted.") for d in days if d > today}
    span = main_span(days - set(why))
    if span:
        for d in days - set(why):
            if not span[0] <= d <= span[1]:
                why[d] = (f"The date {long_date(d)} is more than a year away from the other dates in the file "
                          f"({long_date(span[0])} to {long_date(span[1])}), so it is probably a typing mistake. "
                          "Check the year; this mark was not counted.")
    return why


def is_weekend(ordinal: int) -> bool:
    """Saturday or Sunday, for a date given as its ordinal (1 is Monday 1 January of year 1)."""
    return ordinal % 7 in (6, 0)


def parse_session(text: str) -> str | None:
    """`AM` or `PM` from the ways registers write a session; None if unrecognised."""
    return _SESSION_WORDS.get(text.strip().lower())


def header_date_text(text: str) -> str | None:
    """The date part of a header written like a session column (`02/09/2024 AM`), valid or not."""
    m = _HEADER.match(text.strip())
    return m.group("date") if m else None


def parse_session_header(text: str, order: str = DMY) -> tuple[date, str] | None:
    """(date, session) from a wide-grid column header like `Mon 02/09/2024 AM`."""
    m = _HEADER.match(text.strip())
    if not m:
        return None
    day = parse_date(m.group("date"), order)
    session = parse_session(m.group("session"))
    if day is None or session is None:
        return None
    return day, session


def session_key(day: date, session: str) -> int:
    """A sortable integer for one session: two per day, morning first."""
    return day.toordinal() * 2 + (0 if session == AM else 1)


def key_date(key: int) -> date:
    return date.fromordinal(key // 2)


def key_session(key: int) -> str:
    return AM if key % 2 == 0 else PM


def week_start(day: date) -> date:
    return date.fromordinal(day.toordinal() - day.weekday())


def describe_session(key: int) -> str:
    return f"{long_date(key_date(key))} {key_session(key)}"
