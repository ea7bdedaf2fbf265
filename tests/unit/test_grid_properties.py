"""Every measure over the session grid equals counting session by session (hypothesis; not run in Pyodide)."""

from collections import Counter
from dataclasses import asdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendtoolkit import analyse, json_text
from attendtoolkit.engine.metrics import PupilMetrics, category_of
from attendtoolkit.policy import codes as codetable
from attendtoolkit.synthetic import school_days

from ..conftest import to_csv
from .test_grid import MARKS, START, metrics, register

SETS = [frozenset({"G", "N", "O", "U"}), frozenset({"N"}), frozenset({"I", "M"}), frozenset({"Z", "#"})]


# --- the same measures counted session by session (the definitions, written the slow way) ---

def reference(m: PupilMetrics, reg, as_of: date) -> dict:
    categories, calendar = category_of(), m.calendar
    last = as_of.toordinal() * 2 + 1
    sessions = sorted((k, code) for k, code in reg.grid.marks_of(m.pupil.pupil_id).items() if k <= last)
    out = {"tally": Counter(code for _k, code in sessions)}
    out["first"] = next((date.fromordinal(k >> 1) for k, c in sessions if categories[c] != codetable.NOT_POSSIBLE),
                        None)
    for weeks in (1, 3, 10):
        start = calendar.window_start(weeks)
        first_key = start.toordinal() * 2 if start else 0
        out[("window", weeks)] = Counter(c for k, c in sessions if k >= first_key)
        for codes in SETS:
            out[("count", codes, weeks)] = sum(1 for k, c in sessions if c in codes and k >= first_key)
            out[("first_weeks", codes, weeks)] = sum(
                1 for k, c in sessions if c in codes and k < calendar.first_weeks_end(weeks))
            events = [(k >> 1, calendar.week_of(k >> 1)) for k, c in sessions
                      if c in codes and calendar.week_of(k >> 1) is not None]
            best, reached = 0, {}
            for end, (day, week) in enumerate(events):
                inside = sum(1 for _d, w in events[:end + 1] if w > week - weeks)
                best = max(best, inside)
                reached.setdefault(inside, date.fromordinal(day))
            out[("rolling", codes, weeks)] = best
            out[("reached", codes, weeks)] = {n: min(d for i, d in reached.items() if i >= n)
                                              for n in range(1, best + 1)}
        absent = [k >> 1 for k, c in sessions if k >= first_key
                  and categories[c] in (codetable.AUTHORISED, codetable.UNAUTHORISED)]
        near = calendar.next_to_break()
        out[("pattern", weeks)] = (len(absent), [sum(1 for d in absent if (d - 1) % 7 == wd) for wd in range(5)],
                                   sum(1 for d in absent if d in near))
    by_day: dict[int, list[str]] = {}
    for k, c in sessions:
        if categories[c] != codetable.NOT_POSSIBLE:
            by_day.setdefault(k >> 1, []).append(c)
    run, first = 0, None
    for day in sorted(by_day, reverse=True):
        if not all(c in codetable.CONTINUOUS_ABSENCE_CODES for c in by_day[day]):
            break
        run, first = run + 1, date.fromordinal(day)
    out["run"] = (run, first)
    return out


def measured(m: PupilMetrics) -> dict:
    out = {"tally": m.tally, "first": m.first_possible_date(), "run": m.continuous_absence()}
    for weeks in (1, 3, 10):
        out[("window", weeks)] = Counter(asdict(m.window(weeks).counts))
        out[("pattern", weeks)] = m.absence_pattern(weeks)
        for codes in SETS:
            out[("count", codes, weeks)] = m.count(codes, weeks)
            out[("first_weeks", codes, weeks)] = m.count(codes, None, weeks)
            rolling = m.rolling(codes, weeks)
            out[("rolling", codes, weeks)] = rolling.max_count
            out[("reached", codes, weeks)] = {n: rolling.first_reached(n) for n in range(1, rolling.max_count + 1)}
    return out


day_offsets = st.lists(st.integers(0, 90), min_size=1, max_size=40)  # days over 13 weeks, weekends included
pupil_marks = st.lists(st.tuples(st.integers(0, 90), st.sampled_from(["AM", "PM"]), st.sampled_from(MARKS)),
                       min_size=1, max_size=80)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["A", "B", "C"]), pupil_marks, min_size=1), st.integers(0, 95))
def test_every_measure_over_the_grid_equals_counting_session_by_session(drawn, as_of_offset):
    """Holidays (weeks with no marks), weekends, gaps, runs and sessions after the as-of date included."""
    marks = {pid: list({(START + timedelta(d), s): (START + timedelta(d), s, code)
                        for d, s, code in found}.values()) for pid, found in drawn.items()}
    reg = register(marks)
    as_of = START + timedelta(as_of_offset)
    for pid, m in metrics(reg, as_of).items():
        expected, got = reference(m, reg, as_of), measured(m)
        for key, value in expected.items():
            if key[0] == "window":
                counts = type(m.counts).from_tally(value)
                assert Counter(asdict(counts)) == got[key], (pid, key)
            else:
                assert got[key] == value, (pid, key)


# --- both engines on generated registers with what real files hold ---

segment = st.tuples(st.sampled_from(["/", "\\", "L", "N", "G", "O", "U", "I", "M", "Z", "D", "Y1", "#", "C2", "E"]),
                    st.integers(1, 25))  # a code held for 1 to 25 days: runs of 20+ days of N or G included
pupil_plan = st.tuples(st.integers(0, 30),  # joins after this many school days
                       st.lists(segment, min_size=1, max_size=6),
                       st.booleans())  # one row repeated (a duplicate)


@settings(max_examples=25, deadline=None)
@given(st.lists(pupil_plan, min_size=1, max_size=5), st.sets(st.integers(1, 12), max_size=2),
       st.sampled_from(["dfe-national", "swindon", "knowsley"]))
def test_both_engines_give_the_same_json_for_joiners_runs_duplicates_and_half_terms(plans, closed, policy):
    pytest.importorskip("pandas")
    rows = []
    for number, (joins, segments, repeat) in enumerate(plans):
        marks = [code for code, days in segments for _ in range(2 * days)]
        days = school_days(START, joins + (len(marks) + 1) // 2, [START + timedelta(weeks=w) for w in closed])[joins:]
        mine = [[f"P{number}", day.strftime("%d/%m/%Y"), session, mark]
                for (day, session), mark in zip(((d, s) for d in days for s in ("AM", "PM")), marks)]
        rows += mine + (mine[:1] if repeat else [])
    data = to_csv(["UPN", "Date", "Session", "Mark"], rows)
    python = analyse(data, "generated.csv", policy, engine="python", letter_titles={})
    assert json_text(analyse(data, "generated.csv", policy, engine="pandas", letter_titles={})) == json_text(python)
