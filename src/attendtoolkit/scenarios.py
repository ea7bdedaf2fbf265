"""Named scenarios as data: plain-English cases a policy must decide as written.

A scenario file holds `[[case]]` tables. Each case gives one pupil's marks, school day by school
day from a Monday, and what the policy must decide:

    [[case]]
    name = "A pupil at exactly 90% attendance is persistently absent"
    source = "Working together to improve school attendance (2024): 10% or more of possible sessions"
    marks = "45 days present, 5 days I"
    stage = "3"
    flags = ["persistent_absence"]
    not_flags = ["severe_absence"]
    reason = "absence 10.0% of 100 possible sessions"

`marks` is a comma-separated list of `N days WHAT` or `N sessions WHAT`, where WHAT is `present`
(/ in the morning, \\ in the afternoon), one code for both sessions (`O`), or a morning and an
afternoon code (`I \\`). Optional: `start` (a Monday, default 2 September 2024), `as_of`,
`policy` (default: the file's policy). The shipped policies' scenarios are in
`policy/scenarios/<policy id>.toml`; a council adds its own in `council/scenarios/`.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from attendtoolkit.api import analyse
from attendtoolkit.policy.model import Policy
from attendtoolkit.resources import list_names, read_text

DEFAULT_START = date(2024, 9, 2)
_ITEM = re.compile(r"^(\d+)\s+(days?|sessions?)\s+(.+)$")
_CASE_KEYS = {"name", "source", "marks", "start", "as_of", "stage", "flags", "not_flags", "reason"}


class ScenarioError(ValueError):
    """A scenario file that cannot be read; the message names the file and case."""


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    marks: tuple[str, ...]
    start: date
    as_of: date | None
    stage: str | None
    flags: tuple[str, ...]
    not_flags: tuple[str, ...]
    reason: str | None


def parse_marks(text: str) -> tuple[str, ...]:
    """`45 days present, 5 days I` -> one mark per session, mornings and afternoons in turn."""
    marks: list[str] = []
    for item in (part.strip() for part in text.split(",")):
        found = _ITEM.match(item)
        if not found:
            raise ValueError(f"'{item}' is not like '5 days present', '3 days O' or '1 day I \\'")
        count, unit, what = int(found[1]), found[2], found[3].split()
        pair = ["/", "\\"] if what == ["present"] else what * 2 if len(what) == 1 else what
        if len(pair) != 2:
            raise ValueError(f"'{item}': give one code, or a morning and an afternoon code")
        if unit.startswith("day"):
            marks += pair * count
        else:
            marks += [pair[0]] * count
    return tuple(marks)


def parse_cases(text: str, source: str) -> list[Case]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML ({exc}).") from exc
    cases = []
    for number, item in enumerate(data.get("case", []), start=1):
        where = f"{source}, case {number} ({item.get('name', 'no name')})"
        unknown = set(item) - _CASE_KEYS
        if unknown or "name" not in item or "marks" not in item:
            raise ScenarioError(f"{where}: each case needs name and marks; unknown keys: "
                                f"{', '.join(sorted(unknown)) or 'none'}.")
        try:
            cases.append(Case(
                name=item["name"], source=item.get("source", ""), marks=parse_marks(item["marks"]),
                start=_date(item.get("start")) or DEFAULT_START, as_of=_date(item.get("as_of")),
                stage=item.get("stage"), flags=tuple(item.get("flags", ())),
                not_flags=tuple(item.get("not_flags", ())), reason=item.get("reason"),
            ))
        except ValueError as exc:
            raise ScenarioError(f"{where}: {exc}.") from exc
    return cases


def _date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def register_for(case: Case) -> bytes:
    """A long register (UPN, Date, Session, Mark) for the case's one pupil, over weekdays."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["UPN", "Date", "Session", "Mark"])
    day = case.start
    for i, mark in enumerate(case.marks):
        if i and i % 2 == 0:
            day += timedelta(days=3 if day.weekday() == 4 else 1)
        writer.writerow(["A", day.strftime("%d/%m/%Y"), "AM" if i % 2 == 0 else "PM", mark])
    return out.getvalue().encode("utf-8")


def check_case(case: Case, policy: Policy) -> list[str]:
    """What the policy decided differently from the case; empty when it decides as written."""
    pupil = analyse(register_for(case), "scenario.csv", policy, case.as_of)["pupils"][0]
    wrong = []
    if case.stage is not None and pupil["stage"] != case.stage:
        wrong.append(f"stage is {pupil['stage']}, expected {case.stage}")
    wrong += [f"flag {f} is missing" for f in case.flags if f not in pupil["flags"]]
    wrong += [f"flag {f} is given but should not be" for f in case.not_flags if f in pupil["flags"]]
    if case.reason and not any(case.reason in r for r in pupil["reasons"]):
        wrong.append(f"no reason says '{case.reason}' (reasons: {' | '.join(pupil['reasons'])})")
    return wrong


def run_cases(cases: list[Case], policy: Policy) -> list[str]:
    """One line per case that fails: its name and what was different."""
    return [f"{case.name}: {'; '.join(wrong)}" for case in cases if (wrong := check_case(case, policy))]


def shipped_scenarios(policy_id: str) -> list[Case]:
    name = f"{policy_id}.toml"
    if policy_id not in list_names("policy/scenarios", ".toml"):
        return []
    return parse_cases(read_text("policy", "scenarios", name), name)


def folder_scenarios(folder: Path) -> list[Case]:
    """Every case in the `.toml` files of a folder (a council's `scenarios/`)."""
    if not folder.is_dir():
        return []
    return [case for path in sorted(folder.glob("*.toml"))
            for case in parse_cases(path.read_text(encoding="utf-8-sig"), path.name)]
