"""The numpy rule checks (engine/batch.py) decide every rule as classification does, pupil by
pupil, and give every pupil's stage and flags at the end of each week as the history does.

Every measure of the shipped policies is in them: percentages over windows, before the last weeks
and if sessions were missed, changes, patterns, sessions in the first weeks of the year, rolling
windows and runs. Not run in Pyodide, which has no numpy."""

from datetime import date, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from attendtoolkit.engine.batch import checked, past_weeks
from attendtoolkit.engine.history import PastRules, weekly_counts, year_week_spans
from attendtoolkit.engine.classify import _check_rule, classify
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
        expected = PastRules(policy, counts, spans)
        for w in range(len(calendar.mondays)):
            assert past.stage_at(w) == expected.stage_at(w), (p.pupil_id, w)
            for name in policy.flags:
                assert past.flag_at(name, w) == expected.flag_at(name, w), (p.pupil_id, name, w)


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


def test_the_batch_decides_every_rule_that_does_not_depend_on_age():
    """A register from the start of the school year: every flag and stage of the national policy is
    decided at once except the legal flags, which depend on each pupil's compulsory school age."""
    days = [START + timedelta(d) for d in range(60) if (START + timedelta(d)).weekday() < 5]
    reg = register({"A": [(d, s, "N" if d.day % 3 else "/") for d in days for s in ("AM", "PM")],
                    "B": [(d, s, "/") for d in days for s in ("AM", "PM")]})
    policy = load_policy("dfe-national")
    legal = set(policy.compulsory_school_age.legal_flags) if policy.compulsory_school_age else set()
    assert decisions_agree(reg, policy, days[-1]) == 2 * (len(policy.flags) - len(legal) + len(policy.stages) - 1)


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
    figures.running(table, present)  # from the running totals, once they are made: the same
    assert figures.weekly(table, present).tolist() == [[10, 9], [10, 10]]
