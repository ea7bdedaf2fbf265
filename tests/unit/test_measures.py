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


@pytest.mark.parametrize("compare", ["below", "at_most", "at_least", "above"])
@pytest.mark.parametrize("extra", [0, 2])
def test_shares_met_week_by_week_are_share_met_for_each_week(compare, extra):
    from attendtoolkit.policy.measures.base import share_met, shares_met
    from attendtoolkit.policy.model import Condition, Threshold
    c = Condition("absence_pct", compare, Threshold("t", 10, "percent", "", ""))
    parts, wholes = [0, 0, 1, 9, 10, 11, 5, 20], [0, 5, 10, 90, 100, 100, 50, 40]
    assert shares_met(c, parts, wholes, extra) == [
        whole != 0 and share_met(c, part + extra, whole + extra) for part, whole in zip(parts, wholes)]


@pytest.mark.parametrize("compare", ["below", "at_most", "at_least", "above"])
def test_compare_each_week_is_compare_for_each_week(compare):
    from attendtoolkit.policy.measures.base import compare as compare_one, compare_each
    from attendtoolkit.policy.model import Condition, Threshold
    c = Condition("sessions", compare, Threshold("t", 9.5, "sessions", "", ""))
    values = [0, 9, 10, 20, 5]
    assert compare_each(values, c) == [compare_one(v, c) for v in values]
