"""Each measure a rule can ask about is one unit in policy/measures/: declared once, with units and
keys the policy format knows, words for the handbook and reasons, and a way to be worked out in
every backend (one pupil now, one pupil by week, every pupil now, every pupil by week)."""

import pytest

from attendtoolkit.policy import spec
from attendtoolkit.policy.describe import describe_condition
from attendtoolkit.policy.load import load_policy
from attendtoolkit.policy.measures import MEASURES, Measure

BACKENDS = ("reads", "check", "week_ends", "batch", "batch_week_ends")


def test_the_policy_format_allows_exactly_the_measures_in_the_registry_in_its_order():
    assert spec.MEASURES == tuple(MEASURES)
    assert all(name == m.name for name, m in MEASURES.items())


@pytest.mark.parametrize("name", list(MEASURES))
def test_a_measures_units_and_keys_are_ones_the_policy_format_knows(name):
    m = MEASURES[name]
    keys = set(spec.CONDITION.keys) - {"measure", "compare", "threshold", "flag"}
    assert m.units and set(m.units) <= set(spec.UNITS)
    assert set(m.takes) <= keys and set(m.needs) <= set(m.takes)


@pytest.mark.parametrize("name", list(MEASURES))
def test_every_measure_is_worked_out_by_every_backend_and_read_in_words(name):
    kind = type(MEASURES[name])
    assert [b for b in BACKENDS if getattr(kind, b) is getattr(Measure, b)] == []


def test_a_measure_that_needs_session_dates_is_one_a_summary_file_cannot_answer():
    """A summary file has totals but no dates: runs, rolling windows and weekday shares need dates."""
    dated = {name for name, m in MEASURES.items() if m.dated}
    assert dated == {"rolling_sessions", "continuous_absence_days", "weekday_absence_pct",
                     "holiday_adjacent_absence_pct"}


def test_the_handbook_reads_the_continuous_absence_codes_from_the_code_table():
    """Working together to improve school attendance: a run of unexplained absence is G, N or O."""
    policy = load_policy("dfe-national")
    c = next(c for g in policy.flags["missing_education_risk"].rule.groups for c in g
             if c.measure == "continuous_absence_days")
    assert describe_condition(c, policy).endswith("in a row with every session unauthorised (G, N or O)")
