"""Session counts, school-week windows, rolling windows and runs for one pupil.

Each figure is a count over the pupil's row of the session grid (engine/grid.py): a byte
translation and `bytes.count` over a span of columns, made once per pupil and kept."""

from __future__ import annotations

import operator
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from functools import cached_property, lru_cache
from itertools import accumulate, starmap

from attendtoolkit.engine import grid as gridmod
from attendtoolkit.read.session_grid import NO_MARK, SessionGrid, code_ids, codes
from attendtoolkit.engine.school_weeks import first_weekday, monday_of, school_weeks
from attendtoolkit.policy import codes as codetable
from attendtoolkit.read.model import Pupil, Register

UNKNOWN = None  # a figure a summary file cannot give


def percent(part: float, whole: float) -> float | None:
    """part as a percentage of whole; None when whole is 0."""
    return None if not whole else part * 100 / whole


@lru_cache(maxsize=1)
def category_of() -> dict[str, str]:
    """Register code -> category."""
    return {c.code: c.category for c in codetable.all_codes()}


@dataclass(slots=True)
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

    @classmethod
    def from_row(cls, by_category: bytes, row: bytes, first: int, end: int | None = None) -> Counts:
        """Counts of a grid row in columns [first, end) (to the end when None); `by_category` is the
        row translated to category ids."""
        n = by_category.count  # called one by one: this runs several times for every pupil
        present, aea, authorised = n(_PRESENT, first, end), n(_AEA, first, end), n(_AUTHORISED, first, end)
        unauthorised, not_possible = n(_UNAUTHORISED, first, end), n(_NOT_POSSIBLE, first, end)
        late_before, late_after, unexplained = _single_code_ids()
        return cls(present + aea + authorised + unauthorised, present, aea, authorised, unauthorised, not_possible,
                   row.count(late_before, first, end), row.count(late_after, first, end),
                   row.count(unexplained, first, end))  # in the order of the fields

    @property
    def attended(self) -> int:
        return self.present + self.aea

    @property
    def absent(self) -> int:
        return self.authorised + self.unauthorised

    @property
    def attendance_pct(self) -> float | None:
        return percent(self.attended, self.possible)

    @property
    def absence_pct(self) -> float | None:
        return percent(self.absent, self.possible)

    @property
    def authorised_pct(self) -> float | None:
        return percent(self.authorised, self.possible)

    @property
    def unauthorised_pct(self) -> float | None:
        return percent(self.unauthorised, self.possible)

    def _combine(self, other: Counts, op) -> Counts:
        def each(a, b):
            return None if a is None or b is None else op(a, b)
        return Counts(**{name: each(getattr(self, name), getattr(other, name)) for name in _COUNT_FIELDS})

    @classmethod
    def total(cls, many) -> Counts:
        """The sum of many Counts, field by field (None where any is None), as `+` adds two: a sum
        of whole numbers per field, not a new Counts per pupil (0.44 -> 0.08 s for 230,000)."""
        many, found = list(many), []
        for name in _COUNT_FIELDS:
            try:
                found.append(sum(map(operator.attrgetter(name), many)))
            except TypeError:  # a None among them (a summary file without the column): not known
                found.append(None)
        return cls(*found)

    def __add__(self, other: Counts) -> Counts:
        return self._combine(other, operator.add)

    def __sub__(self, other: Counts) -> Counts:
        return self._combine(other, operator.sub)

    def as_json(self, into: dict | None = None) -> dict:
        """The counts and their shares as the results give them (added to `into`, when given)."""
        out = {} if into is None else into
        out.update(zip(_COUNT_FIELDS, _count_fields_of(self)))
        out.update(zip(_SHARE_FIELDS, _shares_of(self)))
        return out


_COUNT_FIELDS = tuple(f.name for f in fields(Counts))
_count_fields_of = operator.attrgetter(*_COUNT_FIELDS)
_SHARE_FIELDS = ("attendance_pct", "absence_pct", "authorised_pct", "unauthorised_pct")  # as_json's, after the counts
_shares_of = operator.attrgetter(*_SHARE_FIELDS)
_PRESENT, _AEA, _AUTHORISED, _UNAUTHORISED, _NOT_POSSIBLE = (gridmod.CATEGORY_IDS[name] for name in (
    codetable.PRESENT, codetable.AEA, codetable.AUTHORISED, codetable.UNAUTHORISED, codetable.NOT_POSSIBLE))


@lru_cache(maxsize=1)
def _single_code_ids() -> tuple[int, int, int]:
    """The grid ids of L, U and N, counted on their own (Counts' last three fields)."""
    code = code_ids()
    return code[codetable.LATE_BEFORE_CLOSE], code[codetable.LATE_AFTER_CLOSE], code[codetable.UNEXPLAINED]


class Calendar:
    """The school weeks of a register up to the as-of date (weeks with at least one possible
    session), and the register's session grid."""

    def __init__(self, mondays: list[int], as_of: date, days: list[int] = (), grid: SessionGrid | None = None):
        self.mondays = sorted(set(mondays))
        self.days = sorted(set(days))  # ordinals of the days with at least one possible session
        self.as_of = as_of
        self.index = {m: i for i, m in enumerate(self.mondays)}
        self.grid = grid if grid is not None else SessionGrid(self.days, {})
        g = self.grid
        # columns [first, end) of each school week
        self.week_columns = [(g.day_column(m), g.day_column(m + 7)) for m in self.mondays]
        self.week_day_ends = [b >> 1 for _a, b in self.week_columns]  # grid day index after each week
        self.week_lengths = [b - a for a, b in self.week_columns]
        self._week_count_args: dict[int, list[tuple[int, int, int]]] = {}
        self._window_columns: dict[int | None, int] = {}
        self._last_spans: dict[int, list[tuple[int, int]]] = {}
        self._window_starts: dict[int, date | None] = {}
        self._year_weeks: dict[tuple[date, int], tuple[int, int] | None] = {}

    @classmethod
    def from_register(cls, register: Register, as_of: date) -> Calendar:
        grid = (register.grid or SessionGrid([], {})).up_to(as_of.toordinal())
        table, found = gridmod.possible(), 0
        for row in grid.rows.values():
            found |= gridmod.as_int(row.translate(table))
        by_day = gridmod.days_of(found.to_bytes(grid.width, "big"))
        possible_days = [d for d, has in zip(grid.days, by_day) if has]
        return cls([monday_of(d) for d in possible_days], as_of, possible_days, grid)

    @cached_property
    def monday_texts(self) -> list[str]:
        """Each school week's Monday as ISO text (2024-09-02), as the results give weeks."""
        return [date.fromordinal(m).isoformat() for m in self.mondays]

    def week_count_args(self, value: int) -> list[tuple[int, int, int]]:
        """(value, first, end) for each school week's columns: `starmap(row.count, ...)` counts the
        bytes `value` in each week of a row in C, not a comprehension's step a week (every pupil asks)."""
        found = self._week_count_args.get(value)
        if found is None:
            found = self._week_count_args[value] = [(value, a, b) for a, b in self.week_columns]
        return found

    def next_to_break(self) -> frozenset[int]:
        """School days next to a weekend or a holiday: Mondays, Fridays, and days whose weekday
        before or after (up to the as-of date) has no school."""
        if not hasattr(self, "_next_to_break"):
            school, last = set(self.days), self.as_of.toordinal()
            self._next_to_break = frozenset(
                d for d in self.days if (d - 1) % 7 in (0, 4) or d - 1 not in school
                or (d + 1 not in school and d + 1 <= last))
        return self._next_to_break

    def weekday_mask(self, weekday: int) -> int:
        """Grid mask of the columns on a weekday (0 Monday)."""
        return self.grid.mask(("weekday", weekday), lambda d: (d - 1) % 7 == weekday)

    def week_masks(self) -> list[int]:
        """Grid masks of the columns of each school week (made once for all pupils)."""
        if not hasattr(self, "_week_masks"):
            full = b"\x01" * self.grid.width
            self._week_masks = [gridmod.as_int(gridmod.spread(full, a, b)) for a, b in self.week_columns]
        return self._week_masks

    def next_to_break_mask(self) -> int:
        return self.grid.mask("next_to_break", self.next_to_break().__contains__)

    def week_of(self, ordinal: int) -> int | None:
        return self.index.get(monday_of(ordinal))

    def first_weeks_end(self, weeks: int) -> int:
        """Session key just after the first `weeks` school weeks."""
        if len(self.mondays) <= weeks:
            return (self.as_of.toordinal() + 1) * 2
        return self.mondays[weeks] * 2

    def year_weeks(self, year_start: date, weeks: int) -> tuple[int, int] | None:
        """(first, end) session keys of the first `weeks` school weeks of the school year that starts
        on `year_start` (engine/school_weeks.py), or None when the register starts after those weeks.
        Worked out once per calendar: every pupil asks."""
        key = (year_start, weeks)
        if key not in self._year_weeks:
            self._year_weeks[key] = self._first_weeks_keys(year_start, weeks)
        return self._year_weeks[key]

    def _first_weeks_keys(self, year_start: date, weeks: int) -> tuple[int, int] | None:
        listed = school_weeks(year_start, self.mondays)
        held = set(self.mondays)
        if sum(1 for m in listed if m not in held) >= weeks:
            return None
        end = listed[weeks] * 2 if len(listed) > weeks else (self.as_of.toordinal() + 1) * 2
        return first_weekday(year_start).toordinal() * 2, end

    def first_weeks_over(self, year_start: date | None, weeks: int) -> bool:
        """Whether the as-of date is after the first `weeks` school weeks of the school year that
        starts on `year_start` (of the file when None): early-year signals are looked for only in them."""
        if year_start is None:
            return self.first_weeks_end(weeks) <= self.as_of.toordinal() * 2
        keys = self.year_weeks(year_start, weeks)  # None: the file starts after them (not checked)
        return keys is not None and keys[1] <= self.as_of.toordinal() * 2

    def window_start(self, weeks: int) -> date | None:
        """Monday of the first of the last `weeks` school weeks, or None if there are none (kept:
        every pupil's windows ask)."""
        if weeks not in self._window_starts:
            self._window_starts[weeks] = (date.fromordinal(self.mondays[max(0, len(self.mondays) - weeks)])
                                          if self.mondays else None)
        return self._window_starts[weeks]

    def last_weeks_spans(self, weeks: int) -> list[tuple[int, int]]:
        """The grid columns [first, end) of the last `weeks` school weeks, as few spans as they make
        (weeks next to each other in the grid are one span); made once: every pupil asks."""
        found = self._last_spans.get(weeks)
        if found is None:
            found = self._last_spans[weeks] = []
            for a, b in self.week_columns[max(0, len(self.week_columns) - weeks):]:
                if found and found[-1][1] == a:
                    found[-1] = (found[-1][0], b)
                else:
                    found.append((a, b))
        return found

    def window_column(self, weeks: int | None) -> int:
        """The grid column where the last `weeks` school weeks begin (0 for the whole period)."""
        found = self._window_columns.get(weeks)
        if found is None:
            start = self.window_start(weeks) if weeks else None
            found = self._window_columns[weeks] = self.grid.day_column(start.toordinal()) if start else 0
        return found


@dataclass(slots=True)
class Window:
    weeks: int  # school weeks asked for
    weeks_found: int  # school weeks the register has in the window
    start: date | None
    end: date | None  # None for a summary file
    counts: Counts

    def as_json(self) -> dict:
        return self.counts.as_json({
            "weeks": self.weeks, "weeks_found": self.weeks_found,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        })


class Rolling:
    """Sessions with the given codes in the rolling period of `weeks` consecutive school weeks that ends
    with each school week (`totals`): `count` in the period that ends with the last one, `max_count`
    the most in any. `count` is all a rule needs, so the totals by week are worked out only when asked
    for (the date a threshold was reached)."""

    def __init__(self, weeks: int, marked: bytes, calendar: Calendar):
        self.weeks = weeks
        self._marked = marked  # the grid row: 1 for a session with the codes
        self._calendar = calendar
        self.count = sum(marked.count(1, a, b) for a, b in calendar.last_weeks_spans(weeks))

    @cached_property
    def _weekly(self) -> list[int]:
        """Sessions with the codes in each school week."""
        return list(starmap(self._marked.count, self._calendar.week_count_args(1)))

    @cached_property
    def totals(self) -> list[int]:
        weekly, weeks = self._weekly, self.weeks
        return list(accumulate(n - (weekly[w - weeks] if w >= weeks else 0) for w, n in enumerate(weekly)))

    @property
    def max_count(self) -> int:
        """The most in any rolling period."""
        return max(self.totals, default=0)

    def reached_now(self, threshold: int) -> date | None:
        """The date the rolling period came to hold `threshold` sessions, when it has held them at the end
        of every school week since and holds them now (None when it does not hold them now)."""
        if self.count < threshold:
            return None
        start = len(self.totals) - 1
        while start > 0 and self.totals[start - 1] >= threshold:
            start -= 1
        return self.first_reached(threshold, start)

    def first_reached(self, threshold: int, from_week: int = 0) -> date | None:
        """The first date on which some period (ending in school week `from_week` or later) held
        `threshold` sessions."""
        if threshold <= 0:
            return None
        w = next((w for w in range(from_week, len(self.totals)) if self.totals[w] >= threshold), None)
        if w is None:
            return None
        need = threshold - (self.totals[w] - self._weekly[w])  # the (need)th session of week w reaches it
        column, end = self._calendar.week_columns[w]
        for _ in range(need):
            column = self._marked.find(1, column, end) + 1
        return date.fromordinal(self._calendar.grid.days[(column - 1) >> 1])


def _tally(row: bytes) -> Counter:
    """Code -> sessions in a grid row (or part of one)."""
    names = codes()  # a code's sessions are counted only if it is in the row at all (most are not)
    return Counter({names[i]: row.count(i) for i in range(1, len(names)) if i in row})


class PupilMetrics:
    """Figures for one pupil up to the as-of date. Dated figures are None for a summary file.

    `row` is the pupil's grid row (default: the calendar's); a dated pupil's figures are counts over it."""

    def __init__(self, pupil: Pupil, calendar: Calendar | None, as_of: date | None, row: bytes | None = None):
        self.pupil = pupil
        self.calendar = calendar
        self.as_of = as_of
        self._cache: dict = {}  # rows translated by grid tables, weekly counts, rolling periods
        self._figures: dict = {}  # small figures the results ask for again: first date, run, patterns
        self._windows: dict[int | None, Window] = {}
        self.dated = pupil.summary is None  # a summary file gives no dates, only totals
        if not self.dated:
            s = pupil.summary
            self.row = None
            self.tally = Counter()  # a summary has no codes
            self.counts = Counts(
                possible=s.possible, present=s.present, aea=s.aea, authorised=s.authorised,
                unauthorised=s.unauthorised, late_before_close=s.late_before_close,
                late_after_close=s.late_after_close, unexplained=s.unexplained,
            )
            return
        self.row = row if row is not None else calendar.grid.row(pupil.pupil_id)
        self.tally = _tally(self.row)
        self.counts = Counts.from_tally(self.tally)

    def forget(self, figures: bool = True) -> None:
        """Drop what is kept for the pupil's figures (translated rows, weekly counts) once their
        results are made: a council's 230,000 pupils would hold about 3 KB each. With `figures`
        false, the small figures the pupil's results ask for again (windows, first date, run,
        patterns: about 1 KB) are kept."""
        self._cache.clear()
        if figures:
            self._figures.clear()
            self._windows.clear()

    def marked(self, table: bytes) -> bytes:
        """The row translated by a grid table (kept)."""
        found = self._cache.get(table)
        if found is None:
            found = self._cache[table] = self.row.translate(table)
        return found

    def first_possible_date(self) -> date | None:
        """The day of the pupil's first possible session (kept: reasons and windows ask often)."""
        if not self.dated:
            return None
        if "first" not in self._figures:
            column = self.marked(gridmod.possible()).find(1)
            self._figures["first"] = None if column < 0 else date.fromordinal(self.calendar.grid.days[column >> 1])
        return self._figures["first"]

    def window(self, weeks: int | None) -> Window | None:
        """Counts over the last `weeks` school weeks up to as-of (None = whole period); kept."""
        found = self._windows.get(weeks)
        if found is None and (weeks is None or self.dated):
            found = self._windows[weeks] = self._window(weeks)
        return found

    def _window(self, weeks: int | None) -> Window:
        if weeks is None:
            found = len(self.calendar.mondays) if self.calendar else 0
            return Window(0, found, self.first_possible_date(), self.as_of, self.counts)
        calendar = self.calendar
        column = calendar.window_column(weeks)
        counts = Counts.from_row(self.marked(gridmod.by_category()), self.row, column) if column else self.counts
        return Window(weeks, min(weeks, len(calendar.mondays)), calendar.window_start(weeks), self.as_of, counts)

    def before(self, weeks: int) -> Counts | None:
        """Counts for the whole period except the last `weeks` school weeks (None for a summary); kept."""
        if not self.dated:
            return None
        key = ("before", weeks)
        found = self._figures.get(key)
        if found is None:
            column = self.calendar.window_column(weeks)
            found = self._figures[key] = Counts.from_row(self.marked(gridmod.by_category()), self.row, 0, column)
        return found

    def unauthorised_after(self, day: date) -> int | None:
        """Sessions of unauthorised absence on the days after `day`, to the as-of date (None for a summary)."""
        if not self.dated:
            return None
        grid = self.calendar.grid
        return self.marked(gridmod.unauthorised()).count(1, grid.day_column(day.toordinal() + 1), grid.width)

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
        grid = self.calendar.grid
        first, end = self.calendar.window_column(weeks), grid.width
        if first_weeks and year_start:
            keys = self.calendar.year_weeks(year_start, first_weeks)
            if keys is None:
                return None
            first, end = grid.column(keys[0]), grid.column(keys[1])
        elif first_weeks:
            end = grid.column(self.calendar.first_weeks_end(first_weeks))
        return self.marked(gridmod.in_set(codes)).count(1, first, end)

    def absence_pattern(self, weeks: int | None) -> tuple[int, list[int], int] | None:
        """(absent sessions, absent sessions on each weekday Monday to Friday, absent sessions next to
        a weekend or holiday) over the last `weeks` school weeks (whole period if None); None for a summary."""
        if not self.dated:
            return None
        key = ("pattern", weeks)
        if key not in self._figures:
            calendar, column = self.calendar, self.calendar.window_column(weeks)
            absent = self.marked(gridmod.absent())
            found = gridmod.as_int(absent) & calendar.grid.from_column(column)
            by_day = [(found & calendar.weekday_mask(d)).bit_count() for d in range(5)]
            near = (found & calendar.next_to_break_mask()).bit_count()
            self._figures[key] = (absent.count(1, column), by_day, near)
        return self._figures[key]

    def counted_pattern(self, found: tuple[int, list[int], int]) -> None:
        """absence_pattern(None), counted already (for many pupils at once, engine/batch.py)."""
        self._figures[("pattern", None)] = found

    def between(self, first: date, last: date) -> PupilMetrics:
        """The same pupil with only the sessions from `first` to `last` (for legal measures by age):
        itself when its row has no mark outside them, as for most pupils (the same figures, not made again)."""
        grid, row = self.calendar.grid, self.row
        a, b = grid.day_column(first.toordinal()), grid.day_column(last.toordinal() + 1)
        if row.count(NO_MARK, 0, a) == a and row.count(NO_MARK, b) == len(row) - b:
            return self
        return PupilMetrics(self.pupil, self.calendar, self.as_of, gridmod.spread(row, a, b))

    def weekly(self, table: bytes, value: int = 1) -> list[int]:
        """Sessions whose translated byte is `value`, in each school week."""
        return list(starmap(self.marked(table).count, self.calendar.week_count_args(value)))

    def rolling(self, codes: frozenset[str], weeks: int) -> Rolling | None:
        if not self.dated:
            return None
        key = ("rolling", codes, weeks)
        if key not in self._cache:
            self._cache[key] = Rolling(weeks, self.marked(gridmod.in_set(codes)), self.calendar)
        return self._cache[key]

    def day_kinds(self) -> bytes:
        """One byte per grid day: 0 no possible session, 1 every possible session G, N or O, 3 otherwise."""
        if "days" not in self._cache:
            self._cache["days"] = gridmod.days_of(self.marked(gridmod.run_kind()))
        return self._cache["days"]

    def continuous_absence(self) -> tuple[int, date | None] | None:
        """(school days, first day) of the current run of days whose every possible session is G, N or O."""
        if not self.dated:
            return None
        if "run" not in self._figures:
            days = self.day_kinds()
            after = days.rfind(3) + 1
            run = days.count(1, after)
            first = date.fromordinal(self.calendar.grid.days[days.find(1, after)]) if run else None
            self._figures["run"] = (run, first)
        return self._figures["run"]


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

