"""Published national absence figures for England by school phase and year (data/national_absence.toml)."""

from __future__ import annotations

from functools import lru_cache

from attendtoolkit.resources import read_toml
from attendtoolkit.words import agreeing, listed

PHASES = ("all", "primary", "secondary", "special")  # school phases in DfE absence statistics
PHASE_LABELS = {"all": "all schools", "primary": "primary schools", "secondary": "secondary schools",
                "special": "special schools"}
FIGURES = ("absence_pct", "persistent_absence_pct", "severe_absence_pct")
FIGURE_NAMES = {"absence_pct": "overall absence", "persistent_absence_pct": "persistent absence",
                "severe_absence_pct": "severe absence"}
_KEYS = {"year", "phase", "publication", "url", *FIGURES}


def _checked(entry: dict, number: int) -> dict:
    where = f"national_absence.toml, [[figures]] number {number}"
    unknown = set(entry) - _KEYS
    missing = {"year", "phase", "publication", "url"} - set(entry)
    if unknown or missing:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    if entry["phase"] not in PHASES:
        raise ValueError(f"{where}: phase {entry['phase']!r} is not one of {', '.join(PHASES)}")
    figures = [k for k in FIGURES if k in entry]
    if not figures or not all(isinstance(entry[k], (int, float)) and 0 <= entry[k] <= 100 for k in figures):
        raise ValueError(f"{where}: give at least one figure, each a percentage between 0 and 100")
    return entry


@lru_cache(maxsize=1)
def _data() -> dict:
    return read_toml("policy", "data", "national_absence.toml")


@lru_cache(maxsize=1)
def national_rows() -> tuple[dict, ...]:
    """One row per (year, phase), newest year first: figures from every entry for that year and phase,
    each publication with its address, and attendance as 100% minus overall absence."""
    entries = [_checked(e, i) for i, e in enumerate(_data()["figures"], 1)]
    rows: dict[tuple[str, str], dict] = {}
    for e in entries:
        row = rows.setdefault((e["year"], e["phase"]), {
            "label": f"England, {PHASE_LABELS[e['phase']]}", "year": e["year"], "phase": e["phase"],
            "national": True, "sources": []})
        for key in FIGURES:
            if key in e:
                if key in row:
                    raise ValueError(f"national_absence.toml: {key} for {e['phase']} {e['year']} is given twice")
                row[key] = e[key]
        row["sources"].append({"publication": e["publication"], "url": e["url"],
                               "figures": [k for k in FIGURES if k in e]})
    for row in rows.values():
        row["source"] = "; ".join(s["publication"] for s in row["sources"])
        if "absence_pct" in row:
            row["attendance_pct"] = round(100 - row["absence_pct"], 1)
    return tuple(sorted(rows.values(), key=lambda r: r["year"], reverse=True))


def comparison_phases(phase: str) -> tuple[str, ...]:
    """The phases whose rows a school of this phase is shown: its own, then all schools."""
    return (phase,) if phase == "all" else (phase, "all")


def national_comparisons(phase: str) -> list[dict]:
    """The rows to show for a school of this phase: the phase's rows, newest first, then the rows for
    all schools (which fill any figure the phase has no published number for, named as all schools)."""
    return [dict(r) for shown in comparison_phases(phase) for r in national_rows() if r["phase"] == shown]


def years_not_included() -> list[dict]:
    """Whole school years with no figures yet ([[not_included]]), each {"year", "note"}."""
    years = _data().get("not_included", [])
    for number, entry in enumerate(years, 1):
        if set(entry) != {"year", "note"}:
            raise ValueError(f"national_absence.toml, [[not_included]] number {number}: give exactly 'year' and "
                             f"'note' (found {sorted(entry)})")
    return years


def national_not_shown(phases=PHASES) -> list[str]:
    """What the figures for these phases leave out, in plain English: the school years not included yet,
    then each phase and year with a figure that has not been checked against its publication."""
    said = [f"The full school year {y['year']}: no figures are shown, because {y['note']}."
            for y in years_not_included()]
    for row in (r for phase in phases for r in national_rows() if r["phase"] == phase):
        missing = [FIGURE_NAMES[k] for k in FIGURES if k not in row]
        if missing:
            said.append(f"{row['label']}, {row['year']}: {listed(missing)} "
                        f"{agreeing(len(missing), 'is', 'are')} not shown, because no published figure has "
                        "been checked yet.")
    return said
