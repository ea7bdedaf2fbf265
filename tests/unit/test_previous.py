"""The same week last year, by hand: last year's register classified to the same school week and
shown beside this year's.

Attendance data should be analysed for trends over time and patterns over the school year and across
year groups (Dudley Children's Services, Supporting Social Workers to Improve the Attendance of
Children with a Social Worker); schools and councils judge a figure against the same point last
year, so the point must be the same school week, not the same date. School weeks are weeks with a
possible session, counted from the start of the school year in the policy (1 September), as the
early-year signals count them (engine/school_weeks.py); pupils are matched by pupil id only, never by name.
"""

import csv
import io
import json
from datetime import date, timedelta

from attendtoolkit.policy.load import load_policy
from attendtoolkit.results.csv_writer import result_csv
from attendtoolkit.engine.school_weeks import school_week_number
from attendtoolkit.results.previous import same_point_last_year

from ..conftest import HALF_TERM, absent, long_register, named_register, present, pupil, run

LAST_YEAR = date(2023, 9, 4)  # Monday: first day of the 2023/24 autumn term (1 September 2023 was a Friday)
NATIONAL = load_policy()


def weeks_from(monday: date, count: int, closed: tuple[date, ...] = ()) -> list[int]:
    """School-week Mondays (ordinals): `count` weeks with sessions from `monday`, skipping closed weeks."""
    out, day = [], monday
    while len(out) < count:
        if day not in closed:
            out.append(day.toordinal())
        day += timedelta(weeks=1)
    return out


Y2024, Y2023 = date(2024, 9, 1), date(2023, 9, 1)


def test_school_week_1_is_the_first_week_from_1_september_with_a_session_in_the_register():
    """A school week is a week with at least one possible session (the national framework for penalty
    notices counts its 10 school weeks so). 2024/25: 1 September is a Sunday; the register starts
    Monday 2 September, so Friday 18 October is in week 7 (46 days on: 46 // 7 + 1). 2023/24:
    1 September is a Friday with no session; week 1 begins Monday 4 September, so Friday 1 September
    is week 0 and 20 October 2023 is week 7. 2026/27: 1 September is a Tuesday; a school that opens
    on Wednesday 2 September has week 1 from Monday 31 August."""
    assert school_week_number(date(2024, 9, 2), Y2024, weeks_from(date(2024, 9, 2), 8)) == 1
    assert school_week_number(date(2024, 10, 18), Y2024, weeks_from(date(2024, 9, 2), 8)) == 7
    assert school_week_number(date(2023, 9, 1), Y2023, weeks_from(date(2023, 9, 4), 8)) == 0
    assert school_week_number(date(2023, 9, 4), Y2023, weeks_from(date(2023, 9, 4), 8)) == 1
    assert school_week_number(date(2023, 10, 20), Y2023, weeks_from(date(2023, 9, 4), 8)) == 7
    assert school_week_number(date(2026, 9, 2), date(2026, 9, 1), weeks_from(date(2026, 8, 31), 2)) == 1


def test_half_term_is_not_a_school_week_and_a_file_that_starts_late_keeps_the_years_numbers():
    """Half term in the week of 28 October 2024 (no sessions): Friday 8 November is in school week 9,
    not 10, and a day in half term is still in week 8. A register exported from Monday 30 September
    counts the four weeks before it: 30 September is week 5."""
    with_half_term = weeks_from(date(2024, 9, 2), 10, closed=(HALF_TERM,))
    assert school_week_number(date(2024, 11, 8), Y2024, with_half_term) == 9
    assert school_week_number(date(2024, 10, 30), Y2024, with_half_term) == 8
    assert school_week_number(date(2024, 9, 30), Y2024, weeks_from(date(2024, 9, 30), 3)) == 5


def test_the_early_year_weeks_and_last_years_school_week_are_counted_the_same_way():
    """One definition for both: in 2023/24 (term from Monday 4 September), the first 4 school weeks
    of the early-year signals end on Friday 29 September, and that Friday is school week 4 for the
    same week last year. Before, the early-year weeks counted the week of Friday 1 September (no
    sessions) as week 1 and ended a week early."""
    from attendtoolkit.engine.metrics import Calendar
    mondays = weeks_from(date(2023, 9, 4), 6)
    calendar = Calendar(mondays, date(2023, 10, 13), [m + d for m in mondays for d in range(5)])
    first, end = calendar.year_weeks(Y2023, 4)
    assert (date.fromordinal(first // 2), date.fromordinal(end // 2)) == (date(2023, 9, 1), date(2023, 10, 2))
    assert school_week_number(date(2023, 9, 29), Y2023, mondays) == 4
    assert school_week_number(date(2023, 10, 2), Y2023, mondays) == 5


def test_the_same_point_last_year_is_the_same_weekday_of_the_same_school_week_across_calendars():
    # Friday 18 October 2024 (week 7) -> Friday 20 October 2023 (week 7 of a year whose first Monday
    # is 4 September). 2025/26 starts on Monday 1 September 2025: Wednesday 3 September 2025 (week 1)
    # -> Wednesday 4 September 2024.
    this, last = weeks_from(date(2024, 9, 2), 7), weeks_from(date(2023, 9, 4), 12)
    assert same_point_last_year(date(2024, 10, 18), NATIONAL, this, last) == date(2023, 10, 20)
    assert same_point_last_year(date(2025, 9, 3), NATIONAL, weeks_from(date(2025, 9, 1), 1),
                                weeks_from(date(2024, 9, 2), 8)) == date(2024, 9, 4)


def test_the_same_point_last_year_counts_last_years_school_weeks_past_its_half_term():
    """This year's half term is in the week of 28 October 2024 (after 8 school weeks); last year's was
    a week earlier, the week of 23 October 2023 (after 7). Friday 25 October 2024 is school week 8;
    last year's week 8 began on Monday 30 October, so the same point is Friday 3 November 2023.
    Counting calendar weeks would give Friday 27 October 2023, in last year's half term."""
    this, last = weeks_from(date(2024, 9, 2), 8), weeks_from(date(2023, 9, 4), 12, closed=(date(2023, 10, 23),))
    assert same_point_last_year(date(2024, 10, 25), NATIONAL, this, last) == date(2023, 11, 3)
    this_year = long_register({"A": present(40)})
    last_year = long_register({"A": present(55)}, start=date(2023, 9, 4), closed_weeks=(date(2023, 10, 23),))
    block = run(this_year, previous=last_year, previous_name="last-year.csv")["previous"]
    assert (block["as_of"], block["school_week"]) == ("2023-11-03", 8)


def _two_years():
    # This year from Monday 2 September 2024, as of Friday 13 September (school week 2):
    # A (Nia) 10 days present: 20 of 20 sessions. B (Amy) 10 days present, a joiner.
    # Last year from Monday 4 September 2023, four weeks: A present week 1, absent week 2, present
    # weeks 3 and 4; C (also Amy, another pupil) present all four weeks, a leaver.
    # As of Friday 15 September 2023 (week 2): A 10 of 20 sessions, 50%; C 20 of 20; together
    # 30 of 40, 75%. Weeks 3 and 4 of last year are after that point and not counted.
    this_year = named_register({"A": ("Nia", "8", present(10)), "B": ("Amy", "8", present(10))}, date(2024, 9, 2))
    last_year = named_register({"A": ("Nia", "7", present(5) + absent("O", 5) + present(10)),
                                "C": ("Amy", "7", present(20))}, LAST_YEAR)
    return run(this_year, previous=last_year, previous_name="last-year.csv")


def test_last_year_is_read_to_the_same_school_week_and_shown_beside_this_year():
    result = _two_years()
    block = result["previous"]
    assert (block["file"], block["as_of"], block["school_week"]) == ("last-year.csv", "2023-09-15", 2)
    assert (block["totals"]["possible"], block["totals"]["attendance_pct"]) == (40, 75.0)
    assert result["totals"]["attendance_pct"] == 100.0


def test_a_pupil_is_matched_by_id_and_a_joiner_is_never_matched_by_name():
    result = _two_years()
    assert pupil(result, "A")["previous"] == {"status": "on_roll", "as_of": "2023-09-15", "attendance_pct": 50.0,
                                              "possible": 20,
                                              "stage": pupil(result, "A")["previous"]["stage"],
                                              "stage_name": pupil(result, "A")["previous"]["stage_name"]}
    # B is called Amy, like C last year, but has another pupil id: a joiner.
    assert pupil(result, "B")["previous"]["status"] == "joiner"
    assert pupil(result, "B")["previous"]["attendance_pct"] is None
    assert (result["previous"]["matched"], result["previous"]["joiners"]) == (1, 1)
    assert result["previous"]["leavers"] == [{"pupil_id": "C", "attendance_pct": 100.0}]


def test_the_weekly_trend_puts_last_years_week_beside_the_same_school_week():
    # Week 1: A and C present, 20 of 20. Week 2: A absent, C present, 10 of 20: 50%.
    trend = _two_years()["trend"]
    assert trend["weeks"] == ["2024-09-02", "2024-09-09"]
    assert trend["previous"]["weeks"] == ["2023-09-04", "2023-09-11"]
    assert [row["attendance_pct"] for row in trend["previous"]["all"]] == [100.0, 50.0]


def test_each_group_shows_last_years_group_at_the_same_week():
    # Year 8 this year (10 pupils, all present 5 days) beside last year's year 8 (5 pupils, each
    # absent 1 of 5 days: 40 of 50 sessions, 80%) and year 7 (5 pupils, all present). Pupils
    # differ between the years; the group is last year's year 8 at week 1.
    this_year = named_register({f"N{i}": ("X", "8", present(5)) for i in range(10)}, date(2024, 9, 2))
    last = {f"L{i}": ("Y", "8", present(4) + absent("O", 1)) for i in range(5)}
    last |= {f"K{i}": ("Z", "7", present(5)) for i in range(5)}
    result = run(this_year, previous=named_register(last, LAST_YEAR), previous_name="last.csv")
    year = next(c for c in result["cohorts"] if c["field"] == "year_group")
    eight = next(g for g in year["groups"] if g["value"] == "8")
    assert eight["previous"]["pupils"] == 5 and eight["previous"]["attendance_pct"] == 80.0
    assert result["previous"]["joiners"] == 10 and len(result["previous"]["leavers"]) == 10


def test_this_years_file_given_as_last_years_is_named_in_a_warning():
    # The same file twice: last year's register has no sessions up to 15 September 2023.
    data = named_register({"A": ("Nia", "8", present(10))}, date(2024, 9, 2))
    result = run(data, previous=data, previous_name="same.csv")
    assert ("same.csv: last year's register has no sessions up to 2023-09-15, the same school week last year. "
            "Check that it is last year's register for the same school.") in result["warnings"]


def test_without_last_years_register_the_previous_blocks_are_empty():
    result = run(named_register({"A": ("Nia", "8", present(10))}, date(2024, 9, 2)))
    assert result["previous"] is None and pupil(result)["previous"] is None
    assert "previous" not in result["trend"]


def test_the_cli_compares_with_last_years_register_and_says_so(tmp_path, capsys):
    from attendtoolkit.cli import main
    this_year, last_year = tmp_path / "now.csv", tmp_path / "last.csv"
    this_year.write_bytes(named_register({"A": ("Nia", "8", present(10)), "B": ("Amy", "8", present(10))},
                                         date(2024, 9, 2)))
    last_year.write_bytes(named_register({"A": ("Nia", "7", present(5) + absent("O", 5) + present(10)),
                                          "C": ("Amy", "7", present(20))}, LAST_YEAR))
    out = tmp_path / "out.json"
    assert main(["classify", str(this_year), "--previous", str(last_year), "-o", str(out)]) == 0
    assert json.loads(out.read_text())["previous"]["as_of"] == "2023-09-15"
    assert ("Same week last year (school week 2, to 2023-09-15, last.csv): attendance 75.0%; 1 pupil in both "
            "registers, 1 joined since, 1 left") in capsys.readouterr().err


def test_the_pupil_csv_gives_attendance_at_the_same_week_last_year():
    text = result_csv(_two_years())
    rows = {r["pupil_id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert text.splitlines()[0].endswith(",same_week_last_year_attendance_pct,in_last_year_register")
    assert (rows["A"]["same_week_last_year_attendance_pct"], rows["A"]["in_last_year_register"]) == ("50.0", "yes")
    assert (rows["B"]["same_week_last_year_attendance_pct"], rows["B"]["in_last_year_register"]) == ("", "no")


def test_the_trend_csv_gives_last_years_same_school_week_beside_each_week():
    from attendtoolkit.results.csv_writer import trend_csv
    rows = list(csv.DictReader(io.StringIO(trend_csv(_two_years()))))
    everyone = [r for r in rows if r["group"] == "all"]
    assert [(r["week_beginning"], r["same_week_last_year_beginning"], r["same_week_last_year_attendance_pct"])
            for r in everyone] == [("2024-09-02", "2023-09-04", "100.0"), ("2024-09-09", "2023-09-11", "50.0")]


def test_the_report_shows_last_year_in_the_summary_the_trend_and_the_groups():
    from attendtoolkit.render.report import report_html
    html = report_html(_two_years())
    assert "Same week last year: 75.0%" in html  # the attendance card: 30 of 40 sessions
    assert "1 pupil is in both registers, 1 joined since and 1 has left" in html
    assert "Dashed line: the same school weeks last year, latest 50.0%." in html
    assert '<th scope="col">Same week last year</th>' in html
    assert "<td>50.0% <span class=\"atk-figure-note\">(week of 11 September 2023)</span></td>" in html
    assert "stroke-dasharray" in html


def test_the_pupil_page_shows_last_years_figure_or_that_the_pupil_joined_since():
    from attendtoolkit.render.components import pupil_view
    result = _two_years()
    context = {"policy": result["policy"], "as_of": result["as_of"], "source": result["source"]}
    assert ("<dt>Same week last year</dt><dd>50.0% <span class=\"atk-figure-note\">to 15 September 2023</span>"
            in pupil_view(pupil(result, "A"), context))
    assert "<dt>Same week last year</dt><dd>Not in last year's register</dd>" in pupil_view(pupil(result, "B"), context)


def test_without_last_years_register_the_report_has_no_last_year_column():
    from attendtoolkit.render.report import report_html
    html = report_html(run(named_register({"A": ("Nia", "8", present(10))}, date(2024, 9, 2))))
    assert "last year" not in html.lower() and "stroke-dasharray" not in html


def test_the_pupil_table_gives_last_years_figure_beside_this_years_attendance():
    from attendtoolkit.render.components import pupil_rows
    rows = pupil_rows(_two_years())
    assert '100.0% <span class="atk-figure-note atk-last-year">last year 50.0%</span>' in rows[0]
    assert '100.0% <span class="atk-figure-note atk-last-year">joined since last year</span>' in rows[1]
