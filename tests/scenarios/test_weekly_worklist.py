"""The weekly worklist: only what changed since the end of the previous school week, plus reviews
due and unexplained absences past the limit, grouped by what to do (issue 12).

Registers start on Monday 2 September 2024; week 8 is the week of 21 October, the half term is
the week of 28 October (closed), week 9 is the week of 4 November.
"""

from datetime import date

from ..conftest import HALF_TERM, absent, long_register, present, pupil, run


def groups(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in result["actions"]:
        out.setdefault(row["group"], []).append(row["pupil_id"])
    return out


def test_a_week_where_nothing_changed_gives_an_empty_worklist():
    """Absent (illness) one day in every week from the start: 80% each week, persistently absent
    since week 2 (the first week with 20 possible sessions). In week 8 nothing is new."""
    result = run(long_register({"A": (present(4) + absent("I", 1)) * 8}))
    assert pupil(result)["stage"] == "3"
    assert result["actions"] == []
    assert result["worklist"]["continuing"] == 1 and result["worklist"]["since"] == "2024-10-18"


def test_a_pupil_who_became_persistently_absent_this_week_is_new_with_what_changed_and_when():
    """Present for 7 weeks, absent (O) all of week 8: 70 of 80 sessions, 87.5%, persistently absent
    from the week of 21 October. Compared with Friday 18 October, the stage stepped up from 1 to 3."""
    result = run(long_register({"A": present(35) + absent("O", 5)}))
    [row] = result["actions"]
    assert (row["group"], row["group_label"]) == ("new", "Newly flagged or stepped up")
    assert row["why"].startswith("Stepped up from Stage 1 (Universal: all pupils) to Stage 3 (Intensive "
                                 "support: persistently absent) in the week of 21 October 2024. New since "
                                 "18 October 2024: ")
    assert "Persistent absence: absence 12.5% of 80 possible sessions" in row["why"]
    assert result["worklist"]["groups"] == [{"id": "new", "label": "Newly flagged or stepped up", "count": 1}]


def test_stage_history_and_since_run_across_half_term():
    """Weeks 1 to 7 present, absent (O) in week 8 and in week 9 after half term: 10 school days in
    a row of unauthorised absence across the holiday. The 2024 regulations' 'absent without the
    school's permission for a continuous period of 10 school days' is met at the end of week 9."""
    marks = present(35) + absent("O", 10)
    p = pupil(run(long_register({"A": marks}, closed_weeks=(HALF_TERM,))))
    assert p["stage_history"] == [{"week": "2024-09-02", "stage": "not_enough_data"},
                                  {"week": "2024-09-09", "stage": "1"}, {"week": "2024-10-21", "stage": "3"}]
    assert p["since"]["stage"] == "2024-10-21"
    assert p["since"]["flags"]["persistent_absence"] == "2024-10-21"
    assert p["since"]["flags"]["notify_local_authority"] == "2024-11-04"


def test_the_previous_school_week_skips_the_half_term_and_only_the_new_flag_is_listed():
    result = run(long_register({"A": present(35) + absent("O", 10)}, closed_weeks=(HALF_TERM,)))
    assert result["worklist"]["since"] == "2024-10-25"
    [row] = result["actions"]
    assert row["group"] == "new" and row["priority"] == 2
    assert "New since 25 October 2024: Tell the local authority: 10 school days in a row" in row["why"]
    assert "Stepped up" not in row["why"]


def review_marks(weeks_at_stage_2: int) -> list[str]:
    """2 weeks present, then 1 day absent (O) in week 3, then 1 session absent each week:
    28 of 30 (93.3%) after week 3, 37 of 40 (92.5%), 46 of 50 (92.0%): stage 2 from week 3."""
    return present(10) + present(4) + absent("O", 1) + (present(4) + ["/", "O"]) * (weeks_at_stage_2 - 1)


def test_review_is_due_at_exactly_the_policy_weeks_at_a_stage():
    """Policy data: stage 2 is reviewed after 3 school weeks (review_after_weeks = 3, a local choice
    following the Knowsley handbook: 'The action plan should be reviewed ... after 3 weeks')."""
    assert "review" not in groups(run(long_register({"A": review_marks(2)})))
    result = run(long_register({"A": review_marks(3)}))
    assert groups(result)["review"] == ["A"]
    row = next(r for r in result["actions"] if r["group"] == "review")
    assert row["why"] == ("Review due: 3 school weeks at Stage 2 (Early help: at risk of persistent absence) "
                          "(since the week of 16 September 2024); the policy reviews the plan after 3 weeks.")
    assert "review" not in groups(run(long_register({"A": review_marks(4)})))


def test_knowsley_escalates_after_6_weeks_at_level_2():
    """Knowsley Attendance Handbook, step-up flowchart: 'After 6 weeks if no progress it is escalated
    by the Traded Officer to L3'. 9 of 10 sessions every week: 90.0% over 6 weeks, level 2 from
    week 2 (the first with 20 possible sessions). Week 7 is the 6th week at level 2."""
    result = run(long_register({"A": (present(4) + ["/", "O"]) * 7}), policy="knowsley")
    row = next(r for r in result["actions"] if r["group"] == "review")
    assert row["why"].startswith("Escalation due: 6 school weeks at Level 2 (Early intervention)")
    assert row["action"].startswith("Move to level 3")
    result = run(long_register({"A": (present(4) + ["/", "O"]) * 4}), policy="knowsley")
    assert next(r for r in result["actions"] if r["group"] == "review")["why"].startswith("Review due: 3 school weeks")


def test_an_unexplained_absence_is_listed_once_it_is_more_than_5_school_days_old():
    """Dudley's guidance for social workers (from the DfE guidance): the correct code replaces N
    'no later than 5 working days after the session'. N on Monday 9 September (morning): on Monday
    16 September it is 5 school days old, on Tuesday 17 September 6."""
    marks = present(5) + ["N", "\\"] + present(9)
    result = run(long_register({"A": marks}), as_of=date(2024, 9, 16))
    assert "unresolved_n" not in groups(result)
    result = run(long_register({"A": marks}), as_of=date(2024, 9, 17))
    row = next(r for r in result["actions"] if r["group"] == "unresolved_n")
    assert row["why"] == "Unexplained absence (N) not resolved within 5 school days: 9 September 2024 AM."
    assert row["action"] == "Find out the reason for each absence and correct the code in the register."
    assert pupil(result)["unresolved_n"] == [{"date": "2024-09-09", "session": "AM", "school_days": 6, "new": True}]


def test_a_pupil_who_stepped_down_is_in_the_improved_group_once_below_the_stage_for_3_weeks():
    """Policy data: [worklist] close_after_weeks = 3 (local choice following the Knowsley Attendance
    Handbook: the action plan is reviewed after 3 weeks and the case closed or extended then).
    18 of 20 (90.0%, stage 3) after week 2, then every day present: 93.3% (stage 2) after week 3,
    95.0% (stage 1) after week 4. Weeks 3, 4 and 5 are below stage 3, so the case steps down to
    stage 2 in week 5; weeks 4, 5 and 6 are below stage 2, so it steps down to stage 1 in week 6."""
    register = long_register({"A": present(4) + absent("O", 1) + present(25)})
    assert "improved" not in groups(run(register, as_of=date(2024, 9, 27)))
    row = next(r for r in run(register, as_of=date(2024, 10, 4))["actions"] if r["group"] == "improved")
    assert row["why"] == ("Stepped down from Stage 3 (Intensive support: persistently absent) to Stage 2 (Early "
                          "help: at risk of persistent absence): below Stage 3 (Intensive support: persistently "
                          "absent) for 3 school weeks in a row, since the week of 16 September 2024. Still a "
                          "concern: attendance 96.0% for the year; the case is at Stage 2 (Early help: at risk of "
                          "persistent absence).")
    row = next(r for r in run(register, as_of=date(2024, 10, 11))["actions"] if r["group"] == "improved")
    assert row["why"].startswith("Stepped down from Stage 2 (Early help: at risk of persistent absence) to "
                                 "Stage 1 (Universal: all pupils): below Stage 2")
    assert row["why"].endswith("since the week of 23 September 2024.")


# Knowsley levels 2 to 4 need attendance for the year below 95% and attendance over the last 6 school
# weeks below the level's threshold. Present for 3 weeks, then ill (I) for 2 days in week 4 (the week
# of 23 September): 36 of 40 sessions, 90.0% for the year and over the 6 weeks: level 2 (not below 90%,
# so not level 3). The year's rate climbs back as the weeks pass: 92.0%, 93.3%, 94.3% in weeks 5 to 7
# (level 2), 76 of 80 = 95.0% in week 8 (the week of 21 October): level 1, no longer below 95%.
# Illness, so no letter: the case is 'review first'.
KNOWSLEY_DIP = present(15) + absent("I", 2) + present(3)


def test_knowsley_keeps_a_case_open_at_level_2_until_3_weeks_below_it():
    """Knowsley Attendance Handbook, level 2: 'The action plan should be reviewed by the Traded
    Officer and school after 3 weeks. The decision to close and refer another case or to extend
    will be agreed at this point.' In week 8 the register says level 1 (95.0% for the year): nothing
    to praise yet. Weeks 8, 9 and 10 at level 1: the case closes in week 10 (Friday 8 November)."""
    register = long_register({"A": KNOWSLEY_DIP + present(30)})
    week_8 = run(register, policy="knowsley", as_of=date(2024, 10, 25))
    assert pupil(week_8)["stage"] == "1"
    assert week_8["actions"] == [] and week_8["worklist"]["continuing"] == 1
    result = run(register, policy="knowsley", as_of=date(2024, 11, 8))
    assert groups(result) == {"improved": ["A"]}
    assert result["actions"][0]["why"].startswith(
        "Case closed: stepped down from Level 2 (Early intervention) to Level 1 (Universal school action), at "
        "Level 1 (Universal school action) for 3 school weeks in a row, since the week of 21 October 2024.")


def test_knowsley_level_2_met_again_within_3_weeks_is_the_same_case_not_a_new_step_up():
    """One week at level 1 (week 8), then ill for 1 day in week 9 (the week of 28 October): 84 of 90
    for the year (93.3%) and 54 of 60 over weeks 4 to 9 (90.0%), level 2 again by the register. The
    case never closed (fewer than 3 weeks below level 2), so nothing is new in week 9; what is listed
    is the case's sixth week at level 2, when the handbook escalates it ('After 6 weeks if no
    progress it is escalated by the Traded Officer to L3')."""
    register = long_register({"A": KNOWSLEY_DIP + present(20) + absent("I", 1) + present(4)})
    result = run(register, policy="knowsley", as_of=date(2024, 11, 1))
    assert pupil(result)["stage"] == "2"
    assert groups(result) == {"review": ["A"]}
    assert result["actions"][0]["why"].startswith("Escalation due: 6 school weeks at Level 2 (Early intervention) "
                                                  "(since the week of 23 September 2024)")


def test_knowsley_level_2_met_again_after_3_weeks_at_level_1_is_a_new_step_up():
    """Weeks 8 to 10 at level 1 closed the case; ill for 2 days in week 11 (the week of 11 November
    2024): 102 of 110 for the year (92.7%), 56 of 60 over 6 weeks (93.3%): level 2 again, a new step up."""
    register = long_register({"A": KNOWSLEY_DIP + present(30) + absent("I", 2) + present(3)})
    result = run(register, policy="knowsley", as_of=date(2024, 11, 15))
    [row] = result["actions"]
    assert row["group"] == "new"
    assert row["why"].startswith("Stepped up from Level 1 (Universal school action) to Level 2 (Early intervention) "
                                 "in the week of 11 November 2024.")


def test_a_knowsley_pupil_at_95_percent_or_more_for_the_year_stays_at_level_1_after_one_bad_week():
    """Knowsley Attendance Handbook, step-up flowchart (Appendix C): the first question is 'Is the
    child attending school less than 95%?', and school actions start 'when attendance drops below
    95%'. Present for 10 weeks, ill for 2 days in week 11: 56 of 60 over the last 6 weeks (93.3%) but
    106 of 110 for the year (96.4%): level 1, no case. The dip is listed as what it is, falling
    attendance (93.3% against 100.0% before), a reason to contact the family."""
    result = run(long_register({"A": present(50) + absent("I", 2) + present(3)}), policy="knowsley")
    assert pupil(result)["stage"] == "1"
    [row] = result["actions"]
    assert row["why"].startswith("New since 8 November 2024: Falling attendance: attendance 93.3% over the last 6")


def test_an_escalation_due_while_the_register_shows_a_lower_level_is_a_review_not_a_step_up():
    """Knowsley: 'After 6 weeks if no progress it is escalated by the Traded Officer to L3'. The case
    opened at level 2 in week 4 and is still open in week 9, its sixth week (it closes only after 3
    weeks at level 1), but the register has put the pupil at level 1 since week 8 (95.6% for the year
    in week 9): there has been progress, so the row is a review of whether to close the case."""
    result = run(long_register({"A": KNOWSLEY_DIP + present(25)}), policy="knowsley", as_of=date(2024, 11, 1))
    assert pupil(result)["stage"] == "1"
    [row] = result["actions"]
    assert row["group"] == "review"
    assert row["action"] == "Review the support agreed with the family: is it working?"
    assert row["why"] == (
        "Review due: 6 school weeks at Level 2 (Early intervention) (since the week of 23 September 2024); the "
        "policy steps up after 6 weeks without improvement, but the pupil has improved: decide whether to close "
        "the case. This week the register puts the pupil at Level 1 (Universal school action); the case stays at "
        "Level 2 (Early intervention) until the case closes, after 3 school weeks in a row at Level 1 (Universal "
        "school action).")


def test_a_flag_met_again_within_3_weeks_is_not_new():
    """Policy data: [worklist] close_after_weeks = 3. Unauthorised absence (O): 4 sessions in each of
    weeks 11 and 12, 2 in week 21 and 6 in week 22. Sessions in the last 10 school weeks: 8 from
    week 12 to week 20 (close to the penalty threshold, 8 or 9), 6 in week 21 (not), 8 in week 22.
    The flag was met in week 20, so in week 22 it continues; what is new is the falling attendance
    (52 of 60 over the last 6 weeks, 86.7%, against 95.0% before)."""
    marks = (present(50) + absent("O", 2) + present(3) + absent("O", 2) + present(3) + present(40)
             + ["O", "O"] + present(4) + absent("O", 3) + present(2))
    result = run(long_register({"A": marks}), as_of=date(2025, 1, 31))
    assert "approaching_penalty_threshold" in pupil(result)["flags"]
    [row] = result["actions"]
    assert row["group"] == "new" and "Falling attendance" in row["why"]
    assert "Close to the penalty threshold" not in row["why"]


def test_the_worklist_says_how_long_a_case_stays_open():
    """The policy's [worklist] close_after_weeks is in the results and on the page, in its own words."""
    from html import unescape

    from attendtoolkit.render.components import worklist
    result = run(long_register({"A": KNOWSLEY_DIP}), policy="knowsley")
    note = ("A case closes only after 3 school weeks in a row below its level or without its flag: a step down "
            "is listed then, and a level or flag met again sooner is the same concern continuing, not a new one. "
            "An open case keeps the highest level it has reached: a step up is listed only to a level higher "
            "than the case has reached before, and a step down only when the case closes.")
    assert (result["worklist"]["close_after_weeks"], result["worklist"]["close_note"]) == (3, note)
    assert result["worklist"]["step_down_at_close"] is True
    assert note in unescape(worklist(result))


def test_an_early_year_warning_from_september_is_not_on_the_worklist_in_june():
    """Issue 12: "Early-year signals fire only in the first weeks of the school year (from
    1 September), not of the file." Two days' absence in the first week of September: an early-year
    warning in September and October, gone by June, as a flag and from the worklist."""
    register = long_register({"A": absent("I", 2) + present(188)})
    assert "early_year_warning" in pupil(run(register, as_of=date(2024, 9, 27)))["flags"]
    result = run(register, as_of=date(2025, 6, 20))
    assert "early_year_warning" not in pupil(result)["flags"]
    assert result["actions"] == [] and result["worklist"]["continuing"] == 0


def test_a_summary_file_lists_every_pupil_with_a_flag_and_says_why():
    from ..conftest import to_csv
    data = to_csv(["UPN", "Possible", "Present", "Authorised", "Unauthorised"], [["S1", "100", "85", "10", "5"]])
    result = run(data)
    assert [r["group"] for r in result["actions"]] == ["current"]
    assert result["actions"][0]["group_label"].startswith("Pupils with a flag (a summary file has no dates")


# Present for 6 weeks; 4 sessions absent (O) in week 7 (w/c 14 October): 66 of 70, 94.3%, stage 2
# from that week; then 1 session absent each week: 93.8%, 93.3%, 92.9%, 92.5%. Half term (w/c
# 28 October) is closed, so the third school week at stage 2 is the week of 4 November.
AFTER_HALF_TERM = present(30) + present(3) + absent("O", 2) + (present(4) + ["/", "O"]) * 5
FRIDAYS = [date(2024, 10, 18), date(2024, 10, 25), date(2024, 11, 8), date(2024, 11, 15), date(2024, 11, 22)]


def test_review_due_is_listed_only_in_the_week_it_falls_due_across_half_term():
    """Policy data: stage 2 is reviewed after 3 school weeks (review_after_weeks = 3). Run each Friday
    with the default comparison (the end of the previous school week): the review is listed on
    Friday 8 November only, not in the weeks before or after."""
    register = long_register({"A": AFTER_HALF_TERM}, closed_weeks=(HALF_TERM,))
    due = [day for day in FRIDAYS if "review" in groups(run(register, as_of=day))]
    assert due == [date(2024, 11, 8)]
    assert pupil(run(register, as_of=date(2024, 11, 8)))["since"]["stage"] == "2024-10-14"


def test_a_since_date_two_weeks_back_lists_a_review_that_fell_due_in_between_and_says_when():
    """As of Friday 15 November, compared with Friday 25 October (before half term): the review fell
    due in the week of 4 November, inside the two school weeks compared."""
    register = long_register({"A": AFTER_HALF_TERM}, closed_weeks=(HALF_TERM,))
    result = run(register, as_of=date(2024, 11, 15), since=date(2024, 10, 25))
    row = next(r for r in result["actions"] if r["group"] == "review")
    assert row["why"] == ("Review due in the week of 4 November 2024: 4 school weeks at Stage 2 (Early help: at "
                          "risk of persistent absence) (since the week of 14 October 2024); the policy reviews "
                          "the plan after 3 weeks.")
    assert result["worklist"]["since"] == "2024-10-25"
    assert "review" not in groups(run(register, as_of=date(2024, 11, 15)))


def test_the_continuing_concerns_point_to_the_pupil_table_in_the_calculator_and_to_the_csv_in_the_report():
    """The calculator has a pupil table; the printed report has none, so it points to its counts by
    stage and flag and to the command that writes every pupil as a CSV. Neither says what it lacks."""
    from html import unescape

    from attendtoolkit.render.components import results
    from attendtoolkit.render.report import report_html
    result = run(long_register({"A": (present(4) + absent("I", 1)) * 8}))
    note = "1 pupil has concerns that continue with nothing new this week, so they are not in this week's worklist."
    assert result["worklist"]["continuing_note"] == note
    calculator, report = unescape(results(result)), unescape(report_html(result))
    assert (f'{note} They are in the <a href="#atk-pupils-heading">pupil table</a>: filter it by stage or flag.'
            in calculator)
    assert 'id="atk-pupils-heading"' in calculator
    assert "pupil table" not in report and 'id="atk-national-heading"' in report
    assert (f"{note} The counts by stage and by flag are under" in report
            and "<code>attendtoolkit classify test.csv --format csv -o pupils.csv</code>" in report)


# Knowsley levels over the last 6 school weeks (60 sessions): level 2 below 95% (4 or more absent),
# level 3 below 90% (7 or more absent). Present for weeks 1 to 4; ill (I) for 2 days in week 5 and
# 2 days in week 6; present for weeks 7 to 12; ill for 2 days in weeks 13 and 14 (no half term).
#   week 5 (w/c 30 September): 46 of 50, 92.0%: level 2, the pupil's first drop below 95%;
#   week 6 (w/c 7 October): 52 of 60, 86.7%: level 3, a level the case has not reached before;
#   weeks 7 to 10: 52 of 60 (weeks 5 and 6 still in the window): level 3;
#   week 11: 56 of 60, 93.3%: level 2 by the register; week 12: 60 of 60: level 1;
#   week 13 (w/c 25 November): 56 of 60: level 2; week 14 (w/c 2 December): 52 of 60: level 3 again.
KNOWSLEY_FLAP = present(20) + absent("I", 2) + present(3) + absent("I", 2) + present(3) + present(30) + \
    absent("I", 2) + present(3) + absent("I", 2) + present(3)


def test_knowsley_lists_a_pupils_first_drop_below_95_percent_that_week():
    """Knowsley Attendance Handbook, level 1: schools contact families 'when attendance drops below
    95%'. The first drop (week 5, the week of 30 September) opens a case at level 2 and is listed."""
    result = run(long_register({"A": KNOWSLEY_FLAP}), policy="knowsley", as_of=date(2024, 10, 4))
    row = next(r for r in result["actions"] if r["group"] == "new")
    assert row["why"].startswith("Stepped up from Level 1 (Universal school action) to Level 2 (Early "
                                 "intervention) in the week of 30 September 2024.")
    result = run(long_register({"A": KNOWSLEY_FLAP}), policy="knowsley", as_of=date(2024, 10, 11))
    row = next(r for r in result["actions"] if r["group"] == "new")
    assert row["why"].startswith("Stepped up from Level 2 (Early intervention) to Level 3 (Targeted "
                                 "intervention) in the week of 7 October 2024.")


def test_knowsley_does_not_list_an_open_case_moving_between_levels_it_has_reached():
    """Policy data: [worklist] step_down_at_close = true (Knowsley Attendance Handbook, step-up
    flowchart: a case moves up a level after 6 weeks without progress and ends when it is closed).
    The case reached level 3 in week 6. The register shows level 2 in week 11, level 1 in week 12,
    level 2 in week 13 and level 3 in week 14; the case never had 3 weeks at level 1, so it stays
    open at level 3: no step down in week 13 and no step up in week 14."""
    register = long_register({"A": KNOWSLEY_FLAP})
    week_13 = run(register, policy="knowsley", as_of=date(2024, 11, 29))
    assert pupil(week_13)["stage"] == "2"
    assert "improved" not in groups(week_13)
    week_14 = run(register, policy="knowsley", as_of=date(2024, 12, 6))
    assert pupil(week_14)["stage"] == "3"
    assert not any("Stepped" in r["why"] for r in week_14["actions"])


def test_without_step_down_at_close_the_same_register_steps_down_and_up_again():
    """The same register under a copy of the Knowsley policy without step_down_at_close: the case,
    open at level 3 to week 12 (the highest level of the last 3 weeks), steps down to level 2 in
    week 13 and up to level 3 in week 14: the back and forth the setting is there to stop."""
    from dataclasses import replace

    from attendtoolkit.policy.load import load_policy
    policy = load_policy("knowsley")
    policy.worklist = replace(policy.worklist, step_down_at_close=False)
    register = long_register({"A": KNOWSLEY_FLAP})
    assert "improved" in groups(run(register, policy=policy, as_of=date(2024, 11, 29)))
    week_14 = run(register, policy=policy, as_of=date(2024, 12, 6))
    assert any(r["why"].startswith("Stepped up from Level 2") for r in week_14["actions"])


def test_a_knowsley_case_steps_down_only_when_it_closes():
    """After week 14 (level 3), present every day: the 6-week window loses the absences of weeks 13
    and 14 in weeks 19 and 20 (level 1 from week 20, the week of 13 January 2025, by the register).
    Weeks 20, 21 and 22 at level 1 close the case in week 22: one step down, from level 3 to level 1."""
    register = long_register({"A": KNOWSLEY_FLAP + present(40)})
    result = run(register, policy="knowsley", as_of=date(2025, 1, 24))
    assert "improved" not in groups(result)
    result = run(register, policy="knowsley", as_of=date(2025, 1, 31))
    row = next(r for r in result["actions"] if r["group"] == "improved")
    assert row["why"].startswith("Case closed: stepped down from Level 3 (Targeted intervention) to Level 1 "
                                 "(Universal school action), at Level 1 (Universal school action) for 3 school "
                                 "weeks in a row, since the week of")


def test_an_improved_row_never_carries_a_concern_letter():
    """Issue 12: "Praise never goes with a concern or legal letter" and "at most one letter per pupil
    per run: the highest step that applies". Absent (O) every Friday for 6 weeks (48 of 60, 80.0%),
    then present: after week 12, 108 of 120 (exactly 10% absence: still persistently absent); 118 of
    130 after week 13, below 10%, so the case steps down to stage 2 in week 15 (13 December; 138 of
    150, 92.0%). Stage 2 gives the first concern letter, so the row that says to praise carries no
    letter and says why."""
    result = run(long_register({"A": (present(4) + absent("O", 1)) * 6 + present(45)}))
    assert pupil(result)["letters"] == ["concern-1"]
    [row] = result["actions"]
    assert row["group"] == "improved" and row["letters"] == [] and row["letter_titles"] == []
    assert row["letter_note"] == ("No praise letter: 'Attendance concern (first letter)' is suggested for this "
                                  "pupil, and praise is never sent with a concern or legal letter.")


def test_a_pupils_letter_goes_with_one_row_only_the_one_whose_action_it_fits():
    """Present for 6 weeks; unexplained (N) on Monday 14 October, then present; absent (O) all of
    week 8. On Friday 25 October: 12 of 80 sessions missed (15%, persistently absent, stage 3) and
    12 sessions of unauthorised absence in 10 school weeks (the penalty notice threshold), both new
    this week; the N is 9 school days old (listed from Tuesday 22 October, after 5). Two rows, one
    letter, with the row that asks for a contact."""
    marks = present(30) + ["N", "N"] + present(4) + absent("O", 5)
    result = run(long_register({"A": marks}))
    by_group = {r["group"]: r for r in result["actions"]}
    assert set(by_group) == {"new", "unresolved_n"}
    assert by_group["new"]["letter_titles"] == ["Attendance concern (first letter)"]
    assert by_group["new"]["letter_note"] == ""
    assert by_group["unresolved_n"]["letters"] == []
    assert by_group["unresolved_n"]["letter_note"] == ("'Attendance concern (first letter)' is suggested with this "
                                                       "pupil's row under Newly flagged or stepped up.")


def test_an_improved_pupil_whose_concern_continues_is_praised_without_reading_as_all_well():
    """Knowsley Attendance Handbook: school policies say 'how pupils with good and improving attendance
    are rewarded and encouraged to maintain this', and the message to families is one of support
    'while making it clear that improvement is expected'. Unauthorised absence (O) 2 days a week for
    10 weeks (60%), 1 day in week 11, none in week 12: 42 of 60 over the last 6 weeks (70.0%) against
    36 of 60 before (60.0%), first met in week 12; the year is 78 of 120 (65.0%), still stage 3."""
    marks = (present(3) + absent("O", 2)) * 10 + present(4) + absent("O", 1) + present(5)
    [row] = run(long_register({"A": marks}), as_of=date(2024, 11, 22))["actions"]
    assert row["group"] == "improved"
    assert row["action"] == ("Tell the pupil and the family that the improvement has been noticed, and what still "
                             "needs to change: the concern continues.")
    assert row["why"].endswith(
        "up 10.0 points (5 percentage points or more). Still a concern: attendance 65.0% for the year; the case "
        "is at Stage 3 (Intensive support: persistently absent); Penalty notice threshold; 10 days of "
        "unauthorised absence (local choice); Persistent absence.")


def test_an_improved_pupil_with_no_concern_left_is_simply_praised():
    """Stepped down to the first stage with no flag that asks for action: the row says only that the
    improvement has been noticed (the Knowsley case closed in week 10 of KNOWSLEY_DIP)."""
    result = run(long_register({"A": KNOWSLEY_DIP + present(30)}), policy="knowsley", as_of=date(2024, 11, 8))
    [row] = result["actions"]
    assert row["action"] == "Tell the pupil and the family that the improvement has been noticed."
    assert "Still a concern" not in row["why"]
