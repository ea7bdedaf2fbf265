"""A long register read column by column: the usual clean export in a few passes that run in C.

Most long exports repeat each pupil's details on every row and end each row with the date,
session and mark. Each line then splits from the right into its pupil part, read once per
distinct text, and its date, session and mark, looked up in small tables. `read_columns` takes
the file this way only when every row is plain: one line per row, no quotes after the pupil
part, each pupil written one way, dates and sessions it can read, a current code as written and
no session twice. Otherwise it leaves the register empty and the reader goes row by row, which
gives the same result with a message for each row that is not plain.
"""

from __future__ import annotations

import csv
from array import array
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import groupby, repeat

from attendtoolkit.read.dates import AM, far_days, is_weekend, parse_session, session_key
from attendtoolkit.read.model import Pupil
from attendtoolkit.read.session_grid import (SameSessionTwice, SessionGrid, code_ids, one_character_cells,
                                             one_character_ids)
from attendtoolkit.read.text import chunks


class _NotPlain(Exception):
    """A row the column reader cannot take as it stands."""


def read_columns(reader, exact_codes: dict[str, str], pieces: Iterator[str] | None = None
                 ) -> tuple[int, SessionGrid, tuple[int, int]] | None:
    """Fill `reader.register`'s pupils from every data row and return (how many rows there were,
    the session grid, (marks on a weekend, the first row of one)); None, with nothing filled, when
    some row is not plain. `pieces`: the file's text a piece at a time, each ending at the end of
    a line (default: the table's text), so a large file need not be held whole."""
    tail_start = min(reader.i_date, reader.i_session, reader.i_mark)
    if max([reader.id_column, *(i for _, i in reader.detail_columns)]) >= tail_start:
        return None  # a pupil column after the marks: not the usual layout
    try:
        return _Columns(reader, tail_start, exact_codes).read(pieces)
    except (_NotPlain, UnicodeDecodeError):  # a piece of a streamed file that is not UTF-8: read it whole
        reader.forget_plain_attempt()
        return None


class _Columns:
    def __init__(self, reader, tail_start: int, exact_codes: dict[str, str]):
        self.reader, self.tail_start = reader, tail_start
        self.cut = len(reader.header) - tail_start  # cells after the pupil part
        self.pupil_index: dict[str, int] = {}  # pupil part as written -> index into the register's pupils
        self.day_keys: dict[str, int] = {}  # date as written -> its morning's session key
        self.session_offsets: dict[str, int] = {}  # session as written -> 0 (AM) or 1 (PM)
        self.session_keys: dict[tuple[str, str], int] = {}  # (date, session) as written -> session key
        # the columns after the pupil part that are neither date, session nor mark (read by no check)
        self.other_tail = [j for j in range(1, self.cut + 1)
                           if tail_start - 1 + j not in (reader.i_date, reader.i_session, reader.i_mark)]
        ids = code_ids()
        self.exact_ids = {text: ids[code] for text, code in exact_codes.items() if code}  # cell -> code id
        self.one_character_ids = one_character_ids(self.exact_ids)
        # pupil index -> the (start, end) data rows of each run of its rows, in order of its first row
        self.spans: dict[int, list[tuple[int, int]]] = {}
        self.keys = array("i")
        self.codes = bytearray()  # code ids

    def read(self, pieces: Iterator[str] | None = None) -> tuple[int, SessionGrid, tuple[int, int]]:
        table = self.reader.table
        first_row = table.header_row + 1
        for lines in self._line_chunks(chunks(table.text) if pieces is None else pieces, table.header_lines):
            self._take(lines, range(first_row + len(self.codes), first_row + len(self.codes) + len(lines)))
        if not self.codes:
            raise _NotPlain
        if far_days({k >> 1 for k in self.day_keys.values()}, self.reader.today):
            raise _NotPlain  # a date far from the rest: the row reader rejects its rows
        return len(self.codes), self._grid(), self._weekend(first_row)

    def _grid(self) -> SessionGrid:
        """Each pupil's keys and code ids, from the runs of rows that are theirs."""
        pupil_ids = list(self.reader.register.pupils)
        grid = SessionGrid.over_keys(set(self.keys))
        try:  # each row is made as its runs are found: no copy of the keys is held for every pupil
            for index, spans in self.spans.items():
                if len(spans) == 1:
                    (a, b), = spans
                    grid.add_row(pupil_ids[index], self.keys[a:b], self.codes[a:b])
                else:
                    grid.add_row(pupil_ids[index], [k for a, b in spans for k in self.keys[a:b]],
                                 b"".join(self.codes[a:b] for a, b in spans))
        except SameSessionTwice:
            raise _NotPlain from None  # the row reader names the rows
        return grid

    def _weekend(self, first_row: int) -> tuple[int, int]:
        """(marks on a Saturday or Sunday, the first row with one)."""
        weekend = {k for k in self.session_keys.values() if is_weekend(k >> 1)}
        if not weekend:
            return 0, 0
        found = [i for i, k in enumerate(self.keys) if k in weekend]
        return len(found), first_row + found[0]

    @staticmethod
    def _line_chunks(pieces: Iterator[str], skip: int):
        """Lists of the data lines (the first `skip` lines are the header), a piece of text at a time."""
        for chunk in pieces:
            if "\r" in chunk:
                chunk = chunk.replace("\r\n", "\n")
                if "\r" in chunk:
                    raise _NotPlain
            lines = chunk.split("\n")
            if chunk.endswith("\n"):
                lines.pop()
            if skip:
                lines, skip = lines[skip:], max(0, skip - len(lines))
            if lines:
                yield lines

    def _take(self, lines: list[str], rows: range) -> None:
        reader, cut = self.reader, self.cut
        columns = list(zip(*map(str.rsplit, lines, repeat(reader.table.delimiter), repeat(cut))))
        if len(columns) != cut + 1:
            raise _NotPlain  # a line with fewer cells (zip stops at the shortest; none has more)
        if any('"' in "".join(columns[j]) for j in self.other_tail):
            raise _NotPlain  # a quoted cell after the pupil part may hold a delimiter: dates and marks
            # with a quote are refused below, as no date, session or code has one
        tail = self.tail_start - 1
        prefixes, dates, sessions = columns[0], columns[reader.i_date - tail], columns[reader.i_session - tail]
        marks = columns[reader.i_mark - tail]
        codes = one_character_cells(marks, self.one_character_ids)
        if codes is None:
            codes = list(map(self.exact_ids.get, marks))
            if None in codes:
                raise _NotPlain
            codes = bytes(codes)
        del columns, marks
        runs = self._pupil_runs(prefixes, rows)
        keys = self._keys(dates, sessions, rows, runs)
        start = len(self.codes)
        for index, n in runs:
            spans = self.spans.get(index)
            if spans is None:
                self.spans[index] = [(start, start + n)]
            elif spans[-1][1] == start:  # the run goes on from the last piece's
                spans[-1] = spans[-1][0], start + n
            else:
                spans.append((start, start + n))
            start += n
        self.keys.extend(keys)
        self.codes += codes

    def _keys(self, dates, sessions, rows: range, runs: list[tuple[int, int]]) -> list[int]:
        """Each row's session key. A pupil's dates and sessions are usually the same as the pupil's
        before (every pupil on the school's days): a run of rows whose texts are is given the keys
        found for that one (a comparison of the texts, not a look-up a row), unless the runs are short."""
        if len(runs) > _most_runs(len(dates)):
            return self._keys_of(dates, sessions, rows)
        keys, start, last = [], 0, None
        for _index, n in runs:
            end = start + n
            found = dates[start:end], sessions[start:end]
            if last is None or found != last[0]:
                last = found, self._keys_of(*found, rows[start:end])
            keys += last[1]
            start = end
        return keys

    def _keys_of(self, dates, sessions, rows: range) -> list[int]:
        keys = list(map(self.session_keys.get, zip(dates, sessions)))
        if None in keys:  # a date or session not seen before
            self._new_sessions(dates, sessions, rows)
            keys = list(map(self.session_keys.__getitem__, zip(dates, sessions)))
        return keys

    def _pupil_runs(self, prefixes: list[str], rows: range) -> list[tuple[int, int]]:
        """(index into the register's pupils, rows) of each run of one pupil's rows, with a pupil made
        for each pupil part not seen before. A pupil's rows usually follow one another: each run of
        them is looked up once, not each row (whose long text would be hashed), unless the runs are
        short (a file in date order)."""
        index, runs, most = self.pupil_index, [], _most_runs(len(prefixes))
        for prefix, run in groupby(prefixes):
            runs.append((prefix, len(list(run))))
            if len(runs) > most:
                first = dict(zip(reversed(prefixes), reversed(rows)))  # the last assignment wins: each text's first row
                self._new_pupils(sorted((p for p in first if p not in index), key=first.__getitem__), first)
                return [(i, len(list(run))) for i, run in groupby(map(index.__getitem__, prefixes))]
        first, row = {}, rows.start
        for prefix, n in runs:
            if prefix not in index:
                first.setdefault(prefix, row)
            row += n
        self._new_pupils(first, first)
        return [(index[prefix], n) for prefix, n in runs]

    def _new_pupils(self, new: Iterable[str], first: dict[str, int]) -> None:
        """A pupil for each of the `new` pupil parts, in order of its `first` row."""
        reader, index = self.reader, self.pupil_index
        for prefix in new:
            if prefix.count('"') % 2:
                raise _NotPlain  # a cell with a line break in it
            try:
                cells = next(csv.reader([prefix], delimiter=reader.table.delimiter))
            except csv.Error:
                raise _NotPlain from None
            pupil_id = cells[reader.id_column].strip() if len(cells) == self.tail_start else ""
            if not pupil_id or pupil_id in reader.register.pupils:
                raise _NotPlain  # no pupil ID, a cell too many or too few, or one pupil written two ways
            pupil = reader.register.pupils[pupil_id] = Pupil(pupil_id, first[prefix])
            reader.read_details(pupil, first[prefix], cells)
            index[prefix] = len(index)

    def _new_sessions(self, dates: list[str], sessions: list[str], rows: range) -> None:
        """The session key of each date and session as written, not seen before; each date's first
        row, as the row reader notes them for its month-first check."""
        reader = self.reader
        first = dict(zip(reversed(dates), reversed(rows)))
        for raw in sorted((d for d in first if d not in self.day_keys), key=first.__getitem__):
            key = reader.session_of(raw, AM)
            if key.__class__ is tuple:
                raise _NotPlain  # not a date, or a date in the future
            self.day_keys[raw] = key
            reader.date_rows.setdefault(raw.strip(), first[raw])
        for raw in dict.fromkeys(sessions):
            if raw not in self.session_offsets:
                session = parse_session(raw)
                if session is None:
                    raise _NotPlain
                self.session_offsets[raw] = session_key(date.min, session) - session_key(date.min, AM)
        for day, session in set(zip(dates, sessions)).difference(self.session_keys):
            self.session_keys[day, session] = self.day_keys[day] + self.session_offsets[session]


def _most_runs(rows: int) -> int:
    """The most runs of one pupil's rows in `rows` rows for which a run at a time is quicker than a
    row at a time (runs of 16 rows or more on average; a school's pupil has hundreds in a row)."""
    return rows // 16 + 1
