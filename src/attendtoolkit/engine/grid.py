"""Measures over the session grid (read/session_grid.py: one byte per pupil and session).

A measure is a byte translation (code -> 0/1, or code -> category) and a count over a span of
columns, done in C by `bytes.translate` and `bytes.count`, or an AND of big integers and
`int.bit_count` for columns picked by weekday.
"""

from __future__ import annotations

from functools import lru_cache

from attendtoolkit.policy import codes as codetable
from attendtoolkit.read.session_grid import codes

CATEGORY_IDS = {category: i + 1 for i, category in enumerate(codetable.CATEGORIES)}  # 0: no mark


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
def unauthorised() -> bytes:
    """Translate table: 1 for unauthorised absence."""
    return table_of(lambda _code, category: category == codetable.UNAUTHORISED)


@lru_cache(maxsize=1)
def run_kind() -> bytes:
    """Translate table for runs of unauthorised absence: 1 for G, N or O; 3 for another possible
    session (it breaks a run); 0 for a session that is not possible."""
    return table_of(lambda code, category: 0 if category == codetable.NOT_POSSIBLE
                  else 1 if code in codetable.CONTINUOUS_ABSENCE_CODES else 3)


def as_int(row: bytes) -> int:
    return int.from_bytes(row, "big")


def days_of(row: bytes) -> bytes:
    """One byte per day: the OR of its AM and PM bytes."""
    n = len(row) // 2
    return (as_int(row[0::2]) | as_int(row[1::2])).to_bytes(n, "big")


def spread(row: bytes, first: int, end: int) -> bytes:
    """The row with every column outside [first, end) cleared."""
    return bytes(first) + row[first:end] + bytes(max(0, len(row) - end))
