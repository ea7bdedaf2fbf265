"""Session counts, school-week windows, rolling windows and runs, each worked out by hand."""

from collections import Counter
from datetime import date

import pytest

from attendtoolkit.engine.metrics import Calendar, Counts, PupilMetrics, lost_learning_for_year
from attendtoolkit.read.register import read_register

from ..conftest import HALF_TERM, absent, long_register, present

UNAUTHORISED = frozenset("GNOU")


def metrics_for(marks, as_of=None, closed_weeks=(HALF_TERM,)):
    reg = read_register(long_register({"A": marks}, closed_weeks=closed_weeks), "m.csv")
    as_of = as_of or reg.last_date()
    return PupilMetrics(reg.pupils["A"], Calendar.from_register(reg, as_of), as_of)


def test_counts_by_category():
    counts = Counts.from_tally(Counter(["/", "\\", "L", "U", "N", "I", "V", "D", "Z", "#"]))
    assert (counts.present, counts.aea, counts.authorised, counts.unauthorised) == (3, 1, 1, 2)
    assert (counts.not_possible, counts.possible) == (3, 7)
    assert (counts.late_before_close, counts.late_after_close, counts.unexplained) == (1, 1, 1)
    assert counts.attendance_pct == pytest.approx(400 / 7)
    assert counts.absence_pct == pytest.approx(300 / 7)


def test_no_possible_sessions_gives_no_percentage():
    counts = Counts.from_tally(Counter(["Z", "Z"]))
    assert counts.possible == 0 and counts.attendance_pct is None


def test_group_totals_add_sessions_not_percentages():
    a = Counts.from_tally(Counter({"/": 9, "O": 1}))  # 90% of 10
    b = Counts.from_tally(Counter({"/": 100}))  # 100% of 100
    assert (a + b).attendance_pct == pytest.approx(109 / 110 * 100)  # not (90 + 100) / 2


def test_half_term_weeks_are_not_school_weeks():
    # 8 weeks of autumn term, half term, then 1 week: 9 school weeks.
    m = metrics_for(present(45))
    assert len(m.calendar.mondays) == 9
    assert m.calendar.window_start(2) == date(2024, 10, 21)  # the week before half term


def test_a_window_counts_only_its_school_weeks():
    # 40 days present (8 weeks), then 5 days of illness after half term.
    m = metrics_for(present(40) + absent("I", 5))
    window = m.window(2)
    assert (window.start, window.end) == (date(2024, 10, 21), date(2024, 11, 8))
    assert (window.counts.possible, window.counts.authorised) == (20, 10)
    assert window.counts.attendance_pct == 50


def test_a_window_longer_than_the_file_covers_the_whole_file():
    m = metrics_for(present(10))
    window = m.window(12)
    assert window.weeks_found == 2 and window.counts.possible == 20


def test_as_of_cuts_off_later_sessions():
    m = metrics_for(present(5) + absent("O", 5), as_of=date(2024, 9, 6))
    assert m.counts.possible == 10 and m.counts.unauthorised == 0


def test_rolling_window_spans_half_term_by_school_weeks():
    # 5 O sessions in school week 1, present to the end of school week 9, 5 O in school week 10.
    # School weeks 1-10 are 11 calendar weeks because of half term: still one 10-week window.
    marks = absent("O", 2) + ["O"] + ["\\"] + present(2) + present(40) + absent("O", 2) + ["O"]
    rolling = metrics_for(marks).rolling(UNAUTHORISED, 10)
    assert rolling.max_count == 10
    assert rolling.first_reached(10) == date(2024, 11, 13)  # Wednesday of school week 10


def test_sessions_eleven_school_weeks_apart_are_not_in_one_window():
    marks = absent("O", 2) + ["O"] + ["\\"] + present(2) + present(45) + absent("O", 2) + ["O"]
    rolling = metrics_for(marks).rolling(UNAUTHORISED, 10)
    assert rolling.max_count == 5 and rolling.first_reached(10) is None


def test_continuous_absence_counts_school_days_back_from_as_of():
    m = metrics_for(present(5) + absent("O", 3) + absent("G", 2) + absent("N", 1))
    assert m.continuous_absence() == (6, date(2024, 9, 9))


def test_a_present_session_ends_the_run():
    # O all week, then Monday 9 September O and L, then O on Tuesday and Wednesday.
    m = metrics_for(absent("O", 5) + ["O", "L"] + absent("O", 2))
    assert m.continuous_absence() == (2, date(2024, 9, 10))


def test_late_after_close_is_not_part_of_a_run():
    m = metrics_for(absent("O", 5) + ["O", "U"] + absent("O", 2))
    assert m.continuous_absence()[0] == 2


def test_days_with_no_possible_session_neither_count_nor_break_the_run():
    # O for 3 days, dual registered (D) for 2 days, O for 1 day: a run of 4 school days.
    m = metrics_for(absent("O", 3) + absent("D", 2) + absent("O", 1))
    assert m.continuous_absence() == (4, date(2024, 9, 2))


def test_the_run_continues_over_half_term():
    # Present to the Wednesday of week 8, O to the end of week 8, O for the week after half term.
    m = metrics_for(present(37) + absent("O", 3) + absent("O", 5))
    assert m.continuous_absence() == (8, date(2024, 10, 23))


# Lost learning: the table in the Swindon strategy, Appendix One (190-day year, 5 lessons a day).
TABLE = [(95, 9, 2, 50), (90, 19, 4, 100), (85, 29, 6, 150), (80, 38, 8, 200),
         (75, 48, 10, 250), (70, 57, 11.5, 290), (65, 67, 13.5, 340)]


@pytest.mark.parametrize("pct,days,weeks,lessons", TABLE)
def test_lost_learning_reproduces_the_published_table_within_its_rounding(pct, days, weeks, lessons):
    lost = lost_learning_for_year(pct)
    assert abs(lost["days"] - days) <= 0.5
    assert abs(lost["weeks"] - weeks) <= 0.5
    # The table rounds days to whole days, then lessons up to the next 10: 0.5 day x 5 lessons + 10.
    assert abs(lost["lessons"] - lessons) <= 12.5


def test_the_total_of_many_counts_is_their_sum_field_by_field_and_unknown_where_one_is_unknown():
    """A whole file's totals: 3 + 4 present; a summary pupil with no N column makes N unknown for all."""
    from attendtoolkit.engine.metrics import Counts
    a, b = Counts(possible=5, present=3, unexplained=1), Counts(possible=6, present=4, unexplained=None)
    assert Counts.total([a, b]) == a + b == Counts(possible=11, present=7, unexplained=None)
    assert Counts.total([a, a]).unexplained == 2
    assert Counts.total([]) == Counts()


def test_forgetting_all_but_the_figures_keeps_the_windows_and_runs_and_drops_the_translated_rows():
    m = metrics_for(present(20) + absent("O", 5))
    window, run = m.window(4), m.continuous_absence()
    m.forget(figures=False)
    assert m._cache == {} and m.window(4) is window and m.continuous_absence() is run
    m.forget()
    assert m.window(4) is not window and m.window(4) == window and m.continuous_absence() == run
