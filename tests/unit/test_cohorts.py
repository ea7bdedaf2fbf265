"""Cohorts and weekly trends: sums of sessions, small groups suppressed, half terms left out."""

import pytest

from attendtoolkit.resources import read_text

from ..conftest import HALF_TERM, MONDAY, absent, long_rows, present, run, to_csv


def register(pupils: dict[str, tuple[str, list[str]]], closed_weeks=()) -> bytes:
    """Long register with a Year column: pupils maps id -> (year, marks)."""
    rows = []
    for pupil_id, (year, marks) in pupils.items():
        rows += [[r[0], year] + r[1:] for r in long_rows({pupil_id: marks}, MONDAY, closed_weeks)]
    return to_csv(["UPN", "Year", "Date", "Session", "Mark"], rows)


def group(result, field, value):
    cohort = next(c for c in result["cohorts"] if c["field"] == field)
    return next(g for g in cohort["groups"] if g["value"] == value)


def test_cohort_rates_are_sums_of_sessions_not_averages():
    # Year 7: four pupils with 20 sessions each at 100% and one with 100 sessions at 50%.
    pupils = {f"P{i}": ("7", present(10)) for i in range(4)}
    pupils["Q"] = ("7", present(25) + absent("O", 25))
    y7 = group(run(register(pupils)), "year_group", "7")
    assert (y7["pupils"], y7["possible"], y7["attended"]) == (5, 180, 130)
    assert y7["attendance_pct"] == pytest.approx(130 / 180 * 100)  # not (4 x 100 + 50) / 5 = 90
    assert y7["persistent_absence_pct"] == 20.0 and y7["severe_absence_pct"] == 20.0
    assert y7["by_stage"]["4"] == 1 and y7["by_stage"]["1"] == 4  # 20 sessions is enough for a stage


def test_groups_smaller_than_five_are_suppressed():
    """Year 8 (4 pupils) is hidden; year 7 (5) is the smallest other group, hidden so that year 8
    is not the whole file minus year 7 (see test_suppression); year 9 (6) is shown."""
    pupils = ({f"A{i}": ("7", present(10)) for i in range(5)} | {f"B{i}": ("8", present(10)) for i in range(4)}
              | {f"C{i}": ("9", present(10)) for i in range(6)})
    result = run(register(pupils))
    assert group(result, "year_group", "8") == {"value": "8", "suppressed": True, "suppression": "small",
                                                "pupils_text": "fewer than 5"}
    assert group(result, "year_group", "7")["suppression"] == "secondary"
    assert not group(result, "year_group", "9")["suppressed"]
    assert list(result["trend"]["cohorts"]["year_group"]) == ["9"]


def test_the_policy_sets_the_minimum_group_size(tmp_path):
    policy = tmp_path / "p.toml"
    policy.write_text(read_text("policy", "shipped", "dfe-national.toml").replace(
        'stage_word = "Stage"', 'stage_word = "Stage"\nminimum_group_size = 3'))
    pupils = {f"B{i}": ("8", present(10)) for i in range(4)}
    assert not group(run(register(pupils), policy=str(policy)), "year_group", "8")["suppressed"]


def test_weekly_trend_skips_half_term_and_adds_sessions():
    # Two pupils over 9 school weeks (half term after week 8); A is absent all of week 9.
    pupils = {"A": ("7", present(40) + absent("O", 5)), "B": ("7", present(45))}
    trend = run(register(pupils, closed_weeks=(HALF_TERM,)))["trend"]
    assert len(trend["weeks"]) == 9 and "2024-10-28" not in trend["weeks"]
    assert trend["weeks"][-1] == "2024-11-04"
    assert trend["all"][0] == {"possible": 20, "attended": 20, "attendance_pct": 100.0}
    assert trend["all"][-1] == {"possible": 20, "attended": 10, "attendance_pct": 50.0}


def test_each_pupil_has_the_last_4_weeks_beside_the_year_so_far():
    result = run(register({"A": ("7", present(30) + absent("O", 10))}))
    pupil = result["pupils"][0]
    assert pupil["recent_attendance_pct"] == 50.0 and pupil["attendance_pct"] == 75.0


def test_the_results_say_how_many_school_weeks_are_recent_so_the_calculator_never_writes_4_itself():
    """recent_weeks.toml [pupil_results]: each pupil's last 4 school weeks beside the year so far. The
    pupil table's heading ("Last 4 weeks") reads the number from the results' recent_weeks."""
    from attendtoolkit.policy.facts import recent_weeks

    result = run(register({"A": ("7", present(30) + absent("O", 10))}))
    assert result["recent_weeks"] == recent_weeks()["pupil_results"].value == 4


def test_no_pupil_columns_means_no_cohorts():
    data = to_csv(["UPN", "Date", "Session", "Mark"], [["A", "02/09/2024", "AM", "/"]])
    assert run(data)["cohorts"] == []


def test_the_trend_as_csv_has_a_row_per_week_and_group():
    import csv
    import io

    from attendtoolkit.results.csv_writer import trend_csv
    pupils = {f"A{i}": ("7", present(10)) for i in range(5)}
    rows = list(csv.DictReader(io.StringIO(trend_csv(run(register(pupils))))))
    assert len(rows) == 2 * 2  # two weeks, for everyone and for year 7
    assert rows[0] == {"week_beginning": "2024-09-02", "group": "all", "value": "", "possible": "50",
                       "attended": "50", "attendance_pct": "100.0", "same_week_last_year_beginning": "",
                       "same_week_last_year_attendance_pct": ""}
    assert rows[2]["group"] == "year_group" and rows[2]["value"] == "7"


def test_the_trend_csv_makes_group_values_safe_for_spreadsheets():
    import csv
    import io

    from attendtoolkit.results.csv_writer import trend_csv
    pupils = {f"A{i}": ("=1+1", present(10)) for i in range(5)}
    rows = list(csv.DictReader(io.StringIO(trend_csv(run(register(pupils))))))
    assert {row["value"] for row in rows} == {"", "'=1+1"}
