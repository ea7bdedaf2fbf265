"""Dates and sessions as schools write them: UK day/month/year or ISO, never US order."""

from __future__ import annotations

import re
from datetime import date

AM, PM = "AM", "PM"

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_TIME = r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"
_DATE_ONLY = re.compile(rf"^(?:{_ISO.pattern}|{_UK.pattern}){_TIME}$")
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?"
_SESSION_WORDS = {
    "am": AM, "a": AM, "morning": AM,
    "pm": PM, "p": PM, "afternoon": PM,
}
_HEADER = re.compile(
    rf"^(?:{_WEEKDAY}\s+)?(?P<date>\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}}))"
    r"[\s_\-:]*\(?(?P<session>am|pm|a|p|morning|afternoon)\)?$",
    re.IGNORECASE,
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def parse_date(text: str) -> date | None:
    """A date from `2024-09-02` or `02/09/2024` (day first); None if it is not a valid date."""
    m = _DATE_ONLY.match(text.strip())
    if not m:
        return None
    if m.group(1):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        day, month, year = int(m.group(4)), int(m.group(5)), m.group(6)
        year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_session(text: str) -> str | None:
    """`AM` or `PM` from the ways registers write a session; None if unrecognised."""
    return _SESSION_WORDS.get(text.strip().lower())


def parse_session_header(text: str) -> tuple[date, str] | None:
    """(date, session) from a wide-grid column header like `Mon 02/09/2024 AM`."""
    m = _HEADER.match(text.strip())
    if not m:
        return None
    day = parse_date(m.group("date"))
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


def long_date(day: date) -> str:
    """`2 September 2024` (GOV.UK style)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def describe_session(key: int) -> str:
    return f"{long_date(key_date(key))} {key_session(key)}"
