"""The national default policy, in named scenarios worked out by hand."""

from datetime import date

from ..conftest import absent, long_register, present, pupil, run


def classify_one(marks, **kwargs):
    return pupil(run(long_register({"A": marks}), **kwargs))


def test_a_pupil_at_exactly_90_percent_attendance_is_persistently_absent():
    # 100 possible sessions, 10 of them illness: absence exactly 10%.
    p = classify_one(present(45) + absent("I", 5))
    assert p["attendance_pct"] == 90.0
    assert "persistent_absence" in p["flags"] and p["stage"] == "3"
    assert ("Persistent absence: absence 10.0% of 100 possible sessions since 2 September 2024 "
            "(10% or more).") in p["reasons"]


def test_a_pupil_at_90_5_percent_is_at_risk_but_not_persistently_absent():
    # 200 possible sessions, 19 absent: absence 9.5%.
    p = classify_one(present(90) + absent("I", 9) + ["I", "\\"])
    assert p["absence_pct"] == 9.5
    assert "persistent_absence" not in p["flags"] and p["stage"] == "2"


def test_a_pupil_at_exactly_95_percent_stays_at_stage_1():
    p = classify_one(present(19) + absent("M", 1))  # 38 of 40
    assert p["attendance_pct"] == 95.0 and p["stage"] == "1"


def test_just_below_95_percent_is_stage_2_and_the_reason_does_not_round_up_to_95():
    # 199 of 210 sessions: 94.76%; one decimal shows 94.8%, which is still below 95%.
    p = classify_one(present(99) + absent("I", 5) + ["I", "\\"])
    assert p["stage"] == "2"
    assert p["reasons"][0].startswith("Stage 2 (Early help: at risk of persistent absence): attendance 94.8%")


def test_absence_of_exactly_50_percent_is_severe_and_stage_4():
    p = classify_one(present(10) + absent("O", 10))
    assert {"severe_absence", "persistent_absence"} <= set(p["flags"]) and p["stage"] == "4"


def test_nine_unauthorised_sessions_in_ten_school_weeks_is_not_the_penalty_threshold():
    p = classify_one(present(5) + absent("O", 4) + ["G", "\\"] + present(10))
    assert "penalty_notice_threshold" not in p["flags"] and p["penalty_threshold_date"] is None


def test_ten_unauthorised_sessions_in_ten_school_weeks_is_the_penalty_threshold():
    # G, N, O and U all count, in any mix: nine by Friday 13 September, the 10th on Monday 16th.
    p = classify_one(present(5) + absent("G", 2) + absent("N", 1) + ["U", "\\", "O", "O"] + ["U", "/"])
    assert "penalty_notice_threshold" in p["flags"]
    assert p["penalty_threshold_date"] == "2024-09-16"
    assert any("reached 10 on 16 September 2024" in r for r in p["reasons"])


# Unauthorised absence (O) for all of week 2 (9 to 13 September 2024): 10 sessions, the 10th on Friday
# 13 September. The rolling period of the last 10 school weeks holds them to week 11 (the week of
# 11 November); from week 12 (18 November) the period is weeks 3 to 12, with none.
SEPTEMBER_WEEK_OFF = present(5) + absent("O", 5)


def test_the_penalty_threshold_holds_while_the_last_10_school_weeks_hold_the_sessions():
    """National framework for penalty notices (Working together to improve school attendance, August
    2024): the threshold is '10 sessions of unauthorised absence in a rolling period of 10 school
    weeks'. On Friday 15 November (week 11) the last 10 school weeks are weeks 2 to 11: 10 sessions."""
    p = classify_one(SEPTEMBER_WEEK_OFF + present(45), as_of=date(2024, 11, 15))
    assert "penalty_notice_threshold" in p["flags"] and p["penalty_threshold_date"] == "2024-09-13"
    assert ("Penalty notice threshold: 10 sessions coded G, N, O or U in the last 10 school weeks; reached 10 on "
            "13 September 2024 (10 sessions or more).") in p["reasons"]


def test_a_penalty_threshold_from_september_has_left_the_rolling_period_by_the_summer():
    """The same framework: the period rolls on, so a school considers a penalty notice when the threshold
    is met, not for the rest of the year. On Friday 22 November (week 12) the last 10 school weeks are
    weeks 3 to 12, with no unauthorised absence: the threshold is not met, and in June neither."""
    for as_of in (date(2024, 11, 22), date(2025, 6, 20)):
        p = classify_one(SEPTEMBER_WEEK_OFF + present(200), as_of=as_of)
        assert "penalty_notice_threshold" not in p["flags"] and p["penalty_threshold_date"] is None


def test_the_penalty_threshold_met_again_later_gives_the_new_date_and_is_new_on_the_worklist():
    """Week 2 off (O), present to week 14, then O every day of week 15 (the week of 9 December): the
    period of weeks 6 to 15 holds 10 sessions again, reached on Friday 13 December."""
    register = long_register({"A": SEPTEMBER_WEEK_OFF + present(60) + absent("O", 5)})
    result = run(register, as_of=date(2024, 12, 13))
    p = pupil(result)
    assert p["penalty_threshold_date"] == "2024-12-13"
    assert any(r["group"] == "new" and "Penalty notice threshold" in r["why"] for r in result["actions"])


def test_nineteen_school_days_in_a_row_of_unauthorised_absence_is_not_yet_missing_education():
    p = classify_one(present(5) + absent("O", 19))
    assert p["continuous_absence_days"] == 19 and "missing_education_risk" not in p["flags"]


def test_twenty_school_days_in_a_row_is_a_missing_education_risk():
    p = classify_one(present(5) + absent("O", 10) + absent("N", 10))
    assert p["continuous_absence_days"] == 20 and p["continuous_absence_start"] == "2024-09-09"
    assert "missing_education_risk" in p["flags"]


def test_a_new_joiner_with_few_possible_sessions_has_not_enough_data():
    # On roll from Monday 30 September (Z before), 5 days present: 10 possible sessions.
    p = classify_one(absent("Z", 20) + present(4) + ["/", "O"])
    assert p["possible"] == 10 and p["stage"] == "not_enough_data"
    assert p["first_date"] == "2024-09-30"
    assert p["reasons"][0] == ("Not enough data yet: 10 possible sessions since 30 September 2024; "
                               "a stage is given from 20 possible sessions.")


def test_dual_registration_sessions_are_not_possible_sessions():
    p = classify_one(["/", "D"] * 30)
    assert (p["possible"], p["not_possible"], p["attendance_pct"], p["stage"]) == (30, 30, 100.0, "1")


def test_approved_educational_activity_counts_as_attendance():
    p = classify_one(present(18) + absent("V", 2))
    assert p["aea"] == 4 and p["attendance_pct"] == 100.0


def test_twenty_unauthorised_sessions_means_telling_the_local_authority():
    # Still true: these 10 days of G are also 10 school days in a row (the regulation's test).
    assert "notify_local_authority" in classify_one(present(30) + absent("G", 10))["flags"]
    assert "notify_local_authority" not in classify_one(present(30) + absent("G", 9) + ["G", "\\"])["flags"]


def test_twenty_unauthorised_sessions_is_the_local_choice_flag():
    # Issue 14: 20 sessions in the year is a local reading; the regulation's test is in
    # tests/scenarios/test_local_authority_notice.py (10 school days in a row).
    assert "unauthorised_ten_days" in classify_one(present(30) + absent("G", 10))["flags"]
    assert "unauthorised_ten_days" not in classify_one(present(30) + absent("G", 9) + ["G", "\\"])["flags"]


def test_ten_late_marks_in_the_last_ten_school_weeks_flags_lateness():
    marks = present(40) + ["L", "\\"] * 6 + ["U", "\\"] * 4
    assert "lateness" in classify_one(marks)["flags"]
    assert "lateness" not in classify_one(present(40) + ["L", "\\"] * 9 + present(1))["flags"]


def test_the_as_of_date_decides_what_is_counted():
    marks = present(10) + absent("O", 10)
    early = classify_one(marks, as_of=date(2024, 9, 13))
    assert early["possible"] == 20 and early["stage"] == "1"
    assert classify_one(marks)["stage"] == "4"


def test_lost_learning_is_given_in_days_and_lessons():
    p = classify_one(present(45) + absent("I", 5))
    assert (p["days_missed"], p["lessons_missed"], p["weeks_missed"]) == (5, 25, 1)


def test_totals_for_the_group_are_sums_of_sessions():
    result = run(long_register({"A": present(18) + absent("O", 2), "B": present(40)}))
    totals = result["totals"]
    assert (totals["possible"], totals["unauthorised"], totals["pupils"]) == (120, 4, 2)
    assert totals["attendance_pct"] == 116 / 120 * 100
    assert totals["persistent_absence_pct"] == 50.0
    assert totals["by_stage"] == {"1": 1, "2": 0, "3": 1, "4": 0, "not_enough_data": 0, "not_assessable": 0}


def test_attendance_up_20_points_in_the_last_6_weeks_is_improved_but_praise_does_not_go_with_a_concern_letter():
    # Weeks 1-6: four days present and one day absent (O) each week (80%); weeks 7-12: every day (100%).
    p = classify_one((present(4) + absent("O", 1)) * 6 + present(30))
    assert "improved_attendance" in p["flags"] and p["letters"] == ["concern-1"]  # 90.0%: stage 3
    assert "Not sent with a concern letter: 'Praise for improved attendance'." in p["letter_notes"]
    assert any("attendance 100.0% over the last 6 school weeks" in r and "against 80.0% before: up 20.0 points"
               in r for r in p["reasons"])


def test_a_drop_of_exactly_5_points_is_an_early_warning():
    # Weeks 1-6 every day (100%), weeks 7-12: 57 of 60 sessions (95%).
    p = classify_one(present(30) + present(28) + ["O", "/"] + absent("O", 1))
    assert "attendance_drop" in p["flags"]


def test_a_drop_of_3_points_is_not_an_early_warning():
    p = classify_one(present(30) + present(29) + ["O", "O"])
    assert "attendance_drop" not in p["flags"]


def test_no_earlier_weeks_means_no_change_to_measure():
    p = classify_one(present(20))  # only 4 school weeks in the file
    assert not {"attendance_drop", "improved_attendance"} & set(p["flags"])


def test_two_more_missed_sessions_from_persistent_absence_is_an_early_warning():
    # 5 absent of 70 (7.1%): missing 2 more gives 7 of 72 (9.7%), not yet 10%.
    assert "approaching_persistent_absence" not in classify_one(present(32) + ["O", "\\"] + absent("O", 2))["flags"]
    # 6 absent of 70 (8.6%): missing 2 more gives 8 of 72 (11.1%), 10% or more.
    p = classify_one(present(32) + absent("O", 3))
    assert "approaching_persistent_absence" in p["flags"] and "persistent_absence" not in p["flags"]
    assert any("missing the next 2 sessions would make absence 11.1% of 72 possible sessions" in r for r in p["reasons"])


def test_eight_unauthorised_sessions_in_ten_weeks_is_close_to_the_penalty_threshold():
    p = classify_one(present(20) + absent("G", 4))
    assert "approaching_penalty_threshold" in p["flags"] and "penalty_notice_threshold" not in p["flags"]
    assert "approaching_penalty_threshold" not in classify_one(present(20) + absent("G", 5))["flags"]


def test_two_days_absent_in_the_first_four_school_weeks_is_an_early_year_warning():
    # Ill on 2 and 3 September, then present to the end of the fourth week (Friday 27 September):
    # 4 sessions in the first month.
    p = classify_one(absent("I", 2) + present(18))
    assert "early_year_warning" in p["flags"]
    assert any("4 sessions of absence in the first 4 school weeks of the school year (from 1 September 2024)"
               in r for r in p["reasons"])  # Issue 14: counted from the start of the school year


def test_the_same_absence_after_the_first_two_months_is_not_an_early_year_warning():
    assert "early_year_warning" not in classify_one(present(45) + absent("I", 2) + present(13))["flags"]


def test_an_early_year_warning_ends_with_the_first_eight_school_weeks():
    """Issue 12: "Early-year signals fire only in the first weeks of the school year (from
    1 September)". Ill for the first 4 days (8 sessions in the first 8 school weeks): a warning to
    the end of week 8 (Friday 25 October), none at the end of week 9, nor in June."""
    assert "early_year_warning" in classify_one(absent("I", 4) + present(36))["flags"]
    assert "early_year_warning" not in classify_one(absent("I", 4) + present(41))["flags"]
    assert "early_year_warning" not in classify_one(absent("I", 4) + present(186))["flags"]


def test_four_days_absent_in_the_first_eight_weeks_is_an_early_year_warning():
    one_off = ["O", "\\"] + present(4)  # a week with one session missed
    # Weeks 1-4: 3 sessions missed (not yet 2 days); weeks 5-6: 5 more, so 8 by week 8.
    marks = one_off * 3 + present(5) + absent("O", 2) + present(3) + one_off + present(6)  # to week 8's end
    p = classify_one(marks)
    assert p["codes"]["O"] == 8 and "early_year_warning" in p["flags"]
    assert any("8 sessions of absence in the first 8 school weeks" in r for r in p["reasons"])


def test_a_pupil_who_reached_10_percent_in_the_last_two_weeks_is_newly_persistent():
    # 8 weeks at 95% (4 of 80 absent), then 2 weeks with 8 of 20 absent: 12 of 100 overall.
    result = run(long_register({"A": (present(9) + absent("I", 1)) * 2 + present(20) + (present(3) + absent("I", 2)) * 2}))
    assert {"persistent_absence", "newly_persistent"} <= set(pupil(result)["flags"])
    assert (result["actions"][0]["priority"], result["actions"][0]["action"]) == (
        3, "Contact the family this week: the pupil has just become persistently absent.")


def test_a_pupil_persistently_absent_for_longer_is_not_newly_persistent():
    p = classify_one(absent("O", 6) + present(44))
    assert "persistent_absence" in p["flags"] and "newly_persistent" not in p["flags"]
