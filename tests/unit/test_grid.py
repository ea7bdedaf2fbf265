"""The session grid: one byte per session (hand-worked cases; the property test is in test_grid_properties.py)."""

from collections import Counter
from datetime import date, timedelta

from attendtoolkit.read import session_grid
from attendtoolkit.engine.metrics import Calendar, PupilMetrics
from attendtoolkit.read.register import read_register

from ..conftest import to_csv

START = date(2024, 9, 2)  # a Monday
MARKS = ["/", "\\", "L", "U", "G", "N", "O", "I", "M", "C2", "E", "Z", "#", "X", "Y1", "D"]

def register(marks: dict[str, list[tuple[date, str, str]]]):
    rows = [[pid, day.strftime("%d/%m/%Y"), session, code] for pid, found in marks.items()
            for day, session, code in found]
    return read_register(to_csv(["UPN", "Date", "Session", "Mark"], rows), "grid.csv", today=date(2026, 1, 1))

def metrics(reg, as_of: date) -> dict[str, PupilMetrics]:
    calendar = Calendar.from_register(reg, as_of)
    return {pid: PupilMetrics(p, calendar, as_of) for pid, p in reg.pupils.items()}

def test_each_day_in_the_file_has_an_am_and_a_pm_column_and_days_without_marks_have_none():
    """Monday 2 September AM '/', PM 'N'; Wednesday 4 September AM 'G': two days, four columns."""
    reg = register({"A": [(START, "AM", "/"), (START, "PM", "N"), (START + timedelta(2), "AM", "G")]})
    calendar = Calendar.from_register(reg, START + timedelta(2))
    grid, ids = calendar.grid, session_grid.code_ids()
    assert grid.days == [START.toordinal(), START.toordinal() + 2]
    assert grid.row("A") == bytes([ids["/"], ids["N"], ids["G"], session_grid.NO_MARK])
    assert grid.column((START.toordinal() + 1) * 2) == 2  # Tuesday has no column: the next is Wednesday AM
    assert grid.column((START.toordinal() + 2) * 2 + 1) == 3

def test_sessions_after_the_as_of_date_are_not_in_the_grid():
    reg = register({"A": [(START, "AM", "/"), (START + timedelta(1), "AM", "N")]})
    m = metrics(reg, START)["A"]
    assert m.tally == Counter({"/": 1})
    assert m.calendar.grid.width == 2

def test_a_run_of_unauthorised_absence_skips_days_with_no_possible_session_and_stops_at_any_other_mark():
    """Mon '/', Tue 'G', Wed '#' (closed), Thu 'N' AM and 'O' PM: the run is Tue and Thu, 2 days from Tue."""
    days = [START + timedelta(i) for i in range(4)]
    reg = register({"A": [(days[0], "AM", "/"), (days[1], "AM", "G"), (days[1], "PM", "G"),
                          (days[2], "AM", "#"), (days[3], "AM", "N"), (days[3], "PM", "O")]})
    assert metrics(reg, days[3])["A"].continuous_absence() == (2, days[1])
