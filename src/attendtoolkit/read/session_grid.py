"""The session grid: what every reader makes of a dated register, one byte per pupil and session.

The columns are the morning and afternoon sessions of each day with a mark in the file (column 2i
is day i's AM, 2i + 1 its PM). Each pupil's row holds one code id per column, 0 where the pupil
has no mark. A register of 230,000 pupils over a school year is then 87 MB, whatever the size
of the file it came from.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from itertools import repeat
from operator import itemgetter

from attendtoolkit.policy import codes as codetable

NO_MARK = 0


@lru_cache(maxsize=1)
def codes() -> tuple[str, ...]:
    """Code id -> code ('' for id 0, no mark)."""
    return ("",) + tuple(c.code for c in codetable.all_codes())


@lru_cache(maxsize=1)
def code_ids() -> dict[str, int]:
    """Code -> code id."""
    return {code: i for i, code in enumerate(codes()) if i}


NOT_ONE_CODE = 255  # no code id: a character that is not a code written in one character


def one_character_ids(ids: dict[str, int]) -> bytes:
    """A bytes.translate table: each ASCII character -> the code id of a cell of that one character
    in `ids` (cell text -> code id), NOT_ONE_CODE for any other."""
    return bytes(ids.get(chr(b), NOT_ONE_CODE) for b in range(256))


def one_character_cells(cells, table: bytes) -> bytes | None:
    """The code ids of `cells` at once (one bytes.translate by a one_character_ids table) when each
    is one ASCII character that is a code (a usual register's cells); None for any other cells, which
    are looked up one by one."""
    joined = "".join(cells)
    if len(joined) != len(cells) or "" in cells or not joined.isascii():  # a blank beside a longer cell
        return None
    found = joined.encode("ascii").translate(table)
    return None if NOT_ONE_CODE in found else found


def session_keys(marks) -> set[int]:
    """Every session key in the pupils' marks (session key -> mark dicts, or lists of keys), once: the
    set union runs in C, not once per mark in Python, and reads once a list that rows share (a wide
    file's rows with a mark in every column share the file's)."""
    return set().union(*{id(found): found for found in marks}.values())


class SameSessionTwice(ValueError):
    """A pupil has two marks for one session (the row reader names the rows)."""


class SessionGrid:
    """The columns (sessions of the days with a mark) and one row of code ids per pupil."""

    def __init__(self, days: list[int], rows: dict[str, bytes]):
        self.days = days  # ordinals of the days with a mark, ascending
        self.width = 2 * len(days)
        self.rows = rows  # pupil id -> row
        self.empty = bytes(self.width)
        self._masks: dict = {}
        self._keys: list[int] | None = None
        self._keys_seen_in_order = None

    @classmethod
    def from_sessions(cls, sessions: dict[str, tuple[list[int], bytes]]) -> SessionGrid:
        """The grid of pupil id -> (session keys, code id of each). Raises SameSessionTwice when a
        pupil's keys repeat one."""
        grid = cls.over_keys(session_keys(keys for keys, _ids in sessions.values()))
        for pupil_id, (keys, ids) in sessions.items():
            grid.add_row(pupil_id, keys, ids)
        return grid

    @classmethod
    def over_keys(cls, keys: set[int]) -> SessionGrid:
        """A grid with no rows yet, over the days of these session keys."""
        return cls(sorted({k >> 1 for k in keys}), {})

    def add_row(self, pupil_id: str, keys, ids: bytes) -> None:
        """The pupil's row from their session keys (on the grid's days) and the code id of each;
        each step runs in C, with no Python code per session. SameSessionTwice if a key repeats."""
        in_order = self._in_order()
        if keys is self._keys_seen_in_order or (len(keys) == len(in_order) and list(keys) == in_order):
            self._keys_seen_in_order = keys  # a mark in every column, in order (the next row may share keys)
            self.rows[pupil_id] = bytes(ids)
            return
        id_of = dict(zip(keys, ids))
        if len(id_of) != len(keys):
            raise SameSessionTwice(pupil_id)
        self.rows[pupil_id] = bytes(map(id_of.get, in_order, repeat(0)))

    def _in_order(self) -> list[int]:
        """The session key of each column."""
        if self._keys is None:
            self._keys = [k for d in self.days for k in (2 * d, 2 * d + 1)]
        return self._keys

    @classmethod
    def from_marks(cls, marks: dict[str, dict[int, tuple[str, int]]],
                   more: dict[str, tuple[list[int], bytes]] | None = None) -> SessionGrid:
        """The grid of pupil id -> {session key: (code, row)}, and of `more` pupils given as
        pupil id -> (session keys, code ids)."""
        ids, first = code_ids().__getitem__, itemgetter(0)
        sessions = dict(more or {})
        sessions.update((pupil_id, (list(found), bytes(map(ids, map(first, found.values())))))
                        for pupil_id, found in marks.items())
        return cls.from_sessions(sessions)

    def __eq__(self, other) -> bool:
        """The same days and the same marks for every pupil (a row without a mark counts as no row)."""
        if not isinstance(other, SessionGrid):
            return NotImplemented
        return self.days == other.days and self._marked_rows() == other._marked_rows()

    def __repr__(self) -> str:
        return f"SessionGrid({len(self.days)} days, {len(self.rows)} rows, {self.mark_count()} marks)"

    def _marked_rows(self) -> dict[str, bytes]:
        return {pupil_id: row for pupil_id, row in self.rows.items() if row.count(NO_MARK) != self.width}

    def up_to(self, ordinal: int) -> SessionGrid:
        """The grid without the days after `ordinal` (itself when it has none)."""
        end = self.day_column(ordinal + 1)
        if end == self.width:
            return self
        return SessionGrid(self.days[:end // 2], {pupil_id: row[:end] for pupil_id, row in self.rows.items()})

    def marks_after(self, ordinal: int) -> int:
        """How many marks are dated after the day."""
        start = self.day_column(ordinal + 1)
        return sum(self.width - start - row.count(NO_MARK, start) for row in self.rows.values())

    def mark_count(self) -> int:
        return sum(self.width - row.count(NO_MARK) for row in self.rows.values())

    def marks_of(self, pupil_id: str) -> dict[int, str]:
        """Session key -> code of a pupil's marks, in date order."""
        names = codes()
        return {self.key(c): names[i] for c, i in enumerate(self.row(pupil_id)) if i}

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
