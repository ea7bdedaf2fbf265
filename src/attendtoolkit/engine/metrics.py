"""Session counts, school-week windows, rolling windows and runs for one pupil."""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache

from attendtoolkit.policy import codes as codetable
from attendtoolkit.read.register import Pupil, Register

UNKNOWN = None  # a figure a summary file cannot give
_ABSENCE_CATEGORIES = (codetable.AUTHORISED, codetable.UNAUTHORISED)


def percent(part: float, whole: float) -> float | None:
    """part as a percentage of whole; None when whole is 0."""
    return None if not whole else part * 100 / whole


@lru_cache(maxsize=1)
def category_of() -> dict[str, str]:
    """Register code -> category."""
    return {c.code: c.category for c in codetable.all_codes()}


@dataclass
class Counts:
    """Sessions by category. Late and unexplained counts may be unknown in a summary file."""

    possible: int = 0
    present: int = 0
    aea: int = 0
    authorised: int = 0
    unauthorised: int = 0
    not_possible: int = 0
    late_before_close: int | None = 0
    late_after_close: int | None = 0
    unexplained: int | None = 0

    @classmethod
    def from_tally(cls, tally: Counter) -> Counts:
        """Counts from a code -> number of sessions tally."""
        categories = category_of()
        counts = cls()
        for code, n in tally.items():
            category = categories[code]
            setattr(counts, category, getattr(counts, category) + n)
        counts.possible = counts.present + counts.aea + counts.authorised + counts.unauthorised
        counts.late_before_close = tally.get(codetable.LATE_BEFORE_CLOSE, 0)
        counts.late_after_close = tally.get(codetable.LATE_AFTER_CLOSE, 0)
        counts.unexplained = tally.get(codetable.UNEXPLAINED, 0)
        return counts

    @property
    def attended(self) -> int:
        return self.present + self.aea

    @property
    def absent(self) -> int:
        return self.authorised + self.unauthorised

    def pct(self, sessions: int) -> float | None:
        return percent(sessions, self.possible)

    @property
    def attendance_pct(self) -> float | None:
        return self.pct(self.attended)

    @property
    def absence_pct(self) -> float | None:
        return self.pct(self.absent)

    @property
    def authorised_pct(self) -> float | None:
        return self.pct(self.authorised)

    @property
    def unauthorised_pct(self) -> float | None:
        return self.pct(self.unauthorised)

    def _combine(self, other: Counts, op) -> Counts:
        def each(a, b):
            return None if a is None or b is None else op(a, b)
        return Counts(**{f.name: each(getattr(self, f.name), getattr(other, f.name)) for f in fields(self)})

    def __add__(self, other: Counts) -> Counts:
        return self._combine(other, operator.add)

    def __sub__(self, other: Counts) -> Counts:
        return self._combine(other, operator.sub)

    def as_json(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out.update(attendance_pct=self.attendance_pct, absence_pct=self.absence_pct,
                   authorised_pct=self.authorised_pct, unauthorised_pct=self.unauthorised_pct)
        return out


def _monday(ordinal: int) -> int:
    return ordinal - (ordinal - 1) % 7  # date.fromordinal(1) is a Monday


class Calendar:
    """The school weeks of a register up to the as-of date: weeks with at least one possible session."""

    def __init__(self, mondays: list[int], as_of: date, days: list[int] = ()):
        self.mondays = sorted(set(mondays))
        self.days = sorted(set(days))  # ordinals of the days with at least one possible session
        self.as_of = as_of
        self.index = {m: i for i, m in enumerate(self.mondays)}

    @classmethod
    def from_register(cls, register: Register, as_of: date) -> Calendar:
        categories = category_of()
        last_key = as_of.toordinal() * 2 + 1
        possible_days: set[int] = set()
        for pupil in register.pupils.values():
            for key, (code, _row) in pupil.marks.items():
                if key <= last_key and categories[code] != codetable.NOT_POSSIBLE:
                    possible_days.add(key >> 1)
        return cls([_monday(d) for d in possible_days], as_of, list(possible_days))

    def next_to_break(self) -> frozenset[int]:
        """School days next to a weekend or a holiday: Mondays, Fridays, and days whose weekday
        before or after (up to the as-of date) has no school."""
        if not hasattr(self, "_next_to_break"):
            school, last = set(self.days), self.as_of.toordinal()
            self._next_to_break = frozenset(
                d for d in self.days if (d - 1) % 7 in (0, 4) or d - 1 not in school
                or (d + 1 not in school and d + 1 <= last))
        return self._next_to_break

    def week_of(self, ordinal: int) -> int | None:
        return self.index.get(_monday(ordinal))

    def first_weeks_end(self, weeks: int) -> int:
        """Session key just after the first `weeks` school weeks."""
        if len(self.mondays) <= weeks:
            return (self.as_of.toordinal() + 1) * 2
        return self.mondays[weeks] * 2

    def year_weeks(self, year_start: date, weeks: int) -> tuple[int, int] | None:
        """(first, end) session keys of the first `weeks` school weeks of the school year that starts
        on `year_start`, or None when the register starts after those weeks.

        Calendar weeks before the register's first school week of the year count as school weeks,
        so a file that starts a week late still ends the window in the right week."""
        first_day = year_start.toordinal()
        while date.fromordinal(first_day).weekday() > 4:  # the first weekday on or after the start
            first_day += 1
        first_monday = _monday(first_day)
        in_year = [m for m in self.mondays if m >= first_monday]
        missing = (in_year[0] - first_monday) // 7 if in_year else 0
        left = weeks - missing
        if left <= 0:
            return None
        end = in_year[left] * 2 if len(in_year) > left else (self.as_of.toordinal() + 1) * 2
        return first_day * 2, end

    def window_start(self, weeks: int) -> date | None:
        """Monday of the first of the last `weeks` school weeks, or None if there are none."""
        if not self.mondays:
            return None
        return date.fromordinal(self.mondays[max(0, len(self.mondays) - weeks)])


@dataclass
class Window:
    weeks: int  # school weeks asked for
    weeks_found: int  # school weeks the register has in the window
    start: date | None
    end: date | None  # None for a summary file
    counts: Counts

    def as_json(self) -> dict:
        return {
            "weeks": self.weeks, "weeks_found": self.weeks_found,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None, **self.counts.as_json(),
        }


@dataclass
class Rolling:
    """The most sessions with the given codes in any run of `weeks` consecutive school weeks."""

    weeks: int
    max_count: int
    _event_days: list[int]
    _event_weeks: list[int]

    def first_reached(self, threshold: int) -> date | None:
        """The first date on which some window held `threshold` sessions."""
        if threshold <= 0:
            return None
        start = 0
        for end, week in enumerate(self._event_weeks):
            while self._event_weeks[start] <= week - self.weeks:
                start += 1
            if end - start + 1 >= threshold:
                return date.fromordinal(self._event_days[end])
        return None


class PupilMetrics:
    """Figures for one pupil up to the as-of date. Dated figures are None for a summary file."""

    def __init__(self, pupil: Pupil, calendar: Calendar | None, as_of: date | None):
        self.pupil = pupil
        self.calendar = calendar
        self.as_of = as_of
        self._cache: dict = {}
        if pupil.summary is not None:
            s = pupil.summary
            self.sessions = None
            self.tally = Counter()  # a summary has no codes
            self.counts = Counts(
                possible=s.possible, present=s.present, aea=s.aea, authorised=s.authorised,
                unauthorised=s.unauthorised, late_before_close=s.late_before_close,
                late_after_close=s.late_after_close, unexplained=s.unexplained,
            )
            return
        marks = pupil.marks
        keys = sorted(marks)
        keys = keys[:bisect_right(keys, as_of.toordinal() * 2 + 1)]
        self.sessions = list(zip(keys, [marks[k][0] for k in keys]))
        self.tally = Counter(code for _k, code in self.sessions)
        self.counts = Counts.from_tally(self.tally)

    @property
    def dated(self) -> bool:
        return self.sessions is not None

    def first_possible_date(self) -> date | None:
        if not self.dated:
            return None
        if "first" not in self._cache:
            categories = category_of()
            self._cache["first"] = next((date.fromordinal(k >> 1) for k, c in self.sessions
                                         if categories[c] != codetable.NOT_POSSIBLE), None)
        return self._cache["first"]

    def window(self, weeks: int | None) -> Window | None:
        """Counts over the last `weeks` school weeks up to as-of (None = whole period)."""
        if weeks is None:
            found = len(self.calendar.mondays) if self.calendar else 0
            return Window(0, found, self.first_possible_date(), self.as_of, self.counts)
        if not self.dated:
            return None
        key = ("window", weeks)
        if key not in self._cache:
            start = self.calendar.window_start(weeks)
            first_key = start.toordinal() * 2 if start else 0
            tally = Counter(c for k, c in self.sessions if k >= first_key)
            found = min(weeks, len(self.calendar.mondays))
            self._cache[key] = Window(weeks, found, start, self.as_of, Counts.from_tally(tally))
        return self._cache[key]

    def before(self, weeks: int) -> Counts | None:
        """Counts for the whole period except the last `weeks` school weeks (None for a summary)."""
        return self.counts - self.window(weeks).counts if self.dated else None

    def count(self, codes: frozenset[str], weeks: int | None, first_weeks: int | None = None,
              year_start: date | None = None) -> int | None:
        """Sessions with any of `codes` over the last `weeks` school weeks (whole period if None),
        or in the first `first_weeks` school weeks of the school year starting on `year_start`
        (of the file when there is no `year_start`).

        A summary file can answer for a whole category, or for L, U and N where it has those columns.
        None when the file cannot tell: a summary, or a file that starts after the first weeks of the year.
        """
        if not self.dated:
            return None if weeks or first_weeks else _count_from_summary(self.counts, codes)
        start = self.calendar.window_start(weeks) if weeks else None
        first_key = start.toordinal() * 2 if start else 0
        last_key = None
        if first_weeks and year_start:
            keys = self.calendar.year_weeks(year_start, first_weeks)
            if keys is None:
                return None
            first_key, last_key = keys
        elif first_weeks:
            last_key = self.calendar.first_weeks_end(first_weeks)
        return sum(1 for k, c in self.sessions if c in codes and k >= first_key and (last_key is None or k < last_key))

    def absence_pattern(self, weeks: int | None) -> tuple[int, list[int], int] | None:
        """(absent sessions, absent sessions on each weekday Monday to Friday, absent sessions next to
        a weekend or holiday) over the last `weeks` school weeks (whole period if None); None for a summary."""
        if not self.dated:
            return None
        key = ("pattern", weeks)
        if key not in self._cache:
            start = self.calendar.window_start(weeks) if weeks else None
            first_key = start.toordinal() * 2 if start else 0
            absence = _ABSENCE_CATEGORIES
            categories, near = category_of(), self.calendar.next_to_break()
            absent, by_day, next_to_break = 0, [0] * 5, 0
            for k, c in self.sessions:
                if k >= first_key and categories[c] in absence:
                    d = k >> 1
                    absent += 1
                    if (d - 1) % 7 < 5:
                        by_day[(d - 1) % 7] += 1
                    next_to_break += d in near
            self._cache[key] = (absent, by_day, next_to_break)
        return self._cache[key]

    def between(self, first: date, last: date) -> PupilMetrics:
        """The same pupil with only the sessions from `first` to `last` (for legal measures by age)."""
        marks = {k: v for k, v in self.pupil.marks.items() if first.toordinal() <= k >> 1 <= last.toordinal()}
        pupil = Pupil(self.pupil.pupil_id, self.pupil.row, self.pupil.details, marks)
        return PupilMetrics(pupil, self.calendar, self.as_of)

    def rolling(self, codes: frozenset[str], weeks: int) -> Rolling | None:
        if not self.dated:
            return None
        key = ("rolling", codes, weeks)
        if key not in self._cache:
            days, week_numbers = [], []
            for k, c in self.sessions:
                if c in codes:
                    week = self.calendar.week_of(k >> 1)
                    if week is not None:
                        days.append(k >> 1)
                        week_numbers.append(week)
            best, start = 0, 0
            for end, week in enumerate(week_numbers):
                while week_numbers[start] <= week - weeks:
                    start += 1
                best = max(best, end - start + 1)
            self._cache[key] = Rolling(weeks, best, days, week_numbers)
        return self._cache[key]

    def continuous_absence(self) -> tuple[int, date | None] | None:
        """(school days, first day) of the current run of days whose every possible session is G, N or O."""
        if not self.dated:
            return None
        if "run" not in self._cache:
            categories = category_of()
            run, first = 0, None
            day, day_ok, day_has_possible = None, True, False
            for k, c in reversed(self.sessions):
                d = k >> 1
                if d != day:
                    if day is not None and day_has_possible:
                        if not day_ok:
                            break
                        run, first = run + 1, day
                    day, day_ok, day_has_possible = d, True, False
                if categories[c] != codetable.NOT_POSSIBLE:
                    day_has_possible = True
                    if c not in codetable.CONTINUOUS_ABSENCE_CODES:
                        day_ok = False
            else:
                if day is not None and day_has_possible and day_ok:
                    run, first = run + 1, day
            self._cache["run"] = (run, date.fromordinal(first) if first else None)
        return self._cache["run"]


def _count_from_summary(counts: Counts, codes: frozenset[str]) -> int | None:
    for category in codetable.CATEGORIES:
        if codes == codetable.codes_in(category):
            return getattr(counts, category)
    single = {codetable.LATE_BEFORE_CLOSE: counts.late_before_close,
              codetable.LATE_AFTER_CLOSE: counts.late_after_close, codetable.UNEXPLAINED: counts.unexplained}
    if not codes <= single.keys():
        return None
    parts = [single[c] for c in codes]
    return None if None in parts else sum(parts)


def lost_learning(absent_sessions: float, lessons_per_day: int = 5) -> dict:
    """Time missed: school days (two sessions each), school weeks (five days) and lessons."""
    days = absent_sessions / 2
    return {"days": days, "weeks": days / 5, "lessons": days * lessons_per_day}


def lost_learning_for_year(attendance_pct: float, days_in_year: int = 190,
                           lessons_per_day: int = 5) -> dict:
    """Time missed over a full school year at a given attendance rate."""
    absent_sessions = days_in_year * 2 * (100 - attendance_pct) / 100
    return {"attendance_pct": attendance_pct, **lost_learning(absent_sessions, lessons_per_day)}

