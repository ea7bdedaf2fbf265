"""Bad policy and council files: refused with problems that name the key, never with a traceback.

A table of bad files that both checks refuse, each naming the key at fault:
the JSON Schema editors use (schemas/, checked here with jsonschema where it is installed) and the
checker the engine runs (policy/load.py, policy/council.py; pure Python, so it runs in the browser).

Both are written from one spec (policy/spec.py, policy/council_spec.py). A second table lists what
only the checker can see: names that must exist elsewhere in the file, units per measure, stage
order and colour contrast. (A JSON Schema sees a TOML date as text, so a date in quotes,
"2025-05-05", passes the schema; the checker asks for the date with no quotes.) Last, every key of the shipped files is given, in turn, a number, an
empty text, true, a list, a table, a date, or is left out: problems each time, never a traceback.
"""

import copy
import json
import tomllib
from datetime import date

import pytest

from attendtoolkit.policy.council import CouncilError, council_from_data
from attendtoolkit.policy.load import PolicyError, policy_from_data, policy_source

from ..conftest import ROOT

NATIONAL = tomllib.loads(policy_source("dfe-national")[0])
EXAMPLE = ROOT / "examples" / "council-knowsley"
COUNCIL = tomllib.loads((EXAMPLE / "council.toml").read_text(encoding="utf-8"))
LEFT_OUT = object()
PERSISTENT = ("thresholds", "persistent_absence")
FIRST_CONDITION = ("flags", "persistent_absence", "when", 0, "all", 0)
PATTERN = ("flags", "monday_friday_pattern", "when", 0, "all", 1)

# What is wrong, where (the path of keys), the value put there, the key both checks must name.
BAD_POLICIES = [
    ("persistent absence at 150%", PERSISTENT + ("value",), 150, "value"),
    ("a threshold with an empty description", PERSISTENT + ("description",), "", "description"),
    ("thresholds given as a number", ("thresholds",), 3, "thresholds"),
    ("a figure in words", PERSISTENT + ("value",), "ten", "value"),
    ("part of a session", ("thresholds", "penalty_notice_sessions", "value"), 10.5, "value"),
    ("a unit that is not a unit", PERSISTENT + ("unit",), "pc", "unit"),
    ("a misspelt key", ("policy", "nmae"), "National", "nmae"),
    ("a policy with no name", ("policy", "name"), LEFT_OUT, "name"),
    ("a policy id that is a number", ("policy", "id"), 3, "id"),
    ("an effective date in words", ("policy", "effective_from"), "last September", "effective_from"),
    ("a group size of 0", ("policy", "minimum_group_size"), 0, "minimum_group_size"),
    ("a national flag left out", ("flags", "severe_absence"), LEFT_OUT, "severe_absence"),
    ("a flag whose when is text", ("flags", "lateness", "when"), "always", "when"),
    ("review_first written as text", ("flags", "lateness", "review_first"), "yes", "review_first"),
    ("a measure that is not a measure", FIRST_CONDITION + ("measure",), "absence", "measure"),
    ("a comparison that is not a comparison", FIRST_CONDITION + ("compare",), "under", "compare"),
    ("weeks of 0", FIRST_CONDITION + ("weeks",), 0, "weeks"),
    ("an empty list of codes", ("flags", "lateness", "when", 0, "all", 0, "codes"), [], "codes"),
    ("a code that is not a register code", ("flags", "lateness", "when", 0, "all", 0, "codes"), ["LATE"], "codes"),
    ("a category that is not a category", ("flags", "unauthorised_ten_days", "when", 0, "all", 0, "category"),
     "missing", "category"),
    ("a weekend day", PATTERN + ("days",), ["Saturday"], "days"),
    ("a group of conditions with no all", ("flags", "lateness", "when", 0), {"any": []}, "any"),
    ("no stages", ("stages",), [], "stages"),
    ("a stage with no id", ("stages", 1, "id"), LEFT_OUT, "id"),
    ("a stage's actions as text", ("stages", 1, "actions"), "call home", "actions"),
    ("a school year starting on a day that is not a date", ("school_year", "starts"), "1 Septober", "starts"),
    ("a thirteenth month", ("term_dates", "end_month"), 13, "end_month"),
    ("a closure that is not a date", ("term_dates", "closures"), ["the May bank holiday"], "closures"),
    ("compulsory school age ending on no weekday", ("compulsory_school_age", "ends"), "end of June", "ends"),
    ("an approved code that is not authorised absence", ("letter_rules", "approved_absence_codes"), ["O"],
     "approved_absence_codes"),
    ("a letter kind that is not a kind", ("letters", "praise", "kind"), "thanks", "kind"),
    ("a letter step of 0", ("letters", "praise", "step"), 0, "step"),
    ("lessons per day of 0", ("lost_learning", "lessons_per_day"), 0, "lessons_per_day"),
    ("a comparison figure of 140%", ("comparisons",),
     [{"label": "Ours", "year": "2024/25", "source": "Our report", "absence_pct": 140}], "absence_pct"),
    ("a comparison for a phase that is not a phase", ("comparisons",),
     [{"label": "Ours", "year": "2024/25", "source": "Our report", "absence_pct": 6, "phase": "nursery"}], "phase"),
]

BAD_COUNCILS = [
    ("a misspelt key", ("council", "sitename"), "Our handbook", "sitename"),
    ("a council with no name", ("council", "name"), LEFT_OUT, "name"),
    ("a name that is a number", ("council", "name"), 3, "name"),
    ("a logo that is not .svg or .png", ("council", "logo"), "logo.jpg", "logo"),
    ("a colour by name", ("colours", "primary"), "green", "primary"),
    ("contacts given as text", ("contacts",), "the attendance team", "contacts"),
    ("a contact with an empty team", ("contacts", 0, "team"), "", "team"),
    ("an email address with no @", ("contacts", 0, "email"), "attendance", "email"),
    ("a link that is not https", ("links", 0, "url"), "http://www.gov.uk", "url"),
    ("a link with no title", ("links", 0, "title"), LEFT_OUT, "title"),
]

# What only the checker can see: the schema takes these, the checker refuses them.
ONLY_THE_CHECKER = [
    ("a threshold name that is not in [thresholds]", FIRST_CONDITION + ("threshold",), "persistent", "threshold"),
    ("a threshold in sessions for a percentage", FIRST_CONDITION + ("threshold",), "penalty_notice_sessions",
     "threshold"),
    ("a later stage milder than an earlier one", ("stages", 2, "when", 0, "all", 0, "threshold"),
     "monday_friday_share", "[[stages]] '4'"),
    ("a letter after a letter the policy does not describe", ("letters", "concern-2", "after"), "concern-0",
     "after"),
    ("a stage that needs a flag the policy does not have", ("stages", 1, "when"),
     [{"all": [{"flag": "truancy"}]}], "flag"),
]


def as_json(value):
    """TOML dates become the strings JSON Schema expects."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


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


def checker_problems(kind: str, data) -> list[str]:
    try:
        policy_from_data(data, "p.toml") if kind == "policy" else council_from_data(data, EXAMPLE)
    except (PolicyError, CouncilError) as exc:
        return exc.problems
    return []


def schema_problems(kind: str, data) -> list[str]:
    """Each error the JSON Schema finds, as the path of keys and the message."""
    jsonschema = pytest.importorskip("jsonschema")  # a test tool; not installed inside Pyodide
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [" ".join(map(str, error.absolute_path)) + ": " + error.message
            for error in checker.iter_errors(as_json(data))]


def cases(table, kind):
    return [pytest.param(kind, path, value, key, id=what) for what, path, value, key in table]


BOTH = cases(BAD_POLICIES, "policy") + cases(BAD_COUNCILS, "council")
START = {"policy": NATIONAL, "council": COUNCIL}


def test_the_files_the_tables_change_are_good_to_both_checks():
    assert checker_problems("policy", NATIONAL) == [] and checker_problems("council", COUNCIL) == []
    assert schema_problems("policy", NATIONAL) == [] and schema_problems("council", COUNCIL) == []


@pytest.mark.parametrize("kind, path, value, key", BOTH)
def test_the_checker_refuses_each_bad_file_and_names_the_key(kind, path, value, key):
    problems = checker_problems(kind, changed(START[kind], path, value))
    assert any(key in problem for problem in problems), problems


@pytest.mark.parametrize("kind, path, value, key", BOTH)
def test_the_json_schema_refuses_each_bad_file_and_names_the_key(kind, path, value, key):
    problems = schema_problems(kind, changed(START[kind], path, value))
    assert any(key in problem for problem in problems), problems


@pytest.mark.parametrize("kind, path, value, key", cases(ONLY_THE_CHECKER, "policy"))
def test_what_a_schema_cannot_express_only_the_checker_refuses(kind, path, value, key):
    data = changed(NATIONAL, path, value)
    assert any(key in problem for problem in checker_problems(kind, data))
    assert schema_problems(kind, data) == []


def test_a_colour_too_light_for_white_text_passes_the_schema_and_not_the_checker():
    data = changed(COUNCIL, ("colours", "primary"), "#ffdd00")
    assert any("too light for white text" in p for p in checker_problems("council", data))
    assert schema_problems("council", data) == []


WRONG = (0, "", True, [3], {"a": 1}, date(2024, 1, 1))  # a number, text, a list, a table, a date
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
