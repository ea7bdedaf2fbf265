"""The national framework's penalty notice amounts and limits (data/penalty_notices.toml)."""

from __future__ import annotations

from functools import lru_cache

from attendtoolkit.policy.facts import Fact, checked_fact, read_facts

FILE = "penalty_notices.toml"
UNITS = ("pounds", "days", "years", "notices")
PenaltyFact = Fact


@lru_cache(maxsize=1)
def penalty_facts() -> dict[str, Fact]:
    """Every fact of the framework by name, in the file's order."""
    return read_facts(FILE, UNITS)


def _checked(name: str, entry: dict) -> Fact:
    return checked_fact(FILE, name, entry, UNITS)
