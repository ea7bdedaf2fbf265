"""Stage history and 'since' from weekly counts: the same answers as classifying the register again
at the end of every school week, at a fraction of the cost (issue 12)."""

from datetime import date, timedelta

import pytest

pytest.importorskip("hypothesis")  # a test tool; not installed inside Pyodide
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from attendtoolkit.engine.classify import RESERVED_STAGES, classify
from attendtoolkit.engine.history import open_stage_series, pupil_history, year_week_spans
from attendtoolkit.policy.load import load_policy
from attendtoolkit.read.register import read_register

from ..conftest import long_rows, to_csv

MARKS = ["/", "\\", "L", "U", "G", "N", "O", "I", "M", "C2", "D", "#"]
# Runs of sessions with one mark, so long absences, rolling windows and improvements happen.
runs = st.lists(st.tuples(st.sampled_from(MARKS), st.integers(1, 50)), min_size=1, max_size=12).map(
    lambda blocks: [code for code, sessions in blocks for _ in range(sessions)])


def histories(data: bytes, policy, as_of=None):
    register = read_register(data, "test.csv")
    result = classify(register, policy, as_of)
    calendar = result.pupils[0].metrics.calendar
    spans = year_week_spans(policy, calendar, result.as_of)
    return result, {p.pupil_id: pupil_history(p.metrics, p.stage, p.flags, policy, spans)
                    for p in result.pupils}


def reclassified_each_week(data: bytes, result, policy):
    """(week number, {pupil id: pupil}) from classifying the file again as of each school week's Friday."""
    for w, monday in enumerate(result.pupils[0].metrics.calendar.mondays[:-1]):
        friday = date.fromordinal(monday) + timedelta(days=4)
        yield w, {p.pupil_id: p for p in classify(read_register(data, "test.csv"), policy, friday).pupils}


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.sampled_from("ABC"), runs, min_size=1),
       st.sampled_from(["dfe-national", "swindon", "knowsley"]))
def test_the_history_equals_classifying_again_at_the_end_of_every_school_week(pupils, name):
    policy = load_policy(name)
    data = to_csv(["UPN", "Date", "Session", "Mark"], long_rows(pupils, closed_weeks=(date(2024, 10, 28),)))
    result, found = histories(data, policy)
    for w, again in reclassified_each_week(data, result, policy):
        for p in result.pupils:
            if p.stage in RESERVED_STAGES[1:]:
                continue
            history = found[p.pupil_id]
            assert history.stages[w] == again[p.pupil_id].stage, (p.pupil_id, w)
            for flag in policy.flags:
                assert history.past.flag_at(flag, w) == (flag in again[p.pupil_id].flags), (p.pupil_id, w, flag)


# Whole weeks, each with some weekdays absent (O) or closed (#), so the patterns of absence vary.
DAY = st.sampled_from([["/", "\\"], ["/", "\\"], ["O", "O"], ["#", "#"], ["I", "I"]])
weeks = st.lists(st.lists(DAY, min_size=5, max_size=5), min_size=3, max_size=14).map(
    lambda ws: [mark for w in ws for day in w for mark in day])


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.sampled_from("AB"), weeks, min_size=1))
def test_the_patterns_of_absence_in_the_history_equal_classifying_again(pupils):
    policy = load_policy("dfe-national")
    data = to_csv(["UPN", "Date", "Session", "Mark"], long_rows(pupils))
    result, found = histories(data, policy)
    for w, again in reclassified_each_week(data, result, policy):
        for p in result.pupils:
            for flag in ("monday_friday_pattern", "next_to_break_pattern"):
                assert found[p.pupil_id].past.flag_at(flag, w) == (flag in again[p.pupil_id].flags), (w, flag)


LADDER = ("1", "2", "3")


def test_an_open_case_keeps_its_stage_until_close_after_weeks_below_it():
    weeks = ("not_enough_data", "1", "3", "1", "1", "2", "1", "1", "1")
    assert open_stage_series(weeks, LADDER, 1, False) == weeks
    assert open_stage_series(weeks, LADDER, 3, False) == (
        "not_enough_data", "1", "3", "3", "3", "2", "2", "2", "1")


def test_with_step_down_at_close_an_open_case_keeps_its_highest_stage_until_it_closes():
    weeks = ("1", "3", "2", "2", "2", "1", "1")
    assert open_stage_series(weeks, LADDER, 2, False) == ("1", "3", "3", "2", "2", "2", "1")
    assert open_stage_series(weeks, LADDER, 2, True) == ("1", "3", "3", "3", "3", "3", "1")


def test_the_open_stages_kept_for_one_policy_are_not_given_for_another():
    weeks = ("1", "2", "1", "1")
    assert open_stage_series(weeks, LADDER, 2, False) == ("1", "2", "2", "1")
    assert open_stage_series(weeks, LADDER, 3, False) == ("1", "2", "2", "2")
    assert open_stage_series(weeks, ("1", "1b", "2"), 2, False) == ("1", "2", "2", "1")
    assert open_stage_series(weeks, ("2", "1"), 2, False) == ("1", "1", "1", "1")  # "1" ranks above "2" here
