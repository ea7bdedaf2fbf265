"""Summary registers (possible, present, authorised, unauthorised only) under policies whose stages
need session dates: the stage is "not assessable", never a lower stage by default (issue 14)."""

from ..conftest import pupil, run, to_csv

HEADER = ["UPN", "Possible", "Present", "Authorised", "Unauthorised"]


def summary(*rows):
    return to_csv(HEADER, [list(map(str, r)) for r in rows])


def test_a_pupil_at_40_percent_in_a_summary_under_swindon_is_not_assessable_not_stage_1():
    # Swindon measures every stage "over a 12-week period": a summary has no weeks.
    # 40 of 100 possible sessions attended: 40%, 60 absent (10 authorised, 50 unauthorised).
    p = pupil(run(summary(["A", 100, 40, 10, 50]), policy="swindon"))
    assert p["stage"] == "not_assessable"
    assert p["stage_name"] == "Not assessable from a summary"
    assert p["reasons"][0] == ("Not assessable from a summary: the rules for stages 2, 3 and 4 need session "
                               "dates. Attendance 40.0% of 100 possible sessions; flags that use the year "
                               "so far are still given.")


def test_year_to_date_flags_are_still_given_from_a_summary():
    # Absence 60 of 100 = 60%: persistent (10% or more) and severe (50% or more) absence.
    p = pupil(run(summary(["A", 100, 40, 10, 50]), policy="swindon"))
    assert {"persistent_absence", "severe_absence", "unauthorised_ten_days"} <= set(p["flags"])
    assert "penalty_notice_threshold" in p["not_assessable"]


def test_a_summary_under_knowsley_below_95_percent_is_not_assessable_either():
    # Knowsley levels 2 to 4 also use the last 6 school weeks. 90 of 100 attended: 90.0%, below 95%.
    p = pupil(run(summary(["A", 100, 90, 10, 0]), policy="knowsley"))
    assert p["stage"] == "not_assessable" and p["stage_name"] == "Not assessable from a summary"


def test_a_summary_under_knowsley_at_96_percent_is_level_1():
    """Knowsley Attendance Handbook, step-up flowchart: 'Is the child attending school less than
    95%?' comes before any level. 96 of 100 attended: 96.0%, so no later level can apply and the
    missing weeks do not matter."""
    p = pupil(run(summary(["A", 100, 96, 4, 0]), policy="knowsley"))
    assert p["stage"] == "1"


def test_the_national_policy_still_gives_stages_from_a_summary():
    # Year-to-date rules: 88 of 100 attended, absence 12%: persistently absent, stage 3.
    p = pupil(run(summary(["A", 100, 88, 10, 2])))
    assert p["stage"] == "3"


def test_the_totals_count_pupils_not_assessable():
    result = run(summary(["A", 100, 40, 10, 50], ["B", 100, 99, 1, 0]), policy="swindon")
    assert result["totals"]["by_stage"]["not_assessable"] == 2
