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


def file_size(n: int) -> str:
    """A size in bytes as people read it: `980 bytes`, `13 kB`, `529 MB`, `7.7 GB` (decimal units,
    as file managers show them; one decimal below 10)."""
    if n < 1000:
        return counted(n, "byte")
    for unit in ("kB", "MB", "GB", "TB"):
        n /= 1000
        if n < 999.5 or unit == "TB":
            return f"{n:.1f} {unit}" if n < 9.95 else f"{n:,.0f} {unit}"
    raise AssertionError("unreachable")


def duration(seconds: float) -> str:
    """`less than a second`, `12 seconds`, `1 minute 5 seconds`, `2 minutes`."""
    whole = round(seconds)
    if whole < 1:
        return "less than a second"
    minutes, rest = divmod(whole, 60)
    parts = ([counted(minutes, "minute")] if minutes else []) + ([counted(rest, "second")] if rest else [])
    return " ".join(parts)
