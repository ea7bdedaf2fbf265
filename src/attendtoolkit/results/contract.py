"""The classification as JSON and CSV: the contract shared by the CLI, the browser and the tests."""

from __future__ import annotations

from collections import Counter
from datetime import date

from attendtoolkit.engine.history import (comparison_week, pupil_history, unresolved_n, week_end, weekly_counts,
                                         year_week_spans)
from attendtoolkit.engine.worklist import Change, Worklist
from attendtoolkit.engine.classify import HEADLINE_FLAGS, NOT_ASSESSABLE, RESERVED_STAGES, Result
from attendtoolkit.engine.cohorts import cohorts_and_trend, group_figures
from attendtoolkit.engine.phase import school_phase
from attendtoolkit.engine.metrics import lost_learning, percent
from attendtoolkit.policy.facts import recent_weeks
from attendtoolkit.policy.model import WEEKDAYS
from attendtoolkit.policy.national import comparison_phases, national_comparisons, national_not_shown
from attendtoolkit.gc_paused import gc_paused
from attendtoolkit.engine.suggest import PRAISE, Sent, letter_reason, suggest_letter
from attendtoolkit.read.dates import long_date
from attendtoolkit.results import indented_json
from attendtoolkit.results.forked import made_in_parts
from attendtoolkit.results.indented_json import Later, Stream, settled
from attendtoolkit.words import agreeing, counted, listed

SCHEMA_VERSION = 1
RECENT_WEEKS = recent_weeks()["pupil_results"].value  # each pupil's last school weeks, beside the year so far


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def pupil_json(p, policy, as_of=None, log=None, titles: dict[str, str] | None = None, history=None,
               overdue: list[dict] | None = None) -> dict:
    m = p.metrics
    sent = [Sent(s.letter, s.day) for s in log.sent(p.pupil_id, as_of)] if log else []
    began = ({name: date.fromordinal(m.calendar.mondays[w]) for name, w in history.spells_began(p.stage, p.flags).items()}
             if history and sent else {})  # only a letter already sent is measured against a spell
    letters = suggest_letter(p.stage, p.flags, p.review_first, policy, p.withheld_letters, sent, as_of, titles, began,
                             m.unauthorised_after)
    counts = m.counts.as_json()
    codes = dict(sorted(m.tally.items()))
    run = m.continuous_absence()
    lost = lost_learning(m.counts.absent, policy.lessons_per_day)
    return {
        "pupil_id": p.pupil_id,
        "details": p.details,
        **counts,
        "days_missed": lost["days"],
        "weeks_missed": lost["weeks"],
        "lessons_missed": lost["lessons"],
        "first_date": _iso(m.first_possible_date()),
        "continuous_absence_days": run[0] if run else None,
        "continuous_absence_start": _iso(run[1]) if run else None,
        "penalty_threshold_date": _iso(p.penalty_threshold_date),
        "windows": {str(w): win.as_json() for w in policy.windows if (win := m.window(w))},
        "recent_attendance_pct": recent.counts.attendance_pct if (recent := m.window(RECENT_WEEKS)) else None,
        "stage": p.stage,
        "stage_name": p.stage_name,
        "flags": p.flags,
        "reasons": p.reasons,
        "not_assessable": p.not_assessable,
        "codes": codes,
        "letters": letters.letters,
        "letter_notes": letters.notes,
        "letter_why": letter_reason(letters.origin, p.stage, p.flags, p.reasons, policy),
        "letters_sent": [{"letter": s.letter, "date": s.day.isoformat()} for s in sent],
        "review_first": p.review_first,
        "compulsory_school_age": p.age,
        "recovery": p.recovery,
        "stage_history": _stage_history(history, m.calendar) if history else [],
        "since": _since(history, m.calendar) if history else None,
        "unresolved_n": overdue or [],
        **_pattern(m),
        "weekly": _weekly(m),
        "previous": None,  # the same week last year, when last year's register is given (results/previous.py)
    }


def _weekly(m) -> dict | None:
    """Sessions possible and attended in each school week of the trend (its "weeks"), for the pupil's
    sparkline; None for a summary file."""
    if not m.dated:
        return None
    attended, possible = weekly_counts(m).by_week()
    return {"possible": possible, "attended": attended}


def _pattern(m) -> dict:
    """Absent sessions by weekday and next to weekends and holidays (None for a summary file)."""
    found = m.absence_pattern(None)
    if found is None:
        return {"absence_by_weekday": None, "absence_next_to_break": None}
    _absent, by_day, near = found
    return {"absence_by_weekday": dict(zip(WEEKDAYS, by_day)), "absence_next_to_break": near}


def _stage_history(history, calendar) -> list[dict]:
    """The stage from each school week in which it changed: the first week, then every step."""
    weeks, stages = calendar.monday_texts, history.stages
    return [{"week": weeks[w], "stage": stage} for w, (before, stage) in enumerate(zip([None] + stages, stages))
            if stage != before]


def _since(history, calendar) -> dict:
    """The week beginning in which the current stage and each current flag began to hold, unbroken."""
    weeks = calendar.monday_texts
    return {"stage": weeks[history.stage_since], "flags": {f: weeks[w] for f, w in history.flag_since.items()}}


class LetterCounts:
    """How many of each letter are suggested, and for how many pupils a concern letter's concern
    began by the comparison date, counted a pupil at a time."""

    def __init__(self, policy, since: date | None):
        self.policy, self.since = policy, since
        self.suggested: Counter = Counter()
        self.began_before = 0

    def part(self) -> tuple:
        """What was counted, for `merge` in another process."""
        return self.suggested, self.began_before

    def merge(self, part: tuple) -> None:
        suggested, began_before = part
        self.suggested.update(suggested)
        self.began_before += began_before

    def add(self, pupil: dict) -> None:
        if not pupil["letters"]:  # most pupils
            return
        self.suggested.update(pupil["letters"])
        concern = any(self.policy.letter_rules.rule(n).kind != PRAISE for n in pupil["letters"])
        if concern and _began_by(pupil, self.since, self.policy):
            self.began_before += 1


def letter_log_json(log, titles: dict[str, str] | None, policy, counts: LetterCounts) -> dict:
    """Which letter log was read, what that means for the letters suggested, and how many of each
    letter are suggested (`suggested`), from the pupils' letters as `counts` gathered them."""
    since = counts.since
    title = lambda n: (titles or {}).get(n, n)  # noqa: E731
    suggested = dict(counts.suggested.most_common())
    if log is not None:
        n = len(log.rejected)
        unused = (f" {counted(n, 'row')} of it {agreeing(n, 'was', 'were')} not used: the warnings (on the calculator's "
                  "page, Things to check) say which and why." if n else "")
        return {**log.as_json(), "note": f"Letters already sent are read from {log.source}.{unused}",
                "suggested": suggested}
    first = [n for n, rule in policy.letter_rules.letters.items() if rule.after is None]
    shown = ", ".join(f"'{title(n)}'" for n in first)
    note = ("No letter log was given, so only letters that need no earlier letter are suggested"
            + (f" ({shown})" if shown else "") + ".")
    concern = {n: k for n, k in suggested.items() if policy.letter_rules.rule(n).kind != PRAISE}
    if concern:
        named = listed([f"{k:,} '{title(n)}'" for n, k in concern.items()])
        before = counts.began_before
        note += (f" Suggested now: {named}."
                 + (f" For {before:,} of these pupils the concern began by {long_date(since)}, so your school may "
                    "have written to them already." if before and since else "")
                 + " The toolkit knows only the letters in a log: if you have written to families before, list "
                 "those letters in a letter log (pupil_id, letter, date) and add it, so that no family gets a first "
                 "letter twice and the next letter in each sequence is suggested.")
    else:
        note += " Add the log of letters already sent to get the next letter in each sequence."
    return {"file": None, "rows": 0, "letters": 0, "rejected": [], "note": note, "suggested": suggested}



def _began_by(pupil: dict, since: date | None, policy) -> bool:
    """Whether the pupil's stage (above the first) or a current flag on the worklist began by `since`."""
    if since is None or not pupil.get("since"):
        return False
    began = [day for name, day in pupil["since"]["flags"].items() if policy.flags[name].priority is not None]
    if pupil["stage"] != policy.stages[0].id:
        began.append(pupil["since"]["stage"])
    return any(date.fromisoformat(day) <= since for day in began)


def _histories(result: Result, since: date | None):
    """A function giving, for a part of the pupils, a function giving (history, unresolved N marks,
    Change) for each pupil of that part, and the comparison date; Nones for a summary file. The
    pandas engine checks a part's rules at every week at once (engine/batch.py) when the part is
    asked for, so each process making a part of the pupils (results/forked.py) checks its own."""
    policy = result.policy
    calendar = next((p.metrics.calendar for p in result.pupils if p.metrics.calendar), None)
    if calendar is None or not calendar.mondays:
        return lambda _pupils: lambda p: (None, None, None), None
    spans = year_week_spans(policy, calendar, result.as_of)
    now, then = len(calendar.mondays) - 1, comparison_week(calendar, since)
    then_day = week_end(calendar, then)
    limit = policy.unexplained_limit

    def of_part(pupils: list):
        wanted = [p for p in pupils
                  if p.stage != NOT_ASSESSABLE and not (policy.early_years and p.stage == policy.early_years.id)]
        pasts = [None] * len(wanted)
        if result.vectorised and wanted:
            from attendtoolkit.engine.batch import past_weeks
            pasts = past_weeks(calendar, [p.pupil_id for p in wanted], policy, spans, [p.stage for p in wanted])
            for p, past in zip(wanted, pasts):  # each pupil's weekly figures and pattern from the same totals
                weekly_counts(p.metrics, past.running)
                p.metrics.counted_pattern(past.absence_pattern())
        past_of = {id(p): past for p, past in zip(wanted, pasts)}

        def of(p):
            if id(p) not in past_of:
                return None, None, None
            history = pupil_history(p.metrics, p.stage, p.flags, policy, spans, past_of.pop(id(p)))
            overdue = unresolved_n(p.metrics, int(limit.value), then_day) if limit else []
            return history, overdue, Change(history, then, now, calendar.mondays)
        return of
    return of_part, then_day or since


def result_json(result: Result, letter_log=None, titles: dict[str, str] | None = None,
                since: date | None = None, phase: str | None = None) -> dict:
    """The results contract. `letter_log`: letters already sent (read/letter_log.py); `titles`:
    letter name -> title, so people see titles; `since`: the date the worklist compares with
    (default: the end of the school week before the as-of date's); `phase`: the school phase for the
    national comparison (primary, secondary, special, all; default: from the pupils' year groups)."""
    return settled(streamed_result(result, letter_log, titles, since, phase, stream=False))


def streamed_result(result: Result, letter_log=None, titles: dict[str, str] | None = None,
                    since: date | None = None, phase: str | None = None, stream: bool = True,
                    workers: int = 1) -> dict:
    """result_json's contract with each pupil's results made as write_json writes them (a Stream)
    and the worklist and letter counts worked out after (Later): a council's pupils are then never
    all held as JSON at once. With `stream` false the pupils are a list, made first. `workers` > 1
    makes the streamed pupils on that many cores at once (results/forked.py), the same text. A
    pupil's figures are whole numbers or shares of a whole that is not 0: never NaN or infinity
    (finite, so orjson may write them)."""
    policy = result.policy
    totals = _totals(result)
    histories_of, then_day = _histories(result, since)
    work, letters = Worklist(policy, titles, then_day), LetterCounts(policy, then_day)

    groups_and_trend = Later(lambda: cohorts_and_trend(result))
    if result.weeks is None:  # made from each pupil's weekly counts: before `made` forgets them
        groups_and_trend.value()

    def made(pupils):
        history_of = histories_of(pupils)
        for p in pupils:
            h, n, change = history_of(p)
            pupil = pupil_json(p, policy, result.as_of, letter_log, titles, h, n)
            work.add(pupil, change)
            letters.add(pupil)
            p.metrics.forget()
            yield pupil

    def merge(part):
        work.merge(part[0])
        letters.merge(part[1])
    if not stream:
        pupils = list(made(result.pupils))
    elif workers > 1:
        pupils = Stream(made_in_parts(result.pupils, made, lambda: (work.part(), letters.part()), merge, workers,
                                      meanwhile=groups_and_trend.value), finite=True)  # while the copies finish
    else:
        pupils = Stream(made(result.pupils), finite=True)
    phase_found = school_phase((p.details.get("year_group") for p in result.pupils), phase)
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": _iso(result.as_of),
        "policy": policy.summary_json(),
        "source": result.register.source_json(),
        "totals": totals,
        "recent_weeks": RECENT_WEEKS,  # the school weeks behind each pupil's recent_attendance_pct
        "pupils": pupils,
        "actions": Later(lambda: work.finish()[0]),
        "worklist": Later(lambda: work.finish()[1]),
        "letter_log": Later(lambda: letter_log_json(letter_log, titles, policy, letters)),
        "letter_titles": dict(titles or {}),
        "comparisons": national_comparisons(phase_found["phase"]) + policy.comparisons,
        "school_phase": phase_found,
        "national_not_shown": national_not_shown(comparison_phases(phase_found["phase"])),
        "cohorts": Later(lambda: groups_and_trend.value()[0]),
        "trend": Later(lambda: groups_and_trend.value()[1]),
        "rejected": [r.as_json() for r in result.register.rejected],
        "warnings": result.warnings + _log_warnings(letter_log),
        "previous": None,  # last year's register at the same school week, when given (results/previous.py)
    }


def _totals(result: Result, stages: bool = True) -> dict:
    """The whole file's figures: sessions, pupils, persistent and severe absence, pupils by stage
    (left out when `stages` is false) and by flag."""
    policy = result.policy
    totals = result.totals().as_json()
    stage_ids = [s.id for s in policy.all_stages] + list(RESERVED_STAGES) if stages else [""]
    group = group_figures(result.pupils, stage_ids)
    by_flag = {name: 0 for name in policy.flags}
    for p in result.pupils:
        for name in p.flags:
            by_flag[name] += 1
    totals.update(
        pupils=group["pupils"], pupils_with_sessions=group["pupils_with_sessions"],
        **{f"{flag}_pct": group[f"{flag}_pct"] for flag in HEADLINE_FLAGS},
    )
    if stages:
        totals["by_stage"] = group["by_stage"]
    totals["by_flag"] = by_flag
    return totals


def headline_json(partial: Result, phase: str | None = None) -> dict:
    """What the summary cards need, from a result whose pupils have only the headline flags
    (engine/classify.py): the results contract's keys for them, with no worklist yet."""
    found = school_phase((p.details.get("year_group") for p in partial.pupils), phase)
    totals = _totals(partial, stages=False)
    totals["by_flag"] = {name: n for name, n in totals["by_flag"].items() if name in HEADLINE_FLAGS}
    return {
        "as_of": _iso(partial.as_of), "policy": partial.policy.summary_json(),
        "source": partial.register.source_json(), "totals": totals, "worklist": None, "previous": None,
        "comparisons": national_comparisons(found["phase"]) + partial.policy.comparisons, "school_phase": found,
    }


LOG_ROWS_SHOWN = 5  # a letter log's unused rows named in its warning; the rest are in letter_log.rejected


def _log_warnings(log) -> list[str]:
    """One warning for a letter log with rows not used: each row, its column and what to correct, then
    how to give the corrected file again (the calculator's 'Letters already sent', the CLI's --letters-sent)."""
    if log is None or not log.rejected:
        return []
    n = len(log.rejected)
    rows = [f"row {r.row}, column {r.column}: {r.reason}" for r in log.rejected[:LOG_ROWS_SHOWN]]
    more = f" And {counted(n - LOG_ROWS_SHOWN, 'more row')} like these." if n > LOG_ROWS_SHOWN else ""
    return [f"{log.source}: {counted(n, 'row')} of the letter log {agreeing(n, 'was', 'were')} not used, so the "
            f"{agreeing(n, 'letter it names does', 'letters they name do')} not count as sent. " + " ".join(
                r[0].upper() + r[1:] for r in rows) + more
            + f" Correct {log.source} and choose it again as 'Letters already sent' (on the command line, "
            "--letters-sent)."]


def json_text(data: dict) -> str:
    """The JSON file the CLI writes and the calculator downloads, byte for byte."""
    return indented_json.text(data) + "\n"


@gc_paused()  # streamed results are made as they are written
def write_json(data: dict, stream) -> None:
    """json_text(data) written to a text stream a piece at a time, never whole in memory (a
    council's results can be over a gigabyte of text). A file should be opened with newline="":
    pupils written by other processes are copied into it as bytes (indented_json.Text)."""
    waiting: list[str] = []
    for piece in indented_json.pieces(data, texts=True):
        if piece.__class__ is str:
            waiting.append(piece)
            if len(waiting) == 256:
                stream.write("".join(waiting))
                waiting.clear()
        else:  # pupils written by another process: copied as they are
            stream.write("".join(waiting))
            waiting.clear()
            piece.copy_to(stream)
    stream.write("".join(waiting) + "\n")


def combined_totals(results: list[dict]) -> dict:
    """Totals over several schools' results: sums of sessions and pupils, rates recomputed."""
    keys = ("possible", "present", "aea", "authorised", "unauthorised", "pupils", "pupils_with_sessions")
    total = {k: sum(r["totals"][k] for r in results) for k in keys}
    possible = total["possible"]
    flagged = {flag: sum(r["totals"]["by_flag"].get(flag, 0) for r in results) for flag in HEADLINE_FLAGS}
    return {
        **total,
        "attendance_pct": percent(total["present"] + total["aea"], possible),
        "absence_pct": percent(total["authorised"] + total["unauthorised"], possible),
        "authorised_pct": percent(total["authorised"], possible),
        "unauthorised_pct": percent(total["unauthorised"], possible),
        **{f"{flag}_pct": percent(n, total["pupils_with_sessions"]) for flag, n in flagged.items()},
        "schools": [{"file": r["source"]["file"], "pupils": r["totals"]["pupils"],
                     "attendance_pct": r["totals"]["attendance_pct"]} for r in results],
    }
