"""Invariants of the reader over arbitrary bytes and mutated registers (hypothesis).

Whatever the file, the reader either refuses it with a RegisterError (one plain message) or reads
it; every data row is then counted or rejected (a long register's never both); and the pandas engine gives
exactly the pure engine's result or message.
"""

import contextlib
import importlib.util
import io
import json
from dataclasses import asdict
from datetime import date
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attendtoolkit import RegisterError, analyse
from attendtoolkit.read import register as register_module
from attendtoolkit.read.register import read_register
from attendtoolkit.read.text import lines
from attendtoolkit.synthetic import generate, long_csv, wide_csv

from ..conftest import ROOT

ENGINES = ("python", "pandas") if importlib.util.find_spec("pandas") else ("python",)
TODAY = date(2026, 1, 1)
BASES = [form(generate(5, 8, seed=seed)).encode("utf-8") for seed in (1, 2) for form in (long_csv, wide_csv)]

mutation = st.one_of(
    st.tuples(st.just("insert"), st.sampled_from([b'"', b",", b"\n", b"\r", b";", b'""', "é".encode("cp1252"),
                                                  "é".encode("utf-8"), b"\x00", b"2052", b"09/13/2024"])),
    st.tuples(st.just("delete"), st.integers(1, 6)),
    st.tuples(st.just("duplicate line"), st.just(None)),
    st.tuples(st.just("shuffle lines"), st.randoms(use_true_random=False)),
    st.tuples(st.just("cut"), st.just(None)),
)


@st.composite
def mutated_registers(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(BASES)))
    for kind, arg in draw(st.lists(mutation, min_size=1, max_size=4)):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "insert":
            data[at:at] = arg
        elif kind == "delete":
            del data[at:at + arg]
        elif kind == "cut":
            del data[at:]
        else:
            lines = bytes(data).split(b"\n")
            head, body = lines[:1], lines[1:]
            if kind == "shuffle lines":
                arg.shuffle(body)
            elif body:
                i = at % len(body)
                body.insert(i, body[i])
            data = bytearray(b"\n".join(head + body))
    return bytes(data)


def outcome(data: bytes, engine: str):
    try:
        return json.dumps(analyse(data, "r.csv", "dfe-national", engine=engine), indent=1)
    except RegisterError as exc:
        return f"error: {exc}"


def check(data: bytes) -> None:
    results = [outcome(data, engine) for engine in ENGINES]  # anything but RegisterError fails the test
    assert all(r == results[0] for r in results), "the engines differ"
    if results[0].startswith("error: "):
        return
    register = read_register(data, "r.csv", today=TODAY)
    rows = set(range(register.header_row + 1, register.header_row + register.data_rows + 1))
    pupils = register.pupils.values()
    rejected = {r.row for r in register.rejected}
    if register.shape == "long":  # a row is one mark: counted or rejected, never both
        counted = rows - rejected - set(register.blank_rows)
        assert register.session_count == len(counted), "a row was neither counted nor rejected"
        return
    # a row is a pupil: read (its marks, details or counts) or rejected, in whole or a cell of it
    counted = register.mark_rows | {p.row for p in pupils} | {row for p in pupils for row in p.detail_rows.values()}
    assert counted | rejected | set(register.blank_rows) == rows, "a row was neither counted nor rejected"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_registers())
def test_a_mutated_register_is_read_or_refused_and_both_engines_agree(data):
    check(data)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_are_read_or_refused_with_a_plain_message(data):
    check(data)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(st.characters(codec="utf-8"), max_size=6), min_size=1, max_size=5), st.integers(1, 6))
def test_arbitrary_text_cells_under_a_register_header_are_read_or_refused(cells, repeat):
    line = ",".join(cells)
    check(("UPN,Date,Session,Mark\n" + "\n".join([line] * repeat)).encode("utf-8"))


WORKBOOKS = [ROOT / "examples" / "register-long.xlsx", ROOT / "tests" / "files" / "register-long.xls"]


@st.composite
def damaged_workbooks(draw) -> bytes:
    """A workbook with bytes changed, cut out or put in anywhere (header, tables, directory, cells)."""
    data = bytearray(draw(st.sampled_from(WORKBOOKS)).read_bytes())
    for kind, size in draw(st.lists(st.tuples(st.sampled_from(["set", "cut", "insert"]), st.integers(1, 40)),
                                    min_size=1, max_size=6)):
        at = draw(st.integers(0, len(data) - 1))
        if kind == "set":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:at + size]
        else:
            data[at:at] = draw(st.binary(min_size=size, max_size=size))
    return bytes(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_workbooks())
def test_a_damaged_workbook_is_read_or_refused_with_a_plain_message(data):
    """Never a crash: python-calamine's errors and panics become a RegisterError, and a damaged .xls
    is refused before its sizes can make the reader ask for gigabytes (read/ole.py)."""
    pytest.importorskip("python_calamine")
    check(data)


@given(st.lists(st.sampled_from(["a", ",", '"', "\r", "\n", "\r\n", "é"]), max_size=60), st.integers(1, 8))
def test_the_file_is_split_into_the_same_lines_a_chunk_at_a_time(parts, chunk):
    """Lines end at \\n, \\r\\n or \\r, as io.StringIO(newline="") splits them, wherever a chunk ends."""
    text = "".join(parts)
    assert list(lines(text, chunk)) == list(io.StringIO(text, newline=""))


LONG_BASES = [long_csv(generate(4, 6, seed=seed)).encode("utf-8") for seed in (3, 4)]


def register_dump(data: bytes, columns: bool):
    """What the reader makes of `data`, with the long register's column reader on or off."""
    off = mock.patch.object(register_module, "read_columns", lambda reader, codes: None)
    try:
        with contextlib.nullcontext() if columns else off:
            register = read_register(data, "r.csv", today=TODAY)
    except RegisterError as exc:
        return f"error: {exc}"
    return asdict(register), {k: p.detail_rows for k, p in register.pupils.items()}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(LONG_BASES), st.lists(st.tuples(st.integers(0, 10_000), mutation), max_size=3),
       st.booleans())
def test_the_long_column_reader_gives_exactly_the_row_readers_register(base, edits, windows):
    """Plain files go by columns, others row by row; either way the register is the same."""
    data = bytearray(base.replace(b"\n", b"\r\n") if windows else base)
    for at, (kind, arg) in edits:
        at %= max(1, len(data))
        if kind == "insert":
            data[at:at] = arg
        elif kind == "delete":
            del data[at:at + arg]
        elif kind == "duplicate line":
            lines_ = bytes(data).split(b"\n")
            i = 1 + at % max(1, len(lines_) - 1)
            lines_.insert(i, lines_[min(i, len(lines_) - 1)])
            data = bytearray(b"\n".join(lines_))
    assert register_dump(bytes(data), columns=True) == register_dump(bytes(data), columns=False)


CELLS = st.lists(st.sampled_from(["/", "\\", "L", "N", "O", "#", "", " ", "LL", "NN", "C1", "é", "l", "!"]),
                 min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(CELLS)
def test_cells_taken_in_one_step_are_the_cells_looked_up_one_by_one(cells):
    """The one-step reading of one-character cells (read/session_grid.py) gives each cell's own
    code id, or declines: never a mark moved to the cell beside it (a blank beside 'LL')."""
    from attendtoolkit.read.session_grid import code_ids, one_character_cells, one_character_ids
    ids = code_ids()
    found = one_character_cells(cells, one_character_ids(ids))
    assert found is None or list(found) == [ids[cell] for cell in cells]


@settings(max_examples=40, deadline=None)
@given(st.lists(CELLS.map(lambda cells: (cells * 4)[:4]), min_size=1, max_size=4))
def test_wide_rows_of_any_cells_are_read_as_cell_by_cell(rows):
    """Whatever a row's cells, reading it in one step where it can be gives the register and
    rejections that reading every cell on its own gives."""
    header = ["UPN", "Forename", "Year", "02/09/2024 AM", "02/09/2024 PM", "03/09/2024 AM", "03/09/2024 PM"]
    text = "\n".join(",".join(row) for row in [header] + [[f"P{i}", "Amy", "7", *cells] for i, cells in enumerate(rows)])
    data = (text + "\n").encode("utf-8")
    at_once = read_register(data, "w.csv")
    with mock.patch.object(register_module._WideReader, "fast_row", lambda self, pupil, row, cells: False):
        by_cell = read_register(data, "w.csv")
    assert at_once.grid == by_cell.grid
    assert [r.as_json() for r in at_once.rejected] == [r.as_json() for r in by_cell.rejected]
