"""How one policy differs from another, in plain sentences (e.g. a council's against the national one)."""

from __future__ import annotations

from attendtoolkit.policy.describe import describe_rule
from attendtoolkit.policy.model import Policy


def policy_differences(a: Policy, b: Policy) -> list[str]:
    """Sentences saying what `b` changes compared with `a`; empty when they decide the same way."""
    out: list[str] = []
    for name in sorted(a.thresholds.keys() | b.thresholds.keys()):
        ta, tb = a.thresholds.get(name), b.thresholds.get(name)
        if ta and not tb:
            out.append(f"Threshold {name} ({ta.shown()}) is only in {a.name}.")
        elif tb and not ta:
            out.append(f"Threshold {name} ({tb.shown()}) is only in {b.name}.")
        elif (ta.value, ta.unit) != (tb.value, tb.unit):
            out.append(f"Threshold {name}: {ta.shown()} in {a.name}, {tb.shown()} in {b.name}.")
    stages_a = {s.id: s for s in a.stages}
    stages_b = {s.id: s for s in b.stages}
    for sid in list(dict.fromkeys([*stages_a, *stages_b])):
        sa, sb = stages_a.get(sid), stages_b.get(sid)
        if sa and not sb:
            out.append(f"{a.stage_word} {sid} ({sa.name}) is only in {a.name}.")
        elif sb and not sa:
            out.append(f"{b.stage_word} {sid} ({sb.name}) is only in {b.name}.")
        else:
            if sa.name != sb.name:
                out.append(f"{b.stage_word} {sid} is called '{sb.name}' ('{sa.name}' in {a.name}).")
            rule_a, rule_b = describe_rule(sa.rule, a), describe_rule(sb.rule, b)
            if rule_a != rule_b:
                out.append(f"{b.stage_word} {sid} applies when: {rule_b} ({a.name}: {rule_a})")
    for name in list(dict.fromkeys([*a.flags, *b.flags])):
        fa, fb = a.flags.get(name), b.flags.get(name)
        if fa and not fb:
            out.append(f"Flag '{fa.label}' is only in {a.name}.")
        elif fb and not fa:
            out.append(f"Flag '{fb.label}' is only in {b.name}: {describe_rule(fb.rule, b)}")
        elif describe_rule(fa.rule, a) != describe_rule(fb.rule, b):
            out.append(f"Flag '{fb.label}' is raised when: {describe_rule(fb.rule, b)} "
                       f"({a.name}: {describe_rule(fa.rule, a)})")
    return out
