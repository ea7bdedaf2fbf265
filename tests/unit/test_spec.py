"""One spec for each settings file: the JSON Schemas in schemas/ are written from it, never by hand."""

import json

from attendtoolkit.policy.schemas import schemas

from ..conftest import ROOT


def test_the_schemas_in_the_schemas_folder_are_the_ones_the_specs_write():
    """Run `python -m attendtoolkit.policy.schemas` after changing policy/spec.py or policy/council_spec.py."""
    stale = [name for name, text in schemas().items()
             if (ROOT / "schemas" / name).read_text(encoding="utf-8") != text]
    assert stale == [], f"{', '.join(stale)} out of date: run python -m attendtoolkit.policy.schemas"


def test_the_policy_schema_refuses_a_percentage_over_100_as_the_checker_does():
    policy = json.loads(schemas()["policy.schema.json"])
    threshold = policy["properties"]["thresholds"]["additionalProperties"]
    percent = next(case for case in threshold["allOf"] if "percent" in case["if"]["properties"]["unit"]["enum"])
    assert percent["then"]["properties"]["value"]["maximum"] == 100
