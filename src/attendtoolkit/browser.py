"""The only module that knows about the browser: the calculator's Web Worker calls these.

Results are exactly the CLI's `classify --format json` output for the same file, policy and date.
"""

from __future__ import annotations

import json
from datetime import date

from attendtoolkit.api import analyse
from attendtoolkit.results.contract import json_text
from attendtoolkit.results.csv_writer import actions_csv, letter_log_csv, result_csv
from attendtoolkit.results.letter_queue import letter_queue
from attendtoolkit.policy.load import PolicyError, parse_policy
from attendtoolkit.read.kind import workbook_kind
from attendtoolkit.read.letter_log import LetterLogError, read_letter_log
from attendtoolkit.read.register import RegisterError
from attendtoolkit.render.components import calculator_view, first_figures, pupil_view, trend
from attendtoolkit.read.workbook import have_reader, sheet_names


# The pupils of the last file classified, for the pupil page; the letters already in its letter log,
# for the log saved with the letters ticked ("record these as sent").
_last: dict = {"result": None, "pupils": [], "sent": [], "json": None}  # the last file classified


def _bytes(data) -> bytes:
    """Bytes from a JavaScript Uint8Array/ArrayBuffer proxy, or from bytes."""
    return data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)


def classify_file(data, filename: str, policy_text: str, policy_name: str, as_of: str | None = None,
                  letters_sent=None, letters_sent_name: str | None = None, letters_json: str | None = None,
                  dates: str = "dmy", phase: str | None = None, previous=None,
                  previous_name: str | None = None, since: str | None = None, sheet: str | None = None,
                  progress=None) -> str:
    """JSON text: {"ok": true, "view": the rendered components, "overview": the result without its
    pupils (what the page reads), "queue": the letter queue (results/letter_queue.py)}
    or {"ok": false, "error"}. The CLI's outputs for downloads come after, from download_files().

    `letters_sent`: the letter log file's bytes (optional); `letters_json`: the site's letter templates,
    whose titles name the letters; `phase`: the school phase for the national figures (default: from
    the year groups); `previous`: last year's register's bytes (optional), shown at the same school
    week beside this year's; `since`: the date the worklist compares with (ISO; default the end of the
    previous school week), as the CLI's --since; `progress(step, info)`: a JavaScript function told how
    the work goes (api.analyse's steps, info as JSON text; for "headline", {"html": the results'
    heading and summary cards} with the figures known before the stages are worked out). For a workbook when the
    Excel reader is missing:
    {"ok": false, "needs": "python-calamine"} (the site's lock file loads it with the engine).
    """
    data = _bytes(data)
    previous = None if previous is None else _bytes(previous)
    if any(workbook_kind(d) for d in (data, previous) if d) and not have_reader():
        return json.dumps({"ok": False, "needs": "python-calamine"})
    sheets = {"sheets": sheet_names(data)} if workbook_kind(data) else {}
    try:
        day = date.fromisoformat(as_of) if as_of else None
        compare = date.fromisoformat(since) if since else None
        titles = json.loads(letter_titles(letters_json)) if letters_json else None
        policy = parse_policy(policy_text, policy_name)
        log = None if letters_sent is None else _bytes(letters_sent)
        result = analyse(data, filename, policy, day, letters_sent=log,
                         letters_sent_name=letters_sent_name, letter_titles=titles, dates=dates, phase=phase or None,
                         previous=previous, previous_name=previous_name, since=compare, sheet=sheet or None,
                         progress=None if progress is None else _posting(progress))
        sent = [] if log is None else sent_letters(log, letters_sent_name, policy)
    except (RegisterError, PolicyError, LetterLogError) as exc:
        return json.dumps({"ok": False, "error": str(exc), **sheets})
    except ValueError as exc:
        return json.dumps({"ok": False, "error": f"The as-of or 'changes since' date is not a date: {exc}", **sheets})
    except Exception as exc:  # never a traceback in the page: say what failed and what to do
        return json.dumps({"ok": False, "error": unexpected(filename, exc), **sheets})
    _last.update(result=result, pupils=result["pupils"], sent=sent, json=None)
    overview = {key: value for key, value in result.items() if key != "pupils"}
    return json.dumps({"ok": True, "view": calculator_view(result), "overview": overview,
                       "queue": letter_queue(result, policy), **sheets}, ensure_ascii=False)


def _posting(post):
    """analyse's progress callback, passing each step to `post` with its info as JSON text."""
    def heard(step: str, info: dict) -> None:
        post(step, json.dumps({"html": first_figures(info)} if step == "headline" else info, ensure_ascii=False))
    return heard


def download_files() -> str:
    """JSON text {"json", "csv", "actions_csv"}: the CLI's outputs for the last file classified, made
    after its results are on the page (the page shows results without waiting for them)."""
    result = _last["result"]
    if _last["json"] is None:
        _last["json"] = json_text(result)
    return json.dumps({"json": _last["json"], "csv": result_csv(result), "actions_csv": actions_csv(result["actions"])},
                      ensure_ascii=False)


def sent_letters(log: bytes, name: str | None, policy) -> list[tuple[str, str, str]]:
    """(pupil_id, letter, ISO date) for each usable row of a letter log."""
    read = read_letter_log(log, name or "letters-sent.csv", set(policy.letter_rules.letters) or None)
    return [(pupil, s.letter, s.day.isoformat()) for pupil, letters in read.by_pupil.items() for s in letters]


def letter_log_file(chosen_json: str, day: str) -> str:
    """The letter log to keep: the letters in the log read with the last file, and the ticked
    letters (JSON list of [pupil_id, letter]) as sent on `day` (ISO date)."""
    date.fromisoformat(day)
    return letter_log_csv(_last["sent"] + [(pupil, letter, day) for pupil, letter in json.loads(chosen_json)])


def trend_figure(request_json: str) -> str:
    """The trend chart and table for one group: request {"weeks", "series", "group"} from the result's
    trend, with "previous" and "previous_weeks" (last year's same school weeks) when it has them."""
    request = json.loads(request_json)
    return trend(request["weeks"], request["series"], request["group"], previous=request.get("previous"),
                 previous_weeks=request.get("previous_weeks"))


def pupil_page(index: int, context_json: str) -> str:
    """The pupil page's HTML for pupil `index` of the last result (context: policy, as_of, source, letter_titles).

    The pupils stay here in the worker, so the page never parses the whole result (a 1,500-pupil
    result is about 5 MB of JSON). The result's weeks, for the pupil's sparkline, are added here."""
    context = {**json.loads(context_json), "trend": {"weeks": _last["result"]["trend"]["weeks"]}}
    return pupil_view(_last["pupils"][index], context)


def unexpected(filename: str, exc: Exception) -> str:
    return (f"{filename}: the calculator could not read this file ({type(exc).__name__}: {exc}). "
            "Save it as 'CSV UTF-8' and try again; if it keeps happening, tell the site's owner.")


def render_letters(result_json: str | None, school_json: str, letters_json: str, only: str | None = None,
                   chosen_json: str | None = None) -> str:
    """JSON text: {"ok": true, "html", "merge_csv", "count", "pupils"} or {"ok": false, "error"}.

    `result_json`: the results (the CLI's JSON); None for the last file classified here.
    `chosen_json`: the letters ticked in the queue, a JSON list of [pupil_id, letter] (suggested letters only)."""
    from attendtoolkit.render.letters import LetterError, LetterSet, merge_csv, plan, render_html
    chosen = None if only or chosen_json is None else {tuple(pair) for pair in json.loads(chosen_json)}
    if chosen is not None and not chosen:
        return json.dumps({"ok": False, "error": "No letters are ticked. Tick the letters to make in the list "
                                                "of suggested letters, or choose Select all."})
    try:
        letters = LetterSet.from_files(json.loads(letters_json))
        if not result_json:  # None, or JavaScript's null (pyodide.ffi.jsnull)
            result_json = _last["json"] or json_text(_last["result"])
        planned = plan(json.loads(result_json), letters, json.loads(school_json), only or None, chosen=chosen)
        if not planned:
            return json.dumps({"ok": False, "error": "No letters are suggested for these pupils. "
                                                    "Choose a letter to make it for every pupil."})
        html = render_html(planned, letters)
    except LetterError as exc:
        return json.dumps({"ok": False, "error": str(exc)})
    return json.dumps({"ok": True, "html": html, "merge_csv": merge_csv(planned), "count": len(planned),
                       "pupils": len({letter.pupil_id for letter in planned})}, ensure_ascii=False)


def letter_titles(letters_json: str) -> str:
    from attendtoolkit.render.letters import LetterSet
    letters = LetterSet.from_files(json.loads(letters_json))
    return json.dumps({name: t.title for name, t in letters.templates.items()})


def policy_summary(policy_text: str, policy_name: str) -> str:
    return json.dumps(parse_policy(policy_text, policy_name).summary_json())


def warm() -> None:
    """Import and compile everything a first file needs, then forget it: the site's build runs this
    before it takes the start-up snapshot of Python (hooks/calculator_assets.py), so a visitor's
    first file does not wait for modules and templates to compile."""
    from attendtoolkit import synthetic
    from attendtoolkit.policy.load import policy_source

    policy_text, policy_name = policy_source(None)
    pupils = synthetic.generate(3, 20)
    for register in (synthetic.wide_csv(pupils), synthetic.long_csv(pupils)):  # each shape's reader
        out = json.loads(classify_file(register.encode("utf-8"), "warm.csv", policy_text, policy_name,
                                       "2024-11-22", progress=lambda step, info: None))
        if not out["ok"]:
            raise RuntimeError(f"The engine failed on a made-up register: {out['error']}")
        download_files()
        overview = out["overview"]
        pupil_page(0, json.dumps({key: overview[key] for key in ("policy", "as_of", "source")}
                                 | {"letter_titles": {}}))
    _last.update(result=None, pupils=[], sent=[], json=None)
