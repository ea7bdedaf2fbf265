"""A policy or council file with any key given a value of the wrong kind is refused with problems a
person can act on, never with a traceback: each key of the shipped files is given, in turn, a number,
an empty text, true, a list, a table, a date, or is left out."""

import copy
import tomllib
from datetime import date

import pytest

from attendtoolkit.policy.council import CouncilError, council_from_data
from attendtoolkit.policy.load import PolicyError, policy_from_data, policy_source

from ..conftest import ROOT

EXAMPLE = ROOT / "examples" / "council-knowsley"
WRONG = (0, "", True, [3], {"a": 1}, date(2024, 1, 1))  # a number, text, a list, a table, a date
LEFT_OUT = object()
NAMED = ("thresholds", "flags", "letters")  # tables whose keys are names the file chooses


def kinds_of_place(data):
    """One path for each kind of place in a TOML document: the first stage stands for every stage,
    the first threshold for every threshold, and so on."""
    seen = set()
    for path in places(data):
        shape = tuple("#" if isinstance(step, int) else "*" if number == 1 and path[0] in NAMED else step
                      for number, step in enumerate(path))
        if shape not in seen:
            seen.add(shape)
            yield path


def places(value, path=()):
    """The path of every value inside a TOML document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,)
            yield from places(item, path + (key,))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield path + (number,)
            yield from places(item, path + (number,))


def changed(data, path, value):
    data = copy.deepcopy(data)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if value is LEFT_OUT:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


def refused_or_read(read, error, data) -> None:
    try:
        read(data)
    except error as exc:
        assert exc.problems and all(": " in p for p in exc.problems), exc.problems


def test_every_key_of_a_policy_given_the_wrong_kind_of_value_gives_problems_not_a_traceback():
    data = tomllib.loads(policy_source("dfe-national")[0])
    for path in kinds_of_place(data):
        for value in WRONG + (LEFT_OUT,):
            refused_or_read(lambda d: policy_from_data(d, "p.toml"), PolicyError, changed(data, path, value))


def test_every_key_of_a_council_file_given_the_wrong_kind_of_value_gives_problems_not_a_traceback():
    data = tomllib.loads((EXAMPLE / "council.toml").read_text())
    for path in places(data):
        for value in WRONG + (LEFT_OUT,):
            refused_or_read(lambda d: council_from_data(d, EXAMPLE), CouncilError, changed(data, path, value))


def test_thresholds_given_as_a_number_is_one_problem_naming_the_key():
    data = changed(tomllib.loads(policy_source("dfe-national")[0]), ("thresholds",), 3)
    with pytest.raises(PolicyError) as caught:
        policy_from_data(data, "p.toml")
    assert caught.value.problems == ["[thresholds]: should be tables like [thresholds.persistent_absence]."]
