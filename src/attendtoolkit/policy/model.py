"""A graduated-approach policy: thresholds, stages and flags, read from TOML and validated.

Every problem is reported at once, each naming the file, the key and what is allowed.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from attendtoolkit.policy import codes as codetable
from attendtoolkit.policy.national import PHASES
from attendtoolkit.policy.spec import (  # noqa: F401 (names other modules import from here)
    ABSENCE, CHANGE_MEASURES, COMPARES, COMPARISON_FIGURES, COUNT_MEASURES, LETTER_KINDS, MEASURES, MONTHS,
    NATIONAL_FLAGS, PATTERN_MEASURES, PERCENT_MEASURES, UNITS as _UNITS, WEEKDAYS,
)
from attendtoolkit.resources import list_names, read_text

DEFAULT_POLICY = "dfe-national"

_TOP_KEYS = {"policy", "thresholds", "stages", "flags", "lost_learning", "comparisons", "school_year",
             "compulsory_school_age", "term_dates", "letter_rules", "letters"}
_COMPARISON_KEYS = {"label", "year", "source", "phase", *COMPARISON_FIGURES}
_SCHOOL_YEAR_KEYS = {"starts", "description", "source"}
_TERM_DATES_KEYS = {"description", "source", "days", "end_month", "closures", "terms"}
_TERM_KEYS = {"name", "start", "end"}
_AGE_KEYS = {"description", "starts_after_fifth_birthday_on", "start_source", "ends", "end_source",
             "legal_flags", "legal_letters", "early_years_stage"}
_POLICY_KEYS = {"id", "name", "description", "source", "effective_from", "stage_word",
                "minimum_possible_sessions", "minimum_group_size", "unexplained_limit"}
_THRESHOLD_KEYS = {"value", "unit", "description", "source", "local_choice"}
_STAGE_KEYS = {"id", "name", "summary", "responsibility", "actions", "evidence", "step_up",
               "step_down", "when", "letters", "review_after_weeks", "escalate_after_weeks"}
_FLAG_KEYS = {"label", "description", "when", "letters", "review_first", "priority", "action"}
_CONDITION_KEYS = {"measure", "compare", "threshold", "weeks", "codes", "category",
                   "rolling_weeks", "flag", "if_missed", "first_weeks", "weeks_ago", "days"}
_LOST_LEARNING_KEYS = {"lessons_per_day", "school_days_per_year"}
_LETTER_RULES_KEYS = {"description", "source", "approved_absence_codes", "medical_codes"}
_LETTER_KEYS = {"kind", "step", "after", "min_weeks_after", "repeat_after_weeks"}


class PolicyError(ValueError):
    """A policy file with problems; `problems` lists each one in plain English."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source} has {len(problems)} problem(s):\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class Threshold:
    name: str
    value: float
    unit: str
    description: str
    source: str
    local_choice: bool = False

    @property
    def exact(self) -> Fraction:
        """The value as written, exactly (95.5 is 191/2), so a figure on the boundary compares exactly."""
        return _exact(self.value)

    @property
    def ratio(self) -> tuple[int, int]:
        """(numerator, denominator) of the exact value, for comparisons in whole numbers."""
        return _ratio(self.value)

    def shown(self) -> str:
        """`95%`, `20 sessions`: the value as a person reads it."""
        number = f"{self.value:g}"
        if self.unit == "percent":
            return f"{number}%"
        return f"{number} percentage point{'' if self.value == 1 else 's'}" if self.unit == "points" else f"{number} {self.unit}"


@lru_cache(maxsize=None)
def _exact(value: float) -> Fraction:
    return Fraction(str(value))


@lru_cache(maxsize=None)
def _ratio(value: float) -> tuple[int, int]:
    exact = _exact(value)
    return exact.numerator, exact.denominator


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


@dataclass(frozen=True)
class LetterRules:
    """Which absence needs a review before any concern or legal letter, and each letter's place."""

    approved_absence_codes: frozenset[str] = frozenset()
    medical_codes: frozenset[str] = frozenset({"I", "M"})
    description: str = ""
    source: str = ""
    letters: dict[str, LetterRule] = field(default_factory=dict)

    def rule(self, name: str) -> LetterRule:
        """The letter's rule; a letter the policy does not describe is a concern letter with no predecessor."""
        return self.letters.get(name) or LetterRule(name)


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


def shipped_policies() -> list[str]:
    return list_names("policy/shipped", ".toml")


def policy_source(path_or_name: str | Path | None = None) -> tuple[str, str]:
    """(TOML text, file name) of a policy file path or a shipped policy name (default: national)."""
    if path_or_name is None:
        path_or_name = DEFAULT_POLICY
    text_name = str(path_or_name)
    if text_name in shipped_policies():
        return read_text("policy", "shipped", f"{text_name}.toml"), f"{text_name}.toml"
    path = Path(path_or_name)
    try:
        return path.read_text(encoding="utf-8-sig"), path.name
    except OSError as exc:
        raise PolicyError(path.name, [
            f"cannot open the file ({exc.strerror}). Give a path to a .toml file or one of the "
            f"shipped policies: {', '.join(shipped_policies())}."
        ]) from exc


def load_policy(path_or_name: str | Path | None = None) -> Policy:
    """A policy from a file path, or a shipped policy by name (default: the national one)."""
    return parse_policy(*policy_source(path_or_name))


def parse_policy(text: str, source: str = "policy.toml") -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(source, [f"is not valid TOML: {exc}. Check quotes, brackets and commas."]) from exc
    return _Validator(source).policy(data)


class _Validator:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def keys(self, where: str, table: dict, allowed: set[str], required: set[str] = frozenset()) -> None:
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                suggestion = f" Did you mean '{hint[0]}'?" if hint else ""
                self.problem(where, f"unknown key '{key}'.{suggestion} Allowed keys: {', '.join(sorted(allowed))}.")
        for key in sorted(required - table.keys()):
            self.problem(where, f"missing key '{key}'.")

    def typed(self, where: str, value, kind, label: str):
        ok = isinstance(value, kind) and not (kind in (int, float, (int, float)) and isinstance(value, bool))
        if not ok:
            self.problem(where, f"should be {label}, not {value!r}.")
            return None
        return value

    def text(self, where: str, table: dict, key: str, default: str | None = None) -> str:
        if key not in table:
            return default or ""
        return self.typed(f"{where}.{key}", table[key], str, "text in quotes") or ""

    def text_list(self, where: str, table: dict, key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{where}.{key}", "should be a list of texts, like [\"first\", \"second\"].")
            return ()
        return tuple(value)

    def policy(self, data: dict) -> Policy:
        self.keys("top level", data, _TOP_KEYS, {"policy", "thresholds", "stages", "flags"})
        meta = data.get("policy", {})
        self.keys("[policy]", meta, _POLICY_KEYS, {"id", "name", "source", "minimum_possible_sessions"})
        effective = meta.get("effective_from")
        if effective is not None and not isinstance(effective, date):
            self.problem("[policy].effective_from", "should be a date like 2024-08-19 (no quotes).")
            effective = None
        thresholds = self.thresholds(data.get("thresholds", {}))
        minimum = self.reference("[policy].minimum_possible_sessions",
                                 meta.get("minimum_possible_sessions"), thresholds, {"sessions"})
        unexplained = self.reference("[policy].unexplained_limit", meta.get("unexplained_limit"), thresholds,
                                     {"school days"})
        flags = self.flags(data.get("flags", {}), thresholds)
        age_table = data.get("compulsory_school_age")
        early_id = age_table.get("early_years_stage") if isinstance(age_table, dict) else None
        stages = self.stages(data.get("stages", []), thresholds, flags, early_id)
        lost = data.get("lost_learning", {})
        self.keys("[lost_learning]", lost, _LOST_LEARNING_KEYS)
        group = self.positive_int("[policy].minimum_group_size", meta.get("minimum_group_size", 5))
        lessons = self.positive_int("[lost_learning].lessons_per_day", lost.get("lessons_per_day", 5))
        days = self.positive_int("[lost_learning].school_days_per_year", lost.get("school_days_per_year", 190))
        comparisons = self.comparisons(data.get("comparisons", []))
        school_year = self.school_year(data.get("school_year"))
        term_dates = self.term_dates(data.get("term_dates", {}))
        age = self.compulsory_school_age(age_table, flags, stages)
        letter_rules = self.letter_rules(data.get("letter_rules"), data.get("letters", {}))
        if age is not None and school_year is None:
            self.problem("[compulsory_school_age]", "needs a [school_year] table: the end of compulsory "
                         "school age depends on when the school year starts.")
        if self.problems:
            raise PolicyError(self.source, self.problems)
        windows = sorted({c.weeks for r in _rules(stages, flags) for g in r.groups for c in g if c.weeks})
        ladder = [s for s in stages if s.id != early_id]
        return Policy(
            id=meta["id"], name=meta["name"], description=self.text("[policy]", meta, "description"),
            source=meta["source"], effective_from=effective,
            stage_word=self.text("[policy]", meta, "stage_word", "Stage"),
            minimum_possible_sessions=minimum, thresholds=thresholds, stages=ladder, flags=flags,
            lessons_per_day=lessons or 5, school_days_per_year=days or 190, minimum_group_size=group or 5,
            comparisons=comparisons, origin=self.source,
            windows=tuple(windows), school_year=school_year, compulsory_school_age=age, term_dates=term_dates,
            early_years=next((s for s in stages if age and s.id == age.early_years_stage), None),
            letter_rules=letter_rules, unexplained_limit=unexplained,
        )

    def code_list(self, where: str, value) -> frozenset[str]:
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            self.problem(where, "should be a list of register codes, like [\"C\", \"C2\"].")
            return frozenset()
        found = set()
        for raw in value:
            code = codetable.lookup(raw)
            if code is None:
                self.problem(where, f"'{raw}' is not a register code.")
            elif code.category != codetable.AUTHORISED:
                self.problem(where, f"'{code.code}' is not authorised absence ({code.meaning}).")
            else:
                found.add(code.code)
        return frozenset(found)

    def letter_rules(self, table, letters) -> LetterRules:
        rules = LetterRules()
        if table is not None:
            where = "[letter_rules]"
            if not isinstance(table, dict):
                self.problem(where, "should be a table with description, source, approved_absence_codes and medical_codes.")
                return rules
            self.keys(where, table, _LETTER_RULES_KEYS, _LETTER_RULES_KEYS)
            rules = LetterRules(self.code_list(f"{where}.approved_absence_codes", table.get("approved_absence_codes", [])),
                                self.code_list(f"{where}.medical_codes", table.get("medical_codes", [])),
                                self.text(where, table, "description"), self.text(where, table, "source"))
        if not isinstance(letters, dict):
            self.problem("[letters]", "should be tables like [letters.concern-1].")
            return rules
        found = {}
        for name, entry in letters.items():
            where = f"[letters.{name}]"
            if not isinstance(entry, dict):
                self.problem(where, "should be a table with kind and step.")
                continue
            self.keys(where, entry, _LETTER_KEYS, {"kind", "step"})
            kind = entry.get("kind")
            if kind not in LETTER_KINDS:
                self.problem(f"{where}.kind", f"'{kind}' is not a kind of letter. Use one of: {', '.join(LETTER_KINDS)}.")
            step = self.positive_int(f"{where}.step", entry.get("step", 1))
            after = entry.get("after")
            if after is not None and after not in letters:
                self.problem(f"{where}.after", f"there is no [letters.{after}] table; the letter that comes first "
                                               "must be described too.")
            weeks = entry.get("min_weeks_after", 0)
            if "min_weeks_after" in entry:
                weeks = self.positive_int(f"{where}.min_weeks_after", weeks) or 0
                if after is None:
                    self.problem(f"{where}.min_weeks_after", "only a letter with 'after' waits a number of weeks.")
            repeat = entry.get("repeat_after_weeks")
            if repeat is not None:
                repeat = self.positive_int(f"{where}.repeat_after_weeks", repeat)
            found[name] = LetterRule(name, kind, step or 1, after, weeks, repeat)
        self.check_letter_chain(found)
        return LetterRules(rules.approved_absence_codes, rules.medical_codes, rules.description, rules.source, found)

    def check_letter_chain(self, letters: dict[str, LetterRule]) -> None:
        for name in letters:
            seen, current = {name}, letters[name].after
            while current in letters:
                if current in seen:
                    self.problem(f"[letters.{name}].after", "the letters come after each other in a circle; "
                                                            "one of them must have no 'after'.")
                    break
                seen.add(current)
                current = letters[current].after

    def day_of_year(self, where: str, value) -> DayOfYear | None:
        parts = value.split() if isinstance(value, str) else []
        if len(parts) == 2 and parts[0].isdigit() and parts[1].capitalize() in MONTHS:
            month = MONTHS.index(parts[1].capitalize()) + 1
            try:
                date(2024, month, int(parts[0]))  # 2024 is a leap year: 29 February is allowed
                return DayOfYear(month, int(parts[0]))
            except ValueError:
                pass
        self.problem(where, f"should be a day and a month like \"1 September\", not {value!r}.")
        return None

    def school_year(self, table) -> SchoolYear | None:
        if table is None:
            return None
        self.keys("[school_year]", table, _SCHOOL_YEAR_KEYS, _SCHOOL_YEAR_KEYS)
        starts = self.day_of_year("[school_year].starts", table.get("starts"))
        if starts is None:
            return None
        return SchoolYear(starts, self.text("[school_year]", table, "description"),
                          self.text("[school_year]", table, "source"))

    def term_dates(self, table) -> TermDates:
        where = "[term_dates]"
        if not isinstance(table, dict):
            self.problem(where, "should be a table with description, source and optionally days, end_month, "
                                "closures and [[term_dates.terms]].")
            return TermDates()
        if not table:
            return TermDates()
        self.keys(where, table, _TERM_DATES_KEYS, {"description", "source"})
        days = self.positive_int(f"{where}.days", table.get("days", 190)) or 190
        end_month = self.positive_int(f"{where}.end_month", table.get("end_month", 7)) or 7
        if not 1 <= end_month <= 12:
            self.problem(f"{where}.end_month", f"{end_month} is not a month; use 1 to 12 (7 is July).")
            end_month = 7
        closures = table.get("closures", [])
        if not isinstance(closures, list) or not all(isinstance(d, date) for d in closures):
            self.problem(f"{where}.closures", "should be a list of dates with no quotes, like [2024-05-06].")
            closures = []
        terms = []
        raw_terms = table.get("terms", [])
        if not isinstance(raw_terms, list):
            self.problem(f"{where}.terms", "should be tables, each starting with [[term_dates.terms]].")
            raw_terms = []
        for i, entry in enumerate(raw_terms, start=1):
            twhere = f"[[term_dates.terms]] number {i}"
            if not isinstance(entry, dict):
                self.problem(twhere, "should be a table with name, start and end.")
                continue
            self.keys(twhere, entry, _TERM_KEYS, {"start", "end"})
            start, end = entry.get("start"), entry.get("end")
            if not isinstance(start, date) or not isinstance(end, date):
                self.problem(twhere, "start and end should be dates with no quotes, like start = 2024-09-02.")
                continue
            if end < start:
                self.problem(twhere, f"ends ({end}) before it starts ({start}).")
                continue
            terms.append(Term(self.text(twhere, entry, "name"), start, end))
        terms.sort(key=lambda t: t.start)
        for earlier, later in zip(terms, terms[1:]):
            if later.start <= earlier.end:
                self.problem("[[term_dates.terms]]", f"terms overlap: {earlier.start} to {earlier.end} and "
                                                     f"{later.start} to {later.end}.")
        return TermDates(days=days, end_month=end_month, description=self.text(where, table, "description"),
                         source=self.text(where, table, "source"), terms=tuple(terms),
                         closures=frozenset(closures))

    def compulsory_school_age(self, table, flags: dict, stages: list) -> CompulsorySchoolAge | None:
        if table is None:
            return None
        where = "[compulsory_school_age]"
        self.keys(where, table, _AGE_KEYS, _AGE_KEYS - {"early_years_stage"})
        days = table.get("starts_after_fifth_birthday_on", [])
        if not isinstance(days, list) or not days:
            self.problem(f"{where}.starts_after_fifth_birthday_on", "should be a list of days like [\"31 December\"].")
            days = []
        start_days = [self.day_of_year(f"{where}.starts_after_fifth_birthday_on", d) for d in days]
        ends = str(table.get("ends", "")).split()
        weekday = month = None
        if (len(ends) == 4 and ends[0] == "last" and ends[1].capitalize() in WEEKDAYS and ends[2] == "in"
                and ends[3].capitalize() in MONTHS):
            weekday, month = WEEKDAYS.index(ends[1].capitalize()), MONTHS.index(ends[3].capitalize()) + 1
        else:
            self.problem(f"{where}.ends", f"should read like \"last Friday in June\", not {table.get('ends')!r}.")
        legal_flags = self.text_list(where, table, "legal_flags")
        for name in legal_flags:
            if name not in flags:
                self.problem(f"{where}.legal_flags", f"there is no flag called '{name}'.")
        early = table.get("early_years_stage")
        if early is not None:
            stage = next((s for s in stages if s.id == early), None)
            if stage is None:
                self.problem(f"{where}.early_years_stage", f"there is no stage with id '{early}'.")
            elif stage.rule is not None:
                self.problem(f"[[stages]] '{early}'", "the early-years stage takes no 'when' conditions: "
                             "it is given by age, from the date of birth.")
        if None in start_days or weekday is None:
            return None
        return CompulsorySchoolAge(
            tuple(start_days), self.text(where, table, "start_source"), weekday, month,
            self.text(where, table, "end_source"), self.text(where, table, "description"),
            legal_flags, self.text_list(where, table, "legal_letters"), early)

    def comparisons(self, items) -> list[dict]:
        if not isinstance(items, list):
            self.problem("[[comparisons]]", "should be a list of tables, each starting with [[comparisons]].")
            return []
        for i, item in enumerate(items, start=1):
            where = f"[[comparisons]] number {i}"
            self.keys(where, item, _COMPARISON_KEYS, {"label", "year", "source"})
            if "phase" in item and item["phase"] not in PHASES:
                self.problem(f"{where}.phase", f"'{item['phase']}' is not a phase. Use one of: {', '.join(PHASES)}.")
            figures = [k for k in COMPARISON_FIGURES if k in item]
            if not figures:
                self.problem(where, f"give at least one figure: {', '.join(COMPARISON_FIGURES)}.")
            for key in figures:
                value = self.typed(f"{where}.{key}", item[key], (int, float), "a percentage")
                if value is not None and not 0 <= value <= 100:
                    self.problem(f"{where}.{key}", f"{value} is not a percentage between 0 and 100.")
        return [dict(item) for item in items if isinstance(item, dict)]

    def positive_int(self, where: str, value) -> int | None:
        if self.typed(where, value, int, "a whole number") is None:
            return None
        if value <= 0:
            self.problem(where, "should be more than 0.")
            return None
        return value

    def thresholds(self, table: dict) -> dict[str, Threshold]:
        found = {}
        for name, entry in table.items():
            where = f"[thresholds.{name}]"
            if not isinstance(entry, dict):
                self.problem(where, "should be a table with value, unit, description and source.")
                continue
            self.keys(where, entry, _THRESHOLD_KEYS, {"value", "unit", "description", "source"})
            value = self.typed(f"{where}.value", entry.get("value", 0), (int, float), "a number")
            unit = entry.get("unit")
            if unit is not None and unit not in _UNITS:
                self.problem(f"{where}.unit", f"'{unit}' is not a unit. Use one of: {', '.join(_UNITS)}.")
            if value is not None and unit in ("percent", "points") and not 0 <= value <= 100:
                self.problem(f"{where}.value", f"{value} is not a percentage between 0 and 100.")
            if value is not None and unit in ("sessions", "school days", "marks") and (
                    value < 0 or value != int(value)):
                self.problem(f"{where}.value", f"{value} should be a whole number of {unit}, 0 or more.")
            local = entry.get("local_choice", False)
            if not isinstance(local, bool):
                self.problem(f"{where}.local_choice", "should be true or false.")
            if {"value", "unit", "description", "source"} <= entry.keys() and value is not None:
                found[name] = Threshold(name, value, unit, self.text(where, entry, "description"),
                                        self.text(where, entry, "source"), bool(local))
        return found

    def reference(self, where: str, name, thresholds: dict[str, Threshold], units: set[str]) -> Threshold | None:
        if name is None:
            return None
        if not isinstance(name, str):
            self.problem(where, "should name a threshold in quotes, like \"persistent_absence\".")
            return None
        if name not in thresholds:
            hint = difflib.get_close_matches(name, thresholds, n=1)
            suggestion = f" Did you mean '{hint[0]}'?" if hint else ""
            self.problem(where, f"there is no threshold called '{name}' in [thresholds].{suggestion}")
            return None
        threshold = thresholds[name]
        if threshold.unit not in units:
            self.problem(where, f"threshold '{name}' is in {threshold.unit}, but this needs {' or '.join(sorted(units))}.")
            return None
        return threshold

    def rule(self, where: str, groups, thresholds, flag_names: set[str] | None) -> Rule | None:
        if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
            self.problem(where, "should be one or more [[...when]] tables, each with all = [ ... ].")
            return None
        parsed = []
        for i, group in enumerate(groups, start=1):
            gwhere = f"{where}[{i}]"
            self.keys(gwhere, group, {"all"}, {"all"})
            conditions = group.get("all", [])
            if not isinstance(conditions, list) or not conditions:
                self.problem(f"{gwhere}.all", "should be a list of one or more conditions.")
                continue
            parsed.append(tuple(
                c for j, item in enumerate(conditions, start=1)
                if (c := self.condition(f"{gwhere}.all[{j}]", item, thresholds, flag_names)) is not None
            ))
        return Rule(tuple(parsed))

    def condition(self, where: str, item, thresholds, flag_names) -> Condition | None:
        if not isinstance(item, dict):
            self.problem(where, "should be a condition like { measure = \"attendance_pct\", compare = \"below\", threshold = \"...\" }.")
            return None
        self.keys(where, item, _CONDITION_KEYS)
        if "flag" in item:
            if flag_names is None:
                self.problem(where, "a flag cannot depend on another flag; use measures.")
            elif item["flag"] not in flag_names:
                self.problem(f"{where}.flag", f"there is no flag called '{item['flag']}'. Flags: {', '.join(sorted(flag_names))}.")
            extra = set(item) - {"flag"}
            if extra:
                self.problem(where, f"a flag condition takes only 'flag', not {', '.join(sorted(extra))}.")
            return Condition(measure="flag", flag=item.get("flag"))
        measure = item.get("measure")
        if measure not in MEASURES:
            self.problem(f"{where}.measure", f"'{measure}' is not a measure. Use one of: {', '.join(MEASURES)}.")
            return None
        compare = item.get("compare")
        if compare not in COMPARES:
            self.problem(f"{where}.compare", f"'{compare}' is not a comparison. Use one of: {', '.join(COMPARES)}.")
        units = {"percent"} if measure in PERCENT_MEASURES + PATTERN_MEASURES else {"points"} if measure in CHANGE_MEASURES else (
            {"school days"} if measure == "continuous_absence_days" else {"sessions", "marks"})
        if "threshold" not in item:
            self.problem(where, "missing key 'threshold'.")
        threshold = self.reference(f"{where}.threshold", item.get("threshold"), thresholds, units)
        weeks = item.get("weeks")
        if weeks is not None:
            weeks = self.positive_int(f"{where}.weeks", weeks)
            if measure in ("rolling_sessions", "continuous_absence_days"):
                self.problem(f"{where}.weeks", f"'{measure}' does not take weeks.")
        elif measure in CHANGE_MEASURES:
            self.problem(where, f"'{measure}' needs weeks: the recent school weeks to compare with the weeks before.")
        rolling = item.get("rolling_weeks")
        if measure == "rolling_sessions":
            if rolling is None:
                self.problem(where, "rolling_sessions needs rolling_weeks, the length of the rolling window in school weeks.")
            else:
                rolling = self.positive_int(f"{where}.rolling_weeks", rolling)
        elif rolling is not None:
            self.problem(f"{where}.rolling_weeks", "only rolling_sessions takes rolling_weeks.")
        codes, what = self.code_set(where, item, measure)
        if_missed = item.get("if_missed", 0)
        if "if_missed" in item:
            if measure != "absence_pct":
                self.problem(f"{where}.if_missed", "only absence_pct takes if_missed.")
            if_missed = self.positive_int(f"{where}.if_missed", if_missed) or 0
        first_weeks = item.get("first_weeks")
        if first_weeks is not None:
            if measure != "sessions" or weeks is not None:
                self.problem(f"{where}.first_weeks", "only sessions takes first_weeks, and not together with weeks.")
            first_weeks = self.positive_int(f"{where}.first_weeks", first_weeks)
        weeks_ago = item.get("weeks_ago")
        if weeks_ago is not None:
            if measure not in PERCENT_MEASURES or weeks is not None:
                self.problem(f"{where}.weeks_ago", "only the percentage measures take weeks_ago, and not with weeks.")
            weeks_ago = self.positive_int(f"{where}.weeks_ago", weeks_ago)
        days = self.weekdays(where, item, measure)
        if compare not in COMPARES or threshold is None:
            return None
        return Condition(measure, compare, threshold, weeks, codes, what, rolling, if_missed=if_missed,
                         first_weeks=first_weeks, weeks_ago=weeks_ago, days=days)

    def weekdays(self, where: str, item: dict, measure: str) -> tuple[int, ...]:
        if measure != "weekday_absence_pct":
            if "days" in item:
                self.problem(f"{where}.days", "only weekday_absence_pct takes days.")
            return ()
        names = item.get("days")
        school_days = WEEKDAYS[:5]
        if (not isinstance(names, list) or not names
                or not all(isinstance(n, str) and n.capitalize() in school_days for n in names)):
            self.problem(f"{where}.days", "weekday_absence_pct needs the weekdays to count, like "
                                          "days = [\"Monday\", \"Friday\"].")
            return ()
        return tuple(sorted({school_days.index(n.capitalize()) for n in names}))

    def code_set(self, where: str, item: dict, measure: str) -> tuple[frozenset[str], str]:
        counts_codes = measure in ("sessions", "rolling_sessions")
        if not counts_codes:
            for key in ("codes", "category"):
                if key in item:
                    self.problem(f"{where}.{key}", f"'{measure}' does not take {key}.")
            return frozenset(), ""
        if ("codes" in item) == ("category" in item):
            self.problem(where, f"'{measure}' needs either codes = [\"U\"] or category = \"unauthorised\" (one, not both).")
            return frozenset(), ""
        if "category" in item:
            category = item["category"]
            if category == ABSENCE:
                return (codetable.codes_in(codetable.AUTHORISED) | codetable.codes_in(codetable.UNAUTHORISED),
                        "sessions of absence")
            if category not in codetable.CATEGORIES:
                self.problem(f"{where}.category", f"'{category}' is not a category. Use one of: "
                             f"{', '.join(codetable.CATEGORIES + (ABSENCE,))}.")
                return frozenset(), ""
            return codetable.codes_in(category), f"sessions of {codetable.CATEGORY_LABELS[category].lower()}"
        raw = item["codes"]
        if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
            self.problem(f"{where}.codes", "should be a list of register codes, like [\"G\", \"N\", \"O\"].")
            return frozenset(), ""
        found = []
        for c in raw:
            code = codetable.lookup(c)
            if code is None:
                self.problem(f"{where}.codes", f"'{c}' is not a register code.")
            else:
                found.append(code.code)
        listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " or " + found[-1]
        return frozenset(found), f"sessions coded {listed}"

    def flags(self, table: dict, thresholds) -> dict[str, Flag]:
        if not isinstance(table, dict):
            self.problem("[flags]", "should be tables like [flags.persistent_absence].")
            return {}
        for name in NATIONAL_FLAGS:
            if name not in table:
                self.problem("[flags]", f"the national flag '{name}' is missing; every policy defines it.")
        found = {}
        for name, entry in table.items():
            where = f"[flags.{name}]"
            if not isinstance(entry, dict):
                self.problem(where, "should be a table with label, description and when.")
                continue
            self.keys(where, entry, _FLAG_KEYS, {"label", "description", "when"})
            rule = self.rule(f"{where}.when", entry.get("when", []), thresholds, None)
            review = entry.get("review_first", False)
            if not isinstance(review, bool):
                self.problem(f"{where}.review_first", "should be true or false.")
            priority = self.positive_int(f"{where}.priority", entry["priority"]) if "priority" in entry else None
            if priority is not None and not entry.get("action"):
                self.problem(where, "a flag with a priority needs an action: what to do this week.")
            if rule is not None:
                found[name] = Flag(name, self.text(where, entry, "label"), self.text(where, entry, "description"),
                                   rule, self.text_list(where, entry, "letters"), bool(review), priority,
                                   self.text(where, entry, "action"))
        return found

    def stages(self, items, thresholds, flags, early_id: str | None = None) -> list[Stage]:
        if not isinstance(items, list) or not items:
            self.problem("[[stages]]", "there should be at least one stage.")
            return []
        stages, seen, ladder = [], set(), 0
        for i, entry in enumerate(items, start=1):
            where = f"[[stages]] number {i}"
            if not isinstance(entry, dict):
                self.problem(where, "should be a table.")
                continue
            stage_id = entry.get("id")
            if isinstance(stage_id, str):
                where = f"[[stages]] '{stage_id}'"
            self.keys(where, entry, _STAGE_KEYS, {"id", "name", "summary", "responsibility"})
            if stage_id is not None and not isinstance(stage_id, str):
                self.problem(f"{where}.id", f"should be text in quotes, like id = \"{stage_id}\".")
                continue
            if stage_id in seen:
                self.problem(f"{where}.id", f"stage '{stage_id}' appears twice; ids must be different.")
            seen.add(stage_id)
            rule = None
            if "when" in entry:
                rule = self.rule(f"{where}.when", entry["when"], thresholds, set(flags))
            if stage_id == early_id:  # given by age; checked in compulsory_school_age
                stages.append(self.stage_entry(where, entry, stage_id, rule))
                continue
            ladder += 1
            if "when" not in entry and ladder > 1:
                self.problem(where, "only the first stage may have no 'when' conditions: it is the stage everyone starts at.")
            if ladder == 1 and "when" in entry:
                self.problem(where, "the first stage is where every pupil starts, so it takes no 'when' conditions.")
            stages.append(self.stage_entry(where, entry, stage_id, rule))
        self.check_order(stages)
        return stages

    def stage_entry(self, where: str, entry: dict, stage_id: str | None, rule: Rule | None) -> Stage:
        return Stage(
            id=stage_id or "", name=self.text(where, entry, "name"),
            summary=self.text(where, entry, "summary"),
            responsibility=self.text(where, entry, "responsibility"),
            actions=self.text_list(where, entry, "actions"),
            evidence=self.text_list(where, entry, "evidence"),
            step_up=self.text(where, entry, "step_up"), step_down=self.text(where, entry, "step_down"),
            rule=rule, letters=self.text_list(where, entry, "letters"),
            review_after_weeks=self.weeks(f"{where}.review_after_weeks", entry.get("review_after_weeks")),
            escalate_after_weeks=self.weeks(f"{where}.escalate_after_weeks", entry.get("escalate_after_weeks")),
        )

    def weeks(self, where: str, value) -> int | None:
        return None if value is None else self.positive_int(where, value)

    def check_order(self, stages: list[Stage]) -> None:
        """A later stage must not ask for a milder figure than an earlier one on the same measure."""
        last: dict[tuple, tuple[Stage, Condition]] = {}
        for stage in stages:
            if stage.rule is None:
                continue
            for group in stage.rule.groups:
                for c in group:
                    if c.measure == "flag":
                        continue
                    lower_is_worse = c.compare in ("below", "at_most")
                    key = (c.measure, c.weeks, c.codes, c.rolling_weeks, lower_is_worse)
                    if key in last:
                        earlier_stage, earlier = last[key]
                        out_of_order = (c.threshold.value > earlier.threshold.value if lower_is_worse
                                        else c.threshold.value < earlier.threshold.value)
                        if out_of_order:
                            self.problem(
                                f"[[stages]] '{stage.id}'",
                                f"thresholds out of order: {c.measure} {c.compare.replace('_', ' ')} "
                                f"{c.threshold.shown()} is milder than stage '{earlier_stage.id}' "
                                f"({earlier.compare.replace('_', ' ')} {earlier.threshold.shown()}). "
                                "Later stages must need the same or a more serious figure.",
                            )
                    last[key] = (stage, c)


def _rules(stages: list[Stage], flags: dict[str, Flag]) -> list[Rule]:
    return [s.rule for s in stages if s.rule] + [f.rule for f in flags.values()]
