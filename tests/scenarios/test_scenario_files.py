"""Scenarios as data: each shipped policy's named cases, and the scenario format itself."""

import pytest

from attendtoolkit import load_policy, shipped_policies
from attendtoolkit.scenarios import (ScenarioError, folder_scenarios, parse_cases, parse_marks, run_cases,
                                     shipped_scenarios)


@pytest.mark.parametrize("policy_id", shipped_policies())
def test_every_shipped_policy_decides_its_named_cases_as_written(policy_id):
    cases = shipped_scenarios(policy_id)
    assert len(cases) >= 3 and all(case.source for case in cases)
    assert run_cases(cases, load_policy(policy_id)) == []


def test_marks_are_written_as_days_or_sessions_of_a_code():
    assert parse_marks("2 days present, 1 day I \\, 1 day O, 1 session N") == (
        "/", "\\", "/", "\\", "I", "\\", "O", "O", "N")


def test_a_case_the_policy_decides_differently_says_what_differs():
    [case] = parse_cases('[[case]]\nname = "Wrong on purpose"\nmarks = "10 days present, 10 days O"\n'
                         'stage = "1"\nflags = ["full_attendance"]\nnot_flags = ["severe_absence"]\n', "x.toml")
    [failure] = run_cases([case], load_policy("dfe-national"))
    assert failure == ("Wrong on purpose: stage is 4, expected 1; flag full_attendance is missing; "
                       "flag severe_absence is given but should not be")


@pytest.mark.parametrize("text, message", [
    ('[[case]]\nname = "x"\nmarks = "ten days O"\n', "'ten days O' is not like"),
    ('[[case]]\nname = "x"\nmarks = "1 day O"\nflag = ["a"]\n', "unknown keys: flag"),
    ('[[case]]\nmarks = "1 day O"\n', "each case needs name and marks"),
    ("[[case]\n", "not valid TOML"),
])
def test_a_broken_scenario_file_names_the_case_and_the_problem(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_cases(text, "council.toml")


def test_a_councils_scenarios_folder_is_read_file_by_file(tmp_path):
    (tmp_path / "local.toml").write_text('[[case]]\nname = "Full week"\nmarks = "5 days present"\n'
                                         'flags = ["full_attendance"]\n')
    assert [case.name for case in folder_scenarios(tmp_path)] == ["Full week"]
    assert folder_scenarios(tmp_path / "missing") == []
