"""Early-year signals count school weeks from the start of the school year (1 September, policy data),
not from the first weeks of whatever file is loaded (issue 14)."""

from datetime import date

from ..conftest import absent, long_register, present, pupil, run


def test_a_spring_term_export_does_not_raise_early_year_warnings_in_january():
    # The file starts on Monday 6 January 2025, 18 weeks into the school year. 2 days' absence in
    # its first week would have been "2 days in the first month" if the file's weeks were counted.
    # Both windows (the first 4 and the first 8 school weeks) are before the file; the reason names the last.
    p = pupil(run(long_register({"A": absent("I", 2) + present(38)}, start=date(2025, 1, 6))))
    assert "early_year_warning" not in p["flags"]
    assert ("Early-year warning could not be checked: the file's first school week is the week of "
            "6 January 2025, after the first 8 school weeks of the school year that began on "
            "1 September 2024.") in p["reasons"]


def test_a_file_that_starts_two_weeks_into_the_year_counts_to_the_end_of_the_fourth_week_of_the_year():
    # The first 4 school weeks are those of 2, 9, 16 and 23 September 2024. The file starts on
    # Monday 16 September, so only its first 2 weeks are in the window; the 2 days of absence in
    # its third week (30 September) are in the 5th week of the year and do not count.
    p = pupil(run(long_register({"A": present(10) + absent("O", 2) + present(48)}, start=date(2024, 9, 16))))
    assert "early_year_warning" not in p["flags"]
    # Read as of Friday 27 September, the end of the fourth week of the year: the signal holds only
    # in the first weeks of the year (issue 12).
    p = pupil(run(long_register({"A": present(5) + absent("O", 2) + present(3)}, start=date(2024, 9, 16))))
    assert "early_year_warning" in p["flags"]
    assert any("4 sessions of absence in the first 4 school weeks of the school year (from 1 September 2024)"
               in r for r in p["reasons"])


def test_the_school_year_start_is_policy_data_with_a_source(national):
    assert national.school_year.starts.shown() == "1 September"
    assert national.school_year.source
