"""Policy rules in plain words, for the handbook, `policy diff` and reasons."""

from __future__ import annotations

from attendtoolkit.policy.measures import COMPARE, COMPARE_WORDS, MEASURES  # noqa: F401 (imported from here)
from attendtoolkit.policy.measures.base import limit_words
from attendtoolkit.policy.model import Condition, Policy, Rule


def describe_condition(c: Condition, policy: Policy) -> str:
    """`attendance below 95% over the last 12 school weeks`, in plain words."""
    if c.measure == "flag":
        return f"the pupil has the {policy.flags[c.flag].label.lower()} flag"
    limit = limit_words(c)
    period = (f"over the last {c.weeks} school weeks" if c.weeks
              else f"in the first {c.first_weeks} school weeks of the year" if c.first_weeks
              else f"before the last {c.weeks_ago} school weeks" if c.weeks_ago else "over the year so far")
    return MEASURES[c.measure].reads(c, limit, period)


def describe_rule(rule: Rule | None, policy: Policy) -> str:
    if rule is None:
        return "Every pupil starts here."
    groups = [" and ".join(describe_condition(c, policy) for c in group) for group in rule.groups]
    text = "; or ".join(groups)
    return text[0].upper() + text[1:] + "."
