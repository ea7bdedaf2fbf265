"""The weekly action list: who to contact this week, most urgent first, with what to do and why.

These registers are compared with a date before the file starts (`since`), so every flag is new."""

import csv
import io
from datetime import date

from attendtoolkit.results.csv_writer import actions_csv

from ..conftest import absent, long_register, present
from ..conftest import run as run_as_of

BEFORE_THE_FILE = date(2024, 8, 30)


def run(data):
    return run_as_of(data, since=BEFORE_THE_FILE)


def test_the_list_is_ordered_by_urgency_then_attendance():
    result = run(long_register({
        "OK": present(40),                                 # not on the list
        "PA": present(34) + absent("I", 6),                # persistent absence (85%): priority 3
        "PA2": present(36) + absent("I", 4),               # persistent absence (90%): priority 3
        "SEVERE": present(10) + absent("I", 30),           # severe absence: priority 1
        "PENALTY": present(30) + absent("O", 10),          # 20 unauthorised sessions: penalty threshold, priority 2
    }))
    order = [(r["priority"], r["pupil_id"]) for r in result["actions"] if r["group"] == "new"]
    assert order[0] == (1, "SEVERE")
    assert [pid for _, pid in order] == ["SEVERE", "PENALTY", "PA", "PA2"]
    assert "OK" not in [pid for _, pid in order]


def test_each_row_says_what_to_do_and_why():
    result = run(long_register({"A": present(15) + absent("O", 5)}))
    row = result["actions"][0]
    assert row["action"].startswith("Check what support has been offered")
    assert "New since 30 August 2024: Penalty notice threshold: 10 sessions coded G, N, O or U" in row["why"]
    assert row["letters"] == ["concern-1"] and row["letter_titles"] == ["Attendance concern (first letter)"]


def test_the_action_list_csv_has_a_row_per_pupil():
    result = run(long_register({"A": present(15) + absent("O", 5), "B": present(16) + absent("I", 4)}))
    rows = list(csv.DictReader(io.StringIO(actions_csv(result["actions"]))))
    assert [r["pupil_id"] for r in rows] == ["A", "B"] and rows[0]["flags"].startswith("Penalty notice threshold")
    assert rows[0]["group"] == "Newly flagged or stepped up" and rows[0]["contacted (date/by)"] == "" and rows[0]["outcome"] == ""
    assert rows[0]["letters"] == "Attendance concern (first letter)"  # titles, not ids like concern-1
