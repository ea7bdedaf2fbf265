"""Secondary suppression: a hidden group's figures cannot be worked out from the whole file's
figures and the groups shown, in one breakdown or across breakdowns. (The property test that
tries to work out each hidden group in generated schools is in test_properties.py.)"""

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
