"""Cohorts and trends: attendance for groups of pupils and week by week, as sums of sessions.

Groups smaller than the policy's minimum group size are suppressed, so a shared report cannot
identify a pupil. Every figure is a sum over pupils, so a hidden group's figures could be worked
out from the whole file's and the shown groups' (by subtraction). `hidden_groups` therefore hides
more groups (secondary suppression) until no hidden group can be worked out, and the pupils not
shown in any breakdown number none or at least the minimum.
"""

from __future__ import annotations

from attendtoolkit.engine.classify import HEADLINE_FLAGS, RESERVED_STAGES, Result
from attendtoolkit.engine.history import each_week, weekly_counts
from attendtoolkit.engine.metrics import percent

COHORT_FIELDS = {
    "year_group": "Year group", "reg_group": "Registration group", "gender": "Gender",
    "sen": "Special educational needs", "fsm": "Free school meals", "social_worker": "Social worker",
    "looked_after": "Looked after",
}


def group_figures(pupils: list, stage_ids: list[str]) -> dict:
    """Figures for a group of pupils (or the whole file): sums of sessions and shares of pupils,
    counted in one pass (a council's 230,000 pupils are in a group of each breakdown)."""
    possible = attended = with_sessions = 0
    flagged = dict.fromkeys(HEADLINE_FLAGS, 0)
    by_stage = dict.fromkeys(stage_ids, 0)
    for p in pupils:
        by_stage[p.stage] += 1
        counts = p.metrics.counts
        possible += counts.possible
        attended += counts.attended
        if counts.possible > 0:
            with_sessions += 1
            for flag in p.flags:
                if flag in flagged:
                    flagged[flag] += 1
    return {
        "pupils": len(pupils), "pupils_with_sessions": with_sessions, "possible": possible, "attended": attended,
        "attendance_pct": percent(attended, possible),
        **{f"{flag}_pct": percent(n, with_sessions) for flag, n in flagged.items()},
        "by_stage": by_stage,
    }


SMALL, SECONDARY = "small", "secondary"


def breakdowns(pupils: list) -> dict[str, dict[str, list]]:
    """Field -> group value -> the pupils with that value, for each pupil column present."""
    out: dict[str, dict[str, list]] = {}
    for field in COHORT_FIELDS:
        groups: dict[str, list] = {}
        for p in pupils:
            if field in p.details:
                groups.setdefault(p.details[field].strip(), []).append(p)
        if groups:
            out[field] = {value: groups[value] for value in sorted(groups, key=_natural)}
    return out


def hidden_groups(groups: dict[str, dict[str, list]], pupils: list, minimum: int) -> dict[tuple[str, str], str]:
    """(field, value) -> SMALL or SECONDARY for every group whose figures must not be shown.

    1. A group of fewer than `minimum` pupils is hidden (SMALL).
    2. In each breakdown, the pupils not shown (hidden groups, and pupils with no value) can be
       worked out together: the whole file minus the groups shown. While they number more than
       none but fewer than `minimum`, the smallest group still shown is hidden too (SECONDARY).
    3. Across breakdowns (a year group and the registration groups inside it), no small hidden
       group, and no small set of pupils with no value, may be a sum and difference of the shown
       groups and the whole file. While one is, the smallest shown group whose hiding prevents it
       is hidden too (SECONDARY).
    """
    size = {(f, v): len(members) for f, values in groups.items() for v, members in values.items()}
    hidden = {key: SMALL for key, n in size.items() if n < minimum}
    for field, values in groups.items():
        unshown = len(pupils) - sum(len(m) for v, m in values.items() if (field, v) not in hidden)
        shown = sorted((len(m), i, v) for i, (v, m) in enumerate(values.items()) if (field, v) not in hidden)
        while 0 < unshown < minimum and shown:
            n, _, value = shown.pop(0)
            hidden[(field, value)] = SECONDARY
            unshown += n
    vectors, everyone = _membership_vectors(groups, pupils)
    protected = [vectors[key] for key, why in hidden.items() if why == SMALL]
    protected += [vectors[(field, None)] for field, values in groups.items()
                  if 0 < len(pupils) - sum(map(len, values.values())) < minimum]
    protected = [v for v in protected if v != everyone]  # the whole file's figures are shown anyway

    def basis(published: list) -> list:
        return _basis([everyone] + [vectors[k] for k in published])

    while True:
        shown = sorted((k for k in size if k not in hidden), key=lambda k: size[k])
        known = basis(shown)
        unit = next((v for v in protected if _in_span(v, known)), None)
        if unit is None:
            return hidden
        hidden[next((c for c in shown if not _in_span(unit, basis([k for k in shown if k != c]))), shown[0])] = SECONDARY


_PRIME = (1 << 61) - 1  # sums and differences are checked with arithmetic modulo a large prime


def _membership_vectors(groups: dict[str, dict[str, list]], pupils: list) -> tuple[dict, list[int]]:
    """Each group (and, as (field, None), the pupils with no value for a field) as a 0/1 vector over
    the classes of pupils who share every group value; and the vector of the whole file."""
    fields = list(groups)
    value_of = {field: {id(p): v for v, members in values.items() for p in members} for field, values in groups.items()}
    classes = sorted({tuple(value_of[f].get(id(p)) for f in fields) for p in pupils}, key=repr)
    vectors = {(field, value): [1 if c[i] == value else 0 for c in classes]
               for i, field in enumerate(fields) for value in [*groups[field], None]}
    return vectors, [1] * len(classes)


def _reduce(vector: list[int], basis: list[tuple[int, list[int]]]) -> list[int]:
    v = list(vector)
    for pivot, row in basis:
        if v[pivot]:
            factor = v[pivot]
            v = [(a - factor * b) % _PRIME for a, b in zip(v, row)]
    return v


def _basis(vectors: list[list[int]]) -> list[tuple[int, list[int]]]:
    basis: list[tuple[int, list[int]]] = []
    for vector in vectors:
        v = _reduce(vector, basis)
        pivot = next((i for i, x in enumerate(v) if x), None)
        if pivot is not None:
            inverse = pow(v[pivot], _PRIME - 2, _PRIME)
            basis.append((pivot, [x * inverse % _PRIME for x in v]))
    return basis


def _in_span(vector: list[int], basis) -> bool:
    return not any(_reduce(vector, basis))


def cohorts_and_trend(result: Result) -> tuple[list[dict], dict]:
    """The cohort groups' figures and the weekly trend, from one breakdown of the pupils and one
    decision of which groups are hidden (a council's 230,000 pupils took a second each)."""
    groups = breakdowns(result.pupils)
    hidden = hidden_groups(groups, result.pupils, result.policy.minimum_group_size)
    return cohorts(result, groups, hidden), weekly_trend(result, groups, hidden)


def cohorts(result: Result, groups: dict[str, dict[str, list]], hidden: dict[tuple[str, str], str]) -> list[dict]:
    """One entry per pupil column present: its groups, each with figures or suppressed."""
    minimum = result.policy.minimum_group_size
    stage_ids = [s.id for s in result.policy.all_stages] + list(RESERVED_STAGES)
    out = []
    for field, values in groups.items():
        rows = []
        for value, members in values.items():
            why = hidden.get((field, value))
            if why == SMALL:
                rows.append({"value": value, "suppressed": True, "suppression": SMALL,
                             "pupils_text": f"fewer than {minimum}"})
            elif why == SECONDARY:
                rows.append({"value": value, "suppressed": True, "suppression": SECONDARY,
                             "pupils_text": "not shown, so that a smaller group cannot be worked out"})
            else:
                rows.append({"value": value, "suppressed": False, **group_figures(members, stage_ids)})
        out.append({"field": field, "label": COHORT_FIELDS[field], "groups": rows})
    return out


def _natural(value: str):
    """Year 7 before year 10; text after numbers."""
    return (0, int(value), "") if value.isdigit() else (1, 0, value.lower())


def weekly_trend(result: Result, groups: dict[str, dict[str, list]], hidden: dict[tuple[str, str], str]) -> dict:
    """Attendance for each school week, for everyone and for each cohort group shown (sums of sessions)."""
    calendar = next((p.metrics.calendar for p in result.pupils if p.metrics.calendar), None)
    if calendar is None:
        return {"weeks": [], "all": [], "cohorts": {}}
    sums = _week_sums(result, len(calendar.mondays))

    def series(members) -> list[dict]:
        attended, possible = sums(members)
        return [{"possible": n, "attended": a, "attendance_pct": percent(a, n)} for a, n in zip(attended, possible)]

    trend = {"weeks": list(calendar.monday_texts), "all": series(result.pupils), "cohorts": {}}
    for field, values in groups.items():
        trend["cohorts"][field] = {value: series(members)
                                   for value, members in values.items() if (field, value) not in hidden}
    return trend


def _week_sums(result: Result, weeks: int):
    """A function giving, for a list of the result's pupils, the sessions attended and possible in
    each school week summed over those with dated figures: from the numpy arrays the classification
    made (Result.weeks), else from each pupil's weekly counts."""
    if result.weeks is not None:
        from attendtoolkit.engine.batch import week_sums
        row = {id(p): i for i, p in enumerate(result.pupils)}
        return lambda members: week_sums(result.weeks, [row[id(p)] for p in members])
    per_pupil = {}
    for p in result.pupils:
        if p.metrics.dated:
            counts = weekly_counts(p.metrics)
            per_pupil[id(p)] = counts.attended, counts.possible

    def sums(members) -> tuple[list[int], list[int]]:
        """Summed as running totals by week, then each week taken out once (not for every pupil)."""
        found = [per_pupil[id(p)] for p in members if id(p) in per_pupil]
        return tuple(each_week([sum(column) for column in zip(*(f[k] for f in found))]) or [0] * weeks
                     for k in (0, 1))
    return sums
