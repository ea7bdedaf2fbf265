"""The school phase a register belongs to, from its pupils' year groups, for the national comparison.

Reception to Year 6 is primary and Years 7 to 13 secondary (the national curriculum year groups);
a file with both, or with no year group we can read, is compared with all schools. Special schools
cannot be told from year groups, so a special school chooses its phase.
"""

from __future__ import annotations

import re

from attendtoolkit.policy.national import PHASE_LABELS, PHASES

PRIMARY_YEARS = ("N", "R", "1", "2", "3", "4", "5", "6")  # nursery classes sit in primary schools
SECONDARY_YEARS = ("7", "8", "9", "10", "11", "12", "13")
_NAMED = {"reception": "R", "rec": "R", "r": "R", "yr": "R", "nursery": "N", "n": "N", "n1": "N", "n2": "N",
          "fs1": "N", "fs2": "R", "f1": "N", "f2": "R"}


def year_of(text: str) -> str | None:
    """The national curriculum year in a year-group cell ('Year 7', 'Y7', '07', 'Reception', 'N2'), or None."""
    t = re.sub(r"[\s.\-_]+", "", text.strip().lower())
    if t in _NAMED:
        return _NAMED[t]
    t = re.sub(r"^(year|yr|y|ncy|nc)", "", t)
    if t in _NAMED:
        return _NAMED[t]
    if t.isdigit() and 1 <= int(t) <= 13:
        return str(int(t))
    return None


def school_phase(year_groups, chosen: str | None = None) -> dict:
    """{"phase", "label", "chosen_by": "choice" | "year_groups", "year_groups": the years read, "reason"}."""
    cells = {str(y) for y in year_groups if y is not None and str(y).strip()}
    found = {c: year_of(c) for c in cells}  # each distinct cell read once: a school has a few
    years = {y for y in found.values() if y}
    order = PRIMARY_YEARS + SECONDARY_YEARS
    read = [y for y in order if y in years]
    unread = sorted({c.strip() for c, y in found.items() if not y})
    if chosen:
        if chosen not in PHASES:
            raise ValueError(f"'{chosen}' is not a school phase. Use one of: {', '.join(PHASES)}.")
        return _phase(chosen, "choice", read, f"You chose {PHASE_LABELS[chosen]}.")
    primary = [y for y in read if y in PRIMARY_YEARS]
    secondary = [y for y in read if y in SECONDARY_YEARS]
    span = _span(read)
    if primary and not secondary:
        return _phase("primary", "year_groups", read, f"The file's year groups are {span}: primary.", unread)
    if secondary and not primary:
        return _phase("secondary", "year_groups", read, f"The file's year groups are {span}: secondary.", unread)
    if primary and secondary:
        return _phase("all", "year_groups", read,
                      f"The file has primary and secondary year groups ({span}), so it is compared with all schools.",
                      unread)
    return _phase("all", "year_groups", read, "The file has no year groups we can read, so it is compared with "
                  "all schools.", unread)


def _phase(phase: str, chosen_by: str, read: list[str], reason: str, unread: list[str] = ()) -> dict:
    if unread:
        reason += f" Not read as year groups: {', '.join(unread[:5])}{' and others' if len(unread) > 5 else ''}."
    return {"phase": phase, "label": PHASE_LABELS[phase], "chosen_by": chosen_by, "year_groups": read,
            "reason": reason}


def _name(year: str) -> str:
    return {"N": "Nursery", "R": "Reception"}.get(year, f"Year {year}")


def _span(read: list[str]) -> str:
    if not read:
        return ""
    if len(read) == 1:
        return _name(read[0])
    return f"{_name(read[0])} to {_name(read[-1])}"
