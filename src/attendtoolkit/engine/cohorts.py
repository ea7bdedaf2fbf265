"""Cohorts and trends: attendance for groups of pupils and week by week, as sums of sessions.

Groups smaller than the policy's minimum group size are suppressed, so a shared report cannot
identify a pupil.
"""

from __future__ import annotations

from datetime import date

from attendtoolkit.engine.classify import RESERVED_STAGES, Result
from attendtoolkit.engine.history import weekly_counts
from attendtoolkit.engine.metrics import percent

COHORT_FIELDS = {
    "year_group": "Year group", "reg_group": "Registration group", "gender": "Gender",
    "sen": "Special educational needs", "fsm": "Free school meals", "social_worker": "Social worker",
    "looked_after": "Looked after",
}


def group_figures(pupils: list, stage_ids: list[str]) -> dict:
    """Figures for a group of pupils (or the whole file): sums of sessions and shares of pupils."""
    possible = sum(p.metrics.counts.possible for p in pupils)
    attended = sum(p.metrics.counts.attended for p in pupils)
    counted = [p for p in pupils if p.metrics.counts.possible > 0]
    by_stage = dict.fromkeys(stage_ids, 0)
    for p in pupils:
        by_stage[p.stage] += 1
    return {
        "pupils": len(pupils), "pupils_with_sessions": len(counted), "possible": possible, "attended": attended,
        "attendance_pct": percent(attended, possible),
        "persistent_absence_pct": percent(sum("persistent_absence" in p.flags for p in counted), len(counted)),
        "severe_absence_pct": percent(sum("severe_absence" in p.flags for p in counted), len(counted)),
        "by_stage": by_stage,
    }


def cohorts(result: Result) -> list[dict]:
    """One entry per pupil column present: its groups, each with figures or suppressed."""
    minimum = result.policy.minimum_group_size
    stage_ids = [s.id for s in result.policy.all_stages] + list(RESERVED_STAGES)
    out = []
    for field, label in COHORT_FIELDS.items():
        groups: dict[str, list] = {}
        for p in result.pupils:
            if field in p.details:
                groups.setdefault(p.details[field].strip(), []).append(p)
        if not groups:
            continue
        rows = []
        for value in sorted(groups, key=_natural):
            members = groups[value]
            if len(members) < minimum:
                rows.append({"value": value, "suppressed": True, "pupils_text": f"fewer than {minimum}"})
            else:
                rows.append({"value": value, "suppressed": False, **group_figures(members, stage_ids)})
        out.append({"field": field, "label": label, "groups": rows})
    return out


def _natural(value: str):
    """Year 7 before year 10; text after numbers."""
    return (0, int(value), "") if value.isdigit() else (1, 0, value.lower())


def weekly_trend(result: Result) -> dict:
    """Attendance for each school week, for everyone and for each cohort group (sums of sessions)."""
    minimum = result.policy.minimum_group_size
    calendar = next((p.metrics.calendar for p in result.pupils if p.metrics.calendar), None)
    if calendar is None:
        return {"weeks": [], "all": [], "cohorts": {}}
    mondays = calendar.mondays
    per_pupil = []
    for p in result.pupils:
        if not p.metrics.dated:
            continue
        counts = weekly_counts(p.metrics)
        weeks = range(len(mondays))
        per_pupil.append((p, [counts.attended[w + 1] - counts.attended[w] for w in weeks],
                          [counts.possible[w + 1] - counts.possible[w] for w in weeks]))

    def series(members) -> list[dict]:
        rows = []
        for w in range(len(mondays)):
            a = sum(m[1][w] for m in members)
            n = sum(m[2][w] for m in members)
            rows.append({"possible": n, "attended": a, "attendance_pct": percent(a, n)})
        return rows

    trend = {"weeks": [date.fromordinal(m).isoformat() for m in mondays], "all": series(per_pupil), "cohorts": {}}
    for field in COHORT_FIELDS:
        groups: dict[str, list] = {}
        for entry in per_pupil:
            if field in entry[0].details:
                groups.setdefault(entry[0].details[field].strip(), []).append(entry)
        if groups:
            trend["cohorts"][field] = {value: series(groups[value]) for value in sorted(groups, key=_natural)
                                       if len(groups[value]) >= minimum}
    return trend
