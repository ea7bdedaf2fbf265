"""The register codes for schools in England, as data, and how a raw mark maps to one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from attendtoolkit.resources import read_toml

PRESENT = "present"
AEA = "aea"
AUTHORISED = "authorised"
UNAUTHORISED = "unauthorised"
NOT_POSSIBLE = "not_possible"
CATEGORIES = (PRESENT, AEA, AUTHORISED, UNAUTHORISED, NOT_POSSIBLE)

CATEGORY_LABELS = {
    PRESENT: "Present",
    AEA: "Approved educational activity",
    AUTHORISED: "Authorised absence",
    UNAUTHORISED: "Unauthorised absence",
    NOT_POSSIBLE: "Not a possible session",
}

LATE_BEFORE_CLOSE = "L"
LATE_AFTER_CLOSE = "U"
UNEXPLAINED = "N"


@dataclass(frozen=True)
class Code:
    code: str
    meaning: str
    category: str
    legacy: bool = False

    @property
    def possible(self) -> bool:
        return self.category != NOT_POSSIBLE


@lru_cache(maxsize=1)
def all_codes() -> tuple[Code, ...]:
    """Every code in the table, current codes first, legacy codes last."""
    table = read_toml("policy", "data", "codes.toml")["code"]
    codes = tuple(Code(**row) for row in table)
    for code in codes:
        if code.category not in CATEGORIES:
            raise ValueError(f"codes.toml: code {code.code!r} has unknown category {code.category!r}")
    return codes


def _code_set(table: str, category: str) -> frozenset[str]:
    """The codes a table of codes.toml names ([continuous_absence], [medical]), each checked to be
    a code of `category`."""
    chosen = read_toml("policy", "data", "codes.toml")[table]["codes"]
    wrong = [c for c in chosen if (code := lookup(c)) is None or code.category != category]
    if wrong:
        raise ValueError(f"codes.toml: [{table}] codes {', '.join(wrong)} are not {category} absence codes")
    return frozenset(chosen)


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Code]:
    return {c.code.upper(): c for c in all_codes()}


def lookup(raw: str) -> Code | None:
    """The code for a raw register mark (trimmed, any case), or None if it is not a code."""
    return _by_key().get(raw.strip().upper())


def codes_in(category: str) -> frozenset[str]:
    return frozenset(c.code for c in all_codes() if c.category == category)


def as_json() -> list[dict]:
    return [
        {"code": c.code, "meaning": c.meaning, "category": c.category, "legacy": c.legacy}
        for c in all_codes()
    ]


CONTINUOUS_ABSENCE_CODES = _code_set("continuous_absence", UNAUTHORISED)  # children missing education: a day of only these
MEDICAL_CODES = _code_set("medical", AUTHORISED)  # illness and medical appointments: review before a letter
