"""Patterns of absence: the share of a pupil's absent sessions on Mondays and Fridays, and next to
weekends and holidays, as reasons and as flags with thresholds in the policy (issue 12).

Dudley Children's Services' guidance for social workers asks schools to look at 'patterns in
attendance over the week, the school year'. Registers start on Monday 2 September 2024.
"""

from ..conftest import HALF_TERM, absent, long_register, present, pupil, run

WEEK = 5  # school days


def week(absent_on: set[int], code: str = "O") -> list[str]:
    """One school week (Monday = 0), absent with `code` on the given days."""
    return [m for d in range(WEEK) for m in (absent(code, 1) if d in absent_on else present(1))]


def test_seven_of_ten_absent_sessions_on_mondays_and_fridays_is_a_pattern():
    """5 absent days: Mondays in weeks 1 and 2, Fridays in week 3 and 4 (4 days, 8 sessions) and a
    Wednesday (2 sessions): 8 of 10 absent sessions on a Monday or Friday, 80.0% (70% or more)."""
    marks = week({0}) + week({0}) + week({4}) + week({4}) + week({2}) + present(15)
    p = pupil(run(long_register({"A": marks})))
    assert "monday_friday_pattern" in p["flags"]
    assert ("Absence on Mondays and Fridays: 8 of 10 absent sessions since 2 September 2024 were on a Monday "
            "or Friday (80.0%; 70% or more).") in p["reasons"]
    assert p["absence_by_weekday"] == {"Monday": 4, "Tuesday": 0, "Wednesday": 2, "Thursday": 0, "Friday": 4}


def test_absence_spread_over_the_week_is_not_a_pattern():
    """One absent day on each weekday: 4 of 10 sessions on a Monday or Friday (40%, below 70%)."""
    marks = week({0}) + week({1}) + week({2}) + week({3}) + week({4})
    p = pupil(run(long_register({"A": marks})))
    assert "monday_friday_pattern" not in p["flags"] and "next_to_break_pattern" not in p["flags"]


def test_fewer_than_5_days_of_absence_is_never_a_pattern():
    p = pupil(run(long_register({"A": week({0}) + week({0}) + week({4}) + week({4}) + present(10)})))
    assert p["absence_by_weekday"]["Monday"] == 4 and "monday_friday_pattern" not in p["flags"]


def test_the_days_either_side_of_a_holiday_or_closure_are_next_to_a_break():
    """Absent Thursday 24 and Friday 25 October (week 8), then after half term Monday 4 November is
    closed (#), absent Tuesday 5, Thursday 7 and Friday 8 November: 10 absent sessions. Next to a
    break: Friday 25 October (before half term), Tuesday 5 November (after the closed Monday) and
    Friday 8 November: 6 sessions. The Thursdays sit between two school days."""
    before = present(7 * WEEK) + present(3) + absent("O", 2)
    after = ["#", "#"] + absent("O", 1) + present(1) + absent("O", 2)
    p = pupil(run(long_register({"A": before + after}, closed_weeks=(HALF_TERM,))))
    assert p["absence_next_to_break"] == 6
    assert p["absence_by_weekday"] == {"Monday": 0, "Tuesday": 2, "Wednesday": 0, "Thursday": 4, "Friday": 4}
    assert "next_to_break_pattern" not in p["flags"]  # 60%, below 80%


def test_absence_next_to_breaks_is_a_pattern_at_80_percent():
    """Absent on the Friday before half term and the Monday after, and on 3 other Mondays and
    Fridays: 10 of 10 absent sessions next to a break (100%)."""
    marks = week({0}) + week({4}) + week({0}) + present(4 * WEEK) + week({4}) + week({0})
    p = pupil(run(long_register({"A": marks}, closed_weeks=(HALF_TERM,))))
    assert "next_to_break_pattern" in p["flags"]
    assert ("Absence next to weekends and holidays: 10 of 10 absent sessions since 2 September 2024 were next "
            "to a weekend or a holiday (100.0%; 80% or more).") in p["reasons"]


def test_the_pattern_thresholds_are_policy_data_marked_local_choice(national):
    for name in ("pattern_minimum_absence", "monday_friday_share", "next_to_break_share"):
        assert national.thresholds[name].local_choice and national.thresholds[name].source
