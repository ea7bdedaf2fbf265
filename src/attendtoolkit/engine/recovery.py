"""The way back: school days of full attendance a pupil needs, and where the year will end.

Exact: every comparison is made in whole numbers against the threshold as written, so a pupil is
never shown out of persistent absence a day early by rounding. School days ahead come from the
policy's [term_dates], never from the register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from attendtoolkit.engine.metrics import PupilMetrics
from attendtoolkit.policy.facts import recent_weeks
from attendtoolkit.policy.describe import COMPARE
from attendtoolkit.policy.model import Condition, Policy, TermDates
from attendtoolkit.read.columns import pupil_name
from attendtoolkit.read.dates import long_date

RECENT_WEEKS = recent_weeks()["way_back"].value  # "if the last 6 school weeks' rate continues"
SESSIONS_PER_DAY = 2
_OUT_OF = {"below": "{} or more", "at_most": "above {}", "at_least": "below {}", "above": "{} or less"}
# Attendance once out of an absence band: absence of 10% or more is left at attendance above 90%.
_ATTENDANCE_OUT_OF_ABSENCE = {"at_least": "above {}", "above": "{} or more", "below": "{} or less",
                              "at_most": "below {}"}
_NEVER = 2 ** 19  # school days (about half a million): past this a target cannot be reached by attending


@dataclass(frozen=True)
class Target:
    """A band a pupil can leave by attending: its key, how to say leaving it, and its condition."""

    key: str
    out_words: str  # "out of persistent absence"
    goal: str  # "getting out of persistent absence"
    condition: Condition

    @cached_property
    def attendance_after(self) -> str:
        """Attendance once the pupil has left the band, for families: "above 90%", "95% or more"
        (kept: every pupil's way back gives it)."""
        c = self.condition
        if c.measure == "attendance_pct":
            return _OUT_OF[c.compare].format(c.threshold.shown())
        return _ATTENDANCE_OUT_OF_ABSENCE[c.compare].format(f"{float(100 - c.threshold.exact):g}%")


@dataclass(frozen=True)
class YearAhead:
    """The school days after the as-of date up to the end of the school year."""

    days: tuple[date, ...]
    end: date
    from_terms: bool


def school_year_of(day: date) -> int:
    """The calendar year in which the school year holding `day` starts (1 September), for
    grouping terms into years."""
    return day.year if day.month >= 9 else day.year - 1


def _weekdays(first: date, last: date):
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def _last_weekday(year: int, month: int) -> date:
    day = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def ahead_of(policy: Policy, as_of: date | None, calendar) -> YearAhead | None:
    """The year ahead for a register: None without an as-of date, or for a summary file (no
    dates) when the policy has no term dates for the year."""
    if as_of is None:
        return None
    if calendar is None:
        ahead = year_ahead(policy.term_dates, as_of)
        return ahead if ahead.from_terms else None
    start = policy.school_year.start_for(as_of) if policy.school_year else date(school_year_of(as_of), 9, 1)
    held = sum(1 for d in calendar.days if start.toordinal() <= d <= as_of.toordinal())
    return year_ahead(policy.term_dates, as_of, held)


def year_ahead(term_dates: TermDates, as_of: date, days_so_far: int = 0) -> YearAhead:
    """School days after `as_of` to the end of its school year.

    With the policy's terms for that year: their weekdays less closures. Without: weekdays to the
    last weekday of `end_month`, no more than `days` less the `days_so_far` already held this year.
    """
    start_year = school_year_of(as_of)
    days = term_days(term_dates, start_year)
    if days:
        return YearAhead(tuple(d for d in days if d > as_of), max(days), True)
    end_year = start_year + (term_dates.end_month < 9)
    end = _last_weekday(end_year, term_dates.end_month)
    days = list(_weekdays(as_of + timedelta(days=1), end))
    return YearAhead(tuple(days[:max(0, term_dates.days - days_so_far)]), end, False)


def term_days(term_dates: TermDates, start_year: int) -> list[date]:
    """The school days of the school year starting in `start_year` from the policy's terms (weekdays
    in term less closures), in order; empty when the policy has no terms for that year."""
    terms = [t for t in term_dates.terms if school_year_of(t.start) == start_year]
    return [d for t in terms for d in _weekdays(t.start, t.end) if d not in term_dates.closures]


def targets(policy: Policy) -> dict[str, Target]:
    """Persistent absence (the national flag) and the policy's at-risk stage, where each is one
    whole-year percentage a pupil can leave by attending."""
    found = {}
    flag = policy.flags.get("persistent_absence")
    if flag and (c := _single(flag.rule)) and c.measure == "absence_pct":
        found["persistent_absence"] = Target("persistent_absence", "out of persistent absence",
                                             "getting out of persistent absence", c)
    if len(policy.stages) > 1 and policy.stages[1].rule and (c := _single(policy.stages[1].rule)):
        word = "attendance" if c.measure == "attendance_pct" else "absence"
        band = f"{word} of {_OUT_OF[c.compare].format(c.threshold.shown())}"
        found["at_risk"] = Target("at_risk", f"back to {band}", f"getting back to {band}", c)
    return found


def _single(rule) -> Condition | None:
    """The rule's only condition, if it is a year-to-date attendance or absence percentage."""
    if len(rule.groups) != 1 or len(rule.groups[0]) != 1:
        return None
    c = rule.groups[0][0]
    plain = c.weeks is None and not c.if_missed and c.weeks_ago is None
    return c if plain and c.measure in ("attendance_pct", "absence_pct") else None


def in_band(attended: int, possible: int, c: Condition) -> bool:
    """Whether the condition holds for `attended` of `possible` sessions, exactly."""
    part = attended if c.measure == "attendance_pct" else possible - attended
    num, den = c.threshold.ratio
    return COMPARE[c.compare](part * 100 * den, num * possible)


def days_needed(attended: int, possible: int, c: Condition) -> int | None:
    """The fewest school days of full attendance after which the condition no longer holds:
    0 if it does not hold now, None if attending cannot end it within _NEVER days (or there are
    no sessions yet). in_band after d days compares start + step * d with 0 (whole numbers, as
    in_band compares them), so the day it stops holding is a division, not a search."""
    if possible <= 0:
        return None
    if not in_band(attended, possible, c):
        return 0
    num, den = c.threshold.ratio
    extra = SESSIONS_PER_DAY  # a full day adds this many sessions attended and possible
    if c.measure == "attendance_pct":  # (attended + e) * 100 * den against num * (possible + e)
        start, step = attended * 100 * den - num * possible, extra * (100 * den - num)
    else:  # absence stays the same: (possible - attended) * 100 * den against num * (possible + e)
        start, step = (possible - attended) * 100 * den - num * possible, -extra * num
    if c.compare in ("below", "at_most"):  # holds while start + step * d is below 0 (at most 0)
        start, step = -start, -step  # so that it holds while start + step * d is above 0 (at least 0)
    if step >= 0:
        return None  # attending never brings it to an end
    if c.compare in ("above", "below"):  # ends once start + step * d <= 0
        days = -(start // step)  # ceil(start / -step)
    else:  # ends once start + step * d < 0
        days = start // -step + 1
    return days if days <= _NEVER else None


def year_end_pct(attended: int, possible: int, remaining_sessions: int, rate: tuple[int, int]) -> float | None:
    """Attendance at the end of the year if the remaining sessions are attended at `rate` (sessions
    attended, possible; worked out in whole numbers, rounded once)."""
    total = possible + remaining_sessions
    if total == 0:
        return None
    n, d = rate
    return (attended * d + n * remaining_sessions) * 100 / (d * total)


def pupil_recovery(m: PupilMetrics, policy: Policy, ahead: YearAhead | None, name: str | None = None,
                   found: dict[str, Target] | None = None) -> dict:
    """What it takes to recover, for one pupil: the `recovery` object of the results contract."""
    recent = m.window(RECENT_WEEKS)
    rate = (recent.counts.attended, recent.counts.possible) if recent and recent.counts.possible else None
    return recovery(m.counts.attended, m.counts.possible, rate, policy, ahead, name, found)


def recovery(attended: int, possible: int, rate: tuple[int, int] | None, policy: Policy, ahead: YearAhead | None,
             name: str | None = None, found: dict[str, Target] | None = None) -> dict:
    """The `recovery` object for `attended` of `possible` sessions so far, with `rate` the sessions
    attended and possible in the last RECENT_WEEKS school weeks (None if unknown; a share, so
    (57, 60) and (19, 20) give the same figures: each is a division of whole numbers, rounded once)."""
    found = targets(policy) if found is None else found
    remaining = len(ahead.days) if ahead else None
    out: dict = {
        "year_end": ahead.end.isoformat() if ahead else None,
        "remaining_school_days": remaining,
        "term_dates": ahead.from_terms if ahead else None,
    }
    for key, target in found.items():
        needed = days_needed(attended, possible, target.condition)
        reachable = None if needed is None or remaining is None else needed <= remaining
        on = ahead.days[needed - 1] if reachable and needed else None
        out[key] = {
            "threshold": target.condition.threshold.shown(),
            "now": None if possible == 0 else in_band(attended, possible, target.condition),
            "days_needed": needed, "this_year": reachable, "date": on.isoformat() if on else None,
            "attendance_after": target.attendance_after,
        }
    sessions_left = remaining * SESSIONS_PER_DAY if remaining is not None else None
    out["recent_weeks"] = RECENT_WEEKS
    out["recent_attendance_pct"] = rate[0] * 100 / rate[1] if rate is not None else None
    out["projected_year_end_pct"] = (year_end_pct(attended, possible, sessions_left, rate)
                                     if rate is not None and sessions_left is not None else None)
    out["best_year_end_pct"] = (year_end_pct(attended, possible, sessions_left, (1, 1))
                                if sessions_left is not None else None)
    out["sentence"] = way_back_sentence(out, found, name or "this pupil")
    return out


def way_back_sentence(r: dict, found: dict[str, Target], name: str) -> str | None:
    """'Attending every day from now, Nia would be out of persistent absence on 12 March 2025 …'."""
    parts, blocked = [], []
    for key, target in found.items():
        t = r.get(key)
        if not t or not t["now"] or t["days_needed"] is None:
            continue
        days = f"{t['days_needed']:,} school day{'' if t['days_needed'] == 1 else 's'}"
        if t["date"]:
            parts.append(f"{target.out_words} on {long_date(date.fromisoformat(t['date']))} ({days})")
        elif t["this_year"] is False:
            blocked.append(f"{target.goal} would take {days}")
    if not parts and not blocked:
        return None
    text = ""
    if parts:
        text = f"Attending every day from now, {name} would be {' and '.join(parts)}."
    if blocked:
        left = r["remaining_school_days"]
        end = long_date(date.fromisoformat(r["year_end"]))
        joined = "; ".join(blocked)
        left_words = (f"no school days are left this school year (it ends on {end})" if left == 0 else
                      f"only {left:,} school day{' is' if left == 1 else 's are'} left this school year (to {end})")
        text += f"{' ' if text else ''}{joined[0].upper()}{joined[1:]}, but {left_words}."
    if r["best_year_end_pct"] is not None and r["remaining_school_days"]:  # with no day left, nothing can change
        text += f" Attending every remaining session, {name} would end the year at {r['best_year_end_pct']:.1f}%"
        if r["projected_year_end_pct"] is not None:
            text += (f"; at the last {r['recent_weeks']} school weeks' rate "
                     f"({r['recent_attendance_pct']:.1f}%), at {r['projected_year_end_pct']:.1f}%")
        text += "."
    if r["term_dates"] is False:
        text += " (The policy has no term dates for this year, so holidays are not counted: dates may be later.)"
    return text


def first_name(details: dict) -> str:
    """The name to use in a sentence: forename, or the full name, or 'this pupil'."""
    return details.get("forename") or pupil_name(details) or "this pupil"
