"""Shares of a pupil's absent sessions: on some weekdays, or on school days next to a weekend or holiday."""

from __future__ import annotations

from itertools import repeat

from attendtoolkit.policy.days import weekdays_or
from attendtoolkit.policy.measures.base import WITHOUT_WORDS, Measure, Outcome, format_pct, limit_words, period, share_met, shares_met


class Pattern(Measure):
    """The share of the pupil's absent sessions that fall on some of the school's sessions."""

    units = frozenset({"percent"})
    dated = True
    reads_counts = False

    def where(self, c) -> str:
        """Where the absence counted falls: `on a Monday or Friday`."""
        raise NotImplementedError

    def runs(self, c, by_day, next_to_break) -> list:
        """Of the absent sessions on each weekday and next to a break, the ones counted."""
        raise NotImplementedError

    def masks(self, c, calendar) -> list[int]:
        """The grid masks of the sessions counted (engine/metrics.py Calendar)."""
        raise NotImplementedError

    def check(self, c, m, policy, window, counts, words):
        absent, by_day, next_to_break = m.absence_pattern(c.weeks)
        part = sum(self.runs(c, by_day, next_to_break))
        if absent == 0:
            return Outcome(False, f"no absence {period(m, c, window)}." if words else "")
        met = share_met(c, part, absent)
        if not words:
            return WITHOUT_WORDS[met]
        shown = format_pct(part * 100 / absent, c, met)
        return Outcome(met, f"{part} of {absent} absent sessions {period(m, c, window)} were {self.where(c)} "
                            f"({shown}; {limit_words(c)}).")

    def week_ends(self, c, past, spans):
        runs = [spans.of(run) for run in self.runs(c, *past.c.pattern())]
        return shares_met(c, map(sum, zip(*runs)) if runs else repeat(0), spans.of(past.totals["absent"]))

    def batch(self, c, rules, counts):
        figures = rules.f
        first = figures.calendar.window_column(c.weeks)
        absent = figures.absent_in(first, None)
        part = sum(figures.absent_in(first, mask) for mask in self.masks(c, figures.calendar))
        return (absent != 0) & share_met(c, part, absent)

    def batch_week_ends(self, c, past, s, e):
        absent = past.totals["absent"]
        part = sum(run[:, e] - run[:, s] for run in self.runs(c, *past.pattern()))
        gone = absent[:, e] - absent[:, s]
        return (gone > 0) & share_met(c, part, gone)


class WeekdayAbsence(Pattern):
    name = "weekday_absence_pct"
    takes = frozenset({"weeks", "days"})
    needs = frozenset({"days"})

    def reads(self, c, limit, period_words):
        return f"{limit} of the absence on a {weekdays_or(c.days)} {period_words}"

    def where(self, c):
        return f"on a {weekdays_or(c.days)}"

    def runs(self, c, by_day, next_to_break):
        return [by_day[d] for d in c.days]

    def masks(self, c, calendar):
        return [calendar.weekday_mask(d) for d in c.days]


class NextToBreakAbsence(Pattern):
    name = "holiday_adjacent_absence_pct"

    def reads(self, c, limit, period_words):
        return f"{limit} of the absence on school days next to a weekend or a holiday {period_words}"

    def where(self, c):
        return "next to a weekend or a holiday"

    def runs(self, c, by_day, next_to_break):
        return [next_to_break]

    def masks(self, c, calendar):
        return [calendar.next_to_break_mask()]


PATTERNS = (WeekdayAbsence(), NextToBreakAbsence())
