"""The weekly action list: who to contact this week, most urgent first, with what to do and why."""

import csv
import io

from attendtoolkit.results.csv_writer import actions_csv

from ..conftest import absent, long_register, present, run


def test_the_list_is_ordered_by_urgency_then_attendance():
    result = run(long_register({
        "OK": present(40),                                 # not on the list
        "PA": present(34) + absent("I", 6),                # persistent absence (85%): priority 3
        "PA2": present(36) + absent("I", 4),               # persistent absence (90%): priority 3
        "SEVERE": present(10) + absent("I", 30),           # severe absence: priority 1
        "PENALTY": present(30) + absent("O", 10),          # 20 unauthorised sessions: penalty threshold, priority 2
    }))
    order = [(r["priority"], r["pupil_id"]) for r in result["actions"]]
    assert order[0] == (1, "SEVERE")
    assert [pid for _, pid in order] == ["SEVERE", "PENALTY", "PA", "PA2"]
    assert "OK" not in [pid for _, pid in order]


def test_each_row_says_what_to_do_and_why():
    result = run(long_register({"A": present(15) + absent("O", 5)}))
    row = result["actions"][0]
    assert row["action"].startswith("Check what support has been offered")
    assert row["why"].startswith("Penalty notice threshold: 10 sessions coded G, N, O or U")
    assert row["letters"] == ["concern-1"] and row["letter_titles"] == ["Attendance concern (first letter)"]


def test_the_action_list_csv_has_a_row_per_pupil():
    result = run(long_register({"A": present(15) + absent("O", 5), "B": present(16) + absent("I", 4)}))
    rows = list(csv.DictReader(io.StringIO(actions_csv(result["actions"]))))
    assert [r["pupil_id"] for r in rows] == ["A", "B"] and rows[0]["flags"].startswith("Penalty notice threshold")
    assert rows[0]["letters"] == "Attendance concern (first letter)"  # titles, not ids like concern-1
