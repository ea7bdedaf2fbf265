"""The Swindon and Knowsley example policies: windows of school weeks and local flags."""

from datetime import date

from ..conftest import absent, long_register, present, pupil, run, to_csv


def swindon(marks):
    return pupil(run(long_register({"A": marks}), policy="swindon"))


def knowsley(marks):
    return pupil(run(long_register({"A": marks}), policy="knowsley"))


def test_swindon_stage_3_needs_low_attendance_and_20_unauthorised_sessions_in_12_weeks():
    # 12 weeks = 120 sessions; 25 absent: attendance 79.2%, below 80%.
    p = swindon(present(40) + absent("O", 10) + absent("I", 2) + ["I", "\\"] + present(7))
    assert p["windows"]["12"]["unauthorised"] == 20 and p["stage"] == "3"


def test_swindon_stage_2_when_only_19_unauthorised_sessions():
    p = swindon(present(40) + absent("O", 9) + ["O", "I"] + absent("I", 2) + ["I", "\\"] + present(7))
    assert p["windows"]["12"]["unauthorised"] == 19 and p["stage"] == "2"


def test_swindon_uses_only_the_last_12_school_weeks():
    # 8 good weeks, then 12 weeks at 40% attendance: stage 4 (below 50% over 12 weeks)
    # although the year so far is above 50%.
    p = swindon(present(40) + (absent("I", 3) + present(2)) * 12)
    assert p["windows"]["12"]["attendance_pct"] == 40.0
    assert p["attendance_pct"] > 50 and p["stage"] == "4"
    assert p["reasons"][0].startswith("Stage 4 (Statutory specialist support): attendance 40.0% of 120 "
                                      "possible sessions over the last 12 school weeks (28 October 2024 to "
                                      "17 January 2025) (below 50%).")


def test_swindon_borough_priority_below_20_percent():
    assert "borough_priority" in swindon(present(1) + absent("O", 59))["flags"]


def test_knowsley_75_percent_is_level_4_and_the_educational_neglect_indicator():
    # The last 6 school weeks (60 sessions): 45 present, 15 absent.
    p = knowsley(present(10) + present(22) + ["/", "O"] + absent("O", 7))
    assert p["windows"]["6"]["attendance_pct"] == 75.0
    assert p["attendance_pct"] == 65 / 80 * 100 and "educational_neglect_indicator" not in p["flags"]
    assert p["stage"] == "4"
    year = knowsley(present(30) + absent("O", 10))  # 75.0% over the year so far
    assert year["attendance_pct"] == 75.0 and "educational_neglect_indicator" in year["flags"]


def test_knowsley_lateness_is_14_u_marks_within_10_school_weeks():
    with_14 = present(5) + ["U", "\\"] * 14 + present(10)
    with_13 = present(5) + ["U", "\\"] * 13 + present(11)
    assert "lateness" in knowsley(with_14)["flags"]
    assert "lateness" not in knowsley(with_13)["flags"]


def test_knowsley_lateness_from_september_has_left_the_10_weeks_by_the_end_of_november():
    """Knowsley Attendance Handbook, level 3 toolkit (LA penalty notice code of conduct): a penalty
    notice may be issued for '14 unauthorised late marks within a period of no more than 10 weeks'.
    14 U marks from Monday 9 September (week 2) to Thursday 26 September (week 4), then on time: the
    last 10 school weeks hold all 14 on Friday 8 November (weeks 1 to 10) and only the 9 of weeks 3
    and 4 on Friday 22 November (weeks 3 to 12)."""
    register = long_register({"A": present(5) + ["U", "\\"] * 14 + present(41)})
    assert "lateness" in pupil(run(register, policy="knowsley", as_of=date(2024, 11, 8)))["flags"]
    assert "lateness" not in pupil(run(register, policy="knowsley", as_of=date(2024, 11, 22)))["flags"]


def test_knowsley_uses_levels():
    result = run(long_register({"A": present(30)}), policy="knowsley")
    assert result["policy"]["stage_word"] == "Level"
    assert pupil(result)["reasons"][0].startswith("Level 1 (Universal school action)")


def test_a_summary_file_cannot_be_assessed_against_12_week_stages():
    # Issue 14: this pupil at 40% used to be given stage 1; now the stage is "not assessable".
    data = to_csv(["UPN", "Possible", "Present", "Authorised", "Unauthorised"], [["A", "100", "40", "10", "50"]])
    p = pupil(run(data, policy="swindon"))
    assert p["stage"] == "not_assessable" and set(p["not_assessable"]) >= {"2", "3", "4", "penalty_notice_threshold"}
    assert any("needs session dates, which a summary file does not have" in r for r in p["reasons"])
    assert {"persistent_absence", "severe_absence"} <= set(p["flags"])


def test_a_summary_file_is_assessed_against_the_national_year_to_date_stages():
    data = to_csv(["UPN", "Possible", "Present", "Authorised", "Unauthorised"], [["A", "100", "88", "10", "2"]])
    result = run(data)
    assert result["as_of"] is None
    p = pupil(result)
    assert p["stage"] == "3" and p["not_assessable"] == [
        "penalty_notice_threshold", "missing_education_risk", "improved_attendance", "attendance_drop",
        "approaching_penalty_threshold", "early_year_warning", "newly_persistent", "notify_local_authority",
        "lateness", "monday_friday_pattern", "next_to_break_pattern"]
    # Issue 14: telling the local authority now needs 10 school days in a row (dates); issue 12:
    # patterns of absence need the dates of the absences.
