"""The policy file format, written once: every key with its kind, range and description.

`attendtoolkit.policy.model` checks policy files against it; schemas/policy.schema.json is
generated from it (`python -m attendtoolkit.policy.schemas`) for editors. What a schema cannot
say (threshold names, units per measure, stage order) is checked in model.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from attendtoolkit.policy import codes as codetable
from attendtoolkit.policy.check import Problems
from attendtoolkit.policy import measures
from attendtoolkit.policy.days import MONTHS, WEEKDAYS
from attendtoolkit.policy.fields import (
    DROP, Boolean, Case, Choice, Day, ListOf, Named, Number, Place, Ref, Rows, Table, Text, Whole,
)
from attendtoolkit.policy.national import PHASES

NATIONAL_FLAGS = (
    "persistent_absence", "severe_absence", "penalty_notice_threshold", "missing_education_risk",
)
MEASURES = tuple(measures.MEASURES)  # each declared in policy/measures/
COMPARES = tuple(measures.COMPARE)
UNITS = ("percent", "points", "sessions", "school days", "marks")
ABSENCE = "absence"  # a category for counting: authorised and unauthorised together
LETTER_KINDS = ("praise", "concern", "legal")  # praise never goes with a concern or legal letter
COMPARISON_FIGURES = ("attendance_pct", "absence_pct", "persistent_absence_pct", "severe_absence_pct")

DAY_OF_YEAR = rf"^[0-9]{{1,2}} ({'|'.join(MONTHS)})$"


@dataclass(frozen=True)
class RegisterCode:
    """A register code such as "U"; with `category`, only the codes in it."""

    category: str | None = None

    def schema(self) -> dict:
        chosen = codetable.codes_in(self.category) if self.category else {c.code for c in codetable.all_codes()}
        return {"enum": sorted(chosen)}

    def check(self, value, at: Place, problems: Problems):
        if not isinstance(value, str):
            return DROP
        code = codetable.lookup(value)
        if code is None:
            problems.add(at.shown, f"'{value}' is not a register code.")
        elif self.category and code.category != self.category:
            problems.add(at.shown, f"'{code.code}' is not {codetable.CATEGORY_LABELS[self.category].lower()} "
                                   f"({code.meaning}).")
        return value


def _text(description: str = "") -> Text:
    return Text(description)


def _texts(description: str = "") -> ListOf:
    return ListOf(Text(), description)


def _positive(description: str = "") -> Whole:
    return Whole(description, out_of_range="should be more than 0.")


def _day_of_year(description: str = "") -> Text:
    return Text(description, pattern=DAY_OF_YEAR, ignore_case=True,
                wrong="should be a day and a month like \"1 September\", not '{value}'.")


def _percentage(description: str = "") -> Number:
    return Number(description, 0, 100, out_of_range="{value} is not a percentage between 0 and 100.")


_NAMED_THRESHOLD = "The name of a threshold in [thresholds]"

THRESHOLD = Table(
    {
        "value": Number("The figure, in the unit below."),
        "unit": Choice(UNITS, "unit"),
        "description": _text("What the figure means, in a sentence a parent could read."),
        "source": _text("The guidance or local decision the figure comes from."),
        "local_choice": Boolean("True when the figure is a local decision, not the law or national guidance."),
    },
    required=("value", "unit", "description", "source"),
    wrong="should be a table with value, unit, description and source.",
    cases=(
        Case("unit", ("percent", "points"), {"value": _percentage("The figure, in the unit below.")}),
        Case("unit", ("sessions", "school days", "marks"), {"value": Number(
            "The figure, in the unit below.", 0, whole=True,
            out_of_range="{value} should be a whole number, 0 or more.")}),
    ),
)

CONDITION = Table(
    {
        "measure": Choice(MEASURES, "measure", "What to measure for the pupil."),
        "compare": Choice(COMPARES, "comparison"),
        "threshold": Text(f"{_NAMED_THRESHOLD}."),
        "weeks": _positive("Measure over the last N school weeks; leave out for the year so far."),
        "codes": ListOf(RegisterCode(), "Register codes to count.", min_items=1,
                        wrong="should be a list of register codes, like [\"G\", \"N\", \"O\"]."),
        "category": Choice(codetable.CATEGORIES + (ABSENCE,), "category",
                           "The register codes of a category to count; absence is authorised and unauthorised."),
        "rolling_weeks": _positive("For rolling_sessions: the window length in school weeks."),
        "flag": Text("For stages: the name of a flag the pupil must have."),
        "if_missed": _positive("For absence_pct: measure as if the next N sessions were missed (early warning)."),
        "first_weeks": _positive("For sessions: count only in the first N school weeks of the school "
                              "year (of the file when the policy has no [school_year]); met only until "
                              "those weeks end (early-year signals)."),
        "weeks_ago": _positive("For the percentage measures: the figure as it stood before the last N school weeks."),
        "days": ListOf(Choice(WEEKDAYS[:5], "school weekday", ignore_case=True),
                       "weekday_absence_pct: the weekdays whose share of the pupil's absence is measured.",
                       min_items=1, wrong="weekday_absence_pct needs the weekdays to count, like "
                                          "days = [\"Monday\", \"Friday\"]."),
    },
    description="One condition. A flag condition is { flag = \"name\" }; every other takes a measure, "
                "compare and threshold.",
    wrong="should be a condition like { measure = \"attendance_pct\", compare = \"below\", threshold = \"...\" }.",
    one_of=(("flag",), ("measure", "compare", "threshold")),
)

WHEN = Rows(
    Table({"all": Rows(Ref("condition", CONDITION), min_items=1, inline=True,
                       wrong="should be a list of one or more conditions.")},
          required=("all",), wrong="should be a table with all = [ ... ]."),
    "Met when any group is met; a group is met when all its conditions are.",
    min_items=1, inline=True, wrong="should be one or more [[...when]] tables, each with all = [ ... ].",
)

STAGE = Table(
    {
        "id": _text("How the stage is numbered or named, like \"2\"."),
        "name": _text(),
        "summary": _text(),
        "responsibility": _text("Who leads at this stage."),
        "actions": _texts(),
        "evidence": _texts(),
        "step_up": _text(),
        "step_down": _text(),
        "letters": _texts("Letters suggested at this stage."),
        "when": Ref("when", WHEN),
        "review_after_weeks": _positive("School weeks at this stage after which the support agreed is due for "
                                     "review (on the weekly worklist)."),
        "escalate_after_weeks": _positive("School weeks at this stage after which, without improvement, the case "
                                       "is due to step up."),
    },
    required=("id", "name", "summary", "responsibility"),
    wrong="should be a table.",
)

FLAG = Table(
    {
        "label": _text(),
        "description": _text(),
        "letters": _texts("Letters suggested for a pupil with this flag."),
        "review_first": Boolean("True when the school should review the absence before any letter."),
        "when": Ref("when", WHEN),
        "priority": _positive("Order on the weekly action list (1 first)."),
        "action": _text("What to do this week for a pupil with this flag."),
    },
    required=("label", "description", "when"),
    wrong="should be a table with label, description and when.",
)

LETTER = Table(
    {
        "kind": Choice(LETTER_KINDS, "kind of letter"),
        "step": _positive("Higher is more serious; a pupil gets the highest step that applies."),
        "after": _text("The letter that must have been sent first."),
        "min_weeks_after": _positive("Weeks to wait after the earlier letter."),
        "repeat_after_weeks": _positive("Weeks before the letter may be sent again; without it, a letter is sent once."),
        "once_per_spell": Boolean("True: sent once while the stage or flag behind it holds, and again (after "
                                  "repeat_after_weeks) only when it has ended and begun again, so one "
                                  "improvement is thanked once."),
        "unauthorised_after": _positive("Sessions of unauthorised absence since the earlier letter (after) was "
                                        "sent before this letter can follow: the support offered has not worked."),
        "description": _text(),
        "source": _text(),
    },
    required=("kind", "step"),
    wrong="should be a table with kind and step.",
)

POLICY = Table(
    {
        "policy": Table(
            {
                "id": _text(),
                "name": _text(),
                "description": _text(),
                "source": _text(),
                "effective_from": Day(),
                "stage_word": _text("What the policy calls a stage, like \"Level\"."),
                "minimum_possible_sessions": Text(f"{_NAMED_THRESHOLD} in sessions."),
                "minimum_group_size": _positive("Cohort groups with fewer pupils are shown as 'fewer than N'."),
                "unexplained_limit": Text(f"{_NAMED_THRESHOLD} in school days within which an N mark must "
                                          "be resolved."),
            },
            required=("id", "name", "source", "minimum_possible_sessions"),
        ),
        "thresholds": Named(THRESHOLD, "Every figure the policy uses, by name.",
                            wrong="should be tables like [thresholds.persistent_absence]."),
        "stages": Rows(STAGE, min_items=1, label="id", wrong="there should be at least one stage."),
        "flags": Named(FLAG, required=NATIONAL_FLAGS,
                       missing="the national flag '{name}' is missing; every policy defines it.",
                       wrong="should be tables like [flags.persistent_absence]."),
        "lost_learning": Table({"lessons_per_day": _positive("Lessons in a school day."),
                                "school_days_per_year": _positive("School days in a year.")}),
        "term_dates": Table(
            {
                "description": _text(),
                "source": _text(),
                "days": _positive("School days in a year (190 in England)."),
                "end_month": Whole("The month whose last weekday ends the year when no terms are given (7: July).",
                                   1, 12, out_of_range="{value} is not a month; use 1 to 12 (7 is July)."),
                "closures": ListOf(Day(), "Days inside terms when the school is closed, such as bank holidays.",
                                   wrong="should be a list of dates with no quotes, like [2024-05-06]."),
                "terms": Rows(Table({"name": _text(), "start": Day(), "end": Day()}, required=("start", "end"),
                                    wrong="should be a table with name, start and end."),
                              wrong="should be tables, each starting with [[term_dates.terms]]."),
            },
            required=("description", "source"),
            description="The school year ahead, for saying what it takes a pupil to recover before it ends. "
                        "Without terms for a year: `days` school days ending on the last weekday of `end_month`.",
            wrong="should be a table with description, source and optionally days, end_month, closures and "
                  "[[term_dates.terms]].",
        ),
        "comparisons": Rows(
            Table({"label": _text(), "year": _text(), "source": _text(),
                   **{figure: _percentage() for figure in COMPARISON_FIGURES},
                   "phase": Choice(PHASES, "phase", "The school phase the figures are for; the results show the "
                                   "lines for the phase of the file's year groups.")},
                  required=("label", "year", "source")),
            "Published figures shown beside the school's own.",
            wrong="should be a list of tables, each starting with [[comparisons]].",
        ),
        "school_year": Table(
            {"starts": _day_of_year(), "description": _text(), "source": _text()},
            required=("starts", "description", "source"),
            description="When the school year starts, like \"1 September\".",
        ),
        "compulsory_school_age": Table(
            {
                "description": _text(),
                "starts_after_fifth_birthday_on": ListOf(_day_of_year(), min_items=1,
                                                         wrong="should be a list of days like [\"31 December\"]."),
                "start_source": _text(),
                "ends": Text(pattern=rf"^last ({'|'.join(WEEKDAYS)}) in ({'|'.join(MONTHS)})$", ignore_case=True,
                             wrong="should read like \"last Friday in June\", not '{value}'."),
                "end_source": _text(),
                "legal_flags": _texts("Flags not given to a pupil outside compulsory school age."),
                "legal_letters": _texts("Letters not suggested for a pupil outside compulsory school age."),
                "early_years_stage": Text("The id of a stage with no 'when', given to pupils below compulsory "
                                          "school age."),
            },
            required=("description", "starts_after_fifth_birthday_on", "start_source", "ends", "end_source",
                      "legal_flags", "legal_letters"),
            description="Compulsory school age from the date of birth; legal flags and letters are not given "
                        "outside it.",
        ),
        "letter_rules": Table(
            {
                "description": _text(),
                "source": _text(),
                "approved_absence_codes": ListOf(RegisterCode(codetable.AUTHORISED),
                                                 wrong="should be a list of register codes, like [\"C\", \"C2\"]."),
                "medical_codes": ListOf(RegisterCode(codetable.AUTHORISED),
                                        wrong="should be a list of register codes, like [\"I\", \"M\"]."),
            },
            required=("description", "source", "approved_absence_codes", "medical_codes"),
            description="Absence that needs a review before any concern or legal letter: codes the school "
                        "authorised, and illness or medical codes.",
            wrong="should be a table with description, source, approved_absence_codes and medical_codes.",
        ),
        "worklist": Table(
            {
                "close_after_weeks": _positive("School weeks a pupil must be below a stage, or without a flag, "
                                               "before the case closes: only then is a step down reported (and "
                                               "praised), and a stage or flag met again sooner is the same "
                                               "concern continuing, not a new one. 1 reports every change."),
                "step_down_at_close": Boolean("True when an open case keeps the highest stage it has reached "
                                              "until it closes: a step up is listed only to a stage higher "
                                              "than the case has reached before, and a step down only when "
                                              "the case closes (close_after_weeks at the first stage)."),
                "description": _text(),
                "source": _text(),
                "local_choice": Boolean("True when the figure is a local decision, not the law or national guidance."),
            },
            required=("close_after_weeks", "description", "source"),
            description="How the weekly worklist tells a change from a figure moving back and forth.",
            wrong="should be a table with close_after_weeks, description and source.",
        ),
        "letters": Named(LETTER, "Each letter's place in the sequence: [letters.concern-2] with kind, step, "
                                 "after, min_weeks_after and repeat_after_weeks.",
                         wrong="should be tables like [letters.concern-1]."),
    },
    required=("policy", "thresholds", "stages", "flags"),
    description="A graduated-approach policy: thresholds, stages and flags. "
                "Check it with `attendtoolkit policy check FILE`.",
)

DEFINITIONS = {"condition": CONDITION, "when": WHEN}
