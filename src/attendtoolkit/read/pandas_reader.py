"""A reader for long registers built on pandas (`--engine pandas`).

A plain long file (read/long_columns.py) is read by columns as the pure reader does: that is
2.5 to 3 times faster than pandas' own parser (16,000 pupils, same run). Any other long file is
read here. It fills the same `Register` as the pure-Python reader, with the same rejections, warnings and
pupil order, so everything after reading (metrics, policy, output) is shared and results are
identical. Summaries, wide grids and week-string grids hold one row per pupil: they use the pure
reader. A file pandas cannot parse stops with the same message as the pure reader gives (an
unclosed quote names its row and column); there is no quiet fall-back.
The marks go straight into the session grid, one numpy scatter into a pupils x sessions matrix.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import warnings

from attendtoolkit.policy import codes as codetable
from attendtoolkit.read.errors import RegisterError
from attendtoolkit.read.dates import far_days
from attendtoolkit.read.model import NO_PUPIL_ID, Pupil, Register, Rejection, duplicate, no_rows, not_a_code
from attendtoolkit.read.session_grid import SessionGrid, code_ids
from attendtoolkit.read.text import (
    MAX_CELL, cell_too_big, lines, locate_unclosed_quote, runaway_cell, runs_over_rows, unclosed_quote,
)

_MORE_FIELDS = re.compile(r"Expected \d+ fields in line \d+, saw (\d+)")


def fill(reader, register: Register, data: bytes | None = None) -> None:
    """Fill `register` using pandas; same result as `reader.fill(register)`. `data`: the file's
    bytes, which pyarrow reads when the file is plain."""

    if register.shape != "long":  # summaries and grids hold one row per pupil: the pure reader takes a
        reader.fill(register)     # grid row in one step, faster than pandas (16,000 pupils wide: 3.5 s against 11 s)
        return
    if reader.fill_plain(register, data):  # pyarrow or the column reader: faster than pandas' parser on a plain file
        return
    table = reader.table
    reader.register = register
    frame = _read_frame(reader)
    _check_cell_sizes(reader, frame)
    _check_line_breaks(reader, frame)
    rows = (frame.index.to_numpy() + table.header_row + 1).tolist()
    ids = _stripped(_column(frame, reader.id_column))
    rejected: list[tuple[int, int, Rejection]] = []  # (row, column position, rejection) to sort as the pure reader
    suspect = ids == ""
    checked = frame[suspect].fillna("")
    blank = checked.apply(lambda col: col.str.strip() == "").all(axis=1).tolist()
    for position, is_blank in zip(checked.index.tolist(), blank):
        row = position + table.header_row + 1
        if is_blank:
            reader.blank_rows.append(row)
        else:
            rejected.append((row, 0, Rejection(row, NO_PUPIL_ID, reader.header[reader.id_column])))

    has_id = ~suspect
    _add_pupils(reader, register, frame, ids, has_id, rows)
    cells = _long_cells(reader, frame, ids, has_id, rows, rejected)
    grid, weekend = _add_marks(reader, register, cells, rejected)
    rejected.sort(key=lambda item: (item[0], item[1]))
    register.rejected.extend(item[2] for item in rejected)
    reader.finish(len(frame), grid, weekend)


def _read_frame(reader):
    """Every cell of every row after the header, as text; the pure reader's message if pandas cannot."""
    import pandas as pd

    table = reader.table
    width = max(len(table.header), _first_row_width(table))
    while True:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)  # never drop cells quietly
                frame = pd.read_csv(
                    _TextStream(table.text, _data_start(table)), sep=table.delimiter, header=None,
                    names=range(width), index_col=False, dtype=object, keep_default_na=False,
                    skip_blank_lines=False, engine="c", quoting=0,
                )
            if len(frame):
                return frame
            raise pd.errors.EmptyDataError("no rows after the header")
        except pd.errors.ParserError as exc:
            more = _MORE_FIELDS.search(str(exc))
            if more and int(more.group(1)) > width:
                width = int(more.group(1))  # a longer row further down: read again with room for it
                continue
            found = locate_unclosed_quote(table.text, table.delimiter)
            if found:
                raise unclosed_quote(reader.source, table.header, *found) from None
            raise RegisterError(f"{reader.source}: pandas cannot read this file ({exc}). "
                                "Read it without --engine pandas.") from None
        except pd.errors.EmptyDataError:
            found = locate_unclosed_quote(table.text, table.delimiter)
            if found:
                raise unclosed_quote(reader.source, table.header, *found) from None
            raise no_rows(reader.source) from None


class _TextStream(io.TextIOBase):
    """The text as a file pandas can read, a slice at a time (io.StringIO would hold 4 bytes a character)."""

    def __init__(self, text: str, start: int = 0):
        self._text, self._at = text, start

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        end = len(self._text) if size is None or size < 0 else self._at + size
        out, self._at = self._text[self._at:end], min(end, len(self._text))
        return out


def _data_start(table) -> int:
    """Where the rows after the header start in the text. pandas is given the text from there rather
    than told how many lines to skip: it counts a line differently when the file starts with a bare
    carriage return, and then dropped the first data row and numbered the others one too low."""
    return sum(map(len, itertools.islice(lines(table.text), table.header_lines)))


def _after_header(table):
    """The lines after the header."""
    return itertools.islice(lines(table.text), table.header_lines, None)


def _first_row_width(table) -> int:
    with _no_cell_limit():
        return len(next(csv.reader(_after_header(table), delimiter=table.delimiter), []))


def _no_cell_limit():
    from attendtoolkit.read.text import _no_cell_limit as unlimited
    return unlimited()


def _check_line_breaks(reader, frame) -> None:
    """The pure reader's message for the first cell that runs on over what look like whole rows."""
    text = reader.table.text
    if not reader.table.quoted_by_hand or _lines(text) <= reader.table.header_lines + len(frame):
        return
    first = None
    for position, column in enumerate(frame.columns):
        cells = frame[column]
        broken = cells[cells.str.contains("\n|\r", regex=True)]
        for index, cell in zip(broken.index.tolist(), broken.tolist()):
            if runs_over_rows(cell, reader.table.delimiter, len(reader.header)):
                first = min(first or (index, position), (index, position))
                break
    if first:
        index, position = first
        raise runaway_cell(reader.source, reader.header, index + reader.table.header_row + 1, position,
                           frame.iat[index, position])


def _longest_line(text: str) -> int:
    """At least the length of the longest line, in characters (counted in UTF-8 bytes, at C speed)."""
    import numpy as np
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    ends = np.concatenate(([-1], np.flatnonzero((data == 10) | (data == 13)), [len(data)]))
    return int(np.diff(ends).max())


def _lines(text: str) -> int:
    """Lines as the csv module counts them (ended by \\n, \\r or \\r\\n)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + (not text.endswith(("\n", "\r")))


def _check_cell_sizes(reader, frame) -> None:
    """The pure reader's message for the first cell (row by row) longer than a register cell can be."""
    text = reader.table.text
    if len(text) <= MAX_CELL or (_longest_line(text) <= MAX_CELL and _lines(text) <= reader.table.header_lines + len(frame)):
        return  # no line is that long and no cell runs over lines
    first = None
    for position, column in enumerate(frame.columns):
        lengths = frame[column].str.len()
        if lengths.max() > MAX_CELL:
            index = int((lengths > MAX_CELL).to_numpy().argmax())
            first = min(first or (index, position), (index, position))
    if first:
        index, position = first
        raise cell_too_big(reader.source, reader.header, index + reader.table.header_row + 1, position,
                           len(frame.iat[index, position]))


def _column(frame, index: int):
    """A column by position, blank where a row was shorter than the header."""
    import pandas as pd
    if index not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    column = frame[index]
    return column.fillna("") if column.hasnans else column


def _add_pupils(reader, register: Register, frame, ids, has_id, rows) -> None:
    """Pupils in order of first appearance, with the first non-blank value of each detail."""
    import numpy as np
    import pandas as pd

    with_id = np.flatnonzero(has_id)
    pupil_ids = ids[with_id]
    id_rows = np.asarray(rows)[with_id]
    first = pd.Series(pupil_ids).drop_duplicates()
    for pupil_id, position in zip(first.tolist(), first.index.tolist()):
        register.pupils[pupil_id] = Pupil(pupil_id, rows[with_id[position]])
    conflicts = []  # (row, detail position, pupil ID, detail, value), to keep the first per pupil and detail
    codes_of_rows, pupil_order = pd.factorize(pupil_ids)
    for order, (name, index) in enumerate(reader.detail_columns):
        values = _stripped(_column(frame, index))[with_id]
        filled = np.flatnonzero(values != "")
        if not len(filled):
            continue
        codes = codes_of_rows[filled]
        pupils_with_value, first = np.unique(codes, return_index=True)  # each pupil's first row with a value
        first_value = np.empty(len(pupil_order), dtype=object)
        first_value[pupils_with_value] = values[filled[first]]
        for code, row in zip(pupils_with_value.tolist(), id_rows[filled[first]].tolist()):
            pupil = register.pupils[pupil_order[code]]
            pupil.details[name] = first_value[code]
            pupil.detail_rows[name] = row
        for i in np.flatnonzero(values[filled] != first_value[codes]).tolist():
            conflicts.append((int(id_rows[filled[i]]), order, pupil_order[codes[i]], name, values[filled[i]]))
    for row, _, pupil_id, name, value in sorted(conflicts, key=lambda c: (c[0], c[1])):
        pupil = register.pupils[pupil_id]
        reader.conflicts.setdefault((pupil_id, name), (pupil.details[name], pupil.detail_rows[name], value, row))
    # Keep the detail order of the pure reader (the order of the columns in PUPIL_FIELDS).
    order = [name for name, _ in reader.detail_columns]
    for pupil in register.pupils.values():
        pupil.details = {k: pupil.details[k] for k in order if k in pupil.details}


def _stripped(column):
    """The column's cells trimmed, as an object array; each distinct value is trimmed once."""
    import numpy as np
    values, index = _factorize(column.to_numpy())
    return np.array([v.strip() for v in values] or [""], dtype=object)[index]


def _long_cells(reader, frame, ids, has_id, rows, rejected):
    """Arrays (pupil id, session key, raw mark, row, column) for rows whose date and session are readable."""
    import numpy as np
    import pandas as pd

    dates = _stripped(_column(frame, reader.i_date))[has_id]
    firsts = pd.Series(np.asarray(rows)[has_id], index=dates)
    firsts = firsts[~firsts.index.duplicated(keep="first")]
    reader.date_rows.update(zip(firsts.index.tolist(), firsts.tolist()))
    pairs = _column(frame, reader.i_date) + "\x1f" + _column(frame, reader.i_session)
    pair_index, pair_values = pd.factorize(pairs)
    parsed = [reader.session_of(*pair.split("\x1f", 1)) for pair in pair_values]
    readable = np.array([k.__class__ is not tuple for k in parsed], dtype=bool)
    keys = np.array([k if ok else -1 for k, ok in zip(parsed, readable)], dtype=np.int64)
    ok_row = readable[pair_index]
    for position in np.flatnonzero(has_id & ~ok_row).tolist():
        reason, column = parsed[pair_index[position]]
        rejected.append((rows[position], 0, Rejection(rows[position], reason, reader.header[column])))
    take = np.flatnonzero(has_id & ok_row)
    marks = _column(frame, reader.i_mark).to_numpy()[take]
    return (ids[take], keys[pair_index[take]], marks, np.asarray(rows)[take],
            np.full(len(take), reader.i_mark))


def _factorize(values):
    import pandas as pd
    index, uniques = pd.factorize(values)
    return list(uniques), index


def _add_marks(reader, register: Register, cells, rejected) -> tuple[SessionGrid, tuple[int, int]]:
    """The session grid and (weekend marks, first row of one). Codes are checked once per distinct
    mark; duplicates, legacy codes and far dates are handled as the pure reader does."""
    import numpy as np
    import pandas as pd

    pupil_ids, keys, raws, rows, columns = cells
    raw_values, raw_index = _factorize(raws)
    found = [codetable.lookup(raw) for raw in raw_values]
    known = np.array([c is not None for c in found], dtype=bool)[raw_index]
    for i in np.flatnonzero(~known).tolist():
        rejected.append((int(rows[i]), int(columns[i]),
                         Rejection(int(rows[i]), not_a_code(raws[i]), reader.header[columns[i]])))
    canonical = np.array([c.code if c else "" for c in found], dtype=object)[raw_index]
    legacy = np.array([bool(c and c.legacy) for c in found], dtype=bool)[raw_index]
    for i in np.flatnonzero(legacy).tolist():
        reader.legacy_rows.setdefault(canonical[i], []).append(int(rows[i]))

    take = np.flatnonzero(known)
    table = pd.DataFrame({"pupil": pupil_ids[take], "key": keys[take], "code": canonical[take],
                          "row": rows[take], "column": columns[take]})
    repeated = table.duplicated(["pupil", "key"], keep="first").to_numpy()
    if repeated.any():
        firsts = table[~repeated].set_index(["pupil", "key"])
        for pupil_id, key, code, row, column in table[repeated].itertuples(index=False):
            first = firsts.loc[(pupil_id, key)]
            reason = duplicate(pupil_id, int(key), (first["code"], int(first["row"])), code)
            rejected.append((int(row), int(column), Rejection(int(row), reason, reader.header[column])))
    kept = table[~repeated]
    pupil_ids, keys, rows = kept["pupil"].to_numpy(), kept["key"].to_numpy(), kept["row"].to_numpy()
    far = far_days(np.unique(keys >> 1).tolist(), reader.today)
    if far:
        ordinals = keys >> 1
        column = reader.header[reader.i_date]
        away = np.isin(ordinals, list(far))
        for row, ordinal in zip(rows[away].tolist(), ordinals[away].tolist()):
            rejected.append((row, reader.i_date, Rejection(row, far[ordinal], column)))
        kept, pupil_ids, keys, rows = kept[~away], pupil_ids[~away], keys[~away], rows[~away]
    ids = code_ids()
    code_id = kept["code"].map(ids).to_numpy(dtype=np.uint8)
    return _grid(list(register.pupils), pupil_ids, keys, code_id), _weekend(keys, rows)


def _grid(pupil_order: list[str], pupil_ids, keys, code_id) -> SessionGrid:
    """The session grid of the marks, scattered into a pupils x sessions matrix."""
    import numpy as np
    import pandas as pd
    days = np.unique(keys >> 1)
    columns = 2 * np.searchsorted(days, keys >> 1) + (keys & 1)
    index = pd.Index(pupil_order).get_indexer(pupil_ids)
    matrix = np.zeros((len(pupil_order), 2 * len(days)), dtype=np.uint8)
    matrix[index, columns] = code_id
    with_marks = np.unique(index).tolist()
    return SessionGrid(days.tolist(), {pupil_order[i]: matrix[i].tobytes() for i in with_marks})


def _weekend(keys, rows) -> tuple[int, int]:
    """(marks on a Saturday or Sunday, the first row with one)."""
    ordinals = keys >> 1
    weekend = (ordinals % 7 == 6) | (ordinals % 7 == 0)  # ordinal 1 (1 January of year 1) was a Monday
    return (int(weekend.sum()), int(rows[weekend].min())) if weekend.any() else (0, 0)
