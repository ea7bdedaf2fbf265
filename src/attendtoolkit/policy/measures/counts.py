"""Counts of sessions or school days: possible sessions, sessions with some codes (in the period or
in the rolling period of the last N school weeks), and school days in a row of unauthorised absence."""

from __future__ import annotations

from attendtoolkit.policy import codes as codetable
from attendtoolkit.policy.days import long_date
from attendtoolkit.policy.measures.base import WITHOUT_WORDS, Measure, Outcome, compare, compare_each, count_words, limit_words, period
from attendtoolkit.words import counted


def _bare(limit: str) -> str:
    """`20 or more`, from `20 sessions or more`: the count's own words follow."""
    return limit.replace(" sessions", "").replace(" marks", "")


def first_weeks_year_start(c, policy, as_of):
    """The first day of the school year, for a count in its first weeks (None: the file's first weeks);
    both engines ask here (engine/batch.py for the pandas engine)."""
    return policy.school_year.start_for(as_of) if c.first_weeks and policy.school_year else None


class PossibleSessions(Measure):
    name = "possible_sessions"
    units = frozenset({"sessions", "marks"})

    def reads(self, c, limit, period_words):
        return f"possible sessions {limit} {period_words}"

    def check(self, c, m, policy, window, counts, words):
        n = counts.possible
        return Outcome(compare(n, c), f"{n} possible sessions {period(m, c, window)} ({limit_words(c)})."
                       if words else "")

    def week_ends(self, c, past, spans):
        return compare_each(spans.of(past.totals["possible"]), c)

    def batch(self, c, rules, counts):
        return compare(counts["possible"], c)

    def batch_week_ends(self, c, past, s, e):
        possible = past.totals["possible"]
        return compare(possible[:, e] - possible[:, s], c)


class Sessions(Measure):
    """Sessions with some codes (`codes` or a `category`): over the period, or in the first N
    school weeks of the school year (early-year signals)."""

    name = "sessions"
    reads_counts = False
    units = frozenset({"sessions", "marks"})
    takes = frozenset({"weeks", "codes", "category", "first_weeks"})

    def reads(self, c, limit, period_words):
        return f"{_bare(limit)} {c.what} {period_words}"

    def never_met(self, c, calendar, policy, as_of):
        """An early-year signal once the file has the first weeks of the year and they are over."""
        return bool(c.first_weeks) and calendar.first_weeks_over(first_weeks_year_start(c, policy, as_of),
                                                                 c.first_weeks)

    def check(self, c, m, policy, window, counts, words):
        year_start = first_weeks_year_start(c, policy, m.as_of)
        if m.dated and self.never_met(c, m.calendar, policy, m.as_of):
            # the same for every pupil, so asked first: the file has those weeks, and they are over
            return Outcome(False, f"the first {c.first_weeks} school weeks of the school year are over: early-year "
                                  "signals are looked for only in them." if words else "")
        n = m.count(c.codes, c.weeks, c.first_weeks, year_start)
        if n is None and year_start:
            return Outcome(None, f"the file's first school week is the week of {long_date(m.calendar.window_start(10**6))}, "
                                 f"after the first {c.first_weeks} school weeks of the school year that began on "
                                 f"{long_date(year_start)}.")
        if n is None:
            return Outcome(None, f"the summary file has no count of {c.what}.")
        if not words:
            return WITHOUT_WORDS[compare(n, c)]
        span = period(m, c, window)
        if c.first_weeks:
            span = (f"in the first {c.first_weeks} school weeks of the school year (from {long_date(year_start)})"
                    if year_start else f"in the first {c.first_weeks} school weeks of the file")
        return Outcome(compare(n, c), f"{count_words(n, c.what)} {span} ({limit_words(c)}).")

    def week_ends(self, c, past, spans):
        total = past.c.by_set[c.codes]
        if c.first_weeks:
            found = past.year_weeks.get(c.first_weeks)
            if found is None:
                return [False] * past.c.weeks
            first, last = found  # met only at the end of those weeks, not after them
            return [first < e <= last and compare(total[e] - total[first], c) for _s, e in spans]
        return compare_each(spans.of(total), c)

    def batch(self, c, rules, counts):
        import numpy as np

        calendar = rules.f.calendar
        if self.never_met(c, calendar, rules.policy, rules.as_of):
            return np.zeros(len(rules.f.matrix), dtype=bool)  # early-year signals only in those weeks
        return compare(rules.sessions(c), c)

    def batch_week_ends(self, c, past, s, e):
        import numpy as np

        total = past.by_set(c.codes)
        if c.first_weeks:
            found = past.year_weeks.get(c.first_weeks)
            if found is None:
                return np.zeros((len(past.f.matrix), past.weeks), dtype=bool)
            first, last = found  # met only at the end of those weeks, not after them
            upto = np.minimum(e, last)
            return (e <= last) & (upto > first) & compare(total[:, upto] - total[:, [first]], c)
        return compare(total[:, e] - total[:, s], c)


class RollingSessions(Measure):
    """Sessions with some codes in the rolling period of the last N school weeks (the penalty notice
    count). The period moves on each week, so sessions from earlier in the year drop out of it: the
    national framework's threshold is met while the period holds them, and is met again later only
    by new absence."""

    name = "rolling_sessions"
    reads_counts = False
    units = frozenset({"sessions", "marks"})
    takes = frozenset({"rolling_weeks", "codes", "category"})
    needs = frozenset({"rolling_weeks"})
    dated = True

    def reads(self, c, limit, period_words):
        return f"{_bare(limit)} {c.what} within the last {c.rolling_weeks} school weeks (a rolling period)"

    def check(self, c, m, policy, window, counts, words):
        rolling = m.rolling(c.codes, c.rolling_weeks)
        met = compare(rolling.count, c)
        if not words:
            return WITHOUT_WORDS[met]
        reached = rolling.reached_now(int(c.threshold.value)) if met else None
        when = f"; reached {c.threshold.value:g} on {long_date(reached)}" if reached else ""
        return Outcome(met, f"{count_words(rolling.count, c.what)} in the last {c.rolling_weeks} "
                            f"school weeks{when} ({limit_words(c)}).")

    def week_ends(self, c, past, spans):
        return compare_each(past.c.rolling_count(c.codes, c.rolling_weeks), c)

    def batch(self, c, rules, counts):
        return compare(rules.f.rolling_count(c.codes, c.rolling_weeks), c)

    def batch_week_ends(self, c, past, s, e):
        return compare(past.rolling_count(c.codes, c.rolling_weeks), c)


def _codes_or(codes) -> str:
    """`G, N or O`."""
    listed = sorted(codes)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " or " + listed[-1]


class ContinuousAbsence(Measure):
    """School days in a row, up to the as-of date, whose every possible session is unauthorised
    absence of the continuous-absence codes (children missing education)."""

    name = "continuous_absence_days"
    reads_counts = False
    units = frozenset({"school days"})
    takes = frozenset()
    dated = True

    def reads(self, c, limit, period_words):
        return f"{limit} in a row with every session unauthorised ({_codes_or(codetable.CONTINUOUS_ABSENCE_CODES)})"

    def check(self, c, m, policy, window, counts, words):
        days, first = m.continuous_absence()
        if not words:
            return WITHOUT_WORDS[compare(days, c)]
        since = f" since {long_date(first)}" if first else ""
        return Outcome(compare(days, c), f"{counted(days, 'school day')} in a row of unauthorised absence "
                                         f"({_codes_or(codetable.CONTINUOUS_ABSENCE_CODES)}){since} ({limit_words(c)}).")

    def week_ends(self, c, past, spans):
        return compare_each(past.c.run_at_end, c)

    def batch(self, c, rules, counts):
        return compare(rules.f.continuous_absence(), c)

    def batch_week_ends(self, c, past, s, e):
        return compare(past.run_at_end(), c)


COUNTS = (Sessions(), RollingSessions(), ContinuousAbsence(), PossibleSessions())
