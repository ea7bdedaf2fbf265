"""The numpy rule checks (engine/batch.py) decide every rule as classification does, pupil by
pupil, and give every pupil's stage and flags at the end of each week as the history does.

Every measure of the shipped policies is in them: percentages over windows, before the last weeks
and if sessions were missed, changes, patterns, sessions in the first weeks of the year, rolling
windows and runs. Not run in Pyodide, which has no numpy."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from attendtoolkit.engine.batch import checked, past_weeks
from attendtoolkit.engine.history import PastRules, PupilHistory, pupil_history, weekly_counts, year_week_spans
from attendtoolkit.engine.classify import NOT_ASSESSABLE, _check_rule, classify
from attendtoolkit.policy.load import load_policy, shipped_policies
from attendtoolkit.synthetic import school_days

from .test_grid import MARKS, START, register

pytestmark = pytest.mark.native

pupil_marks = st.lists(st.tuples(st.integers(0, 120), st.sampled_from(["AM", "PM"]),
                                 st.sampled_from(MARKS + ["N", "G", "/"] * 3)), max_size=160)
segment = st.tuples(st.sampled_from(["/", "\\", "L", "N", "G", "O", "U", "I", "M", "Z", "#", "C2", "E"]),
                    st.integers(1, 25))  # a code held for 1 to 25 school days: long runs of N or G included
pupil_runs = st.tuples(st.integers(0, 30), st.lists(segment, min_size=1, max_size=6))  # joins after N school days


def from_runs(joins: int, segments) -> list[tuple[date, str, str]]:
    codes = [code for code, days in segments for _ in range(days)]
    days = school_days(START, joins + len(codes), [START + timedelta(weeks=7)])[joins:]  # half term in week 8
    return [(day, session, code) for day, code in zip(days, codes) for session in ("AM", "PM")]


def history_agrees(result, policy) -> None:
    """Each pupil's stage and flags at the end of every week, at once and pupil by pupil (history.PastRules)."""
    calendar = result.pupils[0].metrics.calendar
    spans = year_week_spans(policy, calendar, result.as_of)
    pasts = past_weeks(calendar, [p.pupil_id for p in result.pupils], policy, spans)
    for p, past in zip(result.pupils, pasts):
        counts = weekly_counts(p.metrics)
        assert past.running == (counts.attended, counts.authorised, counts.unauthorised), p.pupil_id
        assert past.absence_pattern() == p.metrics.absence_pattern(None), p.pupil_id
        expected = PastRules(policy, counts, spans)
        for w in range(len(calendar.mondays)):
            assert past.stage_at(w) == expected.stage_at(w), (p.pupil_id, w)
            for name in policy.flags:
                assert past.flag_at(name, w) == expected.flag_at(name, w), (p.pupil_id, name, w)


def open_cases_agree(result, policy) -> None:
    """Each pupil's open case in every week (the worklist's), at once and pupil by pupil
    (history.PupilHistory.open_stages), for cases that close after 1 to 5 weeks, kept at their
    highest stage or not."""
    calendar = result.pupils[0].metrics.calendar
    spans = year_week_spans(policy, calendar, result.as_of)
    wanted = [p for p in result.pupils if p.stage != NOT_ASSESSABLE
              and not (policy.early_years and p.stage == policy.early_years.id)]
    for close, hold in [(1, False), (1, True), (3, False), (3, True), (5, True)]:
        varied = replace(policy, worklist=replace(policy.worklist, close_after_weeks=close, step_down_at_close=hold))
        pasts = past_weeks(calendar, [p.pupil_id for p in wanted], varied, spans, [p.stage for p in wanted])
        for p, past in zip(wanted, pasts):
            at_once = pupil_history(p.metrics, p.stage, p.flags, varied, spans, past)
            one_by_one = PupilHistory(at_once.stages, at_once.stage_since, past=past)
            assert at_once.open_stages() == one_by_one.open_stages(), (p.pupil_id, close, hold)


def sessions_by_week_agree(result, found) -> None:
    """The weekly trend's sessions attended and possible in each week, at once and pupil by pupil."""
    assert found.attended.shape == found.possible.shape == (len(result.pupils), len(result.pupils[0].metrics.calendar.mondays))
    for i, p in enumerate(result.pupils):
        counts = weekly_counts(p.metrics)
        for w in range(counts.weeks):
            assert found.attended[i, w] == counts.attended[w + 1] - counts.attended[w], (p.pupil_id, w)
            assert found.possible[i, w] == counts.possible[w + 1] - counts.possible[w], (p.pupil_id, w)


def decisions_agree(reg, policy, as_of: date) -> int:
    """Compare each decided rule with _check_rule for every pupil; the number of decisions compared."""
    result = classify(reg, policy, as_of)
    history_agrees(result, policy)
    open_cases_agree(result, policy)
    calendar = result.pupils[0].metrics.calendar
    found = checked(calendar, [p.pupil_id for p in result.pupils], policy, as_of)
    sessions_by_week_agree(result, found)
    decided = found.decided
    compared = 0
    for p, found in zip(result.pupils, decided):
        for name, met in found.items():
            if name in policy.flags:
                expected = _check_rule(policy.flags[name].rule, p.metrics, policy, set())[0]
            else:
                stage = next(s for s in policy.stages if s.id == name)
                expected = _check_rule(stage.rule, p.metrics, policy, set(p.flags))[0]
            assert met == bool(expected), (p.pupil_id, name)
            compared += 1
    return compared


@pytest.mark.parametrize("name", shipped_policies())
@settings(max_examples=40, deadline=None)
@given(drawn=st.dictionaries(st.sampled_from(["A", "B", "C", "D"]), pupil_marks, min_size=1),
       as_of_offset=st.integers(0, 125))
def test_every_rule_decided_at_once_is_decided_as_classification_decides_it(name, drawn, as_of_offset):
    """Holidays (weeks with no marks), weekends, joiners, runs and marks after the as-of date included."""
    marks = {pid: list({(START + timedelta(d), s): (START + timedelta(d), s, code)
                        for d, s, code in found}.values()) for pid, found in drawn.items()}
    if not any(marks.values()):
        return  # a register of no marks is refused when read
    reg = register(marks)
    decisions_agree(reg, load_policy(name), START + timedelta(as_of_offset))


@pytest.mark.parametrize("name", shipped_policies())
@settings(max_examples=40, deadline=None)
@given(plans=st.lists(pupil_runs, min_size=1, max_size=4), as_of_offset=st.integers(0, 160))
@example(plans=[(0, [("N", 20)])], as_of_offset=40)  # a run with no other day before it: 20 days, not 0
@example(plans=[(3, [("/", 5), ("G", 12), ("Z", 2), ("O", 4)])], as_of_offset=60)  # a run over days with no possible session
def test_runs_of_days_and_joiners_are_decided_as_classification_decides_them(name, plans, as_of_offset):
    reg = register({f"P{i}": from_runs(joins, segments) for i, (joins, segments) in enumerate(plans)})
    decisions_agree(reg, load_policy(name), START + timedelta(as_of_offset))


def test_the_batch_decides_every_flag_and_stage_of_the_national_policy():
    """A register from the start of the school year: every flag (a legal flag over all the pupil's
    sessions) and stage of the national policy is decided at once."""
    days = [START + timedelta(d) for d in range(60) if (START + timedelta(d)).weekday() < 5]
    reg = register({"A": [(d, s, "N" if d.day % 3 else "/") for d in days for s in ("AM", "PM")],
                    "B": [(d, s, "/") for d in days for s in ("AM", "PM")]})
    policy = load_policy("dfe-national")
    assert decisions_agree(reg, policy, days[-1]) == 2 * (len(policy.flags) + len(policy.stages) - 1)


AGES = {  # date of birth -> compulsory school age over the register below (1 March to 18 July 2025)
    "": "not known",
    "01/08/2020": "below all the time (from 31 August 2025)",
    "01/02/2020": "below until 31 March 2025, of it after",
    "05/05/2014": "of it all the time",
    "01/08/2009": "of it until 27 June 2025 (turns 16 in the summer holiday), over it after",
    "01/01/2008": "over it all the time",
}


@pytest.mark.parametrize("as_of", [date(2025, 3, 28), date(2025, 5, 16), date(2025, 7, 18)])
def test_a_legal_flag_decided_at_once_is_given_as_classification_gives_it_at_every_age(as_of):
    """Legal flags are decided at once over all of a pupil's sessions; classification keeps that
    answer only where the pupil's age leaves every session in (no date of birth, or of compulsory
    school age on every day with a mark). Pupils of every age, some with absence enough for the
    penalty notice threshold: each gets the same flags, reasons and stage as without the batch."""
    from attendtoolkit.read.register import read_register
    from ..conftest import to_csv
    days = [day for day in school_days(date(2025, 3, 3), 95, []) if day <= date(2025, 7, 18)]
    rows = [[f"P{i}{absent}", born, day.strftime("%d/%m/%Y"), session,
             "O" if absent and (day.toordinal() + i) % absent == 0 else "/"]
            for i, born in enumerate(AGES) for absent in (0, 2, 5) for day in days for session in ("AM", "PM")]
    straddles = [date(2025, 3, d) for d in (24, 25, 26)] + [date(2025, 4, d) for d in (1, 2, 3, 4, 7, 8, 9, 10, 11)]
    rows += [["Q", "01/02/2020", day.strftime("%d/%m/%Y"), session, "O" if session == "AM" and day in straddles else "/"]
             for day in days for session in ("AM", "PM")]  # 12 unauthorised sessions, 9 of them from 31 March
    reg = read_register(to_csv(["UPN", "Date of birth", "Date", "Session", "Mark"], rows), "ages.csv",
                        today=date(2026, 1, 1))
    policy = load_policy("dfe-national")
    at_once, one_by_one = (classify(reg, policy, as_of, vectorised=v).pupils for v in (True, False))
    for a, b in zip(at_once, one_by_one):
        assert (a.stage, a.flags, a.reasons, a.not_assessable, a.penalty_threshold_date) == (
            b.stage, b.flags, b.reasons, b.not_assessable, b.penalty_threshold_date), a.pupil_id
    legal = set(policy.compulsory_school_age.legal_flags)
    flagged = {p.pupil_id for p in at_once[:-1] if legal & set(p.flags)}
    of_age = {0, 3} | ({2} if as_of >= date(2025, 3, 31) else set()) | ({4} if as_of <= date(2025, 6, 27) else set())
    assert flagged == {f"P{i}{absent}" for i in of_age for absent in (2, 5)}
    cut = "Legal measures count only sessions from 31 March 2025"
    assert any(r.startswith(cut) for r in at_once[7].reasons) == (as_of >= date(2025, 3, 31))  # P22
    # on 16 May, 12 sessions in the last 10 weeks are past the approaching threshold (8 to 9), the 9 of compulsory age are not
    assert [f for f in at_once[-1].flags if f in legal] == (["approaching_penalty_threshold"] if as_of == date(2025, 5, 16) else [])


def test_sessions_by_week_at_once_skip_weeks_with_no_possible_session_before_between_and_after():
    """A school week is a week with a possible session (engine/metrics.py Calendar). Weeks 1, 3 and 5
    here hold only '#' (school closed), so the sums at once must count weeks 2 and 4 only: 10 and 9
    sessions present, with week 4's Friday PM absent (N)."""
    from attendtoolkit.engine import grid as gridmod
    from attendtoolkit.engine.batch import GridFigures
    from .test_grid import metrics
    days = [START + timedelta(weeks=w, days=d) for w in range(5) for d in range(5)]
    marks = [(day, session, "#" if (day - START).days // 7 in (0, 2, 4) else
              "N" if (day, session) == (days[-6], "PM") else "/") for day in days for session in ("AM", "PM")]
    reg = register({"A": marks, "B": [(d, s, "#" if code == "#" else "/") for d, s, code in marks]})
    found = metrics(reg, days[-1])
    calendar = found["A"].calendar
    assert len(calendar.mondays) == 2
    figures = GridFigures(calendar, ["A", "B"])
    table = gridmod.by_category()
    present = gridmod.CATEGORY_IDS["present"]
    assert figures.weekly(table, present).tolist() == [[10, 9], [10, 10]]
    assert figures.weekly(table, present).tolist() == [found[p].weekly(table, present) for p in "AB"]
    assert figures.count(table, 0, calendar.grid.width, present).tolist() == [19, 20]


@settings(max_examples=60, deadline=None)
@given(drawn=st.dictionaries(st.sampled_from(["A", "B", "C"]), pupil_marks, min_size=1),
       as_of_offset=st.integers(0, 125))
def test_absence_by_weekday_and_next_to_a_break_is_counted_at_once_as_for_each_pupil(drawn, as_of_offset):
    """The running totals by week of absent sessions on each weekday and next to a weekend or
    holiday (the pattern measures' history), taken from sums by day: weekends, holidays and days
    some pupils have no mark on included."""
    from attendtoolkit.engine.batch import BatchPast, GridFigures
    from .test_grid import metrics
    marks = {pid: list({(START + timedelta(d), s): (START + timedelta(d), s, code)
                        for d, s, code in found}.values()) for pid, found in drawn.items()}
    if not any(marks.values()):
        return  # a register of no marks is refused when read
    found = metrics(register(marks), START + timedelta(as_of_offset))
    ids = list(found)
    by_day, near = BatchPast(GridFigures(found[ids[0]].calendar, ids), load_policy("dfe-national"), {}).pattern()
    for i, pid in enumerate(ids):
        expected_by_day, expected_near = weekly_counts(found[pid]).pattern()
        assert [day[i].tolist() for day in by_day] == expected_by_day, pid
        assert near[i].tolist() == expected_near, pid


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["1", "2", "3", "4", "not_enough_data"]), min_size=1, max_size=12),
                min_size=1, max_size=6).map(lambda rows: [(row * 12)[:len(rows[0])] for row in rows]),
       st.integers(0, 6), st.booleans())
def test_open_cases_at_once_are_the_open_stage_series_of_each_pupils_weeks(rows, close, hold):
    """For any stages by week (not enough data anywhere, any rise and fall), the open case the batch
    works out for every pupil at once in each week is history.open_stage_series of that pupil's weeks."""
    import numpy as np

    from attendtoolkit.engine.batch import BatchPast
    from attendtoolkit.engine.history import NOT_ENOUGH_DATA, open_stage_series
    policy = load_policy("swindon")
    ladder = tuple(s.id for s in policy.stages)
    names = [*ladder, NOT_ENOUGH_DATA]
    rows = [[names[int(s) - 1] if s != NOT_ENOUGH_DATA else s for s in row] for row in rows]  # stages 1 to 4
    past = BatchPast.__new__(BatchPast)
    past.policy = replace(policy, worklist=replace(policy.worklist, close_after_weeks=close, step_down_at_close=hold))
    past.weeks, past.stage_names = len(rows[0]) - 1, names
    past.stage_index = np.array([[names.index(s) for s in row] for row in rows], dtype=np.int16)
    if not past.weeks:
        return
    past.open_cases([row[-1] for row in rows])
    for i, row in enumerate(rows):
        wanted = open_stage_series(tuple(row), ladder, close, hold) if close > 1 or hold else tuple(row)
        assert [names[k] for k in past.open_index[i]] == list(wanted), (row, close, hold)
