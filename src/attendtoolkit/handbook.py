"""Handbook pages rendered from the active policy and the engine's data (Markdown with HTML tables).

The MkDocs hook in `hooks/` only calls these, so the pages and the calculator read the same numbers.
"""

from __future__ import annotations

import os
from html import escape

from . import codes as codetable
from .metrics import lost_learning_for_year
from .policy import Condition, Policy, Rule, Stage

_COMPARE_WORDS = {"below": "below {}", "at_most": "{} or less", "at_least": "{} or more", "above": "above {}"}
_MEASURES = {
    "attendance_pct": "attendance", "absence_pct": "absence",
    "authorised_pct": "authorised absence", "unauthorised_pct": "unauthorised absence",
    "possible_sessions": "possible sessions",
}
LOST_LEARNING_RATES = (95, 90, 85, 80, 75, 70, 65)


def active_policy(extra: dict) -> str | None:
    """The policy a site is built for: ATTENDTOOLKIT_POLICY if set, else `extra.policy` in mkdocs.yml."""
    return os.environ.get("ATTENDTOOLKIT_POLICY") or extra.get("policy") or None


def stage_path(stage: Stage) -> str:
    return f"approach/stage-{stage.id.lower()}.md"


def describe_condition(c: Condition, policy: Policy) -> str:
    """`attendance below 95% over the last 12 school weeks`, in plain words."""
    if c.measure == "flag":
        return f"the pupil has the {policy.flags[c.flag].label.lower()} flag"
    limit = _COMPARE_WORDS[c.compare].format(c.threshold.shown())
    period = f"over the last {c.weeks} school weeks" if c.weeks else "over the year so far"
    if c.measure == "sessions":
        return f"{limit.replace(' sessions', '').replace(' marks', '')} {c.what} {period}"
    if c.measure == "rolling_sessions":
        return (f"{limit.replace(' sessions', '').replace(' marks', '')} {c.what} "
                f"within any {c.rolling_weeks} school weeks in a row")
    if c.measure == "continuous_absence_days":
        return f"{limit} in a row with every session unauthorised (G, N or O)"
    return f"{_MEASURES[c.measure]} {limit} {period}"


def describe_rule(rule: Rule | None, policy: Policy) -> str:
    if rule is None:
        return "Every pupil starts here."
    groups = [" and ".join(describe_condition(c, policy) for c in group) for group in rule.groups]
    text = "; or ".join(groups)
    return text[0].upper() + text[1:] + "."


def _table(caption: str, headers: list[str], rows: list[list[str]], row_header: bool = True) -> str:
    """An accessible HTML table: caption, column scopes and a row header in the first column."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        first = f'<th scope="row">{row[0]}</th>' if row_header else f"<td>{row[0]}</td>"
        body.append("<tr>" + first + "".join(f"<td>{cell}</td>" for cell in row[1:]) + "</tr>")
    return (f"<table>\n<caption>{escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n")


def _items(items) -> str:
    return "\n".join(f"- {item}" for item in items) + "\n" if items else "None listed.\n"


def approach_page(policy: Policy) -> str:
    word = policy.stage_word.lower()
    rows = [[f'<a href="stage-{s.id.lower()}/">{escape(policy.stage_word)} {escape(s.id)}</a>',
             escape(s.name), escape(describe_rule(s.rule, policy)), escape(s.responsibility)]
            for s in policy.stages]
    thresholds = [[escape(t.shown()), escape(t.description), escape(t.source),
                   "Yes" if t.local_choice else "No"] for t in policy.thresholds.values()]
    minimum = policy.minimum_possible_sessions
    return f"""# The graduated approach

**For:** attendance leads, pastoral staff, local authority attendance teams and social workers.

Support grows step by step as a pupil's attendance falls. Each {word} says what to look for,
who leads, what to do and what to keep as evidence. This page follows the policy
**{escape(policy.name)}**. {escape(policy.description)}

The calculator uses the same rules: a pupil is placed at the highest {word} whose conditions
they meet. A {word} is only given once a pupil has {minimum.value:g} possible sessions, because
early in the year one absence moves a percentage a long way.

{_table(f"{policy.stage_word}s in {policy.name}", [policy.stage_word, "Name", "When it applies", "Who leads"], rows)}

## The figures behind each {word}

Every figure comes from the policy file. Figures marked as a local choice are for each council
or school to set.

{_table("Thresholds in this policy", ["Figure", "What it means", "Source", "Local choice"], thresholds)}

Source of the policy: {escape(policy.source)}.
"""


def stage_page(policy: Policy, stage: Stage) -> str:
    index = policy.stages.index(stage)
    neighbours = []
    if index > 0:
        prev = policy.stages[index - 1]
        neighbours.append(f"[Previous: {policy.stage_word} {prev.id}](stage-{prev.id.lower()}.md)")
    if index + 1 < len(policy.stages):
        nxt = policy.stages[index + 1]
        neighbours.append(f"[Next: {policy.stage_word} {nxt.id}](stage-{nxt.id.lower()}.md)")
    return f"""# {escape(policy.stage_word)} {escape(stage.id)}: {escape(stage.name)}

**For:** everyone working with a pupil at this {policy.stage_word.lower()}.

{escape(stage.summary)}

## When it applies

{escape(describe_rule(stage.rule, policy))}

## Who leads

{escape(stage.responsibility)}

## What to do

{_items([escape(a) for a in stage.actions])}
## Evidence to keep

{_items([escape(e) for e in stage.evidence])}
## Stepping up and down

- **Step up:** {escape(stage.step_up)}
- **Step down:** {escape(stage.step_down)}

{" · ".join(neighbours)}
"""


def codes_page() -> str:
    current = [c for c in codetable.all_codes() if not c.legacy]
    legacy = [c for c in codetable.all_codes() if c.legacy]

    def rows(codes):
        return [[f"<code>{escape(c.code)}</code>", escape(c.meaning),
                 escape(codetable.CATEGORY_LABELS[c.category])] for c in codes]
    return f"""# Register codes

**For:** anyone who reads or checks an attendance register in England.

Schools record one code for every pupil in every morning and afternoon session. The code decides
whether the session counts as attendance, as authorised or unauthorised absence, or is not a
possible session at all. These are the codes in force from 19 August 2024.

{_table("Attendance and absence codes from August 2024", ["Code", "Meaning", "Counts as"], rows(current))}

- **Present** and **approved educational activity** count as attendance.
- **Authorised** and **unauthorised** absence count as absence.
- **Not a possible session** is left out of the rate altogether.

## Codes from before August 2024

Registers from earlier years may still hold these codes. The calculator accepts them, counts them
as shown and warns you, so you can check them.

{_table("Codes used before August 2024", ["Code", "Meaning", "Counts as"], rows(legacy))}

Anything else in a register, such as a dash or a blank mark, is not a code. The calculator lists
those rows so you can correct them; it never guesses.
"""


def lost_learning_page(policy: Policy) -> str:
    rows = []
    for rate in LOST_LEARNING_RATES:
        lost = lost_learning_for_year(rate, policy.school_days_per_year, policy.lessons_per_day)
        rows.append([f"{rate}%", f"{lost['days']:.1f}".rstrip("0").rstrip("."),
                     f"{lost['weeks']:.1f}".rstrip("0").rstrip("."), f"{lost['lessons']:.0f}"])
    return f"""# Lost learning

**For:** anyone explaining to a family what absence adds up to.

A percentage hides how much learning a child misses. Talk about days and lessons instead. Over a
school year of {policy.school_days_per_year} days, with about {policy.lessons_per_day} lessons a
day:

{_table("Time missed over a school year at each attendance rate", ["Attendance", "Days missed", "Weeks missed", "Lessons missed"], rows)}

A pupil at 90% attendance misses about one day every two weeks: over a year that is nearly four
weeks of school. The calculator and the letters use the same figures for each pupil.
"""


def pages(policy: Policy) -> dict[str, str]:
    """Every generated page: path inside docs/ -> Markdown."""
    out = {"approach/index.md": approach_page(policy), "codes.md": codes_page(),
           "lost-learning.md": lost_learning_page(policy)}
    for stage in policy.stages:
        out[stage_path(stage)] = stage_page(policy, stage)
    return out
