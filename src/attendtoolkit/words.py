"""Words for people: counts (`1 pupil`, `1,500 pupils`, never `pupil(s)`) and lists (`a, b and c`)."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """The count with thousands separated and its noun singular for exactly one, plural otherwise
    (`plural` for a noun that does not just add an s, and for phrases: "sessions of absence")."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def agreeing(n: int, singular: str, plural: str) -> str:
    """The verb (or phrase) that agrees with a count: `is`/`are`, `was`/`were`, `has`/`have`."""
    return singular if n == 1 else plural


def listed(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else items[0]
