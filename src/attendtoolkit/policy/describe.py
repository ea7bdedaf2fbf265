"""Policy rules in plain words, for the handbook, `policy diff` and reasons."""

from __future__ import annotations

import operator

from attendtoolkit.policy.model import WEEKDAYS, Condition, Policy, Rule

COMPARE = {"below": operator.lt, "at_most": operator.le, "at_least": operator.ge, "above": operator.gt}  # how a rule compares
COMPARE_WORDS = {"below": "below {}", "at_most": "{} or less", "at_least": "{} or more", "above": "above {}"}
MEASURE_WORDS = {
    "attendance_pct": "attendance", "absence_pct": "absence",
    "authorised_pct": "authorised absence", "unauthorised_pct": "unauthorised absence",
    "possible_sessions": "possible sessions",
}


def describe_condition(c: Condition, policy: Policy) -> str:
    """`attendance below 95% over the last 12 school weeks`, in plain words."""
    if c.measure == "flag":
        return f"the pupil has the {policy.flags[c.flag].label.lower()} flag"
    limit = COMPARE_WORDS[c.compare].format(c.threshold.shown())
    period = (f"over the last {c.weeks} school weeks" if c.weeks
              else f"in the first {c.first_weeks} school weeks of the year" if c.first_weeks
              else f"before the last {c.weeks_ago} school weeks" if c.weeks_ago else "over the year so far")
    if c.measure == "sessions":
        return f"{limit.replace(' sessions', '').replace(' marks', '')} {c.what} {period}"
    if c.measure == "rolling_sessions":
        return (f"{limit.replace(' sessions', '').replace(' marks', '')} {c.what} "
                f"within any {c.rolling_weeks} school weeks in a row")
    if c.measure == "continuous_absence_days":
        return f"{limit} in a row with every session unauthorised (G, N or O)"
    if c.measure in ("attendance_rise", "attendance_drop"):
        way = "up" if c.measure == "attendance_rise" else "down"
        return f"attendance {way} {limit} over the last {c.weeks} school weeks, compared with the weeks before"
    if c.measure == "weekday_absence_pct":
        names = [WEEKDAYS[d] for d in c.days]
        days = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        return f"{limit} of the absence on a {days} {period}"
    if c.measure == "holiday_adjacent_absence_pct":
        return f"{limit} of the absence on school days next to a weekend or a holiday {period}"
    if c.if_missed:
        return f"{MEASURE_WORDS[c.measure]} would be {limit} if the next {c.if_missed} sessions were missed"
    return f"{MEASURE_WORDS[c.measure]} {limit} {period}"


def describe_rule(rule: Rule | None, policy: Policy) -> str:
    if rule is None:
        return "Every pupil starts here."
    groups = [" and ".join(describe_condition(c, policy) for c in group) for group in rule.groups]
    text = "; or ".join(groups)
    return text[0].upper() + text[1:] + "."
