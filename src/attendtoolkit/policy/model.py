"""A graduated-approach policy: thresholds, stages and flags, as the engine uses them.

policy/load.py reads them from a policy file; policy/spec.py says what the file may hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property

from attendtoolkit.policy import codes as codetable
from attendtoolkit.policy.days import MONTHS, WEEKDAYS  # noqa: F401 (other modules import them from here)
from attendtoolkit.policy.spec import NATIONAL_FLAGS  # noqa: F401


@dataclass(frozen=True)
class Threshold:
    name: str
    value: float
    unit: str
    description: str
    source: str
    local_choice: bool = False

    @cached_property
    def exact(self) -> Fraction:
        """The value as written, exactly (95.5 is 191/2), so a figure on the boundary compares exactly."""
        return Fraction(str(self.value))

    @cached_property
    def ratio(self) -> tuple[int, int]:
        """(numerator, denominator) of the exact value, for comparisons in whole numbers (kept: every
        rule's check for every pupil reads it)."""
        return self.exact.numerator, self.exact.denominator

    def shown(self) -> str:
        """`95%`, `20 sessions`: the value as a person reads it."""
        number = f"{self.value:g}"
        if self.unit == "percent":
            return f"{number}%"
        return f"{number} percentage point{'' if self.value == 1 else 's'}" if self.unit == "points" else f"{number} {self.unit}"


@dataclass(frozen=True)
class Condition:
    measure: str
    compare: str | None = None
    threshold: Threshold | None = None
    weeks: int | None = None  # None: the whole period in the file (year to date)
    codes: frozenset[str] = frozenset()
    what: str = ""  # e.g. "sessions of unauthorised absence" or "sessions coded L or U"
    rolling_weeks: int | None = None
    flag: str | None = None
    if_missed: int = 0  # absence_pct as it would be if the next N sessions were missed
    first_weeks: int | None = None  # sessions: count only in the first N school weeks of the file
    weeks_ago: int | None = None  # percentages: as they stood before the last N school weeks
    days: tuple[int, ...] = ()  # weekday_absence_pct: the weekdays counted, 0 = Monday


@dataclass(frozen=True)
class Rule:
    """Met when any group is met; a group is met when all its conditions are."""

    groups: tuple[tuple[Condition, ...], ...]


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    summary: str
    responsibility: str
    actions: tuple[str, ...]
    evidence: tuple[str, ...]
    step_up: str
    step_down: str
    rule: Rule | None
    letters: tuple[str, ...] = ()
    review_after_weeks: int | None = None  # school weeks at the stage before the plan is reviewed
    escalate_after_weeks: int | None = None  # school weeks at the stage before the case steps up


@dataclass(frozen=True)
class Flag:
    name: str
    label: str
    description: str
    rule: Rule
    letters: tuple[str, ...] = ()
    review_first: bool = False
    priority: int | None = None  # on the weekly action list: 1 first; None = not on the list
    action: str = ""


@dataclass(frozen=True)
class DayOfYear:
    """A day that comes back every year, written like `1 September`."""

    month: int
    day: int

    def shown(self) -> str:
        return f"{self.day} {MONTHS[self.month - 1]}"

    def in_year(self, year: int) -> date:
        return date(year, self.month, self.day)


@dataclass(frozen=True)
class Term:
    name: str
    start: date
    end: date


@dataclass(frozen=True)
class TermDates:
    """Which days ahead are school days, and when the year ends: for what it takes a pupil to recover.

    With terms for the year, school days are the weekdays inside them, less `closures`; without,
    the year is `days` school days ending on the last weekday of `end_month` (holidays unknown).
    """

    days: int = 190
    end_month: int = 7
    description: str = "190 school days (380 sessions), ending on the last weekday of July."
    source: str = ("The Education (School Day and School Year) (England) Regulations 1999, regulation 3: "
                   "maintained schools open for at least 380 sessions (190 days) a school year.")
    terms: tuple[Term, ...] = ()
    closures: frozenset[date] = frozenset()


@dataclass(frozen=True)
class SchoolYear:
    """When the school year starts: early-year signals count school weeks from here."""

    starts: DayOfYear
    description: str
    source: str

    def start_for(self, day: date) -> date:
        """The start of the school year that `day` falls in."""
        start = self.starts.in_year(day.year)
        return start if day >= start else self.starts.in_year(day.year - 1)


@dataclass(frozen=True)
class CompulsorySchoolAge:
    """The law's start and end of compulsory school age, and what a policy withholds outside it."""

    start_days: tuple[DayOfYear, ...]  # prescribed days: of compulsory school age from the first after age 5
    start_source: str
    leaving_weekday: int  # the school leaving date: the last <weekday> in <month>
    leaving_month: int
    end_source: str
    description: str
    legal_flags: tuple[str, ...]
    legal_letters: tuple[str, ...]
    early_years_stage: str | None = None

    def starts(self, born: date) -> date:
        """The first day of compulsory school age: the first prescribed day on or after the 5th birthday."""
        fifth = _birthday(born, 5)
        return min(d.in_year(y) for y in (fifth.year, fifth.year + 1) for d in self.start_days
                   if d.in_year(y) >= fifth)

    def leaving_date(self, year: int) -> date:
        """The last <weekday> of the leaving month in `year` (the last Friday in June)."""
        nxt = date(year + self.leaving_month // 12, self.leaving_month % 12 + 1, 1)
        last = date.fromordinal(nxt.toordinal() - 1)
        return date.fromordinal(last.toordinal() - (last.weekday() - self.leaving_weekday) % 7)

    def ends(self, born: date, school_year: SchoolYear) -> date:
        """The last day of compulsory school age (Education Act 1996, section 8(4))."""
        sixteenth = _birthday(born, 16)
        leaving = self.leaving_date(sixteenth.year)
        if sixteenth <= leaving or sixteenth < school_year.starts.in_year(sixteenth.year):
            return leaving
        return self.leaving_date(sixteenth.year + 1)

    def ends_shown(self) -> str:
        return f"the last {WEEKDAYS[self.leaving_weekday]} in {MONTHS[self.leaving_month - 1]}"


def _birthday(born: date, age: int) -> date:
    """The day a child born on `born` reaches `age` (29 February counts as 1 March in other years)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


@dataclass(frozen=True)
class LetterRule:
    """Where a letter sits in the sequence: its kind, its step (higher is more serious), the letter
    that must have been sent first and how long before, and how soon it may be sent again."""

    name: str
    kind: str = "concern"
    step: int = 0
    after: str | None = None
    min_weeks_after: int = 0
    repeat_after_weeks: int | None = None
    once_per_spell: bool = False  # sent again only when the stage or flag behind it ended and began again
    unauthorised_after: int = 0  # sessions of unauthorised absence since the earlier letter before this one


@dataclass(frozen=True)
class LetterRules:
    """Which absence needs a review before any concern or legal letter, and each letter's place."""

    approved_absence_codes: frozenset[str] = frozenset()
    medical_codes: frozenset[str] = codetable.MEDICAL_CODES  # a policy with no [letter_rules]: codes.toml [medical]
    description: str = ""
    source: str = ""
    letters: dict[str, LetterRule] = field(default_factory=dict)

    def rule(self, name: str) -> LetterRule:
        """The letter's rule; a letter the policy does not describe is a concern letter with no predecessor."""
        return self.letters.get(name) or LetterRule(name)


@dataclass(frozen=True)
class WorklistRules:
    """School weeks below a stage or without a flag before the case closes (1: every change counts);
    with step_down_at_close, an open case keeps the highest stage it has reached until it closes."""

    close_after_weeks: int = 1
    step_down_at_close: bool = False
    description: str = ""
    source: str = ""
    local_choice: bool = False


@dataclass
class Policy:
    id: str
    name: str
    description: str
    source: str
    effective_from: date | None
    stage_word: str
    minimum_possible_sessions: Threshold
    thresholds: dict[str, Threshold]
    stages: list[Stage]
    flags: dict[str, Flag]
    lessons_per_day: int = 5
    school_days_per_year: int = 190
    minimum_group_size: int = 5  # smaller cohort groups are suppressed in reports
    comparisons: list[dict] = field(default_factory=list)  # published figures to show beside a school's
    origin: str = ""
    windows: tuple[int, ...] = field(default=())
    school_year: SchoolYear | None = None
    term_dates: TermDates = field(default_factory=TermDates)
    compulsory_school_age: CompulsorySchoolAge | None = None
    letter_rules: LetterRules = field(default_factory=LetterRules)
    unexplained_limit: Threshold | None = None  # school days within which an N mark must be resolved
    worklist: WorklistRules = field(default_factory=WorklistRules)

    early_years: Stage | None = None  # given by age to pupils below compulsory school age; not in `stages`

    @property
    def all_stages(self) -> list[Stage]:
        """The early-years stage (if the policy names one) and then the stages 1, 2, 3, ..."""
        return ([self.early_years] if self.early_years else []) + self.stages

    def stage(self, stage_id: str) -> Stage:
        return next(s for s in self.all_stages if s.id == stage_id)

    def stage_label(self, stage: Stage) -> str:
        return f"{self.stage_word} {stage.id} ({stage.name})"

    def summary_json(self) -> dict:
        return {
            "id": self.id, "name": self.name, "source": self.source,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "stage_word": self.stage_word,
            "stages": [{"id": s.id, "name": s.name} for s in self.all_stages],
            "flags": [{"name": f.name, "label": f.label} for f in self.flags.values()],
        }
