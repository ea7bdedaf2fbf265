"""The weekly worklist: what changed since the last school week, grouped by what to do, most urgent first.

Groups, in order: pupils who newly met a flag or stepped up a stage; unexplained absences (N) that
passed the policy's limit; plans due for review or escalation (weeks at a stage, policy data);
pupils who improved or stepped down. Concerns that continue with nothing new are a count, not rows.
A summary file has no dates, so nothing can be compared: its list is every pupil with a flag.
"""

from __future__ import annotations

from datetime import date

from attendtoolkit.engine.suggest import PRAISE
from attendtoolkit.read.columns import pupil_name
from attendtoolkit.read.dates import long_date
from attendtoolkit.words import agreeing, counted

CSV_COLUMNS = ("group", "priority", "pupil_id", "name", "year_group", "stage", "attendance_pct", "action", "why",
               "flags", "letters", "contacted (date/by)", "outcome")
GROUPS = {  # id: (label, what to do when the policy gives no action)
    "new": ("Newly flagged or stepped up", ""),
    "unresolved_n": ("Unexplained absence to resolve",
                     "Find out the reason for each absence and correct the code in the register."),
    "review": ("Review due", "Review the support agreed with the family: is it working?"),
    "improved": ("Improved or stepped down", "Tell the pupil and the family that the improvement has been noticed."),
    "current": ("Pupils with a flag (a summary file has no dates, so changes cannot be shown)", ""),
}
LAST = 99  # sorts rows with no flag priority after those with one
# An improved pupil whose case or flags remain: praise, but the row must not read as if all is well.
STILL_A_CONCERN = ("Tell the pupil and the family that the improvement has been noticed, and what still needs "
                   "to change: the concern continues.")


class Change:
    """One pupil then (at the comparison week) and now: what the worklist compares."""

    def __init__(self, history, then_week: int, now_week: int, mondays: list[int]):
        self.history, self.then, self.now, self.mondays = history, then_week, now_week, mondays

    def stage_then(self) -> str | None:
        """The stage whose case was open at the comparison week (policy: [worklist] close_after_weeks)."""
        return self.history.open_stage_at(self.then)

    def stage_now(self) -> str | None:
        return self.history.open_stage_at(self.now)

    def stage_start(self) -> int:
        """The week the open stage's current spell began."""
        return self.history.open_since(self.now)

    def flag_then(self, name: str) -> bool:
        """Whether the flag was met at the comparison week or in the weeks before it that keep a case open."""
        return self.history.flag_open_at(name, self.then)

    def weeks_at_stage(self) -> tuple[int, int]:
        """(then, now): school weeks the case has been open at its stage at the comparison week and now."""
        now = self.history.weeks_open(self.now)
        return max(0, now - (self.now - self.then)), now

    def week_of(self, w: int) -> str:
        return long_date(date.fromordinal(self.mondays[max(0, w)]))


class Worklist:
    """The worklist made a pupil at a time, so a council's pupils need not all be held at once."""

    def __init__(self, policy, titles: dict[str, str] | None, since: date | None):
        self.policy, self.titles, self.since = policy, titles, since
        self.rows: list[dict] = []
        self.continuing = 0
        self.ranks = {s.id: i for i, s in enumerate(policy.stages)}
        self.labels = {s.id: policy.stage_label(s) for s in policy.stages}
        self.when = f"since {long_date(since)}" if since else "in this file"
        self._finished: tuple[list[dict], dict] | None = None

    def add(self, p: dict, change: Change | None) -> None:
        """The rows for one pupil's results (`change`: how their stage and flags moved since `since`)."""
        policy, ranks = self.policy, self.ranks
        found = _rows(p, change, policy, ranks, self.labels, self.when) if change else _current(p, policy)
        self.rows += _with_letter([_row(p, policy, self.titles, *r) for r in found], p, policy, self.titles)
        stage = change.stage_now() if change else p["stage"]
        if not found and (ranks.get(stage, 0) > 0 or any(policy.flags[f].priority for f in p["flags"])):
            self.continuing += 1

    def part(self) -> tuple[list[dict], int]:
        """The rows and count so far, for `merge` in another process."""
        return self.rows, self.continuing

    def merge(self, part: tuple[list[dict], int]) -> None:
        """Add the rows and count of pupils added in another process (after this one's pupils)."""
        rows, continuing = part
        self.rows += rows
        self.continuing += continuing

    def finish(self) -> tuple[list[dict], dict]:
        """(rows, summary) once every pupil is added."""
        if self._finished is None:
            self._finished = self._sorted_rows(), self._summary()
        return self._finished

    def _sorted_rows(self) -> list[dict]:
        order = list(GROUPS)
        self.rows.sort(key=lambda r: (order.index(r["group"]), r["priority"] or LAST,
                                      r["attendance_pct"] if r["attendance_pct"] is not None else 101, r["pupil_id"]))
        return self.rows

    def _summary(self) -> dict:
        policy, rows, continuing = self.policy, self.rows, self.continuing
        counts = {g: sum(r["group"] == g for r in rows) for g in GROUPS}
        return {
            "since": self.since.isoformat() if self.since else None,
            "groups": [{"id": g, "label": GROUPS[g][0], "count": n} for g, n in counts.items() if n],
            "rows": len(rows), "pupils": len({r["pupil_id"] for r in rows}), "continuing": continuing,
            "continuing_note": (f"{counted(continuing, 'pupil')} {agreeing(continuing, 'has', 'have')} concerns that continue "
                                "with nothing new this week, "
                                "so they are not in this week's worklist."),
            "close_after_weeks": policy.worklist.close_after_weeks,
            "step_down_at_close": policy.worklist.step_down_at_close,
            "close_note": _close_note(policy),
        }


def _close_note(policy) -> str:
    """How long a case stays open, when the policy keeps it open after the figures improve."""
    weeks, word = policy.worklist.close_after_weeks, policy.stage_word.lower()
    if weeks == 1 and not policy.worklist.step_down_at_close:
        return ""
    note = (f"A case closes only after {counted(weeks, 'school week')} in a row below its {word} or without its flag: "
            f"a step down is listed then, and a {word} or flag met again sooner is the same concern continuing, "
            "not a new one.")
    if policy.worklist.step_down_at_close:
        note += (f" An open case keeps the highest {word} it has reached: a step up is listed only to a {word} "
                 "higher than the case has reached before, and a step down only when the case closes.")
    return note


def _rows(p: dict, change: Change, policy, ranks: dict[str, int], label: dict[str, str], when: str) -> list[tuple]:
    """(group, priority, action, why) for each group the pupil is in this week (`label`: stage id ->
    its label; `when`: since when changes are new, in words)."""
    out = []
    then, now = change.stage_then(), change.stage_now()
    rank_then, rank_now = ranks.get(then, 0), ranks.get(now, 0)
    flagged = [policy.flags[f] for f in p["flags"] if policy.flags[f].priority is not None]
    new = sorted((f for f in flagged if not change.flag_then(f.name)), key=lambda f: f.priority)
    stepped_up = rank_now > rank_then and now in ranks
    if new or stepped_up:
        why = []
        if stepped_up:
            why.append(f"Stepped up from {label.get(then, 'no stage yet')} to {label[now]} "
                       f"in the week of {change.week_of(change.stage_start())}.")
        if new:
            why.append(f"New {when}: " + "; ".join(_reason(p, f) for f in new))
        top = new[0] if new else min(flagged, key=lambda f: f.priority, default=None)
        if top:
            action = top.action
        else:  # stepped up with no flag that has an action: the stage's first action
            stage = policy.stage(now)
            action = stage.actions[0] if stage.actions else stage.summary
        out.append(("new", top.priority if top else None, action, " ".join(why)))
    overdue = [n for n in p.get("unresolved_n", []) if n["new"]]
    if overdue:
        dates = ", ".join(f"{long_date(date.fromisoformat(n['date']))} {n['session']}" for n in overdue)
        older = len(p["unresolved_n"]) - len(overdue)
        more = (f" ({counted(older, 'older N mark')} {agreeing(older, 'is', 'are')} also still to correct)"
                if older else "")
        out.append(("unresolved_n", None, GROUPS["unresolved_n"][1],
                    f"Unexplained absence (N) not resolved within {policy.unexplained_limit.shown()}: "
                    f"{dates}{more}."))
    if now == then and now in ranks and not stepped_up:
        out += _review_rows(p, change, policy, policy.stage(now), ranks, label)
    praise = [f for f in p["flags"] if _is_praise(policy.flags[f], policy) and not change.flag_then(f)]
    stepped_down = rank_now < rank_then and now in ranks
    if stepped_down or praise:
        why = []
        if stepped_down:
            why.append(_stepped_down(change, label[then], label[now]))
        why += [f"{_reason(p, policy.flags[f])}" for f in praise]
        concern = _still_a_concern(p, policy, label[now] if rank_now else "")
        action = STILL_A_CONCERN if concern else GROUPS["improved"][1]
        out.append(("improved", None, action, " ".join(why + ([concern] if concern else []))))
    return out


def _review_rows(p: dict, change: Change, policy, stage, ranks: dict[str, int], label: dict[str, str]) -> list[tuple]:
    """The review or escalation row of a case that stays at `stage`, when one falls due this week
    (none for a stage with neither, as most pupils' first stage: nothing is worked out for them)."""
    escalate, review = stage.escalate_after_weeks, stage.review_after_weeks
    if not (escalate or review):
        return []
    weeks_then, weeks_now = change.weeks_at_stage()
    due = lambda weeks: bool(weeks) and weeks_then < weeks <= weeks_now  # noqa: E731
    if not (due(escalate) or due(review)):
        return []
    now = stage.id
    start = change.week_of(change.stage_start())
    held = (f" This week the register puts the pupil at {label.get(p['stage'], 'no stage')}; the case stays "
            f"at {label[now]} until {_until_closed(change, policy, label)}." if p["stage"] != now else "")
    improved = ranks.get(p["stage"], 0) < ranks[now]  # the register already puts the pupil lower
    at = f"{counted(weeks_now, 'school week')} at {label[now]} (since the week of {start})"
    if due(escalate) and improved:
        return [("review", None, GROUPS["review"][1],
                 f"Review due{_due(change, escalate)}: {at}; the policy steps up after "
                 f"{counted(escalate, 'week')} without improvement, but the pupil has improved: "
                 f"decide whether to close the case.{held}")]
    if due(escalate):
        return [("review", None, stage.step_up or GROUPS["review"][1],
                 f"Escalation due{_due(change, escalate)}: {at}; the policy steps up after "
                 f"{counted(escalate, 'week')} without improvement.{held}")]
    return [("review", None, GROUPS["review"][1],
             f"Review due{_due(change, review)}: {at}; the policy reviews the plan after "
             f"{counted(review, 'week')}.{held}")]


def _still_a_concern(p: dict, policy, stage: str) -> str:
    """What still stands for an improved pupil: the open case's stage (`stage`, '' at the first) and the
    flags that ask for action, with attendance for the year ('' when nothing does)."""
    flagged = sorted((policy.flags[f] for f in p["flags"] if policy.flags[f].priority is not None),
                     key=lambda f: f.priority)
    if not (stage or flagged):
        return ""
    parts = ([f"the case is at {stage}"] if stage else []) + [f.label for f in flagged]
    return f"Still a concern: attendance {p['attendance_pct']:.1f}% for the year; {'; '.join(parts)}."


def _due(change: Change, weeks: int) -> str:
    """' in the week of …' when the review fell due in an earlier week than this one (a --since
    date more than a week back); '' when it falls due this week."""
    due = change.stage_start() + weeks - 1
    return "" if due >= change.now else f" in the week of {change.week_of(due)}"


def _until_closed(change: Change, policy, label: dict[str, str]) -> str:
    """When the open case steps down: after weeks below its stage, or (step_down_at_close) when it closes."""
    weeks = change.history.close_weeks
    if change.history.step_down_at_close:
        first = policy.stages[0].id
        return f"the case closes, after {counted(weeks, 'school week')} in a row at {label[first]}"
    return f"the pupil has been below it for {counted(weeks, 'school week')} in a row"


def _stepped_down(change: Change, then: str, now: str) -> str:
    """When a case closes only after weeks below its stage, the step down says how long it has held."""
    weeks = change.history.close_weeks
    if weeks == 1:
        return f"Stepped down from {then} to {now} in the week of {change.week_of(change.stage_start())}."
    below = change.week_of(change.stage_start() - weeks + 1)
    if change.history.step_down_at_close:
        return (f"Case closed: stepped down from {then} to {now}, at {now} for {weeks} school weeks in a row, "
                f"since the week of {below}.")
    return f"Stepped down from {then} to {now}: below {then} for {weeks} school weeks in a row, since the week of {below}."


def _current(p: dict, policy) -> list[tuple]:
    flagged = sorted((policy.flags[f] for f in p["flags"] if policy.flags[f].priority is not None),
                     key=lambda f: f.priority)
    if not flagged:
        return []
    return [("current", flagged[0].priority, flagged[0].action, _reason(p, flagged[0]))]


def _with_letter(rows: list[dict], p: dict, policy, titles) -> list[dict]:
    """The pupil's one suggested letter goes with the first of its rows whose action it fits: praise
    with an improved row, a concern or legal letter with a row that asks for a contact or review. The
    other rows carry no letter, and `letter_note` says where it is or why none goes with the row."""
    if not p["letters"]:
        return rows
    letter = p["letters"][0]
    title = (titles or {}).get(letter, letter)
    praise = policy.letter_rules.rule(letter).kind == PRAISE
    home = next((r for r in rows if (r["group"] == "improved") == praise and r["group"] != "unresolved_n"), None)
    for row in rows:
        if row is home:
            continue
        row["letters"], row["letter_titles"] = [], []
        if home is not None:
            row["letter_note"] = f"'{title}' is suggested with this pupil's row under {home['group_label']}."
        elif row["group"] == "improved":
            row["letter_note"] = (f"No praise letter: '{title}' is suggested for this pupil, and praise is never "
                                  "sent with a concern or legal letter.")
        else:
            row["letter_note"] = f"'{title}' is suggested for this pupil: see the letters."
    return rows


def _is_praise(flag, policy) -> bool:
    """A flag with no priority whose letters are praise: good news for the worklist."""
    return (flag.priority is None and bool(flag.letters)
            and all(policy.letter_rules.rule(n).kind == PRAISE for n in flag.letters))


def _reason(p: dict, flag) -> str:
    return next((r for r in p["reasons"] if r.startswith(f"{flag.label}:")), f"{flag.label}: {flag.description}")


def _row(p: dict, policy, titles, group: str, priority, action: str, why: str) -> dict:
    d = p["details"]
    flagged = sorted((policy.flags[f] for f in p["flags"] if policy.flags[f].priority is not None),
                     key=lambda f: f.priority)
    return {
        "group": group, "group_label": GROUPS[group][0], "priority": priority, "pupil_id": p["pupil_id"],
        "name": pupil_name(d) or "", "year_group": d.get("year_group", ""), "stage": p["stage_name"],
        "attendance_pct": p["attendance_pct"], "action": action, "why": why,
        "flags": [f.label for f in flagged], "letters": p["letters"],
        "letter_titles": [(titles or {}).get(n, n) for n in p["letters"]], "letter_note": "",
    }
