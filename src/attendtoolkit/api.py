"""The library's front door: one call from a register to the results contract.

The CLI, the browser module, the tests and the benchmarks all go through `analyse`, so the
pipeline (read, classify, build the results) is written once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from attendtoolkit.engine.classify import classify
from attendtoolkit.gc_paused import gc_paused
from attendtoolkit.policy.model import Policy
from attendtoolkit.policy.load import load_policy
from attendtoolkit.read import arrow_long
from attendtoolkit.read.letter_log import read_letter_log
from attendtoolkit.read.register import RegisterError, load_register, read_register
from attendtoolkit.results.contract import headline_json, result_json, streamed_result
from attendtoolkit.engine.metrics import Calendar
from attendtoolkit.engine.school_weeks import school_week_number
from attendtoolkit.read.model import Register
from attendtoolkit.results.previous import same_point_last_year, school_year_start, week_ordinals, with_previous

ENGINES = ("python", "pandas")
PANDAS_FROM = 10 << 20  # bytes: a file this large is a council's (a school's wide register is about 1 MB)
PARALLEL_FROM = 5000  # pupils: fewer are made quickly enough on one core


def default_engine(paths: list[Path]) -> str:
    """pandas for a council-sized file when pandas, numpy and pyarrow are installed; python otherwise
    (the results are identical; pandas only takes longer to start)."""
    def size(path) -> int:
        try:
            return Path(path).stat().st_size
        except OSError:  # analyse says what is wrong with the file
            return 0
    return "pandas" if arrow_long.available() and any(size(p) >= PANDAS_FROM for p in paths) else "python"


@gc_paused()
def analyse(data: bytes | str | Path, name: str | None = None, policy: Policy | str | Path | None = None,
            as_of: date | None = None, *, shape: str | None = None, columns: dict[str, str] | None = None,
            engine: str = "python", letters_sent: bytes | str | Path | None = None,
            letters_sent_name: str | None = None, letter_titles: dict[str, str] | None = None,
            since: date | None = None, dates: str = "dmy",
            sheet: str | None = None, phase: str | None = None, previous: bytes | str | Path | None = None,
            previous_name: str | None = None, progress=None, stream: bool = False, workers: int = 1) -> dict:
    """The results contract (as a dict) for a register given as bytes or as a path.

    `name` is the file name used in messages (default: the path's name); `policy` is a Policy, a
    shipped policy name or a path (default: dfe-national); `as_of` defaults to the last date in
    the file. Read options: `shape` (long, wide, summary) when detection gets it wrong, `columns`
    mapping field -> header, `engine` ("pandas" needs pandas; results are identical), `dates`
    ("mdy" for a file written month first; such a file is refused otherwise), `sheet` (a workbook's
    sheet; default the first; workbooks need python-calamine, the `excel` extra).
    `letters_sent`: the letter log (CSV of pupil id, letter, date) as bytes or a path;
    `letter_titles`: letter name -> title (default: the letter templates' titles);
    `since`: the date the weekly worklist compares with (default: the end of the previous school week).
    `phase`: the school phase whose national figures are shown (primary, secondary, special, all;
    default: worked out from the pupils' year groups).
    `previous`: last year's register (bytes or a path), classified as of the same school week
    last year and shown beside this year's (results/previous.py); `previous_name` names it.
    `progress(step, info)`, if given, hears how the work goes, in this order: "read" {pupils, rows};
    "headline" {the summary cards' part of the contract, with no worklist yet}; "classified"
    {done, total} every 100 pupils; "preparing" {} while the results are put together.
    `stream`: each pupil's results are made as `write_json` writes them and then dropped, so a
    council's register needs no room for all its pupils' JSON; the dict can be written once, by
    write_json only (not with `previous`). `workers`: a register of PARALLEL_FROM pupils or more is
    classified (and, with `stream`, its pupils' results made) on that many cores where the system
    can fork, and a large long file read by the pandas engine is read on that many; the results are
    the same.
    """
    if not isinstance(policy, Policy):
        policy = load_policy(policy)
    if isinstance(data, (str, Path)):  # a large file is read a piece at a time when it can be
        register = load_register(data, shape=shape, mapping=columns, engine=engine, dates=dates, sheet=sheet,
                                 source=name, workers=workers)
    else:
        register = read_register(data, name or "register.csv", shape=shape, mapping=columns, engine=engine,
                                 dates=dates, sheet=sheet)
    log = None
    if letters_sent is not None:
        log_data, log_name = _read(letters_sent, letters_sent_name)
        log = read_letter_log(log_data, log_name or "letters-sent.csv", set(policy.letter_rules.letters) or None)
    titles = letter_titles if letter_titles is not None else default_letter_titles()
    workers = workers if len(register.pupils) >= PARALLEL_FROM else 1
    result = _classified(register, policy, as_of, log, titles, since, phase, progress, engine == "pandas",
                         stream and previous is None, workers)
    if previous is None:
        return result
    return compare_with_last_year(result, previous, previous_name, policy, engine=engine, dates=dates,
                                  letter_titles=titles)


def _classified(register: Register, policy: Policy, as_of: date | None, log, titles: dict[str, str],
                since: date | None = None, phase: str | None = None, progress=None,
                vectorised: bool = False, stream: bool = False, workers: int = 1) -> dict:
    """The results contract for a register already read (`vectorised`: rules checked with numpy
    first; `stream`: pupils made as they are written, see analyse)."""
    if progress is not None:
        progress("read", {"pupils": len(register.pupils), "rows": register.data_rows})
    classified = classify(register, policy, as_of, progress=_engine_progress(progress, phase), vectorised=vectorised,
                          workers=workers)
    if progress is not None:
        progress("preparing", {})
    if stream:
        return streamed_result(classified, log, titles, since, phase, workers=workers)
    return result_json(classified, log, titles, since, phase)


def _engine_progress(progress, phase: str | None):
    """classify's progress callback, passing analyse's `progress` the first figures as the contract's keys."""
    if progress is None:
        return None

    def heard(step, done, total, partial):
        progress(step, headline_json(partial, phase) if partial is not None else {"done": done, "total": total})
    return heard


def compare_with_last_year(result: dict, previous: bytes | str | Path, previous_name: str | None, policy: Policy,
                           engine: str = "python", dates: str = "dmy", letter_titles: dict[str, str] | None = None
                           ) -> dict:
    """`result` with last year's register beside it, classified as of the same point last year: the
    same weekday of the same school week, counted in each year's own register."""
    data, name = _read(previous, previous_name)
    register = read_register(data, name or "last-year.csv", engine=engine, dates=dates)
    as_of = date.fromisoformat(result["as_of"]) if result["as_of"] else None
    then = (same_point_last_year(as_of, policy, week_ordinals(result["trend"]["weeks"]), _school_weeks(register))
            if as_of else None)
    titles = letter_titles if letter_titles is not None else default_letter_titles()
    last = _classified(register, policy, then, None, titles)
    out = with_previous(result, last, policy)
    out["warnings"] = result["warnings"] + _last_year_warnings(out["previous"], last, policy)
    return out


def _school_weeks(register: Register) -> list[int]:
    """The school-week Mondays (date ordinals) of a whole register; none for a summary file."""
    last = register.last_date()
    return Calendar.from_register(register, last).mondays if last else []


def _last_year_warnings(block: dict, last: dict, policy: Policy) -> list[str]:
    """Say when last year's file cannot give the same week last year."""
    file = block["file"]
    if not last["totals"]["possible"]:
        when = f" up to {block['as_of']}" if block["as_of"] else ""
        return [f"{file}: last year's register has no sessions{when}, the same school week last year. "
                "Check that it is last year's register for the same school."]
    weeks = last["trend"]["weeks"]
    if block["school_week"] and weeks:
        end = date.fromisoformat(weeks[-1])
        if school_week_number(end, school_year_start(policy, end), week_ordinals(weeks)) < block["school_week"]:
            return [f"{file}: last year's register ends before school week {block['school_week']}, so last "
                    f"year's figures stop at the week beginning {end.isoformat()}."]
    return []


def _read(data: bytes | str | Path, name: str | None) -> tuple[bytes, str | None]:
    """(bytes, file name) of data given as bytes or as a path."""
    if not isinstance(data, (str, Path)):
        return data, name
    path = Path(data)
    try:
        return path.read_bytes(), name or path.name
    except OSError as exc:
        raise RegisterError(f"{path.name}: cannot open the file ({exc.strerror}).") from exc


def default_letter_titles() -> dict[str, str]:
    """Letter name -> title from the shipped templates and the council's overrides in ./council/letters."""
    from attendtoolkit.render.letters import LetterSet, template_folders
    return {name: t.title for name, t in LetterSet.from_folders(template_folders()).templates.items()}
