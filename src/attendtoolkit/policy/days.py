"""Days, weekdays and months in words, as GOV.UK writes them: `2 September 2024`."""

from __future__ import annotations

from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(day: date) -> str:
    """`2 September 2024` (GOV.UK style)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def weekdays_or(days: tuple[int, ...]) -> str:
    """`Monday`, `Monday or Friday`, `Monday, Tuesday or Friday` (0 is Monday)."""
    names = [WEEKDAYS[d] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
