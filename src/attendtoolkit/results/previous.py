"""The same week last year: last year's result beside this year's, matched by school week and pupil id.

School weeks are counted as everywhere in the toolkit (engine/school_weeks.py): weeks with a possible
session in the register, from the start of the school year (the policy's [school_year], 1 September),
so a half term is not a school week. The same point last year is the same weekday of the same school
week, so a Friday in week 7 is compared with the Friday of week 7 last year, whatever the calendar
and wherever each year's half term fell. Pupils are matched by pupil id only, never by name:
a pupil not in last year's register is a joiner, and one no longer in this year's is a leaver.
"""

from __future__ import annotations

from datetime import date, timedelta

from attendtoolkit.engine.school_weeks import school_week_monday, school_week_number
from attendtoolkit.policy.model import Policy

TOTAL_FIELDS = ("pupils", "pupils_with_sessions", "possible", "attendance_pct", "absence_pct",
                "persistent_absence_pct", "severe_absence_pct")
GROUP_FIELDS = ("pupils", "possible", "attendance_pct", "persistent_absence_pct", "severe_absence_pct")


def school_year_start(policy: Policy, day: date) -> date:
    """The first day of the school year holding `day`: the policy's [school_year], or 1 September."""
    if policy.school_year:
        return policy.school_year.start_for(day)
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def same_point_last_year(as_of: date, policy: Policy, this_weeks: list[int], last_weeks: list[int]) -> date:
    """The same weekday of the same school week, one school year earlier. `this_weeks` and `last_weeks`
    are the school-week Mondays (date ordinals) of this year's and last year's registers. A day in a
    holiday after school week n is taken as the end of week n; a day before week 1 keeps its distance
    from week 1."""
    this_start = school_year_start(policy, as_of)
    last_start = school_year_start(policy, this_start - timedelta(days=1))
    number = max(1, school_week_number(as_of, this_start, this_weeks))
    offset = min(as_of.toordinal() - school_week_monday(number, this_start, this_weeks), 6)
    return date.fromordinal(school_week_monday(number, last_start, last_weeks) + offset)


def week_ordinals(weeks: list[str]) -> list[int]:
    """The trend's school weeks (ISO Mondays) as date ordinals."""
    return [date.fromisoformat(w).toordinal() for w in weeks]


def _pick(figures: dict, fields: tuple[str, ...]) -> dict:
    return {f: figures.get(f) for f in fields}


def _pupil(last: dict | None, as_of: str | None) -> dict:
    """A pupil's 'previous' block: on roll last year with that year's figures to the same week, or a joiner."""
    if last is None:
        return {"status": "joiner", "as_of": as_of, "attendance_pct": None, "possible": None, "stage": None,
                "stage_name": None}
    return {"status": "on_roll", "as_of": as_of, "attendance_pct": last["attendance_pct"], "possible": last["possible"],
            "stage": last["stage"], "stage_name": last["stage_name"]}


def _groups(previous: dict) -> dict[tuple[str, str], dict]:
    return {(c["field"], g["value"]): g for c in previous["cohorts"] for g in c["groups"]}


def _week_numbers(weeks: list[str], year_start) -> list[int]:
    """The school week number of each week of a trend, counted among that trend's own school weeks."""
    mondays = week_ordinals(weeks)
    return [school_week_number(date.fromisoformat(w), year_start(date.fromisoformat(w)), mondays) for w in weeks]


def _aligned_trend(result: dict, previous: dict, year_start) -> dict:
    """Last year's weekly figures on this year's weeks: the week with the same school week number."""
    last_trend = previous["trend"]
    at = {n: i for i, n in enumerate(_week_numbers(last_trend["weeks"], year_start))}
    places = [at.get(n) for n in _week_numbers(result["trend"]["weeks"], year_start)]

    def aligned(rows: list[dict] | None) -> list[dict | None] | None:
        return None if rows is None else [None if i is None else rows[i] for i in places]

    return {
        "weeks": [None if i is None else last_trend["weeks"][i] for i in places],
        "all": aligned(last_trend["all"]),
        "cohorts": {field: {value: aligned(last_trend["cohorts"].get(field, {}).get(value)) for value in values}
                    for field, values in result["trend"]["cohorts"].items()},
    }


def with_previous(result: dict, previous: dict, policy: Policy) -> dict:
    """This year's result with `previous` blocks from last year's result (classified as of
    `same_point_last_year`): in the summary, each cohort group, each pupil and the weekly trend."""
    year_start = lambda day: school_year_start(policy, day)  # noqa: E731
    last = {p["pupil_id"]: p for p in previous["pupils"]}
    this_ids = {p["pupil_id"] for p in result["pupils"]}
    pupils = [{**p, "previous": _pupil(last.get(p["pupil_id"]), previous["as_of"])} for p in result["pupils"]]
    leavers = [{"pupil_id": p["pupil_id"], "attendance_pct": p["attendance_pct"]}
               for p in previous["pupils"] if p["pupil_id"] not in this_ids]
    groups = _groups(previous)
    cohorts = [{**c, "groups": [{**g, "previous": None if g["suppressed"] or (found := groups.get((c["field"], g["value"])))
                                 is None or found["suppressed"] else _pick(found, GROUP_FIELDS)}
                                for g in c["groups"]]}
               for c in result["cohorts"]]
    as_of = previous["as_of"]
    block = {
        "file": previous["source"]["file"],
        "as_of": as_of,
        "school_week": school_week_number(date.fromisoformat(as_of), year_start(date.fromisoformat(as_of)),
                                          week_ordinals(previous["trend"]["weeks"])) if as_of else None,
        "totals": _pick(previous["totals"], TOTAL_FIELDS),
        "matched": sum(1 for p in pupils if p["previous"]["status"] == "on_roll"),
        "joiners": sum(1 for p in pupils if p["previous"]["status"] == "joiner"),
        "leavers": leavers,
        "rejected": len(previous["rejected"]),
        "warnings": previous["warnings"],
    }
    trend = {**result["trend"], "previous": _aligned_trend(result, previous, year_start)} if result["trend"]["weeks"] \
        else {**result["trend"], "previous": None}
    return {**result, "previous": block, "pupils": pupils, "cohorts": cohorts, "trend": trend}
