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
    assert "New since 25 October 2024: Tell the local authority: 10 school day(s) in a row" in row["why"]
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


def test_a_pupil_who_stepped_down_is_in_the_improved_group():
    """18 of 20 (90.0%, stage 3) after week 2, then every day present: 28 of 30 (93.3%, stage 2)
    after week 3 and 38 of 40 (95.0%, stage 1) after week 4."""
    result = run(long_register({"A": present(4) + absent("O", 1) + present(15)}))
    row = next(r for r in result["actions"] if r["group"] == "improved")
    assert row["why"].startswith("Stepped down from Stage 2 (Early help: at risk of persistent absence) to "
                                 "Stage 1 (Universal: all pupils) in the week of 23 September 2024.")


def test_an_early_year_warning_from_september_is_not_on_the_worklist_in_june():
    """Two days' absence in the first week of September: an early-year warning, met in September
    and still true in June, but nothing new: a continuing concern, not a row."""
    register = long_register({"A": absent("I", 2) + present(188)})
    result = run(register, as_of=date(2025, 6, 20))
    assert "early_year_warning" in pupil(result)["flags"]
    assert result["actions"] == [] and result["worklist"]["continuing"] == 1


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
    note = "1 pupil(s) have concerns that continue with nothing new this week, so they are not in this week's worklist."
    assert result["worklist"]["continuing_note"] == note
    calculator, report = unescape(results(result)), unescape(report_html(result))
    assert (f'{note} They are in the <a href="#atk-pupils-heading">pupil table</a>: filter it by stage or flag.'
            in calculator)
    assert 'id="atk-pupils-heading"' in calculator
    assert "pupil table" not in report and 'id="atk-national-heading"' in report
    assert (f"{note} The counts by stage and by flag are under" in report
            and "<code>attendtoolkit classify test.csv --format csv -o pupils.csv</code>" in report)
