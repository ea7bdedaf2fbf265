"""Attendance over the last N school weeks against attendance before them, in percentage points."""

from __future__ import annotations

from fractions import Fraction

from attendtoolkit.policy.measures.base import COMPARE, WITHOUT_WORDS, Measure, Outcome, limit_words, period


class Change(Measure):
    """attendance_rise (recent minus before) or attendance_drop (before minus recent)."""

    units = frozenset({"points"})
    needs = frozenset({"weeks"})

    def __init__(self, name: str, rise: bool):
        self.name, self.sign, self.way = name, 1 if rise else -1, "up" if rise else "down"

    def reads(self, c, limit, period_words):
        return f"attendance {self.way} {limit} over the last {c.weeks} school weeks, compared with the weeks before"

    def check(self, c, m, policy, window, counts, words):
        recent = window.counts  # the weeks before them are the year so far less these (no second count)
        earlier_attended, earlier_possible = m.counts.attended - recent.attended, m.counts.possible - recent.possible
        if recent.possible == 0 or earlier_possible == 0:
            return Outcome(False, f"no earlier sessions to compare with the last {c.weeks} school weeks.")
        met = self._met(c, recent.attended, earlier_attended, recent.possible, earlier_possible)
        if not words:
            return WITHOUT_WORDS[met]
        now = Fraction(recent.attended * 100, recent.possible)
        before = Fraction(earlier_attended * 100, earlier_possible)
        direction = "up" if now >= before else "down"
        return Outcome(met, f"attendance {float(now):.1f}% {period(m, c, window)}, against {float(before):.1f}% "
                            f"before: {direction} {abs(float(now - before)):.1f} points ({limit_words(c)}).")

    def _met(self, c, attended_now, attended_before, recent, earlier):
        """(now - before) * 100 in points against the limit, in whole numbers: recent and earlier
        are the possible sessions in the last weeks and before them (also for numpy arrays)."""
        num, den = c.threshold.ratio
        change = self.sign * (attended_now * earlier - attended_before * recent) * 100
        return COMPARE[c.compare](change * den, num * recent * earlier)

    def week_ends(self, c, past, spans):
        attended, possible = past.totals["attended"], past.totals["possible"]
        out = []
        for s, e in spans:
            recent, earlier = possible[e] - possible[s], possible[s]
            out.append(recent != 0 and earlier != 0 and self._met(c, attended[e] - attended[s], attended[s], recent, earlier))
        return out

    def batch(self, c, rules, counts):
        recent, earlier = rules.window(c.weeks), rules.before(c.weeks)
        rp, ep = recent["possible"], earlier["possible"]
        return (rp != 0) & (ep != 0) & self._met(c, recent["attended"], earlier["attended"], rp, ep)

    def batch_week_ends(self, c, past, s, e):
        attended, possible = past.totals["attended"], past.totals["possible"]
        span, earlier = possible[:, e] - possible[:, s], possible[:, s]
        return (span != 0) & (earlier != 0) & self._met(c, attended[:, e] - attended[:, s], attended[:, s], span, earlier)


CHANGES = (Change("attendance_rise", rise=True), Change("attendance_drop", rise=False))
