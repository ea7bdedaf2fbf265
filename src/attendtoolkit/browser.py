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
    out = _classified(data, filename, policy_text, policy_name, as_of, letters_sent, letters_sent_name, letters_json,
                      dates, phase, previous, previous_name, since, sheet, progress)
    return json.dumps(out, ensure_ascii=not out["ok"])


def _classified(data, filename, policy_text, policy_name, as_of, letters_sent, letters_sent_name, letters_json,
                dates, phase, previous, previous_name, since, sheet, progress) -> dict:
    """classify_file's answer, before it is JSON text."""
    data = _bytes(data)
    previous = None if previous is None else _bytes(previous)
    if any(workbook_kind(d) for d in (data, previous) if d) and not have_reader():
        return {"ok": False, "needs": "python-calamine"}
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
        return {"ok": False, "error": str(exc), **sheets}
    except ValueError as exc:
        return {"ok": False, "error": f"The as-of or 'changes since' date is not a date: {exc}", **sheets}
    except Exception as exc:  # never a traceback in the page: say what failed and what to do
        return {"ok": False, "error": unexpected(filename, exc), **sheets}
    _last.update(result=result, pupils=result["pupils"], sent=sent, json=None)
    overview = {key: value for key, value in result.items() if key != "pupils"}
    return {"ok": True, "view": calculator_view(result), "overview": overview, "queue": letter_queue(result, policy),
            **sheets}


def _posting(post):
    """analyse's progress callback, passing each step to `post` with its info as JSON text."""
    def heard(step: str, info: dict) -> None:
        post(step, json.dumps({"html": first_figures(info)} if step == "headline" else info, ensure_ascii=False))
    return heard


def download_files() -> str:
    """JSON text {"json", "csv", "actions_csv"}: the CLI's outputs for the last file classified, made
    after its results are on the page (the page shows results without waiting for them)."""
    return json.dumps(_downloads(), ensure_ascii=False)


def _downloads() -> dict:
    result = _last["result"]
    if _last["json"] is None:
        _last["json"] = json_text(result)
    return {"json": _last["json"], "csv": result_csv(result), "actions_csv": actions_csv(result["actions"])}


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
    out = _letters(result_json, school_json, letters_json, only, chosen_json)
    return json.dumps(out, ensure_ascii=not out["ok"])


def _letters(result_json: str | None, school_json: str, letters_json: str, only: str | None,
             chosen_json: str | None) -> dict:
    """render_letters' answer, before it is JSON text."""
    from attendtoolkit.render.letters import LetterError, LetterSet, merge_csv, plan, render_html
    chosen = None if only or chosen_json is None else {tuple(pair) for pair in json.loads(chosen_json)}
    if chosen is not None and not chosen:
        return {"ok": False, "error": "No letters are ticked. Tick the letters to make in the list "
                                      "of suggested letters, or choose Select all."}
    try:
        letters = LetterSet.from_files(json.loads(letters_json))
        if not result_json:  # None, or JavaScript's null (pyodide.ffi.jsnull)
            result_json = _last["json"] or json_text(_last["result"])
        planned = plan(json.loads(result_json), letters, json.loads(school_json), only or None, chosen=chosen)
        if not planned:
            return {"ok": False, "error": "No letters are suggested for these pupils. "
                                          "Choose a letter to make it for every pupil."}
        html = render_html(planned, letters)
    except LetterError as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": True, "html": html, "merge_csv": merge_csv(planned), "count": len(planned),
            "pupils": len({letter.pupil_id for letter in planned})}


def letter_titles(letters_json: str) -> str:
    from attendtoolkit.render.letters import LetterSet
    letters = LetterSet.from_files(json.loads(letters_json))
    return json.dumps({name: t.title for name, t in letters.templates.items()})


def policy_summary(policy_text: str, policy_name: str) -> str:
    return json.dumps(parse_policy(policy_text, policy_name).summary_json())


# The worker protocol (toolkit/protocol.js): each request's answer, from the request and `post`.

_site = {"policy_text": "", "policy_file": "", "letters_json": "{}"}  # given once by start()
NO_EXCEL_READER = "This calculator has no Excel reader. Save the file as 'CSV UTF-8' and try again."


def start(policy_text: str, policy_file: str, letters_json: str) -> None:
    """Keep the site's policy and letter templates for the requests that follow (the worker calls
    this once, when Python has started)."""
    _site.update(policy_text=policy_text, policy_file=policy_file, letters_json=letters_json)


def handle(message, post=None) -> str:
    """The reply to one request of the worker protocol (toolkit/protocol.js: a Request in, its Reply
    out), as JSON text without the id, which the worker adds. `message`: the request, a dict or the
    JavaScript object itself; `post(text)`: sends JSON text of a message on the way (a
    ProgressMessage without its id, or a StatusMessage). A request the protocol does not have is
    answered with an error that names the ones it has."""
    request = _as_dict(message)
    answer = ANSWERS.get(request.get("type"))
    if answer is None:
        return json.dumps({"type": "error", "text": f"The calculator's worker has no request called "
                                                    f"'{request.get('type')}'. It answers {', '.join(ANSWERS)}."})
    return json.dumps(answer(request, post or (lambda text: None)), ensure_ascii=False)


def _as_dict(message) -> dict:
    """The request as a dict: JavaScript's null and undefined become None, its lists and objects
    Python's; a file's buffer stays as it is, to be read once (_bytes)."""
    if not hasattr(message, "to_py"):
        return dict(message)
    from pyodide.ffi import jsnull
    out = {}
    for key, value in message.to_py(depth=1).items():
        if value is jsnull:
            value = None
        elif hasattr(value, "to_py") and not hasattr(value, "to_bytes"):
            value = value.to_py()
        out[key] = value
    return out


def _status(post, text: str) -> None:
    post(json.dumps({"type": "status", "text": text}))


def _load(m: dict, post) -> dict:
    return {"type": "ready", "policy": json.loads(policy_summary(_site["policy_text"], _site["policy_file"])),
            "letters": json.loads(letter_titles(_site["letters_json"]))}


def _classify(m: dict, post) -> dict:
    _status(post, "Classifying")

    def progress(step: str, info: str) -> None:
        post(json.dumps({"type": "progress", "step": step, "info": info}))

    out = _classified(m.get("buffer"), m.get("name"), _site["policy_text"], _site["policy_file"], m.get("asOf") or None,
                      m.get("log"), m.get("logName") or None, _site["letters_json"], m.get("dates") or "dmy",
                      m.get("phase") or None, m.get("previous"), m.get("previousName") or None, m.get("since") or None,
                      m.get("sheet") or None, progress)
    sheets = {"sheets": out["sheets"]} if "sheets" in out else {}
    if out.get("needs"):
        return {"type": "error", "text": NO_EXCEL_READER}
    if not out["ok"]:
        return {"type": "error", "text": out["error"], **sheets}
    return {"type": "result", "view": out["view"], "overview": out["overview"], "queue": out["queue"], **sheets}


def _letters_reply(m: dict, post) -> dict:
    _status(post, "Preparing letters")
    chosen = m.get("chosen")
    out = _letters(None, json.dumps(m.get("school") or {}), _site["letters_json"], m.get("only") or None,
                   json.dumps(chosen) if chosen else None)
    if not out["ok"]:
        return {"type": "error", "text": out["error"]}
    return {"type": "letters", "html": out["html"], "mergeCsv": out["merge_csv"], "count": out["count"],
            "pupils": out["pupils"]}


def _downloads_reply(m: dict, post) -> dict:
    files = _downloads()
    return {"type": "downloads", "json": files["json"], "csv": files["csv"], "actionsCsv": files["actions_csv"]}


ANSWERS = {  # request type -> its answer; the reply types are protocol.js' REPLIES
    "load": _load,
    "classify": _classify,
    "downloads": _downloads_reply,
    "letters": _letters_reply,
    "log": lambda m, post: {"type": "log", "csv": letter_log_file(json.dumps(m["chosen"]), m["day"])},
    "pupil": lambda m, post: {"type": "pupil", "html": pupil_page(m["index"], m["context"])},
    "trend": lambda m, post: {"type": "trend", "html": trend_figure(m["request"])},
}


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
