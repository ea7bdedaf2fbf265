"""The library's front door: one call from a register to the results contract.

The CLI, the browser module, the tests and the benchmarks all go through `analyse`, so the
pipeline (read, classify, build the results) is written once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from attendtoolkit.engine.classify import classify
from attendtoolkit.policy.model import Policy, load_policy
from attendtoolkit.read.letter_log import read_letter_log
from attendtoolkit.read.register import RegisterError, read_register
from attendtoolkit.results.contract import result_json

ENGINES = ("python", "pandas")


def analyse(data: bytes | str | Path, name: str | None = None, policy: Policy | str | Path | None = None,
            as_of: date | None = None, *, shape: str | None = None, columns: dict[str, str] | None = None,
            engine: str = "python", letters_sent: bytes | str | Path | None = None,
            letters_sent_name: str | None = None, letter_titles: dict[str, str] | None = None,
            since: date | None = None, dates: str = "dmy",
            sheet: str | None = None, phase: str | None = None) -> dict:
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
    """
    data, name = _read(data, name)
    if not isinstance(policy, Policy):
        policy = load_policy(policy)
    register = read_register(data, name or "register.csv", shape=shape, mapping=columns, engine=engine,
                             dates=dates, sheet=sheet)
    log = None
    if letters_sent is not None:
        log_data, log_name = _read(letters_sent, letters_sent_name)
        log = read_letter_log(log_data, log_name or "letters-sent.csv", set(policy.letter_rules.letters) or None)
    titles = letter_titles if letter_titles is not None else default_letter_titles()
    return result_json(classify(register, policy, as_of), log, titles, since, phase)


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
