"""Classification: a pure function of (register, policy, as-of date) giving stages, flags and reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from attendtoolkit.read.dates import long_date, parse_date
from attendtoolkit.in_parts import each_part
from attendtoolkit.engine.metrics import Calendar, Counts, PupilMetrics
from attendtoolkit.policy.measures import MEASURES, Outcome
from attendtoolkit.policy.measures.base import format_pct, since
from attendtoolkit.policy.model import Condition, Policy, Rule
from attendtoolkit.read.model import Register
from attendtoolkit.engine.suggest import review_first_reason
from attendtoolkit.engine.recovery import ahead_of, first_name, pupil_recovery, targets
from attendtoolkit.words import agreeing, counted

NOT_ENOUGH_DATA = "not_enough_data"
NOT_ASSESSABLE = "not_assessable"  # a later stage's rule needs what the file does not have (session dates)
RESERVED_STAGES = (NOT_ENOUGH_DATA, NOT_ASSESSABLE)
PENALTY_FLAG = "penalty_notice_threshold"
HEADLINE_FLAGS = ("persistent_absence", "severe_absence")  # the national measures on the summary cards
PROGRESS_EVERY = 100  # pupils classified between progress calls


@dataclass
class PupilResult:
    pupil_id: str
    details: dict[str, str]
    metrics: PupilMetrics
    stage: str
    stage_name: str
    flags: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    not_assessable: list[str] = field(default_factory=list)
    penalty_threshold_date: date | None = None
    review_first: bool = False  # all absence authorised by the school or medical: no warning letter until someone looks
    age: dict | None = None  # compulsory school age from the date of birth: status, from, until
    withheld_letters: tuple[str, ...] = ()  # legal letters not given outside compulsory school age
    recovery: dict = field(default_factory=dict)  # the way back: see engine/recovery.py


@dataclass
class Result:
    register: Register
    policy: Policy
    as_of: date | None
    pupils: list[PupilResult]
    warnings: list[str]
    vectorised: bool = False  # rules checked for all pupils at once (numpy): the history is too
    weeks: tuple | None = None  # vectorised: pupils x school weeks numpy arrays of sessions attended and possible

    def totals(self) -> Counts:
        return Counts.total(p.metrics.counts for p in self.pupils)


def classify(register: Register, policy: Policy, as_of: date | None = None, progress=None,
             vectorised: bool = False, workers: int = 1) -> Result:
    """Stage, flags and reasons for every pupil in the register, as at `as_of` (default: last date).

    `vectorised` checks the rules for all pupils at once with numpy first (engine/batch.py), so
    that only the rules met are checked again, with their sentences (the same result, faster).

    `progress(step, done, total, partial)`, if given, is called first with step "headline" and a
    Result whose pupils have only the headline flags (the summary cards' figures, shown while the
    rest is worked out), then with step "classified" every PROGRESS_EVERY pupils. Without `progress`,
    `workers` > 1 classifies parts of the pupils in that many processes at once (in_parts.py)."""
    warnings = list(register.warnings)
    if register.shape == "summary":
        calendar = None
    else:
        last = register.last_date()
        as_of = as_of or last or date.today()
        calendar = Calendar.from_register(register, as_of)
        later = 0 if last is None or last <= as_of else register.grid.marks_after(as_of.toordinal())
        if later:
            warnings.append(f"{counted(later, 'session')} after the as-of date ({long_date(as_of)}) "
                            f"{agreeing(later, 'was', 'were')} not counted.")
    listed = list(register.pupils.values())
    metrics: list[PupilMetrics | None] = [None] * len(listed)  # made where each part is classified

    def metric(i: int) -> PupilMetrics:
        m = metrics[i]
        if m is None:
            m = metrics[i] = PupilMetrics(listed[i], calendar, as_of)
        return m

    def every_metric() -> None:
        """Each pupil's figures made, where not made yet."""
        for i in range(len(listed)):
            metric(i)
    known = [{}] * len(metrics)
    if progress is not None:
        every_metric()
        known = _headline_flags(metrics, policy)
        partial = [PupilResult(m.pupil.pupil_id, m.pupil.details, m, "", "", [n for n, (met, _) in k.items() if met])
                   for m, k in zip(metrics, known)]
        progress("headline", 0, len(metrics), Result(register, policy, as_of, partial, warnings))
    batched = vectorised and calendar is not None and bool(metrics)
    ahead, found = ahead_of(policy, as_of, calendar), targets(policy)
    unmet = _met_by_no_one(policy, calendar, as_of) if calendar is not None else {}

    def one(i: int, decided: dict[str, bool]) -> PupilResult:
        p = _classify_pupil(metric(i), policy, as_of, known[i], decided)
        p.recovery = pupil_recovery(p.metrics, policy, ahead, first_name(p.details), found)
        if p.recovery["sentence"]:
            p.reasons.append(f"Way back: {p.recovery['sentence']}")
        # what is kept while classifying is quick to make again: 230,000 pupils held 0.4 GB; the small figures
        # the pupil's results ask for again are kept too (1 KB a pupil), but not for a council's (batched)
        p.metrics.forget(figures=batched)
        return p

    def batch_of(part: range):
        """The part's rules met and sessions by week, at once (engine/batch.py); None unless batched."""
        if not batched:
            return None
        from attendtoolkit.engine.batch import checked
        return checked(calendar, [listed[i].pupil_id for i in part], policy, as_of)

    def classified(part: range, report=None) -> tuple[list[PupilResult], tuple | None]:
        """The part's pupils and its sessions by week; `report(done)` after each pupil."""
        batch = batch_of(part)
        decided = batch.decided if batch else [unmet] * len(part)
        made = []
        for i, d in zip(part, decided):
            made.append(one(i, d))
            if report is not None:
                report(len(made))
        return made, (batch.attended, batch.possible) if batch else None

    def handed_back(part: range) -> tuple[list[PupilResult], tuple | None]:
        """classified, without the pupils' figures: the process that asked for them has them."""
        made, weeks = classified(part)
        return [_without_metrics(p) for p in made], weeks

    def report(done: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == len(metrics):
            progress("classified", done, len(metrics), None)
    if workers > 1 and progress is None:  # each part checked and classified in its own process
        # the other parts' figures are made here while their processes finish (those are slower: they hand back)
        parts = each_part(range(len(metrics)), handed_back, workers, meanwhile=every_metric)
    else:
        parts = [classified(range(len(metrics)), None if progress is None else report)]
    pupils = [p for made, _weeks in parts for p in made]
    for p, m in zip(pupils, metrics):
        p.metrics = m
    weeks = None
    if batched:
        import numpy as np  # batched only where numpy is (the pandas engine)
        weeks = tuple(np.concatenate([w[k] for _made, w in parts]) for k in (0, 1))
    return Result(register, policy, as_of, pupils, warnings, vectorised, weeks)


def _met_by_no_one(policy: Policy, calendar: Calendar, as_of: date) -> dict[str, bool]:
    """Flag name or stage id -> False for each rule the calendar alone says no pupil meets (in each
    of its groups a condition no pupil meets, as an early-year signal after the first weeks of the
    year): decided once, not checked for every pupil."""
    rules = [(f.name, f.rule) for f in policy.flags.values()] + [(s.id, s.rule) for s in policy.stages if s.rule]
    return {name: False for name, rule in rules if rule.groups and all(
        any(c.measure != "flag" and MEASURES[c.measure].never_met(c, calendar, policy, as_of) for c in group)
        for group in rule.groups)}


def _without_metrics(p: PupilResult) -> PupilResult:
    """The result without the pupil's figures, which the process that asked for it already has."""
    p.metrics = None
    return p


def _headline_flags(metrics: list[PupilMetrics], policy: Policy) -> list[dict[str, tuple]]:
    """Per pupil, flag name -> (met, sentences) for the headline flags, checked as classification
    checks them (a legal flag depends on the pupil's age, so it is left to classification)."""
    legal = set(policy.compulsory_school_age.legal_flags) if policy.compulsory_school_age else set()
    flags = [policy.flags[name] for name in HEADLINE_FLAGS if name in policy.flags and name not in legal]
    return [{f.name: _check_rule(f.rule, m, policy, set()) for f in flags} for m in metrics]


def _age(m: PupilMetrics, policy: Policy, as_of: date | None) -> tuple[dict | None, str | None]:
    """(status, reason) of compulsory school age on the as-of date, from the date of birth."""
    rules, text = policy.compulsory_school_age, m.pupil.details.get("date_of_birth", "")
    if rules is None or not text:
        return None, None
    age, problem = _age_of_birth_date(rules, policy.school_year, text, as_of)
    return (dict(age) if age else None), problem  # a pupil's own copy


@lru_cache(maxsize=1 << 16)
def _age_of_birth_date(rules, school_year, text: str, as_of: date | None) -> tuple[dict | None, str | None]:
    """_age for a date of birth as written: worked out once for all the pupils born on the same day
    (a council's 230,000 pupils have a few thousand birthdays)."""
    born = parse_date(text)
    if born is None:
        return None, (f"Compulsory school age was not checked: the date of birth '{text}' is not a date "
                      "(write it like 14/03/2019 or 2019-03-14).")
    if as_of is None:
        return None, "Compulsory school age was not checked: a summary file needs an as-of date (--as-of)."
    start, end = rules.starts(born), rules.ends(born, school_year)
    status = "below" if as_of < start else "over" if as_of > end else "of"
    return {"status": status, "from": start.isoformat(), "until": end.isoformat()}, None


def _age_reason(age: dict, withheld: list[str], policy: Policy) -> str:
    rules = policy.compulsory_school_age
    start, end = date.fromisoformat(age["from"]), date.fromisoformat(age["until"])
    names = f" ({', '.join(withheld)})" if withheld else ""
    if age["status"] == "below":
        return (f"Legal measures not given{names}: the pupil is below compulsory school age until "
                f"{long_date(start)} (the term after the fifth birthday). Source: {rules.start_source}")
    return (f"Legal measures not given{names}: the pupil stopped being of compulsory school age after "
            f"{long_date(end)} ({rules.ends_shown()} of the school year they turned 16). "
            f"Source: {rules.end_source}")


def _classify_pupil(m: PupilMetrics, policy: Policy, as_of: date | None = None,
                    known: dict[str, tuple] | None = None, decided: dict[str, bool] | None = None) -> PupilResult:
    """`known`: flag name -> (met, sentences) already checked (the headline flags); `decided`: flag
    name or stage id -> whether its rule is met (engine/batch.py), so a rule not met is not checked again."""
    decided = decided or {}
    result = PupilResult(m.pupil.pupil_id, dict(m.pupil.details), m, "", "")
    age, problem = _age(m, policy, as_of or m.as_of)
    result.age = age
    if problem:
        result.reasons.append(problem)
    legal = set(policy.compulsory_school_age.legal_flags) if age else set()
    legal_m = m
    if age and age["status"] == "of" and m.dated:
        legal_m = m.between(date.fromisoformat(age["from"]), date.fromisoformat(age["until"]))
        if legal_m.counts.possible != m.counts.possible:
            result.reasons.append(f"Legal measures count only sessions from {long_date(date.fromisoformat(age['from']))}, "
                                  "when the pupil reached compulsory school age.")
    withheld = []
    for flag in policy.flags.values():
        if flag.name in legal and age["status"] != "of":
            withheld.append(flag.label)
            continue
        if known and flag.name in known:
            met, sentences = known[flag.name]
        elif decided.get(flag.name) is False and (flag.name not in legal or legal_m is m):
            continue  # a legal flag's decision holds when its figures are the pupil's (engine/batch.py)
        else:
            met, sentences = _check_rule(flag.rule, legal_m if flag.name in legal else m, policy, set())
        if met:
            result.flags.append(flag.name)
            result.reasons.extend(f"{flag.label}: {s}" for s in sentences)
        elif met is None:
            result.not_assessable.append(flag.name)
            result.reasons.append(f"{flag.label} could not be checked: {sentences[0]}")
    if PENALTY_FLAG in result.flags:
        result.penalty_threshold_date = _penalty_date(policy, legal_m if PENALTY_FLAG in legal else m)
    outside_age = bool(age) and age["status"] != "of"
    if outside_age:
        result.withheld_letters = policy.compulsory_school_age.legal_letters
        result.reasons.append(_age_reason(age, withheld, policy))

    minimum = policy.minimum_possible_sessions
    if outside_age and age["status"] == "below" and policy.early_years:
        stage = policy.early_years
        result.stage, result.stage_name = stage.id, stage.name
        result.reasons.insert(0, f"{policy.stage_label(stage)}: below compulsory school age until "
                                 f"{long_date(date.fromisoformat(age['from']))}; attendance "
                                 f"{format_pct(m.counts.attendance_pct)} of {m.counts.possible} possible sessions.")
        return result
    if m.counts.possible < minimum.value:
        result.stage, result.stage_name = NOT_ENOUGH_DATA, "Not enough data yet"
        result.reasons.insert(0, (
            f"Not enough data yet: {counted(m.counts.possible, 'possible session')}{since(m)}; "
            f"a {policy.stage_word.lower()} is given from {minimum.value:g} possible sessions."))
        return result
    ladder = policy.stages
    chosen, why, unknown = ladder[0], [], []
    for stage in reversed(ladder[1:]):
        if decided.get(stage.id) is False:
            continue
        met, sentences = _check_rule(stage.rule, m, policy, set(result.flags))
        if met:
            chosen, why = stage, sentences
            break
        if met is None:
            unknown.append(stage.id)
            result.not_assessable.append(stage.id)
            result.reasons.append(f"{policy.stage_word} {stage.id} could not be checked: {sentences[0]}")
    if unknown:  # a higher stage might apply: do not fall back to a lower one
        word = policy.stage_word.lower()
        where = "a summary" if not m.dated else "this file"
        result.stage, result.stage_name = NOT_ASSESSABLE, f"Not assessable from {where}"
        ids = sorted(unknown)
        listed = ids[0] if len(ids) == 1 else f"{word}s {', '.join(ids[:-1])} and {ids[-1]}"
        listed = f"{word} {listed}" if len(ids) == 1 else listed
        result.reasons.insert(0, (
            f"Not assessable from {where}: the rules for {listed} need "
            f"{'session dates' if not m.dated else 'weeks the file does not have'}. "
            f"Attendance {format_pct(m.counts.attendance_pct)} of {m.counts.possible} possible sessions; "
            "flags that use the year so far are still given."))
        return result
    result.stage, result.stage_name = chosen.id, chosen.name
    review = review_first_reason(m.tally, m.counts.absent, policy.letter_rules)
    result.review_first = review is not None
    if review:
        result.reasons.append(review)
    label = policy.stage_label(chosen)
    if why:
        result.reasons[:0] = [f"{label}: {s}" for s in why]
    else:
        attendance = format_pct(m.counts.attendance_pct)
        result.reasons.insert(0, f"{label}: attendance {attendance} of {m.counts.possible} possible "
                                 f"sessions{since(m)}; no later {policy.stage_word.lower()} applies.")
    return result


def _check_rule(rule: Rule, m: PupilMetrics, policy: Policy, flags: set[str]) -> tuple[bool | None, list[str]]:
    """(met, sentences): sentences explain the first group met, or why the rule could not be checked.

    Conditions are checked without words first, and a group's checks stop at its first condition
    not met; sentences are written only for the group that decides."""
    unknown: list[Condition] = []
    for group in rule.groups:
        found = []
        for c in group:
            met = _check(c, m, policy, flags, words=False).met
            if met is not None and not met:
                break  # the group is not met, whatever the rest say
            found.append(met)
        else:
            if all(found):
                return True, [_check(c, m, policy, flags).sentence for c in group]
            unknown = [c for c, met in zip(group, found) if met is None]
    return (None, [_check(c, m, policy, flags).sentence for c in unknown]) if unknown else (False, [])


def _check(c: Condition, m: PupilMetrics, policy: Policy, flags: set[str], words: bool = True) -> Outcome:
    """Whether the condition is met (None: the file cannot tell), with the sentence saying why
    (left empty when `words` is false). Each measure works itself out (policy/measures/)."""
    if c.measure == "flag":
        return Outcome(c.flag in flags, f"{policy.flags[c.flag].label} flag is set." if words else "")
    measure = MEASURES[c.measure]
    if not m.dated and (c.weeks or c.first_weeks or c.weeks_ago or measure.dated):
        return Outcome(None, "it needs session dates, which a summary file does not have.")
    if not measure.reads_counts:
        return measure.check(c, m, policy, None, None, words)
    window = m.window(c.weeks)
    counts = m.before(c.weeks_ago) if c.weeks_ago else window.counts
    return measure.check(c, m, policy, window, counts, words)


def _penalty_date(policy: Policy, m: PupilMetrics) -> date | None:
    for group in policy.flags[PENALTY_FLAG].rule.groups:
        for c in group:
            if c.measure == "rolling_sessions":
                return m.rolling(c.codes, c.rolling_weeks).reached_now(int(c.threshold.value))
    return None

