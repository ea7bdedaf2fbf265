"""A reader for long and wide registers built on pandas (`--engine pandas`).

It fills the same `Register` as the pure-Python reader, with the same rejections, warnings and
pupil order, so everything after reading (metrics, policy, output) is shared and results are
identical. Summary files are small: they use the pure reader. If pandas cannot parse the file
(for example rows with more cells than the header), the pure reader takes over.
Measured (benchmarks/engine.py): not yet faster than the pure reader, because both fill the
same per-pupil dictionaries; the gain would come from vectorised metrics.
"""

from __future__ import annotations

import io

from attendtoolkit.policy import codes as codetable
from attendtoolkit.read.register import NO_PUPIL_ID, Pupil, Register, Rejection, duplicate, not_a_code


def fill(reader, register: Register) -> None:
    """Fill `register` using pandas; same result as `reader.fill(register)`."""
    import pandas as pd

    if register.shape == "summary":
        reader.fill(register)
        return
    table = reader.table
    reader.register = register
    try:
        frame = pd.read_csv(
            io.StringIO(table.text), sep=table.delimiter, header=None, dtype=object,
            keep_default_na=False, skip_blank_lines=False, skiprows=table.header_row,
            engine="c", quoting=0,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        reader.table = _reparse(reader)
        reader.fill(register)
        return
    rows = (frame.index.to_numpy() + table.header_row + 1).tolist()
    ids = _stripped(_column(frame, reader.id_column))
    rejected: list[tuple[int, int, Rejection]] = []  # (row, column position, rejection) to sort as the pure reader
    no_id = frame[ids == ""].fillna("")
    blank = no_id.apply(lambda col: col.str.strip() == "").all(axis=1).tolist()
    for position, is_blank in zip(no_id.index.tolist(), blank):
        row = position + table.header_row + 1
        if is_blank:
            reader.blank_rows.append(row)
        else:
            rejected.append((row, 0, Rejection(row, NO_PUPIL_ID, reader.header[reader.id_column])))

    has_id = ids != ""
    _add_pupils(reader, register, frame, ids, has_id, rows)
    if register.shape == "long":
        cells = _long_cells(reader, frame, ids, has_id, rows, rejected)
    else:
        cells = _wide_cells(reader, frame, ids, has_id, rows)
    _add_marks(reader, register, cells, rejected)
    rejected.sort(key=lambda item: (item[0], item[1]))
    register.rejected.extend(item[2] for item in rejected)
    reader.finish(len(frame))


def _reparse(reader):
    from attendtoolkit.read.text import read_table
    return read_table(reader.table.text.encode("utf-8"))


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
    first = pd.Series(pupil_ids).drop_duplicates()
    for pupil_id, position in zip(first.tolist(), first.index.tolist()):
        register.pupils[pupil_id] = Pupil(pupil_id, rows[with_id[position]])
    for name, index in reader.detail_columns:
        values = _stripped(_column(frame, index))[with_id]
        filled = values != ""
        firsts = pd.Series(values[filled], index=pupil_ids[filled])
        firsts = firsts[~firsts.index.duplicated(keep="first")]
        for pupil_id, value in firsts.items():
            register.pupils[pupil_id].details[name] = value
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


def _wide_cells(reader, frame, ids, has_id, rows):
    """Non-blank session cells, row by row and column by column, as the pure reader visits them."""
    import numpy as np

    columns = [i for i, _ in reader.keys if i in frame]
    key_of_column = dict(reader.keys)
    grid = frame[columns].fillna("").to_numpy()[has_id]
    positions = np.flatnonzero(has_id)
    flat = grid.ravel()
    values, inverse = _factorize(flat)
    filled = np.array([bool(v.strip()) for v in values] or [False], dtype=bool)[inverse]
    cells = np.flatnonzero(filled)
    row_of_cell, column_of_cell = np.divmod(cells, len(columns))
    column_numbers = np.asarray(columns)[column_of_cell]
    return (ids[positions][row_of_cell],
            np.array([key_of_column[c] for c in columns], dtype=np.int64)[column_of_cell],
            flat[cells], np.asarray(rows)[positions][row_of_cell], column_numbers)


def _factorize(values):
    import pandas as pd
    index, uniques = pd.factorize(values)
    return list(uniques), index


def _add_marks(reader, register: Register, cells, rejected) -> None:
    """Codes checked once per distinct mark; duplicates and legacy codes handled as the pure reader does."""
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
    order = np.argsort(kept["pupil"].to_numpy(), kind="stable")
    pupil_sorted = kept["pupil"].to_numpy()[order]
    keys_sorted = kept["key"].to_numpy()[order].tolist()
    codes_sorted = kept["code"].to_numpy()[order].tolist()
    rows_sorted = kept["row"].to_numpy()[order].tolist()
    bounds = np.flatnonzero(pupil_sorted[1:] != pupil_sorted[:-1]) + 1
    starts = [0] + bounds.tolist()
    ends = bounds.tolist() + [len(pupil_sorted)]
    pupils = register.pupils
    for a, b in zip(starts, ends):
        if a < b:
            pupils[pupil_sorted[a]].marks.update(zip(keys_sorted[a:b], zip(codes_sorted[a:b], rows_sorted[a:b])))
