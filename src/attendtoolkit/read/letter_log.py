"""Read a letter log: the CSV of letters a school has already sent (pupil id, letter, date).

The school keeps the log as a file; the toolkit reads it to suggest the next letter in a
sequence. Every data row is counted or rejected with its row number, column and reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from attendtoolkit.read.columns import ALIASES, normalise
from attendtoolkit.read.dates import missing_day, parse_date
from attendtoolkit.read.model import Rejection
from attendtoolkit.read.text import read_table

LOG_COLUMNS = ("pupil_id", "letter", "date")
_LOG_ALIASES = {
    "pupil_id": ALIASES["pupil_id"],
    "letter": ("letter", "letter id", "letter name", "template"),
    "date": ("date", "date sent", "sent", "sent on", "letter date"),
}


class LetterLogError(ValueError):
    """The log as a whole cannot be read; the message names the file and what to fix."""


@dataclass(frozen=True)
class SentLetter:
    letter: str
    day: date
    row: int


@dataclass
class LetterLog:
    source: str
    by_pupil: dict[str, list[SentLetter]] = field(default_factory=dict)
    rows: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def sent(self, pupil_id: str, as_of: date | None) -> list[SentLetter]:
        """The pupil's letters sent on or before the as-of date, oldest first."""
        return [s for s in self.by_pupil.get(pupil_id, []) if as_of is None or s.day <= as_of]

    def as_json(self) -> dict:
        return {"file": self.source, "rows": self.rows,
                "letters": sum(len(v) for v in self.by_pupil.values()),
                "rejected": [r.as_json() for r in self.rejected]}


def read_letter_log(data: bytes, source: str = "letters-sent.csv", known: set[str] | None = None) -> LetterLog:
    """The letters sent, by pupil. `known`: the letter names the policy uses; others are rejected."""
    table = read_table(data, source)
    if not table.header:
        raise LetterLogError(f"{source}: the letter log is empty. It needs the columns pupil_id, letter and date.")
    wanted = {normalise(a): name for name, aliases in _LOG_ALIASES.items() for a in aliases}
    columns: dict[str, int] = {}
    for i, header in enumerate(table.header):
        name = wanted.get(normalise(header))
        if name and name not in columns:
            columns[name] = i
    missing = [c for c in LOG_COLUMNS if c not in columns]
    if missing:
        raise LetterLogError(f"{source}: the letter log has no {' or '.join(missing)} column. Its first row should "
                             "name the columns pupil_id, letter and date (the file the calculator saves has them).")
    log = LetterLog(source)
    for row, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        log.rows += 1
        cell = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}
        problem = _problem(cell, known)
        if problem:
            log.rejected.append(Rejection(row, problem[1], table.header[columns[problem[0]]]))
            continue
        sent = SentLetter(cell["letter"], parse_date(cell["date"]), row)
        log.by_pupil.setdefault(cell["pupil_id"], []).append(sent)
    for letters in log.by_pupil.values():
        letters.sort(key=lambda s: s.day)
    return log


def _problem(cell: dict[str, str], known: set[str] | None) -> tuple[str, str] | None:
    """(column, reason) for a row that cannot be used, or None."""
    if not cell["pupil_id"]:
        return "pupil_id", "no pupil ID: add the pupil's ID as it is in the register."
    if not cell["letter"]:
        return "letter", "no letter: add the letter's short name, like concern-1."
    if known is not None and cell["letter"] not in known:
        return "letter", (f"'{cell['letter']}' is not a letter in this policy. Use one of: "
                          f"{', '.join(sorted(known))}.")
    if parse_date(cell["date"]) is None:
        missing = missing_day(cell["date"])
        return "date", (f"'{cell['date']}' is not a date" + (f": there is no {missing}" if missing else "")
                        + ". Write the day the letter was sent like 14/03/2025 or 2025-03-14.")
    return None
