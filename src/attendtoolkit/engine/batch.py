"""Whether each flag and stage rule is met, for every pupil at once (numpy; the pandas engine).

The figures are those of engine/metrics.py, counted over the whole session grid as a pupils x
sessions matrix: a count over columns [a, b) is a difference of running totals along each row.
Each condition is then one comparison of whole numbers across all pupils, exactly as
classify._check makes it for one pupil. Classification writes sentences only for the rules met
here. A rule this cannot decide for everyone (a condition the file cannot answer, or one that
depends on a pupil's compulsory school age) is left to classification, pupil by pupil.
"""

from __future__ import annotations

import operator

import numpy as np

from attendtoolkit.engine import grid as gridmod
from attendtoolkit.engine.metrics import Calendar
from attendtoolkit.policy.model import CHANGE_MEASURES, PATTERN_MEASURES, PERCENT_MEASURES, Condition, Policy, Rule

_COMPARE = {"below": operator.lt, "at_most": operator.le, "at_least": operator.ge, "above": operator.gt}
_PART = {"attendance_pct": "attended", "absence_pct": "absent", "authorised_pct": "authorised",
         "unauthorised_pct": "unauthorised"}


class Undecided(Exception):
    """A condition the batch cannot decide for every pupil."""


class GridFigures:
    """Counts over column spans of the grid rows of `pupil_ids`, made once per translate table."""

    def __init__(self, calendar: Calendar, pupil_ids: list[str]):
        grid = calendar.grid
        self.calendar, self.width = calendar, grid.width
        data = b"".join(grid.row(p) for p in pupil_ids)
        self.matrix = np.frombuffer(data, dtype=np.uint8).reshape(len(pupil_ids), grid.width)
        self._running: dict = {}

    def running(self, table: bytes, value: int = 1) -> np.ndarray:
        """pupils x (width + 1): sessions whose translated byte is `value` in the columns before each."""
        key = (table, value)
        if key not in self._running:
            marked = np.frombuffer(table, dtype=np.uint8)[self.matrix] == value
            out = np.zeros((len(self.matrix), self.width + 1), dtype=np.int32)
            np.cumsum(marked, axis=1, out=out[:, 1:])
            self._running[key] = out
        return self._running[key]

    def count(self, table: bytes, first: int, end: int, value: int = 1) -> np.ndarray:
        running = self.running(table, value)
        return running[:, end].astype(np.int64) - running[:, first]

    def counts(self, first: int, end: int | None = None) -> dict[str, np.ndarray]:
        """Sessions by category in columns [first, end), with possible, attended and absent."""
        end = self.width if end is None else end
        table = gridmod.by_category()
        out = {name: self.count(table, first, end, i) for name, i in gridmod.CATEGORY_IDS.items()}
        out["attended"] = out["present"] + out["aea"]
        out["absent"] = out["authorised"] + out["unauthorised"]
        out["possible"] = out["attended"] + out["absent"]
        return out

    def weekly(self, table: bytes) -> np.ndarray:
        """pupils x weeks: sessions whose translated byte is 1 in each school week."""
        running = self.running(table)
        starts = [a for a, _b in self.calendar.week_columns]
        ends = [b for _a, b in self.calendar.week_columns]
        return running[:, ends].astype(np.int64) - running[:, starts]

    def rolling_max(self, codes: frozenset[str], weeks: int) -> np.ndarray:
        """The most sessions with `codes` in any `weeks` school weeks in a row."""
        weekly = self.weekly(gridmod.in_set(codes))
        if not weekly.shape[1]:
            return np.zeros(len(self.matrix), dtype=np.int64)
        total = np.concatenate([np.zeros((len(weekly), 1), dtype=np.int64), np.cumsum(weekly, axis=1)], axis=1)
        ends = np.arange(1, weekly.shape[1] + 1)
        return (total[:, ends] - total[:, np.maximum(0, ends - weeks)]).max(axis=1)

    def continuous_absence(self) -> np.ndarray:
        """School days in the current run of days whose every possible session is G, N or O."""
        kinds = np.frombuffer(gridmod.run_kind(), dtype=np.uint8)[self.matrix]
        days = kinds[:, 0::2] | kinds[:, 1::2]
        if not days.shape[1]:
            return np.zeros(len(self.matrix), dtype=np.int64)
        breaks = days == 3
        last = np.where(breaks.any(axis=1), days.shape[1] - 1 - np.argmax(breaks[:, ::-1], axis=1), -1)
        ones = np.concatenate([np.zeros((len(days), 1), dtype=np.int64), np.cumsum(days == 1, axis=1)], axis=1)
        return ones[:, -1] - np.take_along_axis(ones, (last + 1)[:, None], axis=1)[:, 0]

    def absent_in(self, first: int, mask: int | None) -> np.ndarray:
        """Absent sessions from column `first`, only in the columns of a grid mask (all if None)."""
        absent = np.frombuffer(gridmod.absent(), dtype=np.uint8)[self.matrix[:, first:]]
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
        (num, den), compare = c.threshold.ratio, _COMPARE[c.compare]
        if c.measure == "flag":
            if flags is None:
                return np.zeros(len(self.f.matrix), dtype=bool)
            if c.flag not in flags:
                raise Undecided(c.flag)
            return flags[c.flag]
        counts = self.before(c.weeks_ago) if c.weeks_ago else self.window(c.weeks)
        if c.measure in PERCENT_MEASURES:
            part, possible = counts[_PART[c.measure]] + c.if_missed, counts["possible"] + c.if_missed
            return (counts["possible"] != 0) & compare(part * 100 * den, num * possible)
        if c.measure in CHANGE_MEASURES:
            recent, earlier = self.window(c.weeks), self.before(c.weeks)
            rp, ep = recent["possible"], earlier["possible"]
            change = (recent["attended"] * ep - earlier["attended"] * rp) * 100
            if c.measure != "attendance_rise":
                change = -change
            return (rp != 0) & (ep != 0) & compare(change * den, num * rp * ep)
        if c.measure in PATTERN_MEASURES:
            calendar, first = self.f.calendar, self.f.calendar.window_column(c.weeks)
            absent = self.f.absent_in(first, None)
            if c.measure == "weekday_absence_pct":
                part = sum(self.f.absent_in(first, calendar.weekday_mask(d)) for d in c.days)
            else:
                part = self.f.absent_in(first, calendar.next_to_break_mask())
            return (absent != 0) & compare(part * 100 * den, num * absent)
        if c.measure == "possible_sessions":
            return compare(counts["possible"] * den, num)
        if c.measure == "sessions":
            return compare(self.sessions(c) * den, num)
        if c.measure == "rolling_sessions":
            return compare(self.f.rolling_max(c.codes, c.rolling_weeks) * den, num)
        return compare(self.f.continuous_absence() * den, num)  # continuous_absence_days

    def sessions(self, c: Condition) -> np.ndarray:
        """PupilMetrics.count for every pupil."""
        calendar, grid = self.f.calendar, self.f.calendar.grid
        first, end = calendar.window_column(c.weeks), grid.width
        year_start = (self.policy.school_year.start_for(self.as_of)
                      if c.first_weeks and self.policy.school_year else None)
        if c.first_weeks and year_start:
            keys = calendar.year_weeks(year_start, c.first_weeks)
            if keys is None:
                raise Undecided("the file starts after the first weeks of the school year")
            first, end = grid.column(keys[0]), grid.column(keys[1])
        elif c.first_weeks:
            end = grid.column(calendar.first_weeks_end(c.first_weeks))
        return self.f.count(gridmod.in_set(c.codes), first, end)


BLOCK = 8192  # pupils at a time: the running totals of a block take a few tens of megabytes


def rules_met(calendar: Calendar, pupil_ids: list[str], policy: Policy, as_of) -> list[dict[str, bool]]:
    """Per pupil, flag name or stage id -> whether its rule is met, for the rules decided for
    everyone (not legal flags, which depend on each pupil's age, nor rules that use them)."""
    out: list[dict[str, bool]] = []
    for start in range(0, len(pupil_ids), BLOCK):
        out += _block(calendar, pupil_ids[start:start + BLOCK], policy, as_of)
    return out


def _block(calendar: Calendar, pupil_ids: list[str], policy: Policy, as_of) -> list[dict[str, bool]]:
    legal = set(policy.compulsory_school_age.legal_flags) if policy.compulsory_school_age else set()
    batch = BatchRules(GridFigures(calendar, pupil_ids), policy, as_of)
    found: dict[str, np.ndarray] = {}
    for flag in policy.flags.values():
        if flag.name not in legal:
            try:
                found[flag.name] = batch.rule(flag.rule, None)
            except Undecided:
                pass
    flags = dict(found)
    for stage in policy.stages[1:]:
        try:
            found[stage.id] = batch.rule(stage.rule, flags)
        except Undecided:
            pass
    names = list(found)
    return [dict(zip(names, row)) for row in zip(*(found[n].tolist() for n in names))] if names else [{} for _ in pupil_ids]
