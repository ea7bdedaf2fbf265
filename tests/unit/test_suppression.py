"""Secondary suppression: a hidden group's figures cannot be worked out from the whole file's
figures and the groups shown, in one breakdown or across breakdowns."""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..conftest import absent, long_rows, present, run, to_csv

COLUMNS = {"year_group": "Year", "reg_group": "Reg Group", "looked_after": "Looked After"}


def register(pupils: list[dict]) -> bytes:
    """Pupils as dicts of field -> value (a missing field is a blank cell) and 'marks'."""
    rows = []
    for i, p in enumerate(pupils):
        details = [p.get(field, "") for field in COLUMNS]
        rows += [[r[0], *details, *r[1:]] for r in long_rows({f"P{i:03}": p["marks"]})]
    return to_csv(["UPN", *COLUMNS.values(), "Date", "Session", "Mark"], rows)


def shown_and_hidden(result) -> tuple[dict, dict]:
    shown, hidden = {}, {}
    for cohort in result["cohorts"]:
        for g in cohort["groups"]:
            (hidden if g["suppressed"] else shown)[(cohort["field"], g["value"])] = g
    return shown, hidden


def test_two_looked_after_pupils_among_forty_cannot_be_worked_out():
    """The issue's case: 2 looked-after pupils hidden and 38 others shown gave away both pupils'
    attendance as the whole file minus the 38. Now the 38 are hidden too."""
    pupils = [{"looked_after": "Yes", "marks": absent("O", 10)} for _ in range(2)]
    pupils += [{"looked_after": "No", "marks": present(10)} for _ in range(38)]
    shown, hidden = shown_and_hidden(run(register(pupils)))
    assert hidden[("looked_after", "Yes")]["suppression"] == "small"
    assert hidden[("looked_after", "No")]["suppression"] == "secondary"
    assert hidden[("looked_after", "No")]["pupils_text"] == "not shown, so that a smaller group cannot be worked out"
    assert shown == {}


def test_the_smallest_other_group_is_hidden_when_one_group_is_small():
    """Years 7 (6 pupils), 8 (5) and 9 (3): year 9 is hidden; the whole file minus years 7 and 8
    would give it, so year 8, the smallest shown, is hidden too; year 7 stays."""
    pupils = [{"year_group": y, "marks": present(10)} for y, n in (("7", 6), ("8", 5), ("9", 3)) for _ in range(n)]
    shown, hidden = shown_and_hidden(run(register(pupils)))
    assert {k[1]: g["suppression"] for k, g in hidden.items()} == {"9": "small", "8": "secondary"}
    assert list(shown) == [("year_group", "7")]


def test_a_registration_group_cannot_be_worked_out_from_its_year_group():
    """7A (7 pupils) and 7B (3) make year 7; 8A and 8B (6 each) make year 8. 7B is small; hiding
    8A (the smallest shown) is not enough, since year 7 minus 7A gives 7B: 7A is hidden as well."""
    pupils = [{"year_group": reg[0], "reg_group": reg, "marks": present(10)}
              for reg, n in (("7A", 7), ("7B", 3), ("8A", 6), ("8B", 6)) for _ in range(n)]
    shown, hidden = shown_and_hidden(run(register(pupils)))
    assert hidden[("reg_group", "7B")]["suppression"] == "small"
    assert hidden[("reg_group", "7A")]["suppression"] == "secondary"
    assert ("year_group", "7") in shown


def test_pupils_with_no_value_count_as_a_hidden_group():
    """Two pupils with a blank year group would be the whole file minus the year groups shown."""
    pupils = [{"year_group": "7", "marks": present(10)} for _ in range(6)]
    pupils += [{"year_group": "8", "marks": present(10)} for _ in range(7)]
    pupils += [{"marks": absent("O", 10)} for _ in range(2)]
    shown, hidden = shown_and_hidden(run(register(pupils)))
    assert hidden == {("year_group", "7"): hidden[("year_group", "7")]}
    assert hidden[("year_group", "7")]["suppression"] == "secondary"


def test_the_weekly_trend_hides_the_same_groups():
    pupils = [{"looked_after": "Yes", "marks": absent("O", 10)} for _ in range(2)]
    pupils += [{"looked_after": "No", "marks": present(10)} for _ in range(38)]
    assert run(register(pupils))["trend"]["cohorts"]["looked_after"] == {}


def _in_span(target: list[int], vectors: list[list[int]]) -> bool:
    """Whether `target` is a combination of `vectors`, with exact fractions (the attacker's algebra)."""
    rows = [[Fraction(x) for x in v] for v in vectors]
    basis: list[list[Fraction]] = []
    for row in rows + [None]:
        v = [Fraction(x) for x in target] if row is None else row
        for b in basis:
            pivot = next(i for i, x in enumerate(b) if x)
            if v[pivot]:
                v = [a - v[pivot] / b[pivot] * c for a, c in zip(v, b)]
        if row is None:
            return not any(v)
        if any(v):
            basis.append(v)
    return False


pupil = st.fixed_dictionaries({
    "year_group": st.sampled_from(["7", "8", "9", ""]),
    "reg_letter": st.sampled_from(["A", "B"]),
    "looked_after": st.sampled_from(["Yes", "No", "No", "No", ""]),
    "absent_days": st.integers(0, 10),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pupil, min_size=1, max_size=30))
def test_no_hidden_group_can_be_derived_from_what_is_shown(drawn):
    """An attacker knows every shown figure and which pupils are in which group, and tries to
    write each small hidden group (and each small set of pupils with no value) as sums and
    differences of the shown groups and the whole file. Every figure (pupils, sessions, pupils
    at each stage or with each flag) adds up over pupils, so such a combination would give all of
    them. It never exists; and in each breakdown the pupils not shown are none or at least 5."""
    pupils = []
    for d in drawn:
        p = {"marks": present(10 - d["absent_days"]) + absent("O", d["absent_days"])}
        if d["year_group"]:
            p["year_group"] = d["year_group"]
            p["reg_group"] = d["year_group"] + d["reg_letter"]
        if d["looked_after"]:
            p["looked_after"] = d["looked_after"]
        pupils.append(p)
    result = run(register(pupils))
    members = {}
    for i, p in enumerate(pupils):
        for field in COLUMNS:
            if field in p:
                members.setdefault((field, p[field]), set()).add(i)
    vector = lambda ids: [1 if i in ids else 0 for i in range(len(pupils))]  # noqa: E731
    shown, hidden = shown_and_hidden(result)
    published = [vector(set(range(len(pupils))))] + [vector(members[k]) for k in shown]
    small = [members[k] for k, g in hidden.items() if g.get("suppression", "small") == "small"]
    for field in COLUMNS:
        unvalued = {i for i, p in enumerate(pupils) if field not in p}
        if any(k[0] == field for k in members) and 0 < len(unvalued) < 5:
            small.append(unvalued)
        unshown = len(pupils) - sum(len(members[k]) for k in shown if k[0] == field)
        if any(k[0] == field for k in members):
            assert unshown == 0 or unshown >= 5 or unshown == len(pupils)
    for ids in small:
        if len(ids) < len(pupils):
            assert not _in_span(vector(ids), published), f"a hidden group of {len(ids)} can be worked out"
