"""Read an attendance register export (long, wide grid or summary) into pupils and sessions.

Every data row ends up either counted or in `Register.rejected` with its row number and reason.
"""

from __future__ import annotations

import difflib
import operator
import re
from datetime import date
from itertools import compress
from pathlib import Path

from attendtoolkit.policy import codes as codetable
from attendtoolkit.read.columns import (
    ALIASES, LONG_FIELDS, PUPIL_FIELDS, SUMMARY_FIELDS, match_columns, normalise, pupil_name,
)
from attendtoolkit.read.dates import (
    AM, DATE_ORDERS, DMY, describe_session, far_days, header_date_text, implausible_dates, is_weekend, looks_month_first,
    missing_day, parse_date, parse_session, parse_session_header, session_key,
)
from attendtoolkit.read.errors import RegisterError
from attendtoolkit.read import pandas_reader
from attendtoolkit.read import arrow_long
from attendtoolkit.read.long_columns import read_columns
from attendtoolkit.read.kind import not_a_register, workbook_kind
from attendtoolkit.read.model import (
    NO_PUPIL_ID, Pupil, Register, Rejection, Summary, duplicate, no_rows, not_a_code, wrong_width,
)
from attendtoolkit.read.session_grid import SessionGrid, code_ids, codes, one_character_cells, one_character_ids, session_keys
from attendtoolkit.read.text import MAX_ROWS_LISTED, Table, file_pieces, read_table, rows_text, table_from_text
from attendtoolkit.read.workbook import other_sheets, sheet_as_csv, sheet_names

LONG, WIDE, SUMMARY, WEEKS = "long", "wide", "summary", "weeks"
SHAPES = (LONG, WIDE, SUMMARY, WEEKS)
WEEK_MARKS = 10  # a week string: Monday AM, Monday PM, ... Friday PM
NO_MARK = " -"  # in a week string, a space or a dash is a session with no mark
_SUMMARY_REQUIRED = ("possible", "present", "authorised", "unauthorised")
_WHOLE = re.compile(r"^(\d+)(?:\.0*)?$")
_COLUMNS_LISTED = 8
__all__ = ["RegisterError", "Register", "Rejection", "Pupil", "Summary", "load_register", "read_register"]


STREAM_FROM = 64 << 20  # bytes: a long file this large is read a piece at a time when it is plain
_HEAD = 1 << 20  # bytes read first to find the header, columns and shape of a streamed file


def load_register(path: str | Path, shape: str | None = None, mapping: dict[str, str] | None = None,
                  engine: str = "python", dates: str = DMY, sheet: str | None = None,
                  source: str | None = None, workers: int = 1) -> Register:
    """read_register for a file on disk (`source`: its name in messages, default the file's name;
    `workers`: how many cores may read a large plain long file with the pandas engine)."""
    path = Path(path)
    source = source or path.name
    by_arrow = engine == "pandas" and arrow_long.available()
    try:
        if path.stat().st_size >= STREAM_FROM or by_arrow:
            streamed = _stream_plain_long(path, source, shape, mapping, dates, by_arrow, workers)
            if streamed is not None:
                return streamed
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterError(f"{path.name}: cannot open the file ({exc.strerror}).") from exc
    return _read_register(data, source, shape, mapping, engine, dates, None, sheet, arrow=not by_arrow)


def _stream_plain_long(path: Path, source: str, shape: str | None, mapping: dict[str, str] | None,
                       dates: str, by_arrow: bool = False, workers: int = 1) -> Register | None:
    """A large plain long register in UTF-8, read by columns a piece at a time (by pyarrow in blocks
    for the pandas engine), so the file is never held whole; None when it is not one (then it is
    read whole, which gives every message)."""
    with path.open("rb") as f:
        head = f.read(_HEAD)
    head = head[:head.rfind(b"\n") + 1]  # whole lines only
    bom = head.startswith(b"\xef\xbb\xbf")
    if not head or workbook_kind(head) or not_a_register(head) or head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00")):
        return None
    try:
        head.decode("utf-8-sig")
        reader, register = _prepare(head, source, shape, mapping, dates, date.today())
    except (UnicodeDecodeError, RegisterError):
        return None  # read whole, for the message about the whole file
    if register.shape != LONG or register.encoding not in ("utf-8", "utf-8-sig"):
        return None
    reader.register = register
    if by_arrow:
        found = arrow_long.read_arrow(reader, path, _EXACT_CODES, workers)
    elif path.stat().st_size >= STREAM_FROM:
        found = read_columns(reader, _EXACT_CODES, file_pieces(path, "utf-8-sig" if bom else "utf-8"))
    else:
        return None
    if found is None:
        return None
    reader.finish(*found)
    register.warnings[:0] = reader.table.warnings
    return register


def read_register(data: bytes, source: str = "register.csv", shape: str | None = None,
                  mapping: dict[str, str] | None = None, engine: str = "python", dates: str = DMY,
                  today: date | None = None, sheet: str | None = None) -> Register:
    """Parse a register export (CSV, or an Excel or OpenDocument workbook). `shape` forces
    long/wide/summary; `mapping` is field -> header.

    engine="pandas" reads long and wide files faster with identical results (needs pandas).
    `dates` is "dmy" (day first, the default) or "mdy" for a file written month first; dates
    after `today` (default: the computer's date) are rejected. `sheet` names a workbook's sheet
    (default: the first).
    """
    return _read_register(data, source, shape, mapping, engine, dates, today, sheet)


def _read_register(data: bytes, source: str, shape: str | None, mapping: dict[str, str] | None, engine: str,
                   dates: str, today: date | None, sheet: str | None, arrow: bool = True) -> Register:
    """read_register; `arrow` false when pyarrow has already found the file is not plain."""
    try:
        reader, register = _prepare(data, source, shape, mapping, dates, today or date.today(), sheet)
        if engine == "pandas":
            pandas_reader.fill(reader, register, data if arrow else None)
        else:
            reader.fill(register)
    except RegisterError as exc:
        hint = other_sheets(data, sheet, str(exc)) if workbook_kind(data) else ""
        if hint:
            raise RegisterError(f"{exc} {hint}") from None
        raise
    register.warnings[:0] = reader.table.warnings
    if register.encoding == "windows-1252":
        register.warnings.append(
            f"{source} is not UTF-8; it was read as Windows-1252. Check that names with accents look right."
        )
    return register


def _prepare(data: bytes, source: str, shape: str | None, mapping: dict[str, str] | None,
             dates: str = DMY, today: date | None = None, sheet: str | None = None):
    """The reader for the file's shape and an empty register; file-level problems raise here."""
    if not data or data.isspace():  # as not data.strip(), without copying the file
        raise RegisterError(f"{source}: the file is empty. Export the register as CSV and try again.")
    if dates not in DATE_ORDERS:
        raise RegisterError(f"unknown date order {dates!r}; use dmy (day first) or mdy (month first).")
    kind = workbook_kind(data)
    problem = None if kind else not_a_register(data)
    if problem:
        raise RegisterError(f"{source}: {problem}")
    if kind:
        text, sheet = sheet_as_csv(data, kind, source, sheet)
        if not text.strip(", \r\n"):
            only = len(sheet_names(data)) < 2
            raise RegisterError(f"{source}: the sheet '{sheet}' is empty."
                                + (" Export the register again and try again." if only else ""))
        table = table_from_text(text, source, None, [], quoted_by_hand=False)
    else:
        table = read_table(data, source)
    if not table.header:
        raise RegisterError(f"{source}: the file is empty. Export the register as CSV and try again.")
    _check_mapping(source, table.header, mapping)
    columns = match_columns(table.header, mapping)
    if dates == DMY:
        _refuse_month_first(source, {header_date_text(h) or h: f"column '{h}'" for h in table.header})
    session_columns = [(i, parse_session_header(h, dates)) for i, h in enumerate(table.header)]
    session_columns = [(i, hdr) for i, hdr in session_columns if hdr is not None]
    week_columns = [(i, (day, WEEKS)) for i, h in enumerate(table.header)
                    if (day := parse_date(h, dates)) is not None and i not in columns.values()]
    shape = shape or _detect_shape(source, table.header, columns, session_columns, week_columns)
    if shape not in SHAPES:
        raise RegisterError(f"{source}: unknown register shape {shape!r}; use long, wide, summary or weeks.")
    if shape == WEEKS:
        session_columns = week_columns
    if "pupil_id" not in columns:
        raise RegisterError(
            f"{source}: no pupil ID column. Name one column {_aliases('pupil_id')} "
            f"(or map it). {_columns_found(table.header, ('pupil_id',))}"
        )
    if shape == WIDE and not session_columns:
        raise RegisterError(
            f"{source}: no session columns. A wide register has one column per session, "
            "headed like '02/09/2024 AM' or '2024-09-02 PM'."
        )
    if shape == WEEKS and not session_columns:
        raise RegisterError(
            f"{source}: no week columns. A week-string grid has one column per week, headed by its Monday "
            "like '02/09/2024', each cell holding the week's marks from Monday AM to Friday PM."
        )
    reader = _READERS[shape](source, table, columns, session_columns, dates, today or date.today())
    register = Register(
        source=source, shape=shape, encoding=table.encoding, delimiter=None if kind else table.delimiter,
        data_rows=0, columns={f: table.header[i] for f, i in columns.items()},
        file_format=kind or "csv", sheet=sheet if kind else None, header_row=table.header_row,
    )
    return reader, register


def _refuse_month_first(source: str, where: dict[str, str]) -> None:
    """Stop if the dates (text -> where it is, e.g. "row 4") only make sense month-first."""
    example = looks_month_first(where)
    if example:
        raise RegisterError(
            f"{source}: the dates look month-first (American order): '{example}' in {where[example]} only makes "
            "sense as month/day/year, and no date in the file needs day/month/year. If the whole file is "
            "written month first, say so ('Month first' in the calculator, --dates mdy on the command line); "
            "if not, correct that date."
        )


def _columns_found(header: list[str], wanted: tuple[str, ...] = ()) -> str:
    """The first few columns of the file, and any that look like a misspelt name for a wanted field."""
    names = [h for h in header if h]
    shown = ", ".join(names[:_COLUMNS_LISTED]) + (f" and {len(names) - _COLUMNS_LISTED} more"
                                                  if len(names) > _COLUMNS_LISTED else "")
    by_name = {normalise(h): h for h in names}
    near = []
    for field_name in wanted:
        for alias in ALIASES.get(field_name, ()):
            close = difflib.get_close_matches(normalise(alias), by_name, n=1, cutoff=0.7)
            if close:
                near.append(f"'{by_name[close[0]]}' for {field_name.replace('_', ' ').replace(' id', ' ID')}")
                break
    hint = f" Nearest to what is needed: {'; '.join(near)}? Rename the column or map it." if near else ""
    return f"Columns found: {shown or 'none'}.{hint}"


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
                f"but the file has no such column. {_columns_found(header, (field_name,))}"
            )


def _detect_shape(source, header, columns, session_columns, week_columns=()) -> str:
    if "date" in columns and "mark" in columns:
        return LONG
    if session_columns:
        return WIDE
    if week_columns:
        return WEEKS
    if "possible" in columns and "present" in columns:
        return SUMMARY
    raise RegisterError(
        f"{source}: cannot tell what kind of register this is. Expected one of: "
        "long (columns Pupil ID, Date, Session, Mark, one row per session); "
        "wide (Pupil ID, then one column per session headed like '02/09/2024 AM'); "
        "summary (Pupil ID, Possible, Present, Authorised, Unauthorised); "
        "weeks (Pupil ID, then one column per week headed by its Monday like '02/09/2024'). "
        + _columns_found(header, tuple(f for f in ("pupil_id", "date", "session", "mark", "possible", "present",
                                                     "authorised", "unauthorised") if f not in columns))
    )


class _Reader:
    """Shared row handling: pupil lookup, details, marks, duplicates, legacy-code warnings."""

    def __init__(self, source: str, table: Table, columns: dict[str, int], session_columns,
                 dates: str = DMY, today: date | None = None):
        self.source = source
        self.table = table
        self.columns = columns
        self.header = table.header
        self.session_columns = session_columns
        self.dates = dates
        self.today = today or date.today()
        self.detail_columns = [(f, columns[f]) for f in PUPIL_FIELDS if f in columns]
        self._details_of = operator.itemgetter(*(i for _, i in self.detail_columns)) if self.detail_columns else None
        self.id_column = columns["pupil_id"]
        self.legacy_rows: dict[str, list[int]] = {}
        self.blank_rows: list[int] = []
        # (pupil ID, detail) -> (first value, its row, another value, that row), in the order first seen
        self.conflicts: dict[tuple[str, str], tuple[str, int, str, int]] = {}
        self._codes: dict[str, codetable.Code | None] = {}
        self._seen_details: dict[str, object] = {}
        self.marks: dict[str, dict[int, tuple[str, int]]] = {}  # pupil ID -> session key -> (code, row), while reading
        # pupil ID -> (row, session keys, code ids) of a grid row taken whole, while reading (no object per mark)
        self.whole_rows: dict[str, tuple[int, list[int], bytes]] = {}

    def fill(self, register: Register) -> None:
        self.register = register
        count = 0
        for row, cells in self.table.rows:
            count += 1
            self.read_row(row, cells)
        self.finish(count)

    def read_row(self, row: int, cells: list[str]) -> None:
        raise NotImplementedError

    def finish(self, data_rows: int, grid: SessionGrid | None = None,
               weekend: tuple[int, int] | None = None) -> None:
        """Totals, the session grid and the warnings about blank rows, legacy codes, weekends,
        details and unused columns. A reader that made the grid itself gives it, with (marks on a
        Saturday or Sunday, the first row of one); otherwise it is made from `self.marks`."""
        reg = self.register
        reg.data_rows = data_rows
        reg.blank_rows = self.blank_rows
        if data_rows == len(self.blank_rows):
            raise no_rows(self.source)
        self.check_marks()
        if grid is None and self.register.shape != SUMMARY:
            weekend = self.weekend_marks()
            grid = SessionGrid.from_marks(self.marks, {p: (keys, ids) for p, (_row, keys, ids) in self.whole_rows.items()})
            self.marks, self.whole_rows = {}, {}
        reg.grid = grid
        reg.rejected.sort(key=lambda r: r.row)  # stable: the order within a row is kept
        reg.session_count = grid.mark_count() if grid else 0
        if self.blank_rows:
            reg.warnings.append(
                f"Blank rows ignored: {rows_text(self.blank_rows)}."
            )
        for code, rows in self.legacy_rows.items():
            c = codetable.lookup(code)
            reg.warnings.append(
                f"Code {c.code} is from before August 2024 ({c.meaning[0].lower()}{c.meaning[1:]}); "
                f"found in {rows_text(rows)}. It was counted as "
                f"{codetable.CATEGORY_LABELS[c.category].lower()}."
            )
        if weekend and weekend[0]:
            self.warn_weekends(*weekend)
        self.warn_conflicts()
        used = set(self.columns.values()) | {i for i, _ in self.session_columns}
        unused = [h for i, h in enumerate(self.header) if i not in used and h]
        if unused:
            reg.warnings.append(f"Columns not used: {', '.join(unused)}.")

    def check_marks(self) -> None:
        """File-level checks of the marks once all rows are read (long registers check their dates)."""

    def weekend_marks(self) -> tuple[int, int]:
        """(marks on a Saturday or Sunday, the first row with one) in `self.marks` and `self.whole_rows`."""
        keys = session_keys(self.marks.values()) | session_keys(keys for _row, keys, _ids in self.whole_rows.values())
        weekend = {k >> 1 for k in keys if is_weekend(k >> 1)}
        if not weekend:
            return 0, 0
        rows = [row for found in self.marks.values() for k, (_, row) in found.items() if k >> 1 in weekend]
        rows += [row for row, keys, _ids in self.whole_rows.values() for k in keys if k >> 1 in weekend]
        return len(rows), min(rows)

    def warn_weekends(self, count: int, first_row: int) -> None:
        self.register.warnings.append(
            f"{count} {'mark is' if count == 1 else 'marks are'} on a Saturday or Sunday (the first in row "
            f"{first_row}). {'It was' if count == 1 else 'They were'} counted; check the dates if the school "
            "was closed at the weekend."
        )

    def warn_conflicts(self) -> None:
        """One warning naming each pupil whose details differ between rows, with the values and rows."""
        if not self.conflicts:
            return
        names = {name: self.header[index] for name, index in self.detail_columns}
        by_pupil: dict[str, list[str]] = {}
        for (pupil_id, name), (first, first_row, other, row) in self.conflicts.items():
            by_pupil.setdefault(pupil_id, []).append(f"{names[name]} '{first}' in row {first_row} but '{other}' in row {row}")
        shown = []
        for pupil_id, parts in list(by_pupil.items())[:MAX_ROWS_LISTED]:
            known_as = pupil_name(self.register.pupils[pupil_id].details)
            shown.append(f"pupil {pupil_id}{f' ({known_as})' if known_as else ''} has " + " and ".join(parts))
        more = len(by_pupil) - MAX_ROWS_LISTED
        count = len(by_pupil)
        self.register.warnings.append(
            f"{count} {'pupil has' if count == 1 else 'pupils have'} different details in different rows, so the first "
            "value was used: " + "; ".join(shown) + (f"; and {more} more {'pupil' if more == 1 else 'pupils'}" if more > 0 else "")
            + ". If the first value is wrong, correct it in your MIS and export the register again."
        )

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
        if self._details_of is not None:
            try:
                seen = self._details_of(cells)
            except IndexError:
                seen = None
            if seen is None or self._seen_details.get(pupil_id) != seen:  # skip rows repeating the last details
                self._seen_details[pupil_id] = seen
                self.read_details(pupil, row, cells)
        return pupil

    def read_details(self, pupil: Pupil, row: int, cells: list[str]) -> None:
        """The first non-blank value of each detail; a different later value is noted as a conflict."""
        for name, index in self.detail_columns:
            value = _cell(cells, index)
            if not value:
                continue
            first = pupil.details.get(name)
            if first is None:
                pupil.details[name] = value
                pupil.detail_rows[name] = row
            elif value != first:
                self.conflicts.setdefault((pupil.pupil_id, name), (first, pupil.detail_rows[name], value, row))

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
        marks = self.marks.get(pupil.pupil_id)
        if marks is None:
            marks = self.marks[pupil.pupil_id] = {}
            if pupil.pupil_id in self.whole_rows:  # a second row for a pupil whose first was taken whole
                first_row, keys, ids = self.whole_rows.pop(pupil.pupil_id)
                names = codes()
                marks.update(zip(keys, ((names[i], first_row) for i in ids)))
        first = marks.get(key)
        if first is None:
            marks[key] = (code.code, row)
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
        self.date_rows: dict[str, int] = {}  # each date as written -> the first row it is in

    def session_of(self, raw_date: str, raw_session: str) -> int | tuple[str, int]:
        """The session key, or (reason, column) when the date or session cannot be read."""
        day = parse_date(raw_date, self.dates)
        if day is None and (missing := missing_day(raw_date, self.dates)):
            return (f"'{raw_date.strip()}' is not a date: there is no {missing}. Correct the date in your "
                    "management information system and export the register again.", self.i_date)
        if day is None:
            written = "month/day/year (09/02/2024)" if self.dates != DMY else "day/month/year (02/09/2024)"
            return (f"'{raw_date.strip()}' is not a date. Write dates as {written} "
                    "or year-month-day (2024-09-02).", self.i_date)
        if day > self.today:
            return implausible_dates([day], self.today)[day], self.i_date
        session = parse_session(raw_session)
        if session is None:
            return f"'{raw_session.strip()}' is not a session. Use AM or PM.", self.i_session
        return session_key(day, session)

    def check_marks(self) -> None:
        """Refuse a month-first file; reject marks dated more than a year away from the rest."""
        if self.dates == DMY:
            _refuse_month_first(self.source, {text: f"row {row}" for text, row in self.date_rows.items()})
        far = far_days({k >> 1 for k in session_keys(self.marks.values())}, self.today)
        if not far:
            return
        column = self.header[self.i_date]
        for marks in self.marks.values():
            for key in [k for k in marks if k >> 1 in far]:
                _, row = marks.pop(key)
                self.register.rejected.append(Rejection(row, far[key >> 1], column))

    def fill(self, register: Register) -> None:
        """Rows for a pupil already seen, with the same details, a date and session already read and
        a current code as written, are taken in a few steps; any other row goes through read_row."""
        if self.fill_plain(register):
            return
        keys, exact, seen, slow, marks_of = self._keys, _EXACT_CODES, self._seen_details, self.read_row, self.marks
        cells_of = operator.itemgetter(self.id_column, self.i_date, self.i_session, self.i_mark)
        details_of = self._details_of or (lambda cells: None)
        count = 0
        for row, cells in self.table.rows:
            count += 1
            try:
                pupil_id, raw_date, raw_session, mark = cells_of(cells)
                details = details_of(cells)
            except IndexError:
                slow(row, cells)
                continue
            pupil_id = pupil_id.strip()
            marks = marks_of.get(pupil_id)
            key = keys.get((raw_date, raw_session))
            code = exact.get(mark)
            if (marks is None or not code or key is None or key.__class__ is tuple or key in marks
                    or seen.get(pupil_id) != details):
                slow(row, cells)
                continue
            marks[key] = (code, row)
        self.finish(count)

    def forget_plain_attempt(self) -> None:
        """Undo what a column reader filled before it found a row that is not plain (the pupils,
        the dates' first rows and the details that differ), so the next reader starts clean."""
        self.register.pupils.clear()
        self.date_rows.clear()
        self.conflicts.clear()

    def fill_plain(self, register: Register, data: bytes | None = None) -> bool:
        """Fill the register by columns if every row is plain: with pyarrow from the file's `data`
        when given (read/arrow_long.py), else from its text (read/long_columns.py); False, with
        nothing filled, if some row is not."""
        self.register = register
        found = arrow_long.read_arrow(self, data, _EXACT_CODES) if data is not None else None
        if found is None:
            found = read_columns(self, _EXACT_CODES)
        if found is not None:
            self.finish(*found)
        return found is not None

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
            self.date_rows.setdefault(raw[0].strip(), row)
        if key.__class__ is tuple:
            self.reject(row, key[0], key[1])
            return
        self.add_mark(pupil, key, _cell(cells, self.i_mark), row, self.i_mark)


class _WideReader(_Reader):
    def __init__(self, *args):
        super().__init__(*args)
        why = implausible_dates({d for _, (d, _) in self.session_columns}, self.today)
        # (column, session key or None, why the column's date cannot be a mark)
        self.keys = [(i, session_key(d, s)) for i, (d, s) in self.session_columns if d not in why]
        self.bad_columns = {i: why[d] for i, (d, _) in self.session_columns if d in why}
        seen: dict[int, int] = {}
        for i, key in self.keys:
            if key in seen:
                raise RegisterError(
                    f"{self.source}: columns '{self.header[seen[key]]}' and '{self.header[i]}' "
                    f"are the same session ({describe_session(key)}). Remove one of them."
                )
            seen[key] = i
        self.width = len(self.header)
        self.columns_in_order = sorted([(i, key) for i, key in self.keys] + [(i, None) for i in self.bad_columns])
        self._fast = _fast_getter([i for i, _key in self.keys]) if not self.bad_columns else None
        self._fast_keys = [key for _i, key in self.keys]

    def row_pupil(self, row: int, cells: list[str]):
        """The row's pupil; None when the row is rejected (a cell too many or too few) or names no pupil."""
        if len(cells) != self.width and any(c.strip() for c in cells):
            self.reject(row, wrong_width(len(cells), self.width))
            return None
        return self.pupil(row, cells)

    def read_row(self, row: int, cells: list[str]) -> None:
        pupil = self.row_pupil(row, cells)
        if pupil is None:
            return
        if (self._fast is not None and pupil.pupil_id not in self.marks and pupil.pupil_id not in self.whole_rows
                and self.fast_row(pupil, row, cells)):
            return
        width = len(cells)
        for i, key in self.columns_in_order:
            if i < width:
                raw = cells[i]
                if raw and not raw.isspace():  # a blank cell means no session
                    if key is None:
                        self.reject(row, self.bad_columns[i], i)
                    else:
                        self.add_mark(pupil, key, raw, row, i)


    def add_mark(self, pupil: Pupil, key: int, raw: str, row: int, column: int | str | None) -> bool:
        taken = super().add_mark(pupil, key, raw, row, column)
        if taken:
            self.register.mark_rows.add(row)
        return taken

    def fast_row(self, pupil: Pupil, row: int, cells: list[str]) -> bool:
        """Take a whole row's marks at once when every cell is blank or a current code written
        exactly as in the code table (the usual row); False leaves the row to be read cell by cell."""
        taken = self._fast(cells)
        ids = one_character_cells(taken, _ONE_CHARACTER_IDS)
        if ids is None:
            try:
                ids = bytes(map(_EXACT_IDS.get, taken))  # 0 for a blank cell
            except TypeError:  # a cell not taken whole (None)
                return False
        marks = ids.replace(b"\0", b"")
        keys = self._fast_keys if len(marks) == len(ids) else list(compress(self._fast_keys, ids))
        self.whole_rows[pupil.pupil_id] = (row, keys, marks)
        if marks:
            self.register.mark_rows.add(row)
        return True


def _fast_getter(indexes: list[int]):
    """cells -> the cells at `indexes`, as a tuple (a function running in C)."""
    if len(indexes) == 1:
        return lambda cells, i=indexes[0]: (cells[i],)
    return operator.itemgetter(*indexes)


def _exact_codes() -> dict[str, str]:
    """Cell text -> code for the cells the fast path takes: blank, or a current code as written in
    the table or in lower case. Anything else (legacy codes, spaces, unknown marks) goes cell by cell."""
    out = {"": ""}
    for c in codetable.all_codes():
        if not c.legacy:
            out[c.code] = out[c.code.lower()] = c.code
    return out


_EXACT_CODES = _exact_codes()
_EXACT_IDS = {text: code_ids()[code] if code else 0 for text, code in _EXACT_CODES.items()}  # cell -> code id, 0 blank
_ONE_CHARACTER_IDS = one_character_ids(_EXACT_IDS)


class _WeeksReader(_WideReader):
    """A week-string grid: one column per week, headed by its Monday; each cell holds up to 10 marks,
    Monday AM to Friday PM, with a space or a dash for a session with no mark."""

    def __init__(self, source, table, columns, session_columns, *args):
        for i, (day, _) in session_columns:
            if day.weekday() != 0:
                raise RegisterError(
                    f"{source}: column '{table.header[i]}' is a {day.strftime('%A')}. In a week-string grid each "
                    "column is headed by its week's Monday. Correct the heading and try again."
                )
        monday_am = [(i, (day, AM)) for i, (day, _) in session_columns]
        super().__init__(source, table, columns, monday_am, *args)

    def read_row(self, row: int, cells: list[str]) -> None:
        pupil = self.row_pupil(row, cells)
        if pupil is None:
            return
        width = len(cells)
        for i, monday_am in self.columns_in_order:
            raw = cells[i].rstrip() if i < width else ""
            if not raw.strip(NO_MARK):
                continue
            if monday_am is None:
                self.reject(row, self.bad_columns[i], i)
            elif len(raw) > WEEK_MARKS:
                self.reject(row, f"'{raw}' holds {len(raw)} marks; a week holds at most {WEEK_MARKS} (Monday AM to "
                                 "Friday PM), so none of this week's marks were counted.", i)
            else:
                for position, mark in enumerate(raw):  # session keys run AM, PM, AM...: Monday AM + position
                    if mark not in NO_MARK:
                        self.add_mark(pupil, monday_am + position, mark, row, i)


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


_READERS = {LONG: _LongReader, WIDE: _WideReader, SUMMARY: _SummaryReader, WEEKS: _WeeksReader}


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _whole_number(raw: str) -> int | None:
    m = _WHOLE.match(raw)
    return int(m.group(1)) if m else None

