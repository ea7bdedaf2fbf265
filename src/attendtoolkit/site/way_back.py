"""The handbook's worked example of the way back, worked out by the engine when the site is built.

One made-up pupil, Nia, with the active policy's thresholds and term dates: the same arithmetic the
calculator and the letters use (engine/recovery.py), so the page cannot drift from them.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from attendtoolkit.engine.recovery import (SESSIONS_PER_DAY, Target, recovery, school_year_of, targets, term_days,
                                           year_ahead)
from attendtoolkit.policy.model import Policy
from attendtoolkit.read.dates import long_date

EXAMPLE_START_YEAR = 2024  # the school year shown when the policy has no term dates
DAYS_PRESENT, DAYS_ABSENT = 40, 10  # Nia's first 50 school days: 40 in full, then 10 missed
RECENT_DAYS_PRESENT, RECENT_DAYS = 20, 30  # the last 6 school weeks: 20 of 30 days attended
NAME = "Nia"


def example_days(policy: Policy) -> tuple[list[date], bool]:
    """School days of the example's year: the policy's first year of terms, else weekdays from
    1 September of EXAMPLE_START_YEAR (holidays unknown). And whether they come from term dates."""
    terms = policy.term_dates.terms
    if terms:
        days = term_days(policy.term_dates, school_year_of(min(t.start for t in terms)))
        if len(days) > DAYS_PRESENT + DAYS_ABSENT:
            return days, True
    day, days = date(EXAMPLE_START_YEAR, 9, 1), []
    while len(days) < DAYS_PRESENT + DAYS_ABSENT:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days, False


def _pct(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%"


def _days(n: int) -> str:
    return f"{n:,} school day{'' if n == 1 else 's'}"


def _row(target: Target, found: dict, left: int) -> list[str]:
    t = found[target.key]
    if t["days_needed"] is None:
        return [escape(target.out_words[0].upper() + target.out_words[1:]), "Cannot be reached by attending", "", "No"]
    when = long_date(date.fromisoformat(t["date"])) if t["date"] else "Not this school year"
    yes = "Yes" if t["this_year"] else f"No: {_days(left)} {'is' if left == 1 else 'are'} left"
    label = target.out_words[0].upper() + target.out_words[1:]
    if "attendance" not in label:
        label += f" (attendance {t['attendance_after']})"
    return [escape(label), f"{t['days_needed']:,}", when, yes]


def way_back_example(policy: Policy, table) -> dict[str, str] | None:
    """The figures of Nia's way back under `policy`, in words, for the markers of
    docs/templates/way-back.md; None if the policy has no band a pupil can leave by attending.
    `table(caption, headers, rows)` draws the accessible table."""
    found_targets = targets(policy)
    if "persistent_absence" not in found_targets:
        return None
    days, from_terms = example_days(policy)
    held = DAYS_PRESENT + DAYS_ABSENT
    as_of = days[held - 1]
    ahead = year_ahead(policy.term_dates, as_of, held)
    attended, possible = DAYS_PRESENT * SESSIONS_PER_DAY, held * SESSIONS_PER_DAY
    absent = possible - attended
    r = recovery(attended, possible, (RECENT_DAYS_PRESENT, RECENT_DAYS), policy, ahead, NAME, found_targets)
    pa = r["persistent_absence"]
    needed = pa["days_needed"]
    before, after = possible + (needed - 1) * SESSIONS_PER_DAY, possible + needed * SESSIONS_PER_DAY
    rows = [_row(t, r, len(ahead.days)) for t in found_targets.values()]
    calendar = ("this policy's term dates" if from_terms else
                f"a school year of {policy.term_dates.days} days with no holidays known (this policy has no term dates)")
    return {
        "calendar": calendar, "name": NAME, "as-of": long_date(as_of), "days-held": str(held),
        "days-present": str(DAYS_PRESENT), "days-absent": str(DAYS_ABSENT), "attended": str(attended),
        "possible": str(possible), "attendance": _pct(attended, possible), "absence": _pct(absent, possible),
        "threshold": pa["threshold"], "sessions-per-day": str(SESSIONS_PER_DAY), "absent": str(absent),
        "days-before": _days(needed - 1), "sessions-before": f"{before:,}", "absence-before": _pct(absent, before),
        "days-needed": _days(needed), "sessions-after": f"{after:,}", "absence-after": _pct(absent, after),
        "table": table(f"What it takes {NAME} from {long_date(as_of)}, attending every day",
                       ["Goal", "School days of full attendance", "Date reached", "This school year?"], rows),
        "sentence": escape(r["sentence"]),
    }
