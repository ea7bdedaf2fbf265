"""The JSON Schemas editors use agree with the shipped policies and the example council."""

import json
import tomllib

import pytest

from ..conftest import ROOT
from .test_bad_settings_files import as_json

jsonschema = pytest.importorskip("jsonschema")  # a test tool; not installed inside Pyodide
POLICIES = sorted((ROOT / "src" / "attendtoolkit" / "policy" / "shipped").glob("*.toml"))


def schema(name):
    return json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())


@pytest.mark.parametrize("path", POLICIES, ids=[p.stem for p in POLICIES])
def test_shipped_policies_match_the_policy_schema(path):
    jsonschema.validate(as_json(tomllib.loads(path.read_text())), schema("policy"))


def test_the_example_council_matches_the_council_schema():
    data = tomllib.loads((ROOT / "examples" / "council-knowsley" / "council.toml").read_text())
    jsonschema.validate(as_json(data), schema("council"))


def test_the_schema_rejects_a_misspelt_key():
    data = as_json(tomllib.loads(POLICIES[0].read_text()))
    data["policy"]["nmae"] = "x"
    with pytest.raises(jsonschema.ValidationError, match="nmae"):
        jsonschema.validate(data, schema("policy"))


def test_every_file_points_editors_at_its_schema():
    for path in POLICIES:
        assert path.read_text().startswith("#:schema ../../../../schemas/policy.schema.json")


def test_the_schema_lists_every_measure_and_unit_the_engine_knows():
    from attendtoolkit.policy import spec as policy
    s = schema("policy")
    condition = s["$defs"]["condition"]
    assert set(condition["properties"]["measure"]["enum"]) == set(policy.MEASURES)
    assert set(s["properties"]["thresholds"]["additionalProperties"]["properties"]["unit"]["enum"]) == set(policy.UNITS)
