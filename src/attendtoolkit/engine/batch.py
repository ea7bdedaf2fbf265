"""Whether each flag and stage rule is met, for every pupil at once (numpy; the pandas engine).

The figures are those of engine/metrics.py, counted over the whole session grid as a pupils x
sessions matrix: a count over columns [a, b) is a sum along each row of the matrix translated by
a grid table, and a count by school week one np.add.reduceat over the week edges.
Each condition is then one comparison of whole numbers across all pupils, exactly as
classify._check makes it for one pupil. Classification writes sentences only for the rules met
here. A rule this cannot decide for everyone (a condition the file cannot answer, or a stage
that uses a legal flag, which depends on the pupil's compulsory school age) is left to
classification, pupil by pupil.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from attendtoolkit.engine import grid as gridmod
from attendtoolkit.engine.history import NOT_ENOUGH_DATA, WEEK_KINDS
from attendtoolkit.engine.metrics import Calendar
from attendtoolkit.policy.measures import MEASURES
from attendtoolkit.policy.measures.counts import first_weeks_year_start
from attendtoolkit.policy.model import Condition, Policy, Rule


class Undecided(Exception):
    """A condition the batch cannot decide for every pupil."""


class GridFigures:
    """Counts over column spans of the grid rows of `pupil_ids`, from the rows translated once per table."""

    def __init__(self, calendar: Calendar, pupil_ids: list[str]):
        grid = calendar.grid
        self.calendar, self.width = calendar, grid.width
        self._rows = b"".join(grid.row(p) for p in pupil_ids)
        self.matrix = np.frombuffer(self._rows, dtype=np.uint8).reshape(len(pupil_ids), grid.width)
        self._translated: dict[bytes, np.ndarray] = {}
        week_edges = [column for a, b in calendar.week_columns for column in (a, b)]
        if week_edges and week_edges[-1] == self.width:
            week_edges.pop()  # np.add.reduceat sums to the end after the last edge given
        self._week_edges = week_edges

    def translated(self, table: bytes) -> np.ndarray:
        """The matrix translated by a grid table (kept: a handful of tables, each the size of the
        matrix). bytes.translate is about three times as fast as indexing the table with the matrix."""
        found = self._translated.get(table)
        if found is None:
            found = self._translated[table] = np.frombuffer(self._rows.translate(table), dtype=np.uint8).reshape(
                self.matrix.shape)
        return found

    def count(self, table: bytes, first: int, end: int, value: int = 1) -> np.ndarray:
        """Sessions whose translated byte is `value` in columns [first, end), summed along each row:
        a count is asked for a few spans only, so this is cheaper than running totals of every column."""
        marked = self.translated(table)[:, first:end] == value
        return marked.sum(axis=1, dtype=_counting(self.width)).astype(np.int64)

    def counts(self, first: int, end: int | None = None) -> dict[str, np.ndarray]:
        """Sessions by category in columns [first, end), with possible, attended and absent."""
        end = self.width if end is None else end
        table = gridmod.by_category()
        out = {name: self.count(table, first, end, i) for name, i in gridmod.CATEGORY_IDS.items()}
        out["attended"] = out["present"] + out["aea"]
        out["absent"] = out["authorised"] + out["unauthorised"]
        out["possible"] = out["attended"] + out["absent"]
        return out

    def weekly(self, table: bytes, value: int = 1) -> np.ndarray:
        """pupils x weeks: sessions whose translated byte is `value` in each school week."""
        return self._week_sums(self.translated(table) == value)

    def weekly_by_day(self, table: bytes) -> np.ndarray:
        """pupils x weeks x 7: sessions whose translated byte is 1 on each day of each school week,
        Monday first (0 for a day the grid does not have). A week holds a day at most once, so each
        is taken from the sums by day: no sum over the columns of each weekday, week by week."""
        marked = (self.translated(table) == 1).view(np.uint8)
        by_day = np.zeros((len(marked), self.width // 2 + 1), dtype=np.uint8)  # the last: no such day
        np.add(marked[:, 0::2], marked[:, 1::2], out=by_day[:, :-1])
        return by_day[:, self._week_days()]

    def _week_days(self) -> np.ndarray:
        """weeks x 7: each school week's days as grid day indexes (the number of grid days for a day
        the grid does not have)."""
        grid, at = self.calendar.grid, {day: i for i, day in enumerate(self.calendar.grid.days)}
        return np.array([[at.get(monday + d, len(grid.days)) for d in range(7)] for monday in self.calendar.mondays],
                        dtype=np.int64).reshape(len(self.calendar.mondays), 7)

    def _week_sums(self, marked: np.ndarray) -> np.ndarray:
        """pupils x weeks: the marked columns in each school week, each week's span [a, b) summed at
        once by np.add.reduceat over the edges a0, b0, a1, b1... (the sums from each b to the next a
        are not weeks and are dropped)."""
        if not self._week_edges or not len(marked):
            return np.zeros((len(marked), len(self.calendar.week_columns)), dtype=np.int64)
        kind = _counting(self.width)
        sums = np.add.reduceat(marked.view(np.uint8), self._week_edges, axis=1, dtype=kind)
        return sums[:, 0::2].astype(np.int64)

    def day_kinds(self) -> np.ndarray:
        """pupils x days: 0 no possible session, 1 every possible session G, N or O, 3 otherwise."""
        kinds = self.translated(gridmod.run_kind())
        return kinds[:, 0::2] | kinds[:, 1::2]

    def rolling_count(self, codes: frozenset[str], weeks: int) -> np.ndarray:
        """Sessions with `codes` in the last `weeks` school weeks (the rolling period ending now)."""
        weekly = self.weekly(gridmod.in_set(codes))
        if not weekly.shape[1]:
            return np.zeros(len(self.matrix), dtype=np.int64)
        return weekly[:, max(0, weekly.shape[1] - weeks):].sum(axis=1)

    def continuous_absence(self) -> np.ndarray:
        """School days in the current run of days whose every possible session is G, N or O."""
        days = self.day_kinds()
        if not days.shape[1]:
            return np.zeros(len(self.matrix), dtype=np.int64)
        breaks = days == 3
        last = np.where(breaks.any(axis=1), days.shape[1] - 1 - np.argmax(breaks[:, ::-1], axis=1), -1)
        after = np.arange(days.shape[1]) > last[:, None]  # the days after each pupil's last break
        return np.count_nonzero((days == 1) & after, axis=1).astype(np.int64)

    def absent_in(self, first: int, mask: int | None) -> np.ndarray:
        """Absent sessions from column `first`, only in the columns of a grid mask (all if None)."""
        absent = self.translated(gridmod.absent())[:, first:]
        if mask is not None:
            picked = np.frombuffer(mask.to_bytes(self.width, "big"), dtype=np.uint8)[first:].astype(bool)
            absent = absent[:, picked]
        return absent.sum(axis=1, dtype=np.int64)


class BatchRules:
    """Rule -> met (a bool per pupil), checked as classify._check_rule checks them without words."""

    def __init__(self, figures: GridFigures, policy: Policy, as_of):
        self.f, self.policy, self.as_of = figures, policy, as_of
        self._windows: dict = {}

    def rule(self, rule: Rule, flags: dict[str, np.ndarray] | None) -> np.ndarray:
        """Met for each pupil; Undecided when a condition cannot be decided for everyone. `flags`:
        flag name -> set for each pupil (None: no flag is set, as when flags themselves are checked)."""
        met = np.zeros(len(self.f.matrix), dtype=bool)
        for group in rule.groups:
            found = np.ones(len(self.f.matrix), dtype=bool)
            for c in group:
                found &= self.condition(c, flags)
            met |= found
        return met

    def window(self, weeks: int | None) -> dict[str, np.ndarray]:
        if weeks not in self._windows:
            self._windows[weeks] = self.f.counts(self.f.calendar.window_column(weeks))
        return self._windows[weeks]

    def before(self, weeks: int) -> dict[str, np.ndarray]:
        key = ("before", weeks)
        if key not in self._windows:
            self._windows[key] = self.f.counts(0, self.f.calendar.window_column(weeks))
        return self._windows[key]

    def condition(self, c: Condition, flags: dict[str, np.ndarray] | None) -> np.ndarray:
        if c.measure == "flag":
            if flags is None:
                return np.zeros(len(self.f.matrix), dtype=bool)
            if c.flag not in flags:
                raise Undecided(c.flag)
            return flags[c.flag]
        counts = self.before(c.weeks_ago) if c.weeks_ago else self.window(c.weeks)
        return MEASURES[c.measure].batch(c, self, counts)

    def sessions(self, c: Condition) -> np.ndarray:
        """PupilMetrics.count for every pupil."""
        calendar, grid = self.f.calendar, self.f.calendar.grid
        first, end = calendar.window_column(c.weeks), grid.width
        year_start = first_weeks_year_start(c, self.policy, self.as_of)
        if c.first_weeks and year_start:
            keys = calendar.year_weeks(year_start, c.first_weeks)
            if keys is None:
                raise Undecided("the file starts after the first weeks of the school year")
            first, end = grid.column(keys[0]), grid.column(keys[1])
        elif c.first_weeks:
            end = grid.column(calendar.first_weeks_end(c.first_weeks))
        return self.f.count(gridmod.in_set(c.codes), first, end)


BLOCK = 8192  # pupils at a time: the running totals of a block take a few tens of megabytes


@dataclass
class Checked:
    """What is worked out at once for a list of pupils: per pupil, flag name or stage id -> whether
    its rule is met (`decided`), and pupils x school weeks arrays of the sessions attended and possible
    in each week (the weekly trend's figures, engine/cohorts.py). Arrays, not a Python object per
    pupil and week, so that a part made in another process is handed back cheaply."""
    decided: list[dict[str, bool]]
    attended: np.ndarray
    possible: np.ndarray


def checked(calendar: Calendar, pupil_ids: list[str], policy: Policy, as_of) -> Checked:
    """The rules decided for everyone, and each pupil's sessions by school week. A legal flag is
    decided over all the pupil's sessions, which is its answer unless the pupil's compulsory school
    age leaves some out (classification checks those pupils itself); rules that use a legal flag
    are not decided."""
    decided: list[dict[str, bool]] = []
    attended, possible = [], []
    for start in range(0, len(pupil_ids), BLOCK):
        figures = GridFigures(calendar, pupil_ids[start:start + BLOCK])
        decided += _block(figures, policy, as_of)
        attended.append(figures.weekly(WEEK_KINDS, 1))  # two sums by week, not one for each category
        possible.append(figures.weekly(gridmod.possible()))
    weeks = len(calendar.week_columns)  # a week holds at most 14 sessions: int16 is a quarter of int64 to hand back
    return Checked(decided, *(np.concatenate(found).astype(np.int16) if found else np.zeros((0, weeks), dtype=np.int16)
                              for found in (attended, possible)))


def week_sums(weeks: tuple[np.ndarray, np.ndarray], rows: list[int]) -> tuple[list[int], list[int]]:
    """Checked's sessions attended and possible in each school week, summed over some pupils (their rows)."""
    return tuple(found[rows].sum(axis=0, dtype=np.int64).tolist() for found in weeks)


def rules_met(calendar: Calendar, pupil_ids: list[str], policy: Policy, as_of) -> list[dict[str, bool]]:
    """Per pupil, flag name or stage id -> whether its rule is met (checked's `decided`)."""
    return checked(calendar, pupil_ids, policy, as_of).decided


def _block(figures: GridFigures, policy: Policy, as_of) -> list[dict[str, bool]]:
    legal = set(policy.compulsory_school_age.legal_flags) if policy.compulsory_school_age else set()
    batch = BatchRules(figures, policy, as_of)
    found: dict[str, np.ndarray] = {}
    for flag in policy.flags.values():  # a legal flag over every session (see checked)
        try:
            found[flag.name] = batch.rule(flag.rule, None)
        except Undecided:
            pass
    flags = {name: met for name, met in found.items() if name not in legal}  # the same for every age
    for stage in policy.stages[1:]:
        try:
            found[stage.id] = batch.rule(stage.rule, flags)
        except Undecided:
            pass
    names = list(found)
    if not names or not len(figures.matrix):
        return [{} for _ in range(len(figures.matrix))]
    shared: dict[tuple, dict[str, bool]] = {}  # pupils with the same decisions share one dict (read only)
    out = []
    for row in zip(*(found[n].tolist() for n in names)):
        decided = shared.get(row)
        if decided is None:
            decided = shared[row] = dict(zip(names, row))
        out.append(decided)
    return out


class PastWeeks:
    """One pupil's stage and flags at the end of each school week (PastRules' interface), read from
    their block's arrays: pupil i of a BatchPast. Nothing is copied per pupil until it is asked for."""

    def __init__(self, block: BatchPast, i: int):
        self.policy, self._block, self._i = block.policy, block, i

    def stage_at(self, w: int) -> str:
        return self._block.stage_names[self._block.stage_index[self._i, w]]

    def stages_before(self, w: int) -> list[str]:
        names = self._block.stage_names
        return [names[i] for i in self._block.stage_index[self._i, :w].tolist()]

    def flag_at(self, name: str, w: int) -> bool:
        return w >= 0 and bool(self._block.flag_weeks(name)[self._i, w])

    def flag_weeks(self, name: str) -> list[bool]:
        return self._block.flag_weeks(name)[self._i].tolist()

    def open_stages(self) -> list[str] | None:
        """history.PupilHistory.open_stages, worked out for the block at once (None if it was not)."""
        found, names = self._block.open_index, self._block.stage_names
        return None if found is None else [names[i] for i in found[self._i].tolist()]

    @property
    def running(self) -> tuple[list[int], list[int], list[int]]:
        """Attended, authorised and unauthorised sessions to the end of each week."""
        b, i = self._block, self._i
        return b.attended[i].tolist(), b.authorised[i].tolist(), b.unauthorised[i].tolist()

    def absence_pattern(self) -> tuple[int, list[int], int]:
        """PupilMetrics.absence_pattern(None): absent sessions, those on each weekday Monday to Friday,
        and those next to a weekend or holiday, over the whole period."""
        absent, *by_day, near = self._block.pattern_totals[self._i].tolist()
        return absent, by_day, near


class BatchPast:
    """history.PastRules for every pupil at once: each rule at the end of every school week, from
    running totals by week (pupils x weeks + 1)."""

    def __init__(self, figures: GridFigures, policy: Policy, year_weeks: dict[int, tuple[int, int] | None]):
        self.f, self.policy, self.year_weeks = figures, policy, year_weeks
        self.weeks = len(figures.calendar.week_columns)
        self.attended, authorised, unauthorised = (_running(figures.weekly(WEEK_KINDS, v)) for v in (1, 2, 3))
        self.authorised, self.unauthorised = authorised, unauthorised
        self.possible = self.attended + authorised + unauthorised
        self.totals = {"attended": self.attended, "absent": self.possible - self.attended, "authorised": authorised,
                       "unauthorised": unauthorised, "possible": self.possible}
        self._cache: dict = {}

    def stages(self) -> None:
        """Each pupil's stage at the end of each week: stage_names[stage_index[pupil, week]]."""
        self.stage_names = [s.id for s in self.policy.stages] + [NOT_ENOUGH_DATA]
        out = np.zeros((len(self.f.matrix), self.weeks), dtype=np.int16)
        for i, stage in enumerate(self.policy.stages[1:], start=1):  # a later stage overwrites an earlier one
            out[self.rule_weeks(stage.rule)] = i
        out[self.possible[:, 1:] < self.policy.minimum_possible_sessions.value] = len(self.stage_names) - 1
        self.stage_index = out
        self.open_index = None

    def open_cases(self, now: list[str]) -> None:
        """Each pupil's open case at the end of each week, stage_names[open_index[pupil, week]]: as
        history.PupilHistory.open_stages works it out from the stages by week, the last being `now`
        (each pupil's stage now, as classified: a stage of the ladder or not enough data)."""
        if not self.weeks:  # nothing to work out: the history holds the stage now only
            return
        ladder, code = len(self.policy.stages), {name: i for i, name in enumerate(self.stage_names)}
        stages = self.stage_index.copy()
        stages[:, -1] = [code[stage] for stage in now]
        close, hold = self.policy.worklist.close_after_weeks, self.policy.worklist.step_down_at_close
        if close == 1 and not hold:
            self.open_index = stages
            return
        ranked = np.where(stages < ladder, stages, -1)  # -1: not a stage of the ladder
        highest = ranked.copy()  # the highest rank in the close_after_weeks weeks to the end of each week
        for back in range(1, min(close, stages.shape[1])):
            np.maximum(highest[:, back:], ranked[:, :-back], out=highest[:, back:])
        out = np.where(highest >= 0, highest, stages).astype(np.int16)
        if hold:  # an open case keeps its highest stage
            for w in range(1, out.shape[1]):
                before = out[:, w - 1]
                kept = (highest[:, w] > 0) & (np.where(before < ladder, before, 0) > highest[:, w])
                out[:, w] = np.where(kept, before, out[:, w])
        self.open_index = out

    def keep_only_results(self) -> None:
        """Drop what only the checks needed (the grid block and running counts by code set)."""
        for name in self.policy.flags:
            self.flag_weeks(name)
        by_day, near = self.pattern()  # every absent session is in a school week: the totals are the period's
        self.pattern_totals = np.stack([self.totals["absent"][:, -1], *(d[:, -1] for d in by_day), near[:, -1]], axis=1)
        self._cache = {key: found for key, found in self._cache.items() if key[0] == "flag"}
        self.f = None

    def flag_weeks(self, name: str) -> np.ndarray:
        key = ("flag", name)
        if key not in self._cache:
            self._cache[key] = self.rule_weeks(self.policy.flags[name].rule)
        return self._cache[key]

    def rule_weeks(self, rule: Rule) -> np.ndarray:
        out = np.zeros((len(self.f.matrix), self.weeks), dtype=bool)
        for group in rule.groups:
            found = np.ones_like(out)
            for c in group:
                found &= self.met_weeks(c)
            out |= found
        return out

    def met_weeks(self, c: Condition) -> np.ndarray:
        """history.PastRules.met_weeks for every pupil: pupils x weeks."""
        if c.measure == "flag":
            return self.flag_weeks(c.flag)
        ends = np.arange(1, self.weeks + 1)
        if c.weeks_ago:
            e, s = np.maximum(0, ends - c.weeks_ago), np.zeros_like(ends)
        else:
            e, s = ends, np.zeros_like(ends) if c.weeks is None else np.maximum(0, ends - c.weeks)
        return MEASURES[c.measure].batch_week_ends(c, self, s, e)

    def by_set(self, codes: frozenset[str]) -> np.ndarray:
        key = ("set", codes)
        if key not in self._cache:
            self._cache[key] = _running(self.f.weekly(gridmod.in_set(codes)))
        return self._cache[key]

    def pattern(self) -> tuple[list[np.ndarray], np.ndarray]:
        """Running totals by week of absent sessions on each weekday, and next to a weekend or holiday."""
        if "pattern" not in self._cache:
            calendar = self.f.calendar
            days = self.f.weekly_by_day(gridmod.absent())
            near = calendar.next_to_break()
            near_days = np.array([[monday + d in near for d in range(7)] for monday in calendar.mondays],
                                 dtype=np.uint8).reshape(self.weeks, 7)
            by_day = [_running(days[:, :, d].astype(np.int64)) for d in range(5)]
            self._cache["pattern"] = by_day, _running((days * near_days).sum(axis=2, dtype=np.int64))
        return self._cache["pattern"]

    def rolling_count(self, codes: frozenset[str], weeks: int) -> np.ndarray:
        """Sessions with `codes` in the `weeks` school weeks that end with each week."""
        total, ends = self.by_set(codes), np.arange(1, self.weeks + 1)
        if not self.weeks:
            return np.zeros((len(total), 0), dtype=np.int64)
        return total[:, ends] - total[:, np.maximum(0, ends - weeks)]

    def run_at_end(self) -> np.ndarray:
        """School days in a row of G, N or O at the end of each week."""
        if "run" not in self._cache:
            days = self.f.day_kinds()
            if not self.weeks or not days.shape[1]:
                return np.zeros((len(days), self.weeks), dtype=np.int64)
            kind = _counting(days.shape[1])
            last = np.maximum.accumulate(np.where(days == 3, np.arange(days.shape[1], dtype=kind), kind(-1)), axis=1)
            ones = np.zeros((len(days), days.shape[1] + 1), dtype=kind)
            np.cumsum(days == 1, axis=1, dtype=kind, out=ones[:, 1:])
            ends = np.array(self.f.calendar.week_day_ends, dtype=np.int64)
            before = np.where(ends > 0, last[:, np.maximum(ends - 1, 0)], -1)  # the last day of 3 before each end
            self._cache["run"] = ones[:, ends].astype(np.int64) - np.take_along_axis(ones, before + 1, axis=1)
        return self._cache["run"]


def _counting(n: int):
    """The smallest integer type that counts to `n` (columns or days of a grid): int16 for a year
    of sessions moves a quarter of the memory of int64."""
    return np.int16 if n < np.iinfo(np.int16).max else np.int32


def _running(weekly: np.ndarray) -> np.ndarray:
    """pupils x (n + 1): the totals before each column."""
    out = np.zeros((weekly.shape[0], weekly.shape[1] + 1), dtype=np.int64)
    np.cumsum(weekly, axis=1, out=out[:, 1:])
    return out


def past_weeks(calendar: Calendar, pupil_ids: list[str], policy: Policy,
               year_weeks: dict[int, tuple[int, int] | None], now: list[str] | None = None) -> list[PastWeeks]:
    """Each pupil's stage and flags at the end of every school week; with `now`, each pupil's stage
    now (as classified: a stage of the ladder or not enough data), also their open case in each week."""
    out: list[PastWeeks] = []
    for start in range(0, len(pupil_ids), BLOCK):
        block = pupil_ids[start:start + BLOCK]
        batch = BatchPast(GridFigures(calendar, block), policy, year_weeks)
        batch.stages()
        if now is not None:
            batch.open_cases(now[start:start + BLOCK])
        batch.keep_only_results()
        out += [PastWeeks(batch, i) for i in range(len(block))]
    return out
