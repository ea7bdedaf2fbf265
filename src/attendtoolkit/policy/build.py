"""From policy data that matches the spec to a Policy, with the checks a schema cannot express.

policy/spec.py has already checked every key's kind and range (and left out values of the wrong
kind); here each name is looked up (thresholds, flags, stages, letters), each threshold's unit is
checked against the measure that uses it, each measure's own keys are checked, and stages must get
more serious in order. Every problem goes to the same list, so all are reported at once.
"""

from __future__ import annotations

import difflib
from datetime import date

from attendtoolkit.policy import codes as codetable
from attendtoolkit.policy.check import Problems
from attendtoolkit.policy.model import (
    CompulsorySchoolAge, Condition, DayOfYear, Flag, LetterRule, LetterRules, Policy, Rule, SchoolYear, Stage,
    Term, TermDates, Threshold, WorklistRules,
)
from attendtoolkit.policy.measures import MEASURES
from attendtoolkit.policy.measures.shares import SHARES
from attendtoolkit.policy.spec import ABSENCE, COMPARES, COMPARISON_FIGURES, MONTHS, WEEKDAYS


def build_policy(data: dict, problems: Problems) -> Policy | None:
    """The policy in `data` (already checked against the spec), or None when `problems` has any."""
    return _Build(problems).policy(data)


def _takers(key: str) -> str:
    """Who takes a condition key, for a problem: `rolling_sessions takes`, `the percentage measures take`."""
    names = [m.name for m in MEASURES.values() if key in m.takes]
    if len(names) == 1:
        return f"{names[0]} takes"
    if names == [m.name for m in SHARES]:
        return "the percentage measures take"
    return f"{', '.join(names[:-1])} and {names[-1]} take"


class _Build:
    def __init__(self, problems: Problems):
        self.problems = problems

    def problem(self, where: str, message: str) -> None:
        self.problems.add(where, message)

    def policy(self, data: dict) -> Policy | None:
        meta = data.get("policy", {})
        thresholds = {name: Threshold(name, entry["value"], entry["unit"], entry["description"], entry["source"],
                                      entry.get("local_choice", False))
                      for name, entry in data.get("thresholds", {}).items()
                      if {"value", "unit", "description", "source"} <= entry.keys()}
        minimum = self.reference("[policy].minimum_possible_sessions", meta.get("minimum_possible_sessions"),
                                 thresholds, {"sessions"})
        unexplained = self.reference("[policy].unexplained_limit", meta.get("unexplained_limit"), thresholds,
                                     {"school days"})
        flags = self.flags(data.get("flags", {}), thresholds)
        age_table = data.get("compulsory_school_age")
        early_id = age_table.get("early_years_stage") if age_table else None
        stages = self.stages(data.get("stages", []), thresholds, flags, early_id)
        lost = data.get("lost_learning", {})
        comparisons = self.comparisons(data.get("comparisons", []))
        school_year = self.school_year(data.get("school_year"))
        term_dates = self.term_dates(data.get("term_dates", {}))
        age = self.compulsory_school_age(age_table, flags, stages)
        letter_rules = self.letter_rules(data.get("letter_rules"), data.get("letters", {}))
        if age is not None and school_year is None and "school_year" not in data:
            self.problem("[compulsory_school_age]", "needs a [school_year] table: the end of compulsory "
                         "school age depends on when the school year starts.")
        if self.problems.found:
            return None
        windows = sorted({c.weeks for r in _rules(stages, flags) for g in r.groups for c in g if c.weeks})
        return Policy(
            id=meta["id"], name=meta["name"], description=meta.get("description", ""),
            source=meta["source"], effective_from=meta.get("effective_from"),
            stage_word=meta.get("stage_word", "Stage"),
            minimum_possible_sessions=minimum, thresholds=thresholds,
            stages=[s for s in stages if s.id != early_id], flags=flags,
            lessons_per_day=lost.get("lessons_per_day", 5), school_days_per_year=lost.get("school_days_per_year", 190),
            minimum_group_size=meta.get("minimum_group_size", 5),
            comparisons=comparisons, origin=self.problems.source,
            windows=tuple(windows), school_year=school_year, compulsory_school_age=age, term_dates=term_dates,
            early_years=next((s for s in stages if age and s.id == age.early_years_stage), None),
            letter_rules=letter_rules, unexplained_limit=unexplained,
            worklist=WorklistRules(**data["worklist"]) if "worklist" in data else WorklistRules(),
        )

    def reference(self, where: str, name: str | None, thresholds: dict[str, Threshold],
                  units: set[str]) -> Threshold | None:
        if name is None:
            return None
        if name not in thresholds:
            if self.problems.found_in("[thresholds]") or self.problems.found_in(f"[thresholds.{name}]"):
                return None  # the threshold is there but has a problem of its own, already reported
            hint = difflib.get_close_matches(name, thresholds, n=1)
            suggestion = f" Did you mean '{hint[0]}'?" if hint else ""
            self.problem(where, f"there is no threshold called '{name}' in [thresholds].{suggestion}")
            return None
        threshold = thresholds[name]
        if threshold.unit not in units:
            self.problem(where, f"threshold '{name}' is in {threshold.unit}, but this needs {' or '.join(sorted(units))}.")
            return None
        return threshold

    def rule(self, where: str, groups: list[dict], thresholds, flag_names: set[str] | None) -> Rule:
        return Rule(tuple(
            tuple(c for j, item in enumerate(group.get("all", []), start=1)
                  if (c := self.condition(f"{where}[{i}].all[{j}]", item, thresholds, flag_names)) is not None)
            for i, group in enumerate(groups, start=1)
        ))

    def condition(self, where: str, item: dict, thresholds, flag_names) -> Condition | None:
        if "flag" in item:
            if flag_names is None:
                self.problem(where, "a flag cannot depend on another flag; use measures.")
            elif item["flag"] not in flag_names:
                self.problem(f"{where}.flag", f"there is no flag called '{item['flag']}'. Flags: {', '.join(sorted(flag_names))}.")
            extra = set(item) - {"flag"}
            if extra:
                self.problem(where, f"a flag condition takes only 'flag', not {', '.join(sorted(extra))}.")
            return Condition(measure="flag", flag=item.get("flag"))
        measure, compare = item.get("measure"), item.get("compare")
        for key in ("measure", "compare", "threshold"):
            if key not in item:
                self.problem(where, f"missing key '{key}'.")
        if measure not in MEASURES:
            return None
        takes, needs = MEASURES[measure].takes, MEASURES[measure].needs
        threshold = self.reference(f"{where}.threshold", item.get("threshold"), thresholds, MEASURES[measure].units)
        weeks = item.get("weeks")
        if weeks is not None and "weeks" not in takes:
            self.problem(f"{where}.weeks", f"'{measure}' does not take weeks.")
        if weeks is None and "weeks" in needs:
            self.problem(where, f"'{measure}' needs weeks: the recent school weeks to compare with the weeks before.")
        rolling = item.get("rolling_weeks")
        if "rolling_weeks" in needs and rolling is None:
            self.problem(where, f"{measure} needs rolling_weeks, the length of the rolling window in school weeks.")
        elif "rolling_weeks" not in takes and rolling is not None:
            self.problem(f"{where}.rolling_weeks", f"only {_takers('rolling_weeks')} rolling_weeks.")
        codes, what = self.code_set(where, item, measure)
        if "if_missed" in item and "if_missed" not in takes:
            self.problem(f"{where}.if_missed", f"only {_takers('if_missed')} if_missed.")
        first_weeks = item.get("first_weeks")
        if first_weeks is not None and ("first_weeks" not in takes or weeks is not None):
            self.problem(f"{where}.first_weeks", f"only {_takers('first_weeks')} first_weeks, and not together with weeks.")
        weeks_ago = item.get("weeks_ago")
        if weeks_ago is not None and ("weeks_ago" not in takes or weeks is not None):
            self.problem(f"{where}.weeks_ago", f"only {_takers('weeks_ago')} weeks_ago, and not with weeks.")
        days = self.weekdays(where, item, measure)
        if compare not in COMPARES or threshold is None:
            return None
        return Condition(measure, compare, threshold, weeks, codes, what, rolling, if_missed=item.get("if_missed", 0),
                         first_weeks=first_weeks, weeks_ago=weeks_ago, days=days)

    def weekdays(self, where: str, item: dict, measure: str) -> tuple[int, ...]:
        if "days" not in MEASURES[measure].takes:
            if "days" in item:
                self.problem(f"{where}.days", f"only {_takers('days')} days.")
            return ()
        if "days" not in item:
            self.problem(f"{where}.days", f"{measure} needs the weekdays to count, like "
                                          "days = [\"Monday\", \"Friday\"].")
            return ()
        return tuple(sorted({WEEKDAYS.index(n.capitalize()) for n in item["days"] if n.capitalize() in WEEKDAYS}))

    def code_set(self, where: str, item: dict, measure: str) -> tuple[frozenset[str], str]:
        if "codes" not in MEASURES[measure].takes:
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
                return frozenset(), ""
            return codetable.codes_in(category), f"sessions of {codetable.CATEGORY_LABELS[category].lower()}"
        found = [code.code for c in item["codes"] if (code := codetable.lookup(c)) is not None]
        if not found:
            return frozenset(), ""
        listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " or " + found[-1]
        return frozenset(found), f"sessions coded {listed}"

    def flags(self, table: dict, thresholds) -> dict[str, Flag]:
        found = {}
        for name, entry in table.items():
            where = f"[flags.{name}]"
            if "priority" in entry and not entry.get("action"):
                self.problem(where, "a flag with a priority needs an action: what to do this week.")
            found[name] = Flag(name, entry.get("label", ""), entry.get("description", ""),
                               self.rule(f"{where}.when", entry.get("when", []), thresholds, None),
                               tuple(entry.get("letters", ())), entry.get("review_first", False),
                               entry.get("priority"), entry.get("action", ""))
        return found

    def stages(self, items: list[dict], thresholds, flags, early_id: str | None = None) -> list[Stage]:
        stages, seen, ladder = [], set(), 0
        for i, entry in enumerate(items, start=1):
            stage_id = entry.get("id")
            where = f"[[stages]] '{stage_id}'" if stage_id is not None else f"[[stages]] number {i}"
            if stage_id in seen:
                self.problem(f"{where}.id", f"stage '{stage_id}' appears twice; ids must be different.")
            seen.add(stage_id)
            rule = self.rule(f"{where}.when", entry["when"], thresholds, set(flags)) if "when" in entry else None
            if stage_id != early_id or early_id is None:  # the early-years stage is given by age
                ladder += 1
                if "when" not in entry and ladder > 1:
                    self.problem(where, "only the first stage may have no 'when' conditions: it is the stage "
                                        "everyone starts at.")
                if ladder == 1 and "when" in entry:
                    self.problem(where, "the first stage is where every pupil starts, so it takes no 'when' "
                                        "conditions.")
            stages.append(Stage(
                id=stage_id or "", name=entry.get("name", ""), summary=entry.get("summary", ""),
                responsibility=entry.get("responsibility", ""), actions=tuple(entry.get("actions", ())),
                evidence=tuple(entry.get("evidence", ())), step_up=entry.get("step_up", ""),
                step_down=entry.get("step_down", ""), rule=rule, letters=tuple(entry.get("letters", ())),
                review_after_weeks=entry.get("review_after_weeks"), escalate_after_weeks=entry.get("escalate_after_weeks"),
            ))
        self.check_order(stages)
        return stages

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

    def letter_rules(self, table: dict | None, letters: dict) -> LetterRules:
        rules = LetterRules()
        if table is not None:
            rules = LetterRules(_authorised(table.get("approved_absence_codes", [])),
                                _authorised(table.get("medical_codes", [])),
                                table.get("description", ""), table.get("source", ""))
        found = {}
        for name, entry in letters.items():
            where = f"[letters.{name}]"
            after = entry.get("after")
            if after is not None and after not in letters:
                self.problem(f"{where}.after", f"there is no [letters.{after}] table; the letter that comes first "
                                               "must be described too.")
            for key in ("min_weeks_after", "unauthorised_after"):
                if key in entry and after is None:
                    self.problem(f"{where}.{key}", f"only a letter with 'after' can have {key}: it is counted from "
                                                   "the earlier letter.")
            found[name] = LetterRule(name, entry.get("kind", "concern"), entry.get("step", 1), after,
                                     entry.get("min_weeks_after", 0), entry.get("repeat_after_weeks"),
                                     entry.get("once_per_spell", False), entry.get("unauthorised_after", 0))
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

    def day_of_year(self, where: str, value: str) -> DayOfYear | None:
        """`1 September` as a DayOfYear; the spec has checked the form, so only a day the month lacks is left."""
        day, month = value.split()
        month_number = MONTHS.index(month.capitalize()) + 1
        try:
            date(2024, month_number, int(day))  # 2024 is a leap year: 29 February is allowed
        except ValueError:
            self.problem(where, f"{value} is not a day of the year.")
            return None
        return DayOfYear(month_number, int(day))

    def school_year(self, table: dict | None) -> SchoolYear | None:
        if table is None or "starts" not in table or self.problems.found_in("[school_year]"):
            return None
        starts = self.day_of_year("[school_year].starts", table["starts"])
        return SchoolYear(starts, table.get("description", ""), table.get("source", "")) if starts else None

    def term_dates(self, table: dict) -> TermDates:
        if not table:
            return TermDates()
        terms = []
        for i, entry in enumerate(table.get("terms", []), start=1):
            where = f"[[term_dates.terms]] number {i}"
            start, end = entry.get("start"), entry.get("end")
            if start is None or end is None:
                continue
            if end < start:
                self.problem(where, f"ends ({end}) before it starts ({start}).")
                continue
            terms.append(Term(entry.get("name", ""), start, end))
        terms.sort(key=lambda t: t.start)
        for earlier, later in zip(terms, terms[1:]):
            if later.start <= earlier.end:
                self.problem("[[term_dates.terms]]", f"terms overlap: {earlier.start} to {earlier.end} and "
                                                     f"{later.start} to {later.end}.")
        return TermDates(days=table.get("days", 190), end_month=table.get("end_month", 7),
                         description=table.get("description", ""), source=table.get("source", ""),
                         terms=tuple(terms), closures=frozenset(table.get("closures", ())))

    def compulsory_school_age(self, table: dict | None, flags: dict, stages: list) -> CompulsorySchoolAge | None:
        if table is None:
            return None
        where = "[compulsory_school_age]"
        for name in table.get("legal_flags", ()):
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
        if self.problems.found_in(where) or not {"starts_after_fifth_birthday_on", "ends"} <= table.keys():
            return None
        start_days = [self.day_of_year(f"{where}.starts_after_fifth_birthday_on", d)
                      for d in table["starts_after_fifth_birthday_on"]]
        _last, weekday, _in, month = table["ends"].split()
        if None in start_days:
            return None
        return CompulsorySchoolAge(
            tuple(start_days), table.get("start_source", ""), WEEKDAYS.index(weekday.capitalize()),
            MONTHS.index(month.capitalize()) + 1, table.get("end_source", ""), table.get("description", ""),
            tuple(table.get("legal_flags", ())), tuple(table.get("legal_letters", ())), early)

    def comparisons(self, items: list[dict]) -> list[dict]:
        for i, item in enumerate(items, start=1):
            if not any(k in item for k in COMPARISON_FIGURES):
                self.problem(f"[[comparisons]] number {i}", f"give at least one figure: {', '.join(COMPARISON_FIGURES)}.")
        return [dict(item) for item in items]


def _authorised(codes: list[str]) -> frozenset[str]:
    found = (codetable.lookup(raw) for raw in codes)
    return frozenset(code.code for code in found if code is not None and code.category == codetable.AUTHORISED)


def _rules(stages: list[Stage], flags: dict[str, Flag]) -> list[Rule]:
    return [s.rule for s in stages if s.rule] + [f.rule for f in flags.values()]
