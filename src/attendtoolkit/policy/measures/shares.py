"""Shares of the pupil's possible sessions: attendance, absence, authorised and unauthorised absence."""

from __future__ import annotations

from attendtoolkit.policy.measures.base import WITHOUT_WORDS, Measure, Outcome, count_words, format_pct, limit_words, period, share_met, shares_met


class Share(Measure):
    """The pupil's `part` (attended, absent, authorised or unauthorised) of their possible sessions,
    over the year so far, the last N weeks, or as it stood before the last N weeks."""

    units = frozenset({"percent"})

    def __init__(self, name: str, part: str, noun: str, if_missed: bool = False):
        self.name, self.part, self.noun = name, part, noun  # noun: `authorised absence`
        self.takes = frozenset({"weeks", "weeks_ago"} | ({"if_missed"} if if_missed else set()))

    def reads(self, c, limit, period_words):
        if c.if_missed:
            return f"{self.noun} would be {limit} if the next {c.if_missed} sessions were missed"
        return f"{self.noun} {limit} {period_words}"

    def check(self, c, m, policy, window, counts, words):
        if counts.possible == 0:
            return Outcome(False, f"no possible sessions {period(m, c, window)}." if words else "")
        part, possible = getattr(counts, self.part) + c.if_missed, counts.possible + c.if_missed
        met = share_met(c, part, possible)
        if not words:
            return WITHOUT_WORDS[met]
        shown, limit = format_pct(part * 100 / possible, c, met), limit_words(c)
        if c.if_missed:
            return Outcome(met, f"missing the next {count_words(c.if_missed, 'sessions')} would make absence "
                                f"{shown} of {possible} possible sessions ({limit}).")
        return Outcome(met, f"{self.noun} {shown} of {counts.possible} possible sessions "
                            f"{period(m, c, window)} ({limit}).")

    def week_ends(self, c, past, spans):
        return shares_met(c, spans.of(past.totals[self.part]), spans.of(past.totals["possible"]), c.if_missed)

    def batch(self, c, rules, counts):
        part, possible = counts[self.part] + c.if_missed, counts["possible"] + c.if_missed
        return (counts["possible"] != 0) & share_met(c, part, possible)

    def batch_week_ends(self, c, past, s, e):
        part, possible = past.totals[self.part], past.totals["possible"]
        span = possible[:, e] - possible[:, s]
        return (span != 0) & share_met(c, part[:, e] - part[:, s] + c.if_missed, span + c.if_missed)


SHARES = (
    Share("attendance_pct", "attended", "attendance"),
    Share("absence_pct", "absent", "absence", if_missed=True),
    Share("authorised_pct", "authorised", "authorised absence"),
    Share("unauthorised_pct", "unauthorised", "unauthorised absence"),
)
