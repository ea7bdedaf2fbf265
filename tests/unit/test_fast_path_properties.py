"""The fast paths of the long readers against the slow paths they replace (hypothesis).

Each long register is made from a few pupils, days and marks, in any row order and with the
things a fast path could get wrong: a pupil in two runs or written two ways, joiners and leavers,
sessions PM first, IDs with spaces around them, a session repeated or written in lower case,
blank, two-character and accented marks, rows with a cell too few or too many, CRLF. Pieces,
blocks and parts are made small so that runs of a pupil's rows cross them. The examples are
weighted so that each test fails, in a hundred or so examples, on a fast path made wrong on
purpose (the blank beside 'LL' the review found; keys reused for a run whose sessions differ; a
pupil's runs joined over another's rows; a first row taken from a later run; a pupil written two
ways or a session marked again in a later part)."""

import contextlib
import tempfile
from dataclasses import asdict
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from attendtoolkit import RegisterError, analyse
from attendtoolkit.read import arrow_long, long_columns
from attendtoolkit.read import register as register_module
from attendtoolkit.read import text as text_module
from attendtoolkit.read.register import load_register, read_register
from attendtoolkit.results.contract import json_text

pytestmark = pytest.mark.native

TODAY = date(2026, 1, 1)
HEADER = "UPN,Forename,Year,Date,Session,Mark"
MONDAY = date(2024, 9, 2)
CODES = ["/", "\\", "L", "N", "O", "B", "I", "M"]
ODD_MARKS = ["", "LL", "NN", " ", "C1", "é", "l", "#", "/ "]


@st.composite
def long_registers(draw) -> bytes:
    """A long register of a few pupils; every row its pupil's, date, session and mark (a date or
    session written in one of a few ways, a cell now and then in quotes)."""
    odd, varied = draw(st.integers(0, 2)) == 0, draw(st.booleans())
    quoted, damaged = draw(st.integers(0, 3)) == 0, draw(st.integers(0, 2)) == 0
    days = [MONDAY + timedelta(days=n) for n in range(draw(st.integers(1, 12)))]
    if not draw(st.booleans()):  # else marks on a Saturday or Sunday too (warned about)
        days = [d for d in days if d.weekday() < 5]
    pupils = []
    for n in range(draw(st.integers(1, 4))):
        pupil_id = draw(st.sampled_from([f"P{n}", f" P{n}", f"P{n} ", f"Pé{n}", f'"P{n}"']))
        name = draw(st.sampled_from([f"Amy{n}", f'"Amy{n}, J"', f'"Amy ""{n}"""']))  # quoted: a comma, quotes
        pupils.append(f"{pupil_id},{name},{7 + n % 3}")
    rows = []
    for pupil in pupils:
        joined, left = 0, len(days)
        if draw(st.integers(0, 2)) == 0:  # a joiner or a leaver: days of their own
            joined = draw(st.integers(0, len(days) - 1))
            left = draw(st.integers(joined + 1, len(days)))
        sessions = ("PM", "AM") if draw(st.integers(0, 2)) == 0 else ("AM", "PM")
        # the pupil's dates and sessions written one way (another pupil's may be written another), or any way
        way = draw(st.sampled_from(["%d/%m/%Y", "%d/%m/%Y", "%Y-%m-%d", "any"])) if varied else "%d/%m/%Y"
        session_way = draw(st.sampled_from([str, str, str.lower, " {}".format, "any"])) if varied else str
        for day in days[joined:left]:
            for session in sessions:
                written = draw(st.sampled_from([session, session.lower(), f" {session}"])) if session_way == "any" \
                    else session_way(session)
                on = (draw(st.sampled_from([f"{day:%d/%m/%Y}", f"{day:%Y-%m-%d}", f"{day.day}/{day.month}/{day.year}"]))
                      if way == "any" else day.strftime(way))
                mark = draw(st.sampled_from(CODES))
                if quoted and draw(st.integers(0, 9)) == 0:  # a cell in quotes, as some exports write them
                    on, written, mark = draw(st.sampled_from([(f'"{on}"', written, mark), (on, f'"{written}"', mark),
                                                              (on, written, f'"{mark}"')]))
                rows.append([pupil, on, written, mark])
    order = draw(st.sampled_from(["pupils", "pupils", "dates", "shuffled", "a pupil split", "a pupil split"]))
    if order == "dates":  # roughly: a date written otherwise sorts somewhere
        rows.sort(key=lambda row: (row[1][6:], row[1][3:5], row[1][:2], row[2].upper()))
    elif order == "shuffled":
        rows = draw(st.permutations(rows))
    elif order == "a pupil split":  # the rest of one pupil's rows after the others'
        pupil = draw(st.sampled_from(pupils))
        theirs = [i for i, row in enumerate(rows) if row[0] == pupil]
        at = theirs[draw(st.integers(0, len(theirs) - 1))]
        rest = [row for row in rows[at:] if row[0] == pupil]
        rows = rows[:at] + [row for row in rows[at:] if row[0] != pupil] + rest
    if odd:  # odd marks in rows next to one another, often a blank and a mark of two codes (as many
        # characters as cells, like a row of one-character codes)
        at = draw(st.integers(0, len(rows) - 1))
        for row, mark in zip(rows[at:], draw(st.one_of(st.permutations(["", "LL"]), st.permutations(["NN", "", "/"]),
                                                       st.lists(st.sampled_from(ODD_MARKS), min_size=1, max_size=3)))):
            row[3] = mark
    for _ in range(draw(st.integers(1, 2)) if damaged else 0):
        kind = draw(st.sampled_from(["repeat", "repeat", "another way", "another way", "cell too few", "cell too many",
                                     "blank line"]))
        i = draw(st.integers(0, len(rows) - 1))
        if kind == "repeat":
            rows.insert(draw(st.integers(0, len(rows))), list(rows[i]))
        elif kind == "another way":
            rows[i] = [rows[i][0].replace("Amy", "Amie"), *rows[i][1:]]
        elif kind == "cell too few":
            rows[i] = rows[i][1:]
        elif kind == "cell too many":
            rows[i] = [*rows[i], "x"]
        else:
            rows.insert(i, [""])
    end = "\r\n" if draw(st.booleans()) else "\n"
    return (end.join([HEADER, *(",".join(row) for row in rows)]) + end).encode("utf-8")


def dumped(read) -> object:
    """What `read()` makes of a register (all its fields, and each pupil's rows of details), or its message."""
    try:
        register = read()
    except RegisterError as exc:
        return f"error: {exc}"
    return asdict(register), {k: p.detail_rows for k, p in register.pupils.items()}


def register_dump(data: bytes, columns: bool):
    """What the reader makes of `data`, with the long register's column reader on or off."""
    off = mock.patch.object(register_module, "read_columns", lambda reader, codes: None)
    with contextlib.nullcontext() if columns else off:
        return dumped(lambda: read_register(data, "r.csv", today=TODAY))


def long_file(rows: list[tuple[str, str, str, str]]) -> bytes:
    """A long register of (pupil ID, date, session, mark) rows."""
    return "".join([HEADER + "\n", *(f"{p},Amy,7,{d},{s},{m}\n" for p, d, s, m in rows)]).encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_registers(), st.sampled_from([1, 70, 300, 1 << 20, 1 << 20]), st.booleans())
@example(long_file([("A", "02/09/2024", "AM", "/"), ("A", "02/09/2024", "PM", "N"),  # the same dates as the run
                    ("B", "02/09/2024", "PM", "/"), ("B", "02/09/2024", "AM", "N")]), 1 << 20, True)  # before, not sessions
@example(long_file([("A", "02/09/2024", "AM", "/"), ("B", "03/09/2024", "AM", "N"),  # a pupil's two runs with
                    ("A", "04/09/2024", "AM", "L")]), 1 << 20, True)  # another's on other days between them
def test_the_column_reader_in_small_pieces_gives_the_row_readers_register(data, piece, runs_always):
    """Whatever the row order and whatever is wrong with a row, reading by columns (pieces of a line
    to the whole file, runs of a pupil's rows taken at once or not) gives exactly the register, rejections and
    warnings that reading row by row gives."""
    most_runs = (lambda rows: rows) if runs_always else long_columns._most_runs
    with mock.patch.object(long_columns, "chunks", partial(text_module.chunks, chunk=piece)), \
            mock.patch.object(long_columns, "_most_runs", most_runs):
        by_columns = register_dump(data, columns=True)
    assert by_columns == register_dump(data, columns=False)


def results(data: bytes | Path, engine: str, workers: int = 1) -> str:
    """The results file's text, or the message refusing the register."""
    try:
        return json_text(analyse(data, "r.csv", "dfe-national", engine=engine, workers=workers))
    except RegisterError as exc:
        return f"error: {exc}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_registers())
def test_both_engines_write_the_same_results_for_any_long_register(data):
    """The pandas engine (pyarrow's reader, the batch) writes byte for byte the pure engine's results."""
    pytest.importorskip("pandas")
    assert results(data, "pandas") == results(data, "python")


THREE_PUPILS = [(f"P{n}", f"{MONDAY + timedelta(days=d):%d/%m/%Y}", s, "/") for n in range(3) for d in range(5)
                for s in ("AM", "PM")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_registers(), st.sampled_from([64, 128, 300]), st.sampled_from([150, 400]), st.integers(2, 3))
@example(long_file(THREE_PUPILS + THREE_PUPILS[:1]), 128, 150, 3)  # a row repeated in a later part
@example(long_file(THREE_PUPILS + [("P0", "09/09/2024", "AM", "/")]).replace(b"P0,Amy,7,09/09", b"P0,Amie,7,09/09"),
         128, 150, 3)  # a pupil written another way, alone in a later part
def test_pyarrow_in_small_blocks_and_parts_gives_the_pure_readers_register(data, block, part, workers):
    """A file on disk read by pyarrow in blocks and parts that cut through pupils' runs of rows (on
    several cores) gives the register, rejections and warnings, and the results, that the pure reader gives."""
    pytest.importorskip("pyarrow")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        path.write_bytes(data)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(arrow_long, "BLOCK", block)
            patch.setattr(arrow_long, "PART_BYTES", part)
            by_arrow = dumped(lambda: load_register(path, engine="pandas", workers=workers)), \
                results(path, "pandas", workers)
        assert by_arrow == (dumped(lambda: load_register(path)), results(path, "python"))


WIDE_CELLS = st.sampled_from(["/", "\\", "L", "N", "O", "", "", " ", "l", "n", "h", "H", "Y", "LL", "C1", "c1", "é",
                               "#", "X"])
WIDE_HEADER = ["UPN", "Forename", "02/09/2024 AM", "02/09/2024 PM", "03/09/2024 AM", "03/09/2024 PM", "04/09/2024 AM"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["P1", "P2", " P1", "P3"]), st.sampled_from(["Amy", "Amie"]),
                          st.one_of(st.lists(WIDE_CELLS, min_size=5, max_size=5),
                                    st.lists(WIDE_CELLS, min_size=4, max_size=6))), min_size=1, max_size=5),
       st.booleans())
def test_a_wide_register_read_a_row_at_a_time_is_the_register_read_cell_by_cell(rows, windows):
    """Rows of any cells (blank, spaces, lower case, legacy, two-character, accented, a cell too few
    or too many), a pupil in two rows, one written with spaces: taking a row's marks in one step where
    it can be gives the register, rejections and warnings that reading each cell on its own gives."""
    end = "\r\n" if windows else "\n"
    data = end.join(",".join(row) for row in [WIDE_HEADER] + [[pupil, name, *cells] for pupil, name, cells in rows])
    data = (data + end).encode("utf-8")
    at_once = register_dump(data, columns=True)
    with mock.patch.object(register_module._WideReader, "fast_row", lambda self, pupil, row, cells: False):
        assert at_once == register_dump(data, columns=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_registers(), st.integers(1, 64), st.integers(1, 400), st.booleans())
def test_a_large_file_streamed_in_small_pieces_gives_the_register_read_whole(data, block, head, bom):
    """A file large enough to be read a piece at a time (the threshold made 0), its bytes decoded
    in blocks of 1 to 64 bytes (cutting through two-byte characters) and its header found in the
    first lines: the register, rejections and warnings are those of the file read whole."""
    data = b"\xef\xbb\xbf" + data if bom else data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        path.write_bytes(data)
        whole = dumped(lambda: load_register(path))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(register_module, "STREAM_FROM", 0)
            patch.setattr(register_module, "_HEAD", head)
            patch.setattr(register_module, "file_pieces", partial(text_module.file_pieces, size=block))
            assert dumped(lambda: load_register(path)) == whole
