"""Read an attendance register export (long, wide grid or summary) into pupils and sessions.

Every data row ends up either counted or in `Register.rejected` with its row number and reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from attendtoolkit.policy import codes as codetable
from attendtoolkit.read.columns import ALIASES, LONG_FIELDS, PUPIL_FIELDS, SUMMARY_FIELDS, match_columns, normalise
from attendtoolkit.read.dates import describe_session, parse_date, parse_session, parse_session_header, session_key
from attendtoolkit.read.text import DELIMITER_NAMES, Table, TableError, read_table

LONG, WIDE, SUMMARY = "long", "wide", "summary"
SHAPES = (LONG, WIDE, SUMMARY)
_SUMMARY_REQUIRED = ("possible", "present", "authorised", "unauthorised")
_MAX_ROWS_IN_WARNING = 5
_WHOLE = re.compile(r"^(\d+)(?:\.0*)?$")


class RegisterError(ValueError):
    """The file as a whole cannot be read; the message names the file and what to fix."""


@dataclass(frozen=True)
class Rejection:
    row: int
    reason: str
    column: str | None = None

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Summary:
    """Session counts given directly by a summary export."""

    possible: int
    present: int
    aea: int
    authorised: int
    unauthorised: int
    late_before_close: int | None = None
    late_after_close: int | None = None
    unexplained: int | None = None


@dataclass
class Pupil:
    pupil_id: str
    row: int
    details: dict[str, str] = field(default_factory=dict)
    marks: dict[int, tuple[str, int]] = field(default_factory=dict)  # session key -> (code, row)
    summary: Summary | None = None


@dataclass
class Register:
    source: str
    shape: str
    encoding: str
    delimiter: str
    data_rows: int
    columns: dict[str, str]
    pupils: dict[str, Pupil] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    session_count: int = 0

    def last_date(self) -> date | None:
        last = max((max(p.marks) for p in self.pupils.values() if p.marks), default=None)
        return None if last is None else date.fromordinal(last // 2)

    def source_json(self) -> dict:
        return {
            "file": self.source,
            "shape": self.shape,
            "encoding": self.encoding,
            "delimiter": DELIMITER_NAMES.get(self.delimiter, self.delimiter),
            "data_rows": self.data_rows,
            "sessions": self.session_count,
            "columns": self.columns,
        }


def load_register(path: str | Path, shape: str | None = None,
                  mapping: dict[str, str] | None = None, engine: str = "python") -> Register:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterError(f"{path.name}: cannot open the file ({exc.strerror}).") from exc
    return read_register(data, path.name, shape=shape, mapping=mapping, engine=engine)


def read_register(data: bytes, source: str = "register.csv", shape: str | None = None,
                  mapping: dict[str, str] | None = None, engine: str = "python") -> Register:
    """Parse a register export. `shape` forces long/wide/summary; `mapping` is field -> header.

    engine="pandas" reads long and wide files faster with identical results (needs pandas).
    """
    try:
        reader, register = _prepare(data, source, shape, mapping)
        if engine == "pandas":
            from attendtoolkit.read.pandas_reader import fill
            fill(reader, register)
        else:
            reader.fill(register)
    except TableError as exc:
        raise RegisterError(f"{source}: {exc}") from exc
    if register.encoding == "windows-1252":
        register.warnings.append(
            f"{source} is not UTF-8; it was read as Windows-1252. Check that names with accents look right."
        )
    return register


def _prepare(data: bytes, source: str, shape: str | None, mapping: dict[str, str] | None):
    """The reader for the file's shape and an empty register; file-level problems raise here."""
    table = read_table(data)
    if not table.header:
        raise RegisterError(f"{source}: the file is empty. Export the register as CSV and try again.")
    _check_mapping(source, table.header, mapping)
    columns = match_columns(table.header, mapping)
    session_columns = [(i, parse_session_header(h)) for i, h in enumerate(table.header)]
    session_columns = [(i, hdr) for i, hdr in session_columns if hdr is not None]
    shape = shape or _detect_shape(source, table.header, columns, session_columns)
    if shape not in SHAPES:
        raise RegisterError(f"{source}: unknown register shape {shape!r}; use long, wide or summary.")
    if "pupil_id" not in columns:
        raise RegisterError(
            f"{source}: no pupil ID column. Name one column {_aliases('pupil_id')} "
            f"(or map it). Columns found: {', '.join(table.header)}."
        )
    if shape == WIDE and not session_columns:
        raise RegisterError(
            f"{source}: no session columns. A wide register has one column per session, "
            "headed like '02/09/2024 AM' or '2024-09-02 PM'."
        )
    reader = _READERS[shape](source, table, columns, session_columns)
    register = Register(
        source=source, shape=shape, encoding=table.encoding, delimiter=table.delimiter,
        data_rows=0, columns={f: table.header[i] for f, i in columns.items()},
    )
    return reader, register


def _aliases(field_name: str) -> str:
    return " or ".join(f"'{a.title() if len(a) > 3 else a.upper()}'" for a in ALIASES[field_name][:4])


def _check_mapping(source: str, header: list[str], mapping: dict[str, str] | None) -> None:
    known = set(PUPIL_FIELDS) | set(LONG_FIELDS) | set(SUMMARY_FIELDS) | {"pupil_id"}
    for field_name, column in (mapping or {}).items():
        if field_name not in known:
            raise RegisterError(
                f"column mapping: unknown field {field_name!r}. Fields: {', '.join(sorted(known))}."
            )
        if normalise(column) not in {normalise(h) for h in header}:
            raise RegisterError(
                f"{source}: the mapping names column {column!r} for {field_name}, "
                f"but the file has no such column. Columns found: {', '.join(header)}."
            )


def _detect_shape(source, header, columns, session_columns) -> str:
    if "date" in columns and "mark" in columns:
        return LONG
    if session_columns:
        return WIDE
    if "possible" in columns and "present" in columns:
        return SUMMARY
    raise RegisterError(
        f"{source}: cannot tell what kind of register this is. Expected one of: "
        "long (columns Pupil ID, Date, Session, Mark, one row per session); "
        "wide (Pupil ID, then one column per session headed like '02/09/2024 AM'); "
        "summary (Pupil ID, Possible, Present, Authorised, Unauthorised). "
        f"Columns found: {', '.join(header)}."
    )


class _Reader:
    """Shared row handling: pupil lookup, details, marks, duplicates, legacy-code warnings."""

    def __init__(self, source: str, table: Table, columns: dict[str, int], session_columns):
        self.source = source
        self.table = table
        self.columns = columns
        self.header = table.header
        self.session_columns = session_columns
        self.detail_columns = [(f, columns[f]) for f in PUPIL_FIELDS if f in columns]
        self.id_column = columns["pupil_id"]
        self.legacy_rows: dict[str, list[int]] = {}
        self.blank_rows: list[int] = []
        self._codes: dict[str, codetable.Code | None] = {}

    def fill(self, register: Register) -> None:
        self.register = register
        count = 0
        for row, cells in self.table.rows:
            count += 1
            self.read_row(row, cells)
        self.finish(count)

    def read_row(self, row: int, cells: list[str]) -> None:
        raise NotImplementedError

    def finish(self, data_rows: int) -> None:
        """Totals and the warnings about blank rows, legacy codes and unused columns."""
        reg = self.register
        reg.data_rows = data_rows
        reg.session_count = sum(len(p.marks) for p in reg.pupils.values())
        if self.blank_rows:
            reg.warnings.append(
                f"Blank rows ignored: {_rows(self.blank_rows)}."
            )
        for code, rows in self.legacy_rows.items():
            c = codetable.lookup(code)
            reg.warnings.append(
                f"Code {c.code} is from before August 2024 ({c.meaning[0].lower()}{c.meaning[1:]}); "
                f"found in {_rows(rows)}. It was counted as "
                f"{codetable.CATEGORY_LABELS[c.category].lower()}."
            )
        used = set(self.columns.values()) | {i for i, _ in self.session_columns}
        unused = [h for i, h in enumerate(self.header) if i not in used and h]
        if unused:
            reg.warnings.append(f"Columns not used: {', '.join(unused)}.")

    def require(self, fields: tuple[str, ...], need: str) -> None:
        missing = [f for f in fields if f not in self.columns]
        if missing:
            raise RegisterError(f"{self.source}: {need}; missing: "
                                + "; ".join(f"{f} ({_aliases(f)})" for f in missing) + ".")

    def reject(self, row: int, reason: str, column: int | str | None = None) -> None:
        name = self.header[column] if isinstance(column, int) and column < len(self.header) else column
        self.register.rejected.append(Rejection(row, reason, name))

    def pupil(self, row: int, cells: list[str]) -> Pupil | None:
        """The row's pupil (created on first sight); None for a blank row or one with no pupil ID."""
        pupil_id = _cell(cells, self.id_column)
        if not pupil_id:
            if not any(c.strip() for c in cells):
                self.blank_rows.append(row)
            else:
                self.reject(row, NO_PUPIL_ID, self.id_column)
            return None
        pupil = self.register.pupils.get(pupil_id)
        if pupil is None:
            pupil = Pupil(pupil_id, row)
            self.register.pupils[pupil_id] = pupil
        if len(pupil.details) < len(self.detail_columns):
            for name, index in self.detail_columns:
                if name not in pupil.details:
                    value = _cell(cells, index)
                    if value:
                        pupil.details[name] = value
        return pupil

    def code(self, raw: str) -> codetable.Code | None:
        try:
            return self._codes[raw]
        except KeyError:
            found = self._codes[raw] = codetable.lookup(raw)
            return found

    def add_mark(self, pupil: Pupil, key: int, raw: str, row: int, column: int | str | None) -> bool:
        code = self.code(raw)
        if code is None:
            self.reject(row, not_a_code(raw), column)
            return False
        if code.legacy:
            self.legacy_rows.setdefault(code.code, []).append(row)
        first = pupil.marks.get(key)
        if first is None:
            pupil.marks[key] = (code.code, row)
            return True
        self.reject(row, duplicate(pupil.pupil_id, key, first, code.code), column)
        return False


class _LongReader(_Reader):
    def __init__(self, *args):
        super().__init__(*args)
        self.require(LONG_FIELDS, "a long register (one row per session) needs columns for "
                                  "pupil ID, date, session and mark")
        self.i_date, self.i_session, self.i_mark = (self.columns[f] for f in LONG_FIELDS)
        self._keys: dict[tuple[str, str], int | tuple[str, int]] = {}

    def session_of(self, raw_date: str, raw_session: str) -> int | tuple[str, int]:
        """The session key, or (reason, column) when the date or session cannot be read."""
        day = parse_date(raw_date)
        if day is None:
            return (f"'{raw_date.strip()}' is not a date. Write dates as day/month/year "
                    "(02/09/2024) or year-month-day (2024-09-02).", self.i_date)
        session = parse_session(raw_session)
        if session is None:
            return f"'{raw_session.strip()}' is not a session. Use AM or PM.", self.i_session
        return session_key(day, session)

    def read_row(self, row: int, cells: list[str]) -> None:
        pupil = self.pupil(row, cells)
        if pupil is None:
            return
        try:
            raw = (cells[self.i_date], cells[self.i_session])
        except IndexError:
            raw = (_cell(cells, self.i_date), _cell(cells, self.i_session))
        key = self._keys.get(raw)
        if key is None:
            key = self._keys[raw] = self.session_of(*raw)
        if key.__class__ is tuple:
            self.reject(row, key[0], key[1])
            return
        self.add_mark(pupil, key, _cell(cells, self.i_mark), row, self.i_mark)


class _WideReader(_Reader):
    def __init__(self, *args):
        super().__init__(*args)
        self.keys = [(i, session_key(d, s)) for i, (d, s) in self.session_columns]
        seen: dict[int, int] = {}
        for i, key in self.keys:
            if key in seen:
                raise RegisterError(
                    f"{self.source}: columns '{self.header[seen[key]]}' and '{self.header[i]}' "
                    f"are the same session ({describe_session(key)}). Remove one of them."
                )
            seen[key] = i

    def read_row(self, row: int, cells: list[str]) -> None:
        pupil = self.pupil(row, cells)
        if pupil is None:
            return
        width = len(cells)
        for i, key in self.keys:
            if i < width:
                raw = cells[i]
                if raw and not raw.isspace():  # a blank cell means no session
                    self.add_mark(pupil, key, raw, row, i)


class _SummaryReader(_Reader):
    def __init__(self, *args):
        super().__init__(*args)
        self.require(_SUMMARY_REQUIRED, "a summary register needs columns for possible, present, "
                                        "authorised and unauthorised sessions")

    def read_row(self, row: int, cells: list[str]) -> None:
        values: dict[str, int | None] = {}
        for name in SUMMARY_FIELDS:
            if name not in self.columns:
                values[name] = None
                continue
            raw = _cell(cells, self.columns[name])
            number = _whole_number(raw)
            if number is None and (raw or name in _SUMMARY_REQUIRED):
                self.reject(row, f"'{raw or 'blank'}' is not a number of sessions.", self.columns[name])
                return
            values[name] = number
        parts = ("present", "aea", "authorised", "unauthorised")
        total = sum(values[p] or 0 for p in parts)
        if total != values["possible"]:
            self.reject(
                row,
                f"Possible sessions ({values['possible']}) should equal present + approved activity "
                f"+ authorised + unauthorised ({total}). Check the counts in this row.",
                self.columns["possible"],
            )
            return
        pupil = self.pupil(row, cells)
        if pupil is None:
            return
        if pupil.summary is not None:
            self.reject(row, f"Pupil {pupil.pupil_id} already has a summary in row {pupil.row}; "
                             "this row was not counted.", self.id_column)
            return
        pupil.summary = Summary(
            possible=values["possible"], present=values["present"], aea=values["aea"] or 0,
            authorised=values["authorised"], unauthorised=values["unauthorised"],
            late_before_close=values["late_before_close"],
            late_after_close=values["late_after_close"], unexplained=values["unexplained"],
        )


def not_a_code(raw: str) -> str:
    return (f"'{raw.strip() or 'blank'}' is not a register code. Use a code from the 2024 code table "
            "(for example / \\ L M I O N U).")


def duplicate(pupil_id: str, key: int, first: tuple[str, int], code: str) -> str:
    """Why a second mark for the same pupil and session was not counted."""
    if first[0] == code:
        return f"Repeats row {first[1]} (same pupil, session {describe_session(key)} and mark {code}): counted once."
    return (f"Pupil {pupil_id} already has mark {first[0]} for {describe_session(key)} from row "
            f"{first[1]}; this row's mark {code} was not counted.")


NO_PUPIL_ID = "No pupil ID: the row cannot be matched to a pupil."

_READERS = {LONG: _LongReader, WIDE: _WideReader, SUMMARY: _SummaryReader}


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _whole_number(raw: str) -> int | None:
    m = _WHOLE.match(raw)
    return int(m.group(1)) if m else None


def _rows(rows: list[int]) -> str:
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(r) for r in rows[:_MAX_ROWS_IN_WARNING])
    more = len(rows) - _MAX_ROWS_IN_WARNING
    return f"rows {shown}" + (f" and {more} more" if more > 0 else "")
