"""A plain long register read by pyarrow's CSV reader in blocks, for the pandas engine.

The same rows as the column reader (read/long_columns.py) take, with the same result: each block's
pupil ID, details, date, session and mark columns are dictionary-encoded by pyarrow, the distinct
texts are read once each by the reader's own functions, and the marks are scattered into a pupils
x sessions matrix with numpy. Any row that is not plain (a pupil written two ways, a date, session
or code it cannot read, a session twice, a line with too many or too few cells, text that is not
UTF-8) gives None, and the register is read by the other readers, which name every such row.
Memory grows with pupils x school days, not with the file: a block is dropped once it is read.

A council's file is cut at line ends into parts read at the same time on several cores (in_parts.py);
the parts are then put together in the file's order, so the register is the one a single pass makes.
"""

from __future__ import annotations

import io
import re
from datetime import date
from importlib.util import find_spec
from pathlib import Path

from attendtoolkit.in_parts import Copy, can_fork
from attendtoolkit.read.dates import AM, far_days, is_weekend, parse_session, session_key
from attendtoolkit.read.model import Pupil
from attendtoolkit.read.session_grid import SessionGrid, code_ids
from attendtoolkit.read.text import MAX_CELL

BLOCK = 1 << 20  # bytes of the file parsed at a time (larger blocks were slower)
PART_BYTES = 64 << 20  # the least of a file read on a core of its own
_KEY_SPAN = 1 << 23  # more than any session key (2 x a date's ordinal): a pupil's keys sort after the pupil before's
_LINE_END = re.compile(rb"\r\n|\r|\n")


class _NotPlain(Exception):
    """A row this reader cannot take as it stands."""


def available() -> bool:
    """Whether pandas, numpy and pyarrow are installed (the `pandas` extra)."""
    return all(find_spec(name) is not None for name in ("pandas", "numpy", "pyarrow"))


def read_arrow(reader, source: bytes | Path, exact_codes: dict[str, str], parts: int = 1):
    """Fill `reader.register`'s pupils from every data row of `source` (the file's bytes or its
    path) and return (rows, the session grid, (marks on a weekend, the first row of one)); None,
    with nothing filled, when some row is not plain or pyarrow is not installed. A file of
    `parts` x PART_BYTES or more is read in that many parts at once."""
    table = reader.table
    if (not available() or reader.register.file_format != "csv" or table.encoding not in ("utf-8", "utf-8-sig")
            or table.header_lines != table.header_row
            or len(table.delimiter) != 1):
        return None
    import pyarrow as pa
    try:
        if _last_line_opens_a_quote(source):
            raise _NotPlain  # pyarrow would read it as closed at the end; the reader names the cell
        file = _File(source)
        cuts = file.cuts(table.header_lines, parts)
        read = _in_parts(reader, exact_codes, file, cuts)
        if None in read:
            raise _NotPlain
        return _joined(reader, read)
    except (_NotPlain, pa.ArrowInvalid):  # the other readers give a message for each row that is not plain
        reader.forget_plain_attempt()
        return None


def _in_parts(reader, exact_codes, file: _File, cuts: list[int]) -> list:
    """Each part between two cuts read by its own process, the first by this one; None for a part
    with a row that is not plain."""
    def part(a: int, b: int):
        try:
            return _Part(reader, exact_codes).read(file.between(a, b))
        except (_NotPlain, _arrow_invalid()):
            return None
    copies = [Copy(lambda a=a, b=b: part(a, b)) for a, b in zip(cuts[1:-1], cuts[2:])]
    try:
        return [part(cuts[0], cuts[1])] + [copy.result() for copy in copies]
    finally:
        for copy in copies:
            copy.close()


def _arrow_invalid():
    import pyarrow as pa
    return pa.ArrowInvalid


class _File:
    """The file's bytes or its path, read between two offsets."""

    def __init__(self, source: bytes | Path):
        self.source = source
        self.size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size

    def cuts(self, header_lines: int, parts: int) -> list[int]:
        """Where the data rows start, where each part after the first starts (just after a line
        end) and the file's end."""
        start = self._data_start(header_lines)
        parts = max(1, min(parts, (self.size - start) // PART_BYTES)) if can_fork() else 1
        cuts = [start]
        for k in range(1, parts):
            cut = self._after_line_end(max(cuts[-1], start + k * (self.size - start) // parts))
            if cut < self.size:
                cuts.append(cut)
        return cuts + [self.size]

    def _data_start(self, header_lines: int) -> int:
        """The offset of the first data row: after the header's lines, each ended as pyarrow and
        the text reader end them (CR LF, LF or a CR alone)."""
        length = 1 << 16
        while True:
            head = self._bytes(0, min(self.size, length))
            ends = [end.end() for _, end in zip(range(header_lines), _LINE_END.finditer(head))]
            whole = len(head) == self.size
            if len(ends) == header_lines and (whole or not ends or ends[-1] < len(head)):  # not a CR whose LF is next
                return ends[-1] if ends else 0
            if whole:
                return self.size  # the header is all there is
            length *= 2

    def _after_line_end(self, at: int) -> int:
        """The offset just after the first LF at or after `at` (the file's end if there is none)."""
        while at < self.size:
            window = self._bytes(at, min(self.size, at + (1 << 16)))
            found = window.find(b"\n")
            if found >= 0:
                return at + found + 1
            at += len(window)
        return self.size

    def _bytes(self, a: int, b: int) -> bytes:
        if isinstance(self.source, bytes):
            return self.source[a:b]
        with open(self.source, "rb") as f:
            f.seek(a)
            return f.read(b - a)

    def between(self, a: int, b: int):
        """A file object pyarrow can read, of the bytes from a to b."""
        import pyarrow as pa
        if isinstance(self.source, bytes):
            return pa.BufferReader(pa.py_buffer(self.source).slice(a, b - a))
        return io.BufferedReader(_Range(self.source, a, b), BLOCK)


class _Range(io.RawIOBase):
    """The bytes of a file from `a` to `b`, read as they are asked for."""

    def __init__(self, path: Path, a: int, b: int):
        super().__init__()
        self.file, self.left = open(path, "rb"), b - a
        self.file.seek(a)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.file.readinto(memoryview(buffer)[:self.left])
        self.left -= n
        return n

    def close(self) -> None:
        self.file.close()
        super().close()


class _Part:
    """What one part of the file holds, worked out without changing the reader (a forked copy hands
    it back): rows are counted from the part's first row (0)."""

    def __init__(self, reader, exact_codes: dict[str, str]):
        import numpy as np
        self.np = np
        self.reader = reader
        ids = code_ids()
        self.exact_ids = {text: ids[code] for text, code in exact_codes.items() if code}
        self.pupil_of: dict[str, int] = {}  # pupil ID -> row of the matrix
        self.written: list[tuple[str, ...]] = []  # each pupil's ID and details as written
        self.first_rows: list[int] = []  # each pupil's first row
        self.day_keys: dict[str, int] = {}  # date as written -> its morning's session key
        self.date_rows: dict[str, int] = {}  # date as written -> its first row
        self.slot_of_day: dict[int, int] = {}  # day ordinal -> its pair of columns in the matrix
        self.offsets: dict[str, int] = {}  # session as written -> 0 (AM) or 1 (PM)
        self.matrix = np.zeros((1024, 2 * 64), dtype=np.uint8)
        self.rows = 0
        self.weekend, self.first_weekend = 0, 0

    def read(self, file) -> _Part:
        import pyarrow as pa
        from pyarrow import csv as pacsv
        reader, table = self.reader, self.reader.table
        self.pupil_columns = _pupil_columns(reader)
        used = {*self.pupil_columns, reader.i_date, reader.i_session, reader.i_mark}
        self.others = [f"c{i}" for i in range(len(reader.header)) if i not in used]  # only their size is checked
        names = [f"c{i}" for i in range(len(reader.header))]
        kinds = {name: pa.string() if name in self.others else pa.binary() for name in names}  # see _texts
        options = (pacsv.ReadOptions(column_names=names, block_size=BLOCK),
                   pacsv.ParseOptions(delimiter=table.delimiter, newlines_in_values=False, ignore_empty_lines=False),
                   pacsv.ConvertOptions(column_types=kinds, strings_can_be_null=False, quoted_strings_can_be_null=False))
        with pacsv.open_csv(file, *options) as stream:
            for batch in stream:
                if batch.num_rows:
                    self._take(batch)
        self.matrix = self.matrix[:len(self.written), :2 * len(self.slot_of_day)]
        self.np = self.reader = None  # what is handed back is the part's figures
        return self

    def _take(self, batch) -> None:
        np, reader = self.np, self.reader
        _check_cell_sizes([batch.column(name) for name in self.others])
        pupils = self._pupils(batch)
        dates, date_index = _encoded(batch.column(f"c{reader.i_date}"))
        sessions, session_index = _encoded(batch.column(f"c{reader.i_session}"))
        marks, mark_index = _encoded(batch.column(f"c{reader.i_mark}"))
        codes = [self.exact_ids.get(text) for text in marks]
        if None in codes:
            raise _NotPlain
        slots, day_keys = self._slots(dates, date_index)
        offsets = np.array([self._offset(text) for text in sessions], dtype=np.int64)
        columns = 2 * slots[date_index] + offsets[session_index]
        self._grow(len(self.pupil_of), int(columns.max()) + 1)
        width = self.matrix.shape[1]
        cells = pupils.astype(np.int64) * width + columns
        if self._session_twice(pupils, day_keys[date_index] + offsets[session_index], cells):
            raise _NotPlain  # a session twice for a pupil in this block
        flat = self.matrix.reshape(-1)
        if flat[cells].any():
            raise _NotPlain  # a session already marked in an earlier block
        flat[cells] = np.array(codes, dtype=np.uint8)[mark_index]
        weekend = np.array([is_weekend(key >> 1) for key in day_keys.tolist()], dtype=bool)[date_index]
        if weekend.any():
            if not self.weekend:
                self.first_weekend = self.rows + int(np.argmax(weekend))
            self.weekend += int(weekend.sum())
        self.rows += batch.num_rows

    def _session_twice(self, pupils, keys, cells) -> bool:
        """Whether a pupil has a session twice among the block's rows (`keys`: each row's session
        key). A file in pupil then date order (the usual export, even from a part that starts in the
        middle of a pupil's rows) has each row's (pupil, session key) rising, which one comparison
        shows; otherwise the cells are sorted (the matrix's columns are in the order dates are first
        seen, not in date order)."""
        np = self.np
        if (np.diff(pupils.astype(np.int64) * _KEY_SPAN + keys) > 0).all():
            return False
        ordered = np.sort(cells)
        return bool((ordered[1:] == ordered[:-1]).any())

    def _pupils(self, batch):
        """The matrix row of each row's pupil; a new pupil for each ID not seen before."""
        np, reader = self.np, self.reader
        import pyarrow as pa
        import pyarrow.compute as pc
        ids = batch.column(f"c{reader.id_column}")
        continues = pc.equal(ids.slice(1), ids.slice(0, len(ids) - 1)).to_numpy(zero_copy_only=False)  # same pupil
        starts = np.flatnonzero(np.concatenate(([True], ~continues)))  # where each run of a pupil's rows starts
        texts, run_index = _encoded(ids.take(starts))  # only a run's first ID is looked up (a pupil's rows go together)
        index = np.repeat(run_index, np.diff(starts, append=len(ids)))
        firsts = starts[_first_positions(np, run_index, len(texts))]
        columns = [batch.column(f"c{i}") for i in self.pupil_columns[1:]]
        at_first = [column.take(firsts) for column in columns]
        _check_cell_sizes(at_first)
        for column, first in zip(columns, at_first):  # each pupil written one way on every row:
            same = pc.equal(column.slice(1), column.slice(0, len(column) - 1)).to_numpy(zero_copy_only=False)
            if not (same | ~continues).all():  # as the row before in a run,
                raise _NotPlain
            if len(starts) > len(texts) and not pc.all(  # and each run as the pupil's first row
                    pc.equal(column.take(starts), first.take(pa.array(run_index)))).as_py():
                raise _NotPlain
        details = [_texts(first) for first in at_first]
        rows = np.empty(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            written = (text, *(values[i] for values in details))
            pupil_id = text.strip()
            found = self.pupil_of.get(pupil_id)
            if found is None:
                if not pupil_id:
                    raise _NotPlain  # no pupil ID: the row reader rejects it or counts it blank
                found = self.pupil_of[pupil_id] = len(self.written)
                self.written.append(written)
                self.first_rows.append(self.rows + int(firsts[i]))
            elif self.written[found] != written:
                raise _NotPlain  # one pupil written two ways
            rows[i] = found
        return rows[index]

    def _slots(self, dates: list[str], index):
        """The matrix column pair and the morning's session key of each date as written (new dates
        are read as the row reader reads them, and their first row noted)."""
        np = self.np
        new = [i for i, text in enumerate(dates) if text not in self.day_keys]
        if new:
            firsts = _first_positions(np, index, len(dates))
            for i in new:
                text = dates[i]
                key = self.reader.session_of(text, AM)
                if key.__class__ is tuple:
                    raise _NotPlain  # not a date, or a date in the future
                self.day_keys[text] = key
                self.date_rows[text] = self.rows + int(firsts[i])
                self.slot_of_day.setdefault(key >> 1, len(self.slot_of_day))
        keys = [self.day_keys[text] for text in dates]
        return np.array([self.slot_of_day[key >> 1] for key in keys], dtype=np.int64), np.array(keys, dtype=np.int64)

    def _offset(self, text: str) -> int:
        if text not in self.offsets:
            session = parse_session(text)
            if session is None:
                raise _NotPlain
            self.offsets[text] = session_key(date.min, session) - session_key(date.min, AM)
        return self.offsets[text]

    def _grow(self, pupils: int, columns: int) -> None:
        np = self.np
        height, width = self.matrix.shape
        if pupils <= height and columns <= width:
            return
        grown = np.zeros((max(height, 2 * pupils if pupils > height else height), max(width, 2 * columns)),
                         dtype=np.uint8)
        grown[:height, :width] = self.matrix
        self.matrix = grown


def _joined(reader, parts: list[_Part]):
    """The parts put together in the file's order: the register's pupils filled and (rows, the
    session grid, (marks on a weekend, the first row of one)), as read_arrow returns them."""
    import numpy as np
    pupil_of: dict[str, int] = {}
    written: list[tuple[str, ...]] = []
    pupil_columns = _pupil_columns(reader)
    first = reader.table.header_row + 1  # the file's row of each part's first row
    weekend, first_weekend = 0, 0
    rows_of, new_from = [], []
    for part in parts:
        new_from.append(len(written))  # the rows of the pupils first seen in this part start here
        rows = np.empty(len(part.written), dtype=np.int64)
        for i, (seen, row) in enumerate(zip(part.written, part.first_rows)):
            pupil_id = seen[0].strip()
            found = pupil_of.get(pupil_id)
            if found is None:
                found = pupil_of[pupil_id] = len(written)
                written.append(seen)
                _add_pupil(reader, pupil_columns, pupil_id, seen, first + row)
            elif written[found] != seen:
                raise _NotPlain  # one pupil written two ways
            rows[i] = found
        rows_of.append(rows)
        for text, row in sorted(part.date_rows.items(), key=lambda item: item[1]):
            reader.date_rows.setdefault(text.strip(), first + row)
        if part.weekend and not weekend:
            first_weekend = first + part.first_weekend
        weekend += part.weekend
        first += part.rows
    if not written:
        raise _NotPlain
    days = sorted(set().union(*(part.slot_of_day for part in parts)))
    if far_days(set(days), reader.today):
        raise _NotPlain  # a date far from the rest: the row reader rejects its rows
    column_of_day = {day: i for i, day in enumerate(days)}
    matrix = np.zeros((len(written), 2 * len(days)), dtype=np.uint8)
    for part, rows, first_new in zip(parts, rows_of, new_from):
        if not len(rows):
            continue
        day_columns = np.array([2 * column_of_day[day] for day in part.slot_of_day], dtype=np.int64)
        columns = np.stack([day_columns, day_columns + 1], axis=1).reshape(-1)
        new = rows >= first_new  # in the order first seen, so the rows first_new, first_new + 1...
        matrix[first_new:first_new + int(new.sum())][:, columns] = part.matrix[new]
        if not new.all():  # pupils whose rows began in an earlier part (cut in the middle of their rows)
            cells = np.ix_(rows[~new], columns)
            before, marks = matrix[cells], part.matrix[~new]
            if (before.astype(bool) & marks.astype(bool)).any():
                raise _NotPlain  # a session marked in two parts
            matrix[cells] = before | marks
    rows_read = first - reader.table.header_row - 1
    return rows_read, SessionGrid(days, {pupil_id: matrix[i].tobytes() for pupil_id, i in pupil_of.items()}), \
        (weekend, first_weekend)


def _pupil_columns(reader) -> list[int]:
    """The columns of a pupil's ID and details, in the order a part keeps them as written."""
    return [reader.id_column] + [i for _, i in reader.detail_columns]


def _add_pupil(reader, columns: list[int], pupil_id: str, written: tuple[str, ...], row: int) -> None:
    """The register's pupil, with the details as the row reader reads them from its first row."""
    cells = [""] * len(reader.header)
    for column, value in zip(columns, written):
        cells[column] = value
    pupil = reader.register.pupils[pupil_id] = Pupil(pupil_id, row)
    reader.read_details(pupil, row, cells)


def _check_cell_sizes(columns) -> None:
    """Not plain if a cell is longer than the csv module reads (the reader says which)."""
    import pyarrow.compute as pc
    for column in columns:
        longest = pc.max(pc.binary_length(column)).as_py() or 0
        if longest > MAX_CELL and pc.max(pc.utf8_length(column.cast("string"))).as_py() > MAX_CELL:
            raise _NotPlain


def _last_line_opens_a_quote(source: bytes | Path) -> bool:
    """Whether the file's last line has an odd number of quote marks: one may open a cell that
    never closes, which the CSV reader of the text layer reports and pyarrow does not."""
    if isinstance(source, bytes):
        tail = source[-65536:]
    else:
        with open(source, "rb") as f:
            f.seek(max(0, f.seek(0, 2) - 65536))
            tail = f.read()
    return tail.rstrip(b"\r\n").rsplit(b"\n", 1)[-1].count(b'"') % 2 == 1


def _encoded(column) -> tuple[list[str], object]:
    """(the distinct texts in order of first appearance, each row's index into them); not plain if
    one is longer than a cell can be."""
    encoded = column.dictionary_encode()
    _check_cell_sizes([encoded.dictionary])
    return _texts(encoded.dictionary), encoded.indices.to_numpy(zero_copy_only=False)


def _texts(column) -> list[str]:
    """The cells of a column parsed as bytes, as text; not plain if one is not UTF-8. The columns
    read are parsed as bytes, which pyarrow does not check, and only the values kept are decoded
    (each pupil's first row, each distinct date, session and mark): every other row's cell is
    found equal to one of those, byte for byte, so it is UTF-8 too. The columns not read stay
    text, checked by pyarrow."""
    try:
        return [cell.decode("utf-8") for cell in column.to_pylist()]
    except UnicodeDecodeError:
        raise _NotPlain from None


def _first_positions(np, index, count: int):
    """The position of the first row with each index 0..count-1 (pyarrow numbers the distinct
    texts in order of first appearance, so each is where the running maximum first reaches it)."""
    rising = np.maximum.accumulate(index)
    firsts = np.flatnonzero(np.diff(rising, prepend=-1))
    if len(firsts) != count or (index[firsts] != np.arange(count)).any():
        firsts = np.full(count, len(index), dtype=np.int64)
        np.minimum.at(firsts, index, np.arange(len(index)))
    return firsts
