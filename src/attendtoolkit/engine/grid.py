"""The session grid: a register as one byte per session, so that every measure is a count over bytes.

The columns are the morning and afternoon sessions of each day with a mark in the file, up to
the as-of date (column 2i is day i's AM, 2i + 1 its PM). Each pupil's row holds one code id per
column, 0 where the pupil has no mark. A measure is then a byte translation (code -> 0/1, or code
-> category) and a count over a span of columns, done in C by `bytes.translate` and
`bytes.count`, or an AND of big integers and `int.bit_count` for columns picked by weekday.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from itertools import repeat
from operator import itemgetter

from attendtoolkit.policy import codes as codetable

NO_MARK = 0
CATEGORY_IDS = {category: i + 1 for i, category in enumerate(codetable.CATEGORIES)}  # 0: no mark


@lru_cache(maxsize=1)
def codes() -> tuple[str, ...]:
    """Code id -> code ('' for id 0, no mark)."""
    return ("",) + tuple(c.code for c in codetable.all_codes())


@lru_cache(maxsize=1)
def code_ids() -> dict[str, int]:
    """Code -> code id."""
    return {code: i for i, code in enumerate(codes()) if i}


@lru_cache(maxsize=1)
def _categories() -> tuple[str | None, ...]:
    return (None,) + tuple(c.category for c in codetable.all_codes())


def table_of(value_of) -> bytes:
    """A `bytes.translate` table: code id -> value_of(code, category); 0 for no mark."""
    out = bytearray(256)
    for i, (code, category) in enumerate(zip(codes(), _categories())):
        if i:
            out[i] = value_of(code, category)
    return bytes(out)


@lru_cache(maxsize=None)
def in_set(wanted: frozenset[str]) -> bytes:
    """Translate table: 1 for a code in `wanted`, else 0."""
    return table_of(lambda code, _category: code in wanted)


@lru_cache(maxsize=1)
def by_category() -> bytes:
    """Translate table: code id -> its category's id (CATEGORY_IDS)."""
    return table_of(lambda _code, category: CATEGORY_IDS[category])


@lru_cache(maxsize=1)
def possible() -> bytes:
    """Translate table: 1 for a possible session."""
    return table_of(lambda _code, category: category != codetable.NOT_POSSIBLE)


@lru_cache(maxsize=1)
def absent() -> bytes:
    """Translate table: 1 for an absence (authorised or unauthorised)."""
    return table_of(lambda _code, category: category in (codetable.AUTHORISED, codetable.UNAUTHORISED))


@lru_cache(maxsize=1)
def run_kind() -> bytes:
    """Translate table for runs of unauthorised absence: 1 for G, N or O; 3 for another possible
    session (it breaks a run); 0 for a session that is not possible."""
    return table_of(lambda code, category: 0 if category == codetable.NOT_POSSIBLE
                  else 1 if code in codetable.CONTINUOUS_ABSENCE_CODES else 3)


class SessionGrid:
    """The columns (sessions of the days in the file) and one row of code ids per pupil."""

    def __init__(self, days: list[int], rows: dict[str, bytes]):
        self.days = days  # ordinals of the days with a mark, ascending
        self.width = 2 * len(days)
        self.rows = rows  # pupil id -> row
        self.empty = bytes(self.width)
        self._masks: dict = {}

    @classmethod
    def from_marks(cls, pupils, last_key: int) -> SessionGrid:
        """The grid of pupils whose marks are a session key -> (code, row) dict, up to `last_key`."""
        days = sorted({k >> 1 for k in set().union(*(p.marks.keys() for p in pupils)) if k <= last_key})
        keys = [k for d in days for k in (2 * d, 2 * d + 1)]  # the session key of each column
        ids, zeros, first = code_ids().__getitem__, repeat(0), itemgetter(0)
        rows = {}
        for p in pupils:  # each step runs in C: no Python code per session
            if len(p.marks) == len(keys) and list(p.marks) == keys:  # a mark in every column, in order
                rows[p.pupil_id] = bytes(map(ids, map(first, p.marks.values())))
                continue
            id_of = dict(zip(p.marks.keys(), map(ids, map(first, p.marks.values())))).get
            rows[p.pupil_id] = bytes(map(id_of, keys, zeros))
        return cls(days, rows)

    def row(self, pupil_id: str) -> bytes:
        return self.rows.get(pupil_id, self.empty)

    def column(self, key: int) -> int:
        """The first column at or after the session key (ordinal * 2 + 1 for PM)."""
        day = key >> 1
        i = bisect_left(self.days, day)
        return 2 * i + (key & 1 if i < len(self.days) and self.days[i] == day else 0)

    def day_column(self, ordinal: int) -> int:
        """The first column on or after the day."""
        return 2 * bisect_left(self.days, ordinal)

    def key(self, column: int) -> int:
        return self.days[column >> 1] * 2 + (column & 1)

    def mask(self, name, wanted) -> int:
        """A big-integer mask (as int.from_bytes(row)) of the columns of the days for which
        `wanted(ordinal)` is true, made once and kept under `name`."""
        if name not in self._masks:
            out = bytearray(self.width)
            for i, d in enumerate(self.days):
                if wanted(d):
                    out[2 * i] = out[2 * i + 1] = 1
            self._masks[name] = int.from_bytes(out, "big")
        return self._masks[name]

    def from_column(self, column: int) -> int:
        """A mask of the columns from `column` to the end."""
        key = ("from", column)
        if key not in self._masks:
            self._masks[key] = int.from_bytes(bytes(column) + b"\x01" * (self.width - column), "big")
        return self._masks[key]


def as_int(row: bytes) -> int:
    return int.from_bytes(row, "big")


def days_of(row: bytes) -> bytes:
    """One byte per day: the OR of its AM and PM bytes."""
    n = len(row) // 2
    return (as_int(row[0::2]) | as_int(row[1::2])).to_bytes(n, "big")


def spread(row: bytes, first: int, end: int) -> bytes:
    """The row with every column outside [first, end) cleared."""
    return bytes(first) + row[first:end] + bytes(max(0, len(row) - end))
