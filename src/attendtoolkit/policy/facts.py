"""Facts kept as data in policy/data/ (penalty notices, recent weeks): each a table with a value, a
unit, a description and a source, checked when the file is read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from attendtoolkit.resources import read_toml

_KEYS = {"value", "unit", "description", "source"}
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class Fact:
    name: str
    value: int
    unit: str
    description: str
    source: str

    def shown(self) -> str:
        """`£80`, `21 days`, `three years`, `two notices`, `4 school weeks`: as the handbook's sentences read."""
        if self.unit == "pounds":
            return f"£{self.value:,}"
        number = _WORDS[self.value] if self.unit in ("years", "notices") and self.value < 10 else f"{self.value:,}"
        return f"{number} {self.unit[:-1] if self.value == 1 else self.unit}"


def read_facts(file: str, units: tuple[str, ...]) -> dict[str, Fact]:
    """Every fact in policy/data/`file` by name, in the file's order; a malformed one stops with its name."""
    return {name: checked_fact(file, name, entry, units) for name, entry in read_toml("policy", "data", file).items()}


def checked_fact(file: str, name: str, entry: dict, units: tuple[str, ...]) -> Fact:
    where = f"{file}, [{name}]"
    if not isinstance(entry, dict) or set(entry) != _KEYS:
        raise ValueError(f"{where}: give exactly {', '.join(sorted(_KEYS))}")
    if entry["unit"] not in units or not isinstance(entry["value"], int) or entry["value"] < 1:
        raise ValueError(f"{where}: the value should be a whole number above 0 and the unit one of {', '.join(units)}")
    if not all(isinstance(entry[k], str) and entry[k].strip() for k in ("description", "source")):
        raise ValueError(f"{where}: the description and source should be text")
    return Fact(name, **entry)


@lru_cache(maxsize=1)
def recent_weeks() -> dict[str, Fact]:
    """How many school weeks count as recent (data/recent_weeks.toml): pupil_results, way_back."""
    return read_facts("recent_weeks.toml", ("school weeks",))
