"""Which letter to suggest for a pupil: at most one, the highest step that applies.

The policy names letters for stages and flags; its [letters] tables put them in a sequence. A
letter that comes after another is suggested only when the letter log shows the earlier one
sent long enough ago; otherwise the earlier letter is suggested in its place. Praise never goes
with a concern or legal letter, and no concern or legal letter goes to a pupil to review first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from attendtoolkit.read.dates import long_date
from attendtoolkit.words import counted

PRAISE = "praise"


@dataclass(frozen=True)
class Sent:
    letter: str
    day: date


@dataclass
class Suggestion:
    letters: list[str] = field(default_factory=list)  # none or one letter name
    notes: list[str] = field(default_factory=list)  # why other letters were held back
    origin: str | None = None  # the policy's letter that led to the one suggested (itself, or a later one)


def review_first_reason(tally: dict[str, int], absent: int, rules) -> str | None:
    """'Review first' when every absence is authorised by the school or medical; None otherwise."""
    if absent <= 0:
        return None
    approved = {c: n for c, n in tally.items() if c in rules.approved_absence_codes and n}
    medical = {c: n for c, n in tally.items() if c in rules.medical_codes and n}
    if sum(approved.values()) + sum(medical.values()) != absent:
        return None
    approved, medical = dict(sorted(approved.items())), dict(sorted(medical.items()))  # codes in order, in words
    parts = []
    if approved:
        parts.append(f"authorised by the school ({_coded(approved)})")
    if medical:
        parts.append(f"illness or medical appointments ({_coded(medical)})")
    every = "the only session of absence is" if absent == 1 else f"all {absent:,} sessions of absence are"
    return (f"Review first: {every} {' or '.join(parts)}, so no concern or "
            "legal letter is suggested until someone has looked at the case.")


def _coded(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} coded {c}" for c, n in counts.items())


def policy_letters(stage: str, flags: list[str], policy, withheld: tuple[str, ...] = ()) -> list[str]:
    """Letter names the policy gives for the stage and flags, in policy order, less withheld ones."""
    names = [n for s in policy.all_stages if s.id == stage for n in s.letters]
    names += [n for f in policy.flags.values() if f.name in flags for n in f.letters]
    return [n for n in dict.fromkeys(names) if n not in withheld]


def suggest_letter(stage: str, flags: list[str], review_first: bool, policy, withheld: tuple[str, ...] = (),
                   sent: list[Sent] = (), as_of: date | None = None, titles: dict[str, str] | None = None,
                   began: dict[str, date] | None = None, unauthorised_after=None) -> Suggestion:
    """The one letter to send now (if any) and notes on the letters held back.

    `sent`: the pupil's letters in the letter log; `titles`: letter name -> title, for the notes;
    `began`: stage id or flag name -> the Monday of the week its current spell began (for letters
    sent once per spell); `unauthorised_after(day)`: the pupil's sessions of unauthorised absence
    after that day (for a letter with unauthorised_after; None when the file cannot tell)."""
    rules = policy.letter_rules
    title = (titles or {}).get
    names = policy_letters(stage, flags, policy, withheld)
    out = Suggestion()
    if review_first:
        held = [n for n in names if rules.rule(n).kind != PRAISE]
        if held:
            out.notes.append(f"Held back until the case is reviewed: {_titles(held, title)}.")
        names = [n for n in names if rules.rule(n).kind == PRAISE]
    if not names:  # most pupils: no letter to weigh
        return out
    last_sent = {s.letter: s.day for s in sorted(sent, key=lambda s: s.day)}
    today = as_of or date.today()
    later_sent = _highest_sent(last_sent, rules)
    chosen, origin = [], {}
    reasons_began = _reasons_began(stage, flags, policy, began or {})
    for name in names:
        letter, note = _next_in_sequence(name, rules, last_sent, today, withheld, title, reasons_began.get(name),
                                         unauthorised_after=unauthorised_after)
        if note:
            out.notes.append(note)
        if letter and later_sent and _goes_back(letter, later_sent, rules):
            out.notes.append(f"{_title(letter, title)} is not suggested: {_title(later_sent, title)}, a later "
                             f"step, was sent on {long_date(last_sent[later_sent])}.")
            letter = None
        if letter and letter not in chosen:
            chosen.append(letter)
            origin[letter] = name
    if any(rules.rule(n).kind != PRAISE for n in chosen):
        praise = [n for n in chosen if rules.rule(n).kind == PRAISE]
        if praise:
            out.notes.append(f"Not sent with a concern letter: {_titles(praise, title)}.")
        chosen = [n for n in chosen if rules.rule(n).kind != PRAISE]
    if chosen:
        best = max(chosen, key=lambda n: rules.rule(n).step)
        rest = [n for n in chosen if n != best]
        follow = [n for n in rest if not _goes_back(n, best, rules)]
        if follow:
            out.notes.append(f"One letter at a time: {_titles(follow, title)} can follow.")
        if len(follow) < len(rest):
            out.notes.append(f"Left out: {_titles([n for n in rest if n not in follow], title)}, which would not "
                             f"follow {_title(best, title)}, a later step.")
        out.letters = [best]
        out.origin = origin[best]
    return out


def _highest_sent(last_sent: dict[str, date], rules) -> str | None:
    """The most serious concern or legal letter in the log, if any."""
    found = [n for n in last_sent if rules.rule(n).kind != PRAISE]
    return max(found, key=lambda n: rules.rule(n).step) if found else None


def _goes_back(letter: str, later_sent: str, rules) -> bool:
    """Whether `letter` would go back in a sequence the log shows the school has gone past, with
    `later_sent` a later step already sent: a first letter (one that needs no earlier letter), or a
    concern letter after a legal letter or after a later letter that needs none (the referral to the
    local authority). No "we wrote to you recently" after a notice to improve; a legal letter, or a
    concern letter after another, may still follow."""
    rule, later = rules.rule(letter), rules.rule(later_sent)
    if rule.kind == PRAISE or rule.step >= later.step:
        return False
    return rule.after is None or (rule.kind == "concern" and (later.kind == "legal" or later.after is None))


def _reasons_began(stage: str, flags: list[str], policy, began: dict[str, date]) -> dict[str, date]:
    """Letter name -> when the latest spell of the stage or flags that give it began."""
    out: dict[str, date] = {}
    givers = [(stage, s.letters) for s in policy.all_stages if s.id == stage]
    givers += [(f.name, f.letters) for f in policy.flags.values() if f.name in flags]
    for reason, letters in givers:
        for name in letters:
            if reason in began:
                out[name] = max(out.get(name, began[reason]), began[reason])
    return out


def _next_in_sequence(name: str, rules, last_sent: dict[str, date], today: date, withheld, title,
                      began: date | None = None, depth: int = 0,
                      unauthorised_after=None) -> tuple[str | None, str | None]:
    """(letter to send, note): the letter itself, the earlier letter it needs, or nothing yet.
    `began`: when what gives this letter began to hold, for a letter sent once per spell;
    `unauthorised_after(day)`: unauthorised sessions after a day, for a letter that needs them."""
    rule = rules.rule(name)
    day = last_sent.get(name)
    if day is not None and rule.repeat_after_weeks is None:
        return None, f"{_title(name, title)} was sent on {long_date(day)}."
    if day is not None and today < day + timedelta(weeks=rule.repeat_after_weeks):
        return None, (f"{_title(name, title)} was sent on {long_date(day)}; it can be sent again from "
                      f"{long_date(day + timedelta(weeks=rule.repeat_after_weeks))}.")
    if day is not None and rule.once_per_spell and began is not None and began <= day:
        return None, (f"{_title(name, title)} was sent on {long_date(day)}, and what it was sent for has held "
                      f"since the week of {long_date(began)}: it is sent again only when that has ended and "
                      "begun again.")
    if rule.after is None:
        return name, None
    before = last_sent.get(rule.after)
    if before is not None:
        due = before + timedelta(weeks=rule.min_weeks_after)
        if today < due:
            return None, (f"{_title(name, title)} can follow from {long_date(due)}: "
                          f"{_title(rule.after, title)} was sent on {long_date(before)}.")
        found = unauthorised_after(before) if rule.unauthorised_after and unauthorised_after else None
        if found is not None and found < rule.unauthorised_after:
            since = f"since {_title(rule.after, title)} was sent on {long_date(before)}"
            if found == 0:
                return None, (f"{_title(name, title)} is not suggested: there has been no unauthorised absence "
                              f"{since}, so the support offered may be working.")
            return None, (f"{_title(name, title)} is not suggested: {counted(found, 'session')} of unauthorised absence "
                          f"{since}, fewer than the {rule.unauthorised_after} that show the support offered has "
                          "not worked.")
        return name, None
    if rule.after in withheld or depth > len(rules.letters):
        return None, None
    letter, more = _next_in_sequence(rule.after, rules, last_sent, today, withheld, title, None, depth + 1,
                                     unauthorised_after)
    note = (f"{_title(name, title)} comes after {_title(rule.after, title)}, which the letter log does not show "
            "as sent" + (", so that letter comes first." if letter else "."))
    return letter, " ".join(n for n in (note, more) if n)


def _title(name: str, title) -> str:
    return title(name) or name


def _titles(names: list[str], title) -> str:
    return ", ".join(f"'{_title(n, title)}'" for n in names)


def letter_reason(origin: str | None, stage: str, flags: list[str], reasons: list[str], policy) -> str:
    """The reason behind a suggested letter: the line for the stage or flag whose letter led to it."""
    if origin is None:
        return ""
    at = next((s for s in policy.all_stages if s.id == stage and origin in s.letters), None)
    if at is not None:
        prefix = f"{policy.stage_label(at)}:"
    else:
        label = next((f.label for f in policy.flags.values() if f.name in flags and origin in f.letters), None)
        prefix = f"{label}:" if label else None
    found = next((r for r in reasons if prefix and r.startswith(prefix)), None)
    return found or (reasons[0] if reasons else "")
