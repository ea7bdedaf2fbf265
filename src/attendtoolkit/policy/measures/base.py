"""What every measure has: its declaration, how a condition on it compares, and the words shared
by the measures' sentences."""

from __future__ import annotations

import operator
from dataclasses import dataclass

from attendtoolkit.policy.days import long_date
from attendtoolkit.words import counted

COMPARE = {"below": operator.lt, "at_most": operator.le, "at_least": operator.ge, "above": operator.gt}  # how a rule compares
COMPARE_WORDS = {"below": "below {}", "at_most": "{} or less", "at_least": "{} or more", "above": "above {}"}


@dataclass(slots=True, frozen=True)
class Outcome:
    """One condition checked for one pupil: met is None when the file cannot tell."""

    met: bool | None
    sentence: str


# met or not, checked without words (every pupil's every condition is first): made once, not per check
WITHOUT_WORDS = {True: Outcome(True, ""), False: Outcome(False, "")}


class Measure:
    """One measure: override the declaration and the five ways it is read and worked out.

    `c` is the condition (policy.model.Condition). The backends hand each method the figures it
    works from: `m`, one pupil's figures (engine/metrics.py PupilMetrics); `past`, running totals by
    school week (engine/history.py PastRules, or engine/batch.py BatchPast for every pupil at once);
    `rules`, engine/batch.py BatchRules. Counts are `counts.attended` etc. for one pupil and
    `counts["attended"]` (an array over pupils) in the batch."""

    name: str
    units: frozenset[str]  # the units a threshold compared with it may be in
    takes: frozenset[str] = frozenset({"weeks"})  # condition keys besides measure, compare and threshold
    needs: frozenset[str] = frozenset()  # keys it cannot do without
    dated = False  # it needs session dates, which a summary file does not have
    reads_counts = True  # check reads `window` and `counts`; when False it counts for itself and is given None

    def reads(self, c, limit: str, period: str) -> str:
        """The condition in the handbook's words: `attendance below 90% over the year so far`."""
        raise NotImplementedError

    def check(self, c, m, policy, window, counts, words: bool) -> Outcome:
        """Met or not for one pupil now, with the sentence of the pupil's reason (when `words`).
        `window`: the pupil's figures over the condition's weeks; `counts`: the counts it looks at
        (both None for a measure that does not read them: `reads_counts` false)."""
        raise NotImplementedError

    def never_met(self, c, calendar, policy, as_of) -> bool:
        """Whether no pupil can meet the condition, from the calendar alone (engine/metrics.py
        Calendar), so that classification need not check it pupil by pupil."""
        return False

    def week_ends(self, c, past, spans: list[tuple[int, int]]) -> list[bool]:
        """Met or not at the end of each school week for one pupil: `spans` are the (start, end)
        week indexes of the running totals each week's figure is taken between."""
        raise NotImplementedError

    def batch(self, c, rules, counts):
        """Met or not now for every pupil (numpy): a bool per pupil."""
        raise NotImplementedError

    def batch_week_ends(self, c, past, s, e):
        """Met or not at the end of each school week for every pupil (numpy): pupils x weeks."""
        raise NotImplementedError


def limit_words(c) -> str:
    """The threshold in words: 'below 90%'."""
    return COMPARE_WORDS[c.compare].format(c.threshold.shown())


def compare(value, c):
    """A whole-number figure (a count of sessions or days) against the condition's threshold,
    exactly (also for numpy arrays)."""
    num, den = c.threshold.ratio
    return COMPARE[c.compare](value * den, num)


def compare_each(values, c) -> list[bool]:
    """compare() for each of many whole-number figures (a school week's each)."""
    num, den = c.threshold.ratio
    return _COMPARE_EACH[c.compare](values, den, num)


# COMPARE's comparisons written out in comprehensions (calling operator.ge for each week takes half as long again)
_COMPARE_EACH = {
    "below": lambda values, den, num: [value * den < num for value in values],
    "at_most": lambda values, den, num: [value * den <= num for value in values],
    "at_least": lambda values, den, num: [value * den >= num for value in values],
    "above": lambda values, den, num: [value * den > num for value in values],
}


def share_terms(c):
    """(compare_to, scale, limit): part / whole meets a percentage threshold when
    compare_to(part * scale, limit * whole), in whole numbers."""
    num, den = c.threshold.ratio
    return COMPARE[c.compare], 100 * den, num


def shares_met(c, parts, wholes, extra: int = 0) -> list[bool]:
    """share_met(c, part + extra, whole + extra) for each of many (part, whole) figures (a school
    week's each); not met where the whole is 0."""
    compare_to, scale, limit = share_terms(c)
    if not extra:  # every stage's and most flags' history, for every pupil: the comparison written out
        return _SHARES_MET[c.compare](parts, wholes, scale, limit)
    return [whole != 0 and compare_to((part + extra) * scale, limit * (whole + extra))
            for part, whole in zip(parts, wholes)]


_SHARES_MET = {  # as _COMPARE_EACH
    "below": lambda parts, wholes, scale, limit: [
        whole != 0 and part * scale < limit * whole for part, whole in zip(parts, wholes)],
    "at_most": lambda parts, wholes, scale, limit: [
        whole != 0 and part * scale <= limit * whole for part, whole in zip(parts, wholes)],
    "at_least": lambda parts, wholes, scale, limit: [
        whole != 0 and part * scale >= limit * whole for part, whole in zip(parts, wholes)],
    "above": lambda parts, wholes, scale, limit: [
        whole != 0 and part * scale > limit * whole for part, whole in zip(parts, wholes)],
}


def share_met(c, part, whole):
    """part / whole against a percentage threshold, in whole numbers (also for numpy arrays)."""
    compare_to, scale, limit = share_terms(c)
    return compare_to(part * scale, limit * whole)


def format_pct(value: float | None, c=None, met: bool | None = None) -> str:
    """One decimal place, or more if rounding would make the figure look past the threshold."""
    if value is None:
        return "not known"
    for places in (1, 2, 3):
        text = f"{value:.{places}f}"
        if c is None or _shown_met(text, c) == met:
            break
    return f"{text}%"


def _shown_met(text: str, c) -> bool:
    """A figure as shown ('89.95') against the condition's threshold, exactly: in whole numbers,
    89.95 is 8995 hundredths."""
    whole, _, decimals = text.partition(".")
    num, den = c.threshold.ratio
    return COMPARE[c.compare](int(whole + decimals) * den, num * 10 ** len(decimals))


def count_words(n: int, what: str) -> str:
    """`3 sessions coded U`, `1 session coded U`."""
    return f"{n} {what.replace('sessions', 'session', 1) if n == 1 else what}"


def since(m) -> str:
    first = m.first_possible_date()
    return f" since {long_date(first)}" if first else ""


def period(m, c, window=None) -> str:
    """The span a condition looks at for one pupil, in words (`window`: the pupil's figures over its
    weeks, when already at hand)."""
    if c.weeks_ago:
        return f"before the last {c.weeks_ago} school weeks"
    weeks = c.weeks
    if not m.dated:
        return "in the summary file"
    if weeks is None:
        first = m.first_possible_date()
        return f"since {long_date(first)}" if first else "in the file"
    window = window if window is not None else m.window(weeks)
    start = f"{long_date(window.start)} to " if window.start else ""
    span = (f"the last {weeks} school weeks" if window.weeks_found >= weeks
            else f"the {counted(window.weeks_found, 'school week')} in the file")
    return f"over {span} ({start}{long_date(window.end)})"
