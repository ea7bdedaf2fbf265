"""The national framework's penalty notice amounts and limits (data/penalty_notices.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from attendtoolkit.resources import read_toml

UNITS = ("pounds", "days", "years", "notices")
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_KEYS = {"value", "unit", "description", "source"}


@dataclass(frozen=True)
class PenaltyFact:
    name: str
    value: int
    unit: str
    description: str
    source: str

    def shown(self) -> str:
        """`£80`, `21 days`, `three years`, `two notices`: as the handbook's sentences read."""
        if self.unit == "pounds":
            return f"£{self.value:,}"
        number = _WORDS[self.value] if self.unit in ("years", "notices") and self.value < 10 else f"{self.value:,}"
        return f"{number} {self.unit[:-1] if self.value == 1 else self.unit}"


def _checked(name: str, entry: dict) -> PenaltyFact:
    where = f"penalty_notices.toml, [{name}]"
    if not isinstance(entry, dict) or set(entry) != _KEYS:
        raise ValueError(f"{where}: give exactly {', '.join(sorted(_KEYS))}")
    if entry["unit"] not in UNITS or not isinstance(entry["value"], int) or entry["value"] < 1:
        raise ValueError(f"{where}: the value should be a whole number above 0 and the unit one of {', '.join(UNITS)}")
    if not all(isinstance(entry[k], str) and entry[k].strip() for k in ("description", "source")):
        raise ValueError(f"{where}: the description and source should be text")
    return PenaltyFact(name, **entry)


@lru_cache(maxsize=1)
def penalty_facts() -> dict[str, PenaltyFact]:
    """Every fact of the framework by name, in the file's order."""
    return {name: _checked(name, entry) for name, entry in read_toml("policy", "data", "penalty_notices.toml").items()}
