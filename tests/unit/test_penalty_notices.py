"""The national framework's penalty notice amounts and limits come from one data file, with sources."""

import pytest

from attendtoolkit.policy.penalty_notices import _checked, penalty_facts


def test_a_first_notice_is_80_pounds_within_21_days_or_160_within_28():
    """Working together to improve school attendance (August 2024), national framework for penalty
    notices: the first notice is £80 if paid within 21 days, or £160 if paid within 28 days."""
    facts = penalty_facts()
    assert [facts[n].shown() for n in ("first_notice_early", "early_payment", "first_notice_late", "full_payment")] == [
        "£80", "21 days", "£160", "28 days"]


def test_a_second_notice_within_three_years_is_160_pounds_and_there_is_no_third():
    """A second notice to the same parent for the same child within three years is £160, with no lower
    rate; no more than two notices can be issued within those three years."""
    facts = penalty_facts()
    assert [facts[n].shown() for n in ("second_notice", "repeat_period", "most_notices")] == [
        "£160", "three years", "two notices"]


def test_every_fact_has_a_description_and_a_source():
    assert all(f.description and "Working together to improve school attendance" in f.source
               for f in penalty_facts().values())


@pytest.mark.parametrize("entry, problem", [
    ({"value": 80, "unit": "pounds", "description": "A first notice."}, "give exactly description, source, unit, value"),
    ({"value": 80, "unit": "euros", "description": "A.", "source": "B."}, "the unit one of pounds, days, years"),
    ({"value": 0, "unit": "days", "description": "A.", "source": "B."}, "a whole number above 0"),
    ({"value": 3, "unit": "years", "description": " ", "source": "B."}, "the description and source should be text"),
])
def test_a_fact_written_wrongly_is_named_with_what_to_change(entry, problem):
    with pytest.raises(ValueError, match=r"penalty_notices.toml, \[early_payment\]: ") as raised:
        _checked("early_payment", entry)
    assert problem in str(raised.value)
