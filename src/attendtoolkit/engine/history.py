"""Each pupil's stage at the end of every school week, and since when each flag has held.

Computed from weekly counts over the pupil's grid row: the figures a rule needs at the end of
week w are differences of running totals, and each condition is checked for every week at once,
so the year's history costs less than one classification. The current week's stage and flags are
the classification's own.
"""

from __future__ import annotations

import operator
from itertools import accumulate, compress, starmap
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from datetime import date

from attendtoolkit.engine import grid as gridmod
from attendtoolkit.engine.metrics import PupilMetrics
from attendtoolkit.engine.school_weeks import monday_of
from attendtoolkit.policy import codes as codetable
from attendtoolkit.policy.measures import MEASURES
from attendtoolkit.policy.model import Condition, Policy, Rule
from attendtoolkit.read.session_grid import code_ids

NOT_ENOUGH_DATA = "not_enough_data"


class WeeklyCounts:
    """One pupil's running totals by school week: index w + 1 holds the totals to the end of week w.
    Sessions attended and possible are counted at once (every pupil's history and sparkline need
    them); authorised absence only when a rule asks for it."""

    def __init__(self, m: PupilMetrics, running: tuple[list[int], list[int], list[int]] | None = None):
        """`running`: the attended, authorised and unauthorised running totals, if already counted."""
        calendar = m.calendar
        self.weeks = len(calendar.week_columns)
        if running is None:
            count = m.marked(WEEK_KINDS).count  # 0 no possible session, 1 attended, 2 authorised, 3 unauthorised
            self.attended = _running(starmap(count, calendar.week_count_args(1)))
            self.possible = _running(map(operator.sub, calendar.week_lengths, starmap(count, calendar.week_count_args(0))))
        else:
            self.attended, self.authorised, self.unauthorised = running
            self.possible = list(map(operator.add, map(operator.add, self.attended, self.authorised), self.unauthorised))
        self.by_set = _BySet(m)
        self._rolling: dict = {}
        self._run: list[int] | None = None
        self._m = m
        self._pattern: tuple | None = None

    @cached_property
    def absent(self) -> list[int]:
        return list(map(operator.sub, self.possible, self.attended))

    @cached_property
    def authorised(self) -> list[int]:
        return _running(self._m.weekly(WEEK_KINDS, 2))

    @cached_property
    def unauthorised(self) -> list[int]:
        return list(map(operator.sub, self.absent, self.authorised))

    def by_week(self) -> tuple[list[int], list[int]]:
        """Sessions attended and possible in each school week (the weekly trend's and the pupil's
        sparkline's figures; not kept, as every pupil's are made before any is written)."""
        return each_week(self.attended), each_week(self.possible)

    @property
    def run_at_end(self) -> list[int]:
        """School days in a row of G, N or O at the end of each week."""
        if self._run is None:
            days = self._m.day_kinds()
            self._run = [days.count(1, days.rfind(3, 0, end) + 1, end) for end in self._m.calendar.week_day_ends]
        return self._run

    def pattern(self) -> tuple[list[list[int]], list[int]]:
        """Running totals of absent sessions on each weekday, and next to a weekend or holiday."""
        if self._pattern is None:
            m, calendar = self._m, self._m.calendar
            absent = gridmod.as_int(m.marked(gridmod.absent()))
            weeks = calendar.week_masks()
            by_day = []
            for d in range(5):
                found = absent & calendar.weekday_mask(d)
                by_day.append(_running([(found & week).bit_count() for week in weeks]))
            found = absent & calendar.next_to_break_mask()
            self._pattern = (by_day, _running([(found & week).bit_count() for week in weeks]))
        return self._pattern

    def rolling_count(self, codes: frozenset[str], weeks: int) -> list[int]:
        """Sessions with `codes` in the `weeks` school weeks that end with each week."""
        key = (codes, weeks)
        if key not in self._rolling:
            total = self.by_set[codes]
            self._rolling[key] = [total[w + 1] - total[max(0, w + 1 - weeks)] for w in range(self.weeks)]
        return self._rolling[key]


WEEK_KINDS = gridmod.table_of(lambda _code, category: {
    codetable.PRESENT: 1, codetable.AEA: 1, codetable.AUTHORISED: 2, codetable.UNAUTHORISED: 3}.get(category, 0))


class _BySet(dict):
    """Code set -> running totals by school week of sessions with those codes, made when first asked."""

    def __init__(self, m: PupilMetrics):
        super().__init__()
        self._m = m

    def __missing__(self, codes: frozenset[str]) -> list[int]:
        found = self[codes] = _running(self._m.weekly(gridmod.in_set(codes)))
        return found


def weekly_counts(m: PupilMetrics, running: tuple[list[int], list[int], list[int]] | None = None) -> WeeklyCounts:
    """The pupil's weekly counts, made once and kept with the pupil's figures (code sets are counted
    when first asked for). `running`: the attended, authorised and unauthorised running totals by
    week, when they were counted for all pupils at once (engine/batch.py)."""
    found = m._cache.get("weekly")
    if found is None:
        found = m._cache["weekly"] = WeeklyCounts(m, running)
    return found


def _running(values) -> list[int]:
    """[0, v0, v0 + v1, ...]."""
    return list(accumulate(values, initial=0))


def each_week(running: list[int]) -> list[int]:
    """The values whose running totals are `running` (_running undone)."""
    return list(map(operator.sub, running[1:], running[:-1]))


class _RunningTotals(dict):
    """Figure -> the pupil's running totals of it by week (WeeklyCounts' attended, possible, absent,
    authorised or unauthorised), each taken when a rule first asks for it."""

    def __init__(self, counts: WeeklyCounts):
        super().__init__(attended=counts.attended, possible=counts.possible)
        self._counts = counts

    def __missing__(self, figure: str) -> list[int]:
        if figure not in _LATER_FIGURES:
            raise KeyError(figure)
        found = self[figure] = getattr(self._counts, figure)
        return found


_LATER_FIGURES = ("absent", "authorised", "unauthorised")


class PastRules:
    """Stage and flag rules checked at the end of every school week, from weekly counts (no sentences).

    Each condition is checked for all weeks at once: a list of booleans, one per week."""

    def __init__(self, policy: Policy, counts: WeeklyCounts, year_weeks: dict[int, tuple[int, int] | None]):
        self.policy = policy
        self.c = counts
        self.year_weeks = year_weeks  # first_weeks -> (first week index, end week index) of the school year
        self._flags: dict[str, list[bool]] = {}
        self._stages: list[str] | None = None
        self.totals = _RunningTotals(counts)

    def stage_at(self, w: int) -> str:
        return self._by_week()[w]

    def stages_before(self, w: int) -> list[str]:
        """The stage at the end of each week before week w."""
        return self._by_week()[:w]

    def _by_week(self) -> list[str]:
        if self._stages is None:
            self._stages = self._all_stages()
        return self._stages

    def _all_stages(self) -> list[str]:
        out = [self.policy.stages[0].id] * self.c.weeks
        weeks = range(self.c.weeks)
        for stage in self.policy.stages[1:]:  # a later stage overwrites an earlier one, in the weeks it is met
            for w in compress(weeks, self.rule_weeks(stage.rule)):
                out[w] = stage.id
        # possible sessions to the end of each week never fall: the weeks with too few are the first ones
        too_few = bisect_left(self.c.possible, self.policy.minimum_possible_sessions.value, 1) - 1
        out[:too_few] = [NOT_ENOUGH_DATA] * too_few
        return out

    def flag_at(self, name: str, w: int) -> bool:
        return w >= 0 and self.flag_weeks(name)[w]

    def flag_weeks(self, name: str) -> list[bool]:
        """Whether the flag's rule is met at the end of each week."""
        if name not in self._flags:
            self._flags[name] = self.rule_weeks(self.policy.flags[name].rule)
        return self._flags[name]

    def rule_weeks(self, rule: Rule) -> list[bool]:
        """Whether the rule is met at the end of each week."""
        out = None
        for group in rule.groups:
            found = self.met_weeks(group[0])
            for c in group[1:]:
                found = list(map(operator.and_, found, self.met_weeks(c)))
            out = found if out is None else list(map(operator.or_, out, found))
        return out if out is not None else [False] * self.c.weeks

    def met_weeks(self, c: Condition) -> list[bool]:
        """Whether the condition is met at the end of each week."""
        if c.measure == "flag":
            return self.flag_weeks(c.flag)
        return MEASURES[c.measure].week_ends(c, self, week_spans(self.c.weeks, c.weeks, c.weeks_ago))


class WeekSpans(tuple):
    """For each school week, the (start, end) indexes of the running totals a condition takes its
    figure between at the end of that week; `of` takes every week's figure at once."""

    def __new__(cls, pairs):
        self = super().__new__(cls, pairs)
        starts = [s for s, _e in self]
        self._ends = _taker([e for _s, e in self])
        self._starts = _taker(starts) if any(starts) else None  # running totals start at 0
        return self

    def of(self, running: list[int]) -> tuple[int, ...] | list[int]:
        """Each week's figure (end minus start) from running totals by week."""
        ends = self._ends(running)
        return ends if self._starts is None else list(map(operator.sub, ends, self._starts(running)))


def _taker(indexes: list[int]):
    """seq -> the items at `indexes` (a function running in C): a slice when they follow one another
    (each week's end, for every condition), else a tuple."""
    if len(indexes) > 1 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return operator.itemgetter(slice(indexes[0], indexes[-1] + 1))
    if len(indexes) == 1:
        return lambda seq, i=indexes[0]: (seq[i],)
    return operator.itemgetter(*indexes) if indexes else lambda _seq: ()


@lru_cache(maxsize=None)
def week_spans(weeks: int, last: int | None, weeks_ago: int | None) -> WeekSpans:
    """For each of `weeks` school weeks, the (start, end) indexes of the running totals a condition
    takes its figure between at the end of that week: over the `last` school weeks (the whole
    period if None), or the whole period before the last `weeks_ago`. The same for every pupil."""
    ends = range(1, weeks + 1)
    if weeks_ago:
        return WeekSpans((0, max(0, e - weeks_ago)) for e in ends)
    return WeekSpans((0 if last is None else max(0, e - last), e) for e in ends)


def year_week_spans(policy: Policy, calendar, as_of: date) -> dict[int, tuple[int, int] | None]:
    """For each first_weeks in the rules: the week indexes [first, end) of those weeks of the school year."""
    rules = [f.rule for f in policy.flags.values()] + [s.rule for s in policy.stages if s.rule]
    wanted = {c.first_weeks for r in rules for g in r.groups for c in g if c.first_weeks}
    if not wanted or policy.school_year is None:
        return {}
    spans: dict[int, tuple[int, int] | None] = {}
    for weeks in wanted:
        keys = calendar.year_weeks(policy.school_year.start_for(as_of), weeks)
        if keys is None:
            spans[weeks] = None
            continue
        first_day, end_key = keys[0] >> 1, keys[1]
        first_monday = monday_of(first_day)
        mondays = calendar.mondays
        first = next((i for i, m in enumerate(mondays) if m >= first_monday), len(mondays))
        end = next((i for i, m in enumerate(mondays) if m * 2 >= end_key), len(mondays))
        spans[weeks] = (first, end)
    return spans


@dataclass
class PupilHistory:
    """A pupil's stage by week (from the week it changed), and since when the current stage and flags hold."""

    stages: list[str] = field(default_factory=list)  # stage at the end of each school week; the last is now
    stage_since: int | None = None  # week index the current stage's spell began
    flag_since: dict[str, int] = field(default_factory=dict)  # current flag -> week index its spell began
    past: PastRules | None = None  # rules checked at other weeks, for the worklist
    _open: list[str] | None = field(default=None, repr=False)

    def stage_at(self, w: int) -> str | None:
        return self.stages[w] if 0 <= w < len(self.stages) else None

    def weeks_at_stage(self, w: int) -> int:
        """School weeks at the stage held at the end of week w, counting week w."""
        stage, start = self.stages[w], w
        while start > 0 and self.stages[start - 1] == stage:
            start -= 1
        return w - start + 1

    @property
    def close_weeks(self) -> int:
        return self.past.policy.worklist.close_after_weeks if self.past else 1

    def open_stages(self) -> list[str]:
        """The stage whose case is open at the end of each week (open_stage_series)."""
        if self._open is None:
            worklist = self.past.policy.worklist if self.past else None
            if worklist is None or (worklist.close_after_weeks == 1 and not worklist.step_down_at_close):
                self._open = self.stages  # each week's case is that week's stage
            else:
                ladder = tuple(s.id for s in self.past.policy.stages)
                self._open = list(open_stage_series(tuple(self.stages), ladder, worklist.close_after_weeks,
                                                    worklist.step_down_at_close))
        return self._open

    @property
    def step_down_at_close(self) -> bool:
        return bool(self.past) and self.past.policy.worklist.step_down_at_close

    def open_stage_at(self, w: int) -> str | None:
        return self.open_stages()[w] if 0 <= w < len(self.stages) else None

    def weeks_open(self, w: int) -> int:
        """School weeks the case has been open at the stage open at the end of week w, counting week w."""
        return w - self.open_since(w) + 1

    def open_since(self, w: int) -> int:
        """The week the current spell of the stage open at the end of week w began."""
        stages = self.open_stages()
        start = w
        while start > 0 and stages[start - 1] == stages[w]:
            start -= 1
        return start

    def flag_open_at(self, name: str, w: int) -> bool:
        """Whether the flag was met in any of the close_after_weeks school weeks to the end of week w."""
        if not self.past or w < 0:
            return False
        flag_at = self.past.flag_at
        return any(flag_at(name, v) for v in range(max(0, w - self.close_weeks + 1), w + 1))

    def spells_began(self, stage: str, flags: list[str]) -> dict[str, int]:
        """Stage id or flag name -> the week its current spell began, bridging gaps shorter than
        close_after_weeks (what a letter sent once per spell is measured against)."""
        now = len(self.stages) - 1
        out = {stage: self.spell_start(lambda v: self.stages[v] == stage, now)}
        for name in flags:
            out[name] = self.spell_start(lambda v, name=name: self.past.flag_at(name, v), now) if self.past else now
        return out

    def spell_start(self, met, w: int) -> int:
        """The week the spell holding at week w began, bridging gaps shorter than close_after_weeks:
        `met(v)` says whether the stage or flag held at the end of week v."""
        begin, gap, v, close = w, 0, w - 1, self.close_weeks
        while v >= 0 and gap < close:
            if met(v):
                begin, gap = v, 0
            else:
                gap += 1
            v -= 1
        return begin


@lru_cache(maxsize=4096)
def open_stage_series(stages: tuple[str, ...], ladder: tuple[str, ...], close_weeks: int,
                      hold: bool) -> tuple[str, ...]:
    """The stage whose case is open at the end of each week, given the stage at the end of each
    week and the ladder's stage ids: the highest stage met in the last `close_weeks` school weeks,
    so a case steps down only after that many weeks below its stage. With `hold` ([worklist]
    step_down_at_close), an open case (above the first stage) keeps the highest stage it has
    reached, and steps down only when it closes. Kept by its arguments: most pupils' weeks are one
    of a few patterns (a fifth of a school's pupils have a pattern of their own)."""
    ranks = {s: i for i, s in enumerate(ladder)}
    ranked = [ranks.get(s, -1) for s in stages]  # -1: not a stage of the ladder
    n = len(ranked)  # the highest rank in the k weeks to the end of each week, of the ranks `back` weeks before
    highest = (list(map(max, *([-1] * back + ranked[:n - back] for back in range(close_weeks))))
               if close_weeks > 1 else ranked)
    out = [ladder[best] if best >= 0 else stage for stage, best in zip(stages, highest)]
    if hold:
        for w in range(1, len(out)):
            if highest[w] > 0 and ranks.get(out[w - 1], 0) > highest[w]:
                out[w] = out[w - 1]  # the case is still open: it keeps its highest stage
    return tuple(out)


def pupil_history(m: PupilMetrics, stage: str, flags: list[str], policy: Policy, spans, past=None) -> PupilHistory:
    """The history of one classified pupil (stage and flags as the classification gave them now).
    `past`: the pupil's rules at each week already checked (engine/batch.py, with the open case in
    each week when it was given the stage now), else PastRules."""
    opened = past.open_stages() if past is not None else None
    past = past or PastRules(policy, weekly_counts(m), spans)
    now = len(m.calendar.week_columns) - 1
    stages = past.stages_before(now) + [stage]
    start = now
    while start > 0 and stages[start - 1] == stage:
        start -= 1
    history = PupilHistory(stages, start, past=past, _open=opened)
    for name in flags:
        held, begin = past.flag_weeks(name), now
        while begin > 0 and held[begin - 1]:
            begin -= 1
        history.flag_since[name] = begin
    return history


def comparison_week(calendar, since: date | None) -> int:
    """The school week to compare with: the last one ending (its Friday) on or before `since`, or
    by default the one before the as-of date's week; -1 when there is none (everything is new)."""
    now = len(calendar.mondays) - 1
    if since is None:
        return now - 1
    ended = [w for w, monday in enumerate(calendar.mondays) if monday + 4 <= since.toordinal()]
    return min(ended[-1] if ended else -1, now - 1)


def week_end(calendar, w: int) -> date | None:
    """The last school day of week w (its Friday if the register has no school day that week)."""
    if w < 0:
        return None
    monday = calendar.mondays[w]
    days = [d for d in calendar.days if monday <= d < monday + 7]
    return date.fromordinal(days[-1] if days else monday + 4)


def unresolved_n(m: PupilMetrics, limit: int, then: date | None) -> list[dict]:
    """N marks more than `limit` school days old on the as-of date: date, session, school days since,
    and whether they were already overdue on `then` (the comparison date)."""
    if not m.tally.get(codetable.UNEXPLAINED):
        return []
    days = m.calendar.days
    last = bisect_right(days, m.as_of.toordinal())
    before = bisect_right(days, then.toordinal()) if then else None
    out, n_id = [], code_ids()[codetable.UNEXPLAINED]
    grid, column = m.calendar.grid, m.row.find(n_id)
    while column >= 0:
        key = grid.key(column)
        after = last - bisect_right(days, key >> 1)
        if after > limit:
            earlier = None if before is None else before - bisect_right(days, key >> 1)
            out.append({"date": date.fromordinal(key >> 1).isoformat(), "session": "AM" if key % 2 == 0 else "PM",
                        "school_days": after, "new": earlier is None or earlier <= limit})
        column = m.row.find(n_id, column + 1)
    return out
