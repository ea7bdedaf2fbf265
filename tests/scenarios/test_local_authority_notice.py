"""Telling the local authority: the regulation's test is 10 school days in a row of absence without
the school's permission. DfE, Working together to improve school attendance (August 2024): schools
must inform the local authority of any pupil who "has been absent without the school's permission
for a continuous period of 10 school days or more". A total of 20 unauthorised sessions in the year
is kept as a separate, named local choice (`unauthorised_ten_days`)."""

from ..conftest import HALF_TERM, absent, long_register, present, pupil, run


def classify_one(marks, **kwargs):
    return pupil(run(long_register({"A": marks}, **kwargs)))


def test_ten_school_days_in_a_row_of_unauthorised_absence_means_telling_the_local_authority():
    # Present 2 to 13 September, then O from Monday 16 to Friday 27 September: 10 school days.
    p = classify_one(present(10) + absent("O", 10))
    assert p["continuous_absence_days"] == 10 and "notify_local_authority" in p["flags"]


def test_nine_school_days_in_a_row_is_not_yet_the_notice():
    p = classify_one(present(10) + absent("O", 9))
    assert "notify_local_authority" not in p["flags"]


def test_ten_days_of_unauthorised_absence_spread_out_is_only_the_local_choice_flag():
    # 10 separate days of G, each followed by 4 days present: 20 unauthorised sessions, never 2 days in a row.
    p = classify_one((absent("G", 1) + present(4)) * 10)
    assert p["unauthorised"] == 20
    assert "notify_local_authority" not in p["flags"]
    assert "unauthorised_ten_days" in p["flags"]


def test_the_days_in_a_row_run_across_a_half_term_week():
    # O on the 5 school days before the autumn half term and the 5 after: 10 school days in a row.
    # Monday 2 September + 7 weeks = 21 October, the week before half term (28 October).
    p = classify_one(present(30) + absent("O", 10), closed_weeks=(HALF_TERM,))
    assert p["continuous_absence_days"] == 10 and "notify_local_authority" in p["flags"]


def test_authorised_absence_in_the_run_breaks_it():
    # Illness (I) is absence with permission: 5 days O, 1 day I, 5 days O is two runs of 5.
    p = classify_one(present(5) + absent("O", 5) + absent("I", 1) + absent("O", 5))
    assert "notify_local_authority" not in p["flags"]


def test_the_policy_quotes_the_regulation_as_its_source(national):
    source = national.thresholds["local_authority_notice_days"].source
    assert "continuous period of 10 school days or more" in source
    assert "School Attendance (Pupil Registration) (England) Regulations 2024" in source
    assert national.thresholds["local_authority_notice_sessions"].local_choice
