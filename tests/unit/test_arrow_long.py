"""pyarrow reads a plain long register in blocks exactly as the column reader does, and leaves any
file that is not plain to the readers that name each problem row."""

import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attendtoolkit.read import arrow_long
from attendtoolkit.read.register import load_register, read_register
from attendtoolkit.synthetic import generate, long_csv

from ..conftest import found_calls

pytest.importorskip("pyarrow")
pytestmark = pytest.mark.native

HEADER = "UPN,Forename,Year,Address,Date,Session,Mark\n"
PLAIN = HEADER + (
    "A1,Amy,7,\"1 High St, Town\",02/09/2024,AM,/\n"
    "A1,Amy,7,\"1 High St, Town\",02/09/2024,PM,O\n"
    "B2,Bo,8,,02/09/2024,AM,L\n"
    "A1,Amy,7,\"1 High St, Town\",03/09/2024,AM,\\\n"
    "B2,Bo,8,,07/09/2024,AM,/\n"       # a Saturday: warned about, as by the other readers
)


@pytest.fixture
def arrow_calls(monkeypatch):
    """Whether each read went through pyarrow (True) or was handed on (False)."""
    calls, spy = found_calls(arrow_long.read_arrow)
    monkeypatch.setattr(arrow_long, "read_arrow", spy)
    return calls


def _same(a, b) -> None:
    assert a.grid == b.grid
    assert list(a.pupils) == list(b.pupils)
    assert [p.__dict__ for p in a.pupils.values()] == [p.__dict__ for p in b.pupils.values()]
    assert (a.warnings, a.rejected, a.data_rows, a.session_count) == (b.warnings, b.rejected, b.data_rows,
                                                                      b.session_count)


@pytest.mark.parametrize("text", [
    PLAIN,
    "\ufeff" + PLAIN,
    PLAIN.replace("\n", "\r\n"),
    PLAIN.replace(",", ";").replace("\"1 High St; Town\"", "1 High St, Town"),
    long_csv(generate(40, 30, seed=3)),
], ids=["plain", "byte order mark", "CRLF", "semicolons", "generated"])
def test_a_plain_long_file_is_read_by_pyarrow_as_the_pure_reader_reads_it(text, arrow_calls):
    data = text.encode("utf-8")
    _same(read_register(data, "r.csv", engine="pandas"), read_register(data, "r.csv"))
    assert arrow_calls == [True]


@pytest.mark.parametrize("line", [
    "B2,Bo,8,,02/09/2024,PM,-\n",            # not a code
    "B2,Bo,8,,31/02/2024,PM,/\n",            # not a date
    "B2,Bo,8,,02/09/2024,noon,/\n",          # not a session
    "B2,Bob,8,,02/09/2024,PM,/\n",           # one pupil written two ways
    "B2,Bo,8,,02/09/2024,AM,O\n",            # a session twice
    ",Cy,9,,02/09/2024,AM,/\n",              # no pupil ID
    "\n",                                    # a blank line
    "C3,Cy,9,,02/09/2024,AM,/,extra\n",      # a cell too many
    "C3,Cy,9,02/09/2024,AM,/\n",             # a cell too few
    "C3,Cy,9,,02/09/2024,AM,h\n",            # a code from before August 2024
    "C3,Cy,9,,02/09/2021,AM,/\n",            # a date years away from the rest
], ids=["code", "date", "session", "two ways", "twice", "no ID", "blank", "too many", "too few", "legacy",
        "far date"])
def test_a_row_that_is_not_plain_hands_the_file_to_the_readers_that_name_it(line, arrow_calls):
    data = (PLAIN + line).encode("utf-8")
    by_pandas = read_register(data, "r.csv", engine="pandas")
    _same(by_pandas, read_register(data, "r.csv"))
    assert arrow_calls == [False]


def test_text_that_is_not_utf8_further_down_hands_the_file_on(arrow_calls):
    data = (PLAIN.encode("utf-8") + "C3,Zoë,9,,02/09/2024,AM,/\n".encode("windows-1252"))
    _same(read_register(data, "r.csv", engine="pandas"), read_register(data, "r.csv"))
    assert arrow_calls == [False]


@pytest.mark.parametrize("line", [
    b"C\xe93,Cy,9,,02/09/2024,AM,/\n",                                # the pupil ID
    b"C3,Zo\xeb,9,,02/09/2024,AM,/\nC3,Zo\xeb,9,,03/09/2024,AM,/\n",   # a detail, the same on each row
    b"A1,Am\xff,7,\"1 High St, Town\",04/09/2024,AM,/\n",             # a detail on a pupil's later row
    b"C3,Cy,9,,02/09/2024\xa0,AM,/\n",                                # the date
    b"C3,Cy,9,,02/09/2024,A\xcdM,/\n",                                # the session
    b"C3,Cy,9,,02/09/2024,AM,/\x80\n",                                # the mark
], ids=["ID", "detail", "later row", "date", "session", "mark"])
def test_a_byte_that_is_not_utf8_in_any_column_read_hands_the_file_on(tmp_path, monkeypatch, arrow_calls, line):
    """The columns read are parsed as bytes: each value kept is decoded, and any other row's cell is
    the same bytes as one kept, so a byte that is not UTF-8 anywhere in them is still found."""
    from attendtoolkit.read import register as register_module
    monkeypatch.setattr(register_module, "_HEAD", len(PLAIN))  # the encoding is chosen from the lines before
    path = tmp_path / "register.csv"
    path.write_bytes(PLAIN.encode("utf-8") + line)
    _same(load_register(path, engine="pandas"), load_register(path))
    assert arrow_calls == [False]


def test_a_byte_that_is_not_utf8_in_a_column_not_read_hands_the_file_on(tmp_path, monkeypatch, arrow_calls):
    from attendtoolkit.read import register as register_module
    head = "UPN,Forename,Note,Date,Session,Mark\nA1,Amy,ok,02/09/2024,AM,/\n".encode("utf-8")
    monkeypatch.setattr(register_module, "_HEAD", len(head))
    path = tmp_path / "register.csv"
    path.write_bytes(head + b"A1,Amy,caf\xe9,02/09/2024,PM,/\n")
    _same(load_register(path, engine="pandas"), load_register(path))
    assert arrow_calls == [False]
    path.write_bytes(head + "A1,Amy,café,02/09/2024,PM,/\n".encode("utf-8"))
    _same(load_register(path, engine="pandas"), load_register(path))
    assert arrow_calls == [False, True]


def test_a_session_marked_again_in_a_later_block_is_found(monkeypatch, arrow_calls):
    """Blocks are read one at a time; a pupil's session marked in two of them is still a repeat."""
    monkeypatch.setattr(arrow_long, "BLOCK", 64)
    data = (PLAIN + "A1,Amy,7,\"1 High St, Town\",02/09/2024,AM,N\n").encode("utf-8")
    _same(read_register(data, "r.csv", engine="pandas"), read_register(data, "r.csv"))
    assert arrow_calls == [False]


DATE_ORDER = HEADER + (  # the rows of each date together, pupil by pupil: no pupil's sessions rise row by row
    "A1,Amy,7,,02/09/2024,AM,/\n"
    "B2,Bo,8,,02/09/2024,AM,L\n"
    "A1,Amy,7,,02/09/2024,PM,O\n"
    "B2,Bo,8,,02/09/2024,PM,/\n"
    "A1,Amy,7,,03/09/2024,AM,\\\n"
    "B2,Bo,8,,03/09/2024,AM,N\n"
)
LATE_FIRST = HEADER + (  # pupil then date order, whose first date seen is not the first date
    "A1,Amy,7,,03/09/2024,AM,/\n"
    "B2,Bo,8,,02/09/2024,AM,L\n"
    "B2,Bo,8,,02/09/2024,PM,/\n"
    "B2,Bo,8,,03/09/2024,AM,N\n"
)


@pytest.mark.parametrize("text, plain", [
    (DATE_ORDER, True),
    (DATE_ORDER + "A1,Amy,7,,02/09/2024,PM,N\n", False),  # A1's Monday afternoon twice
    (LATE_FIRST, True),
    (LATE_FIRST + "B2,Bo,8,,02/09/2024,AM,/\n", False),  # B2's Monday morning twice
], ids=["by date", "by date, a session twice", "first date seen later", "first date seen later, a session twice"])
def test_a_session_twice_is_found_whatever_order_the_rows_are_in(text, plain, arrow_calls):
    """A pupil's sessions are checked for repeats in any row order: by one comparison when each pupil's
    rows come together in date order, by sorting otherwise."""
    data = text.encode("utf-8")
    _same(read_register(data, "r.csv", engine="pandas"), read_register(data, "r.csv"))
    assert arrow_calls == [plain]


def test_small_blocks_give_the_same_register_as_one_block(monkeypatch, arrow_calls):
    data = long_csv(generate(30, 25, seed=5)).encode("utf-8")
    whole = read_register(data, "r.csv", engine="pandas")
    monkeypatch.setattr(arrow_long, "BLOCK", 256)
    _same(read_register(data, "r.csv", engine="pandas"), whole)
    assert arrow_calls == [True, True]


def test_a_file_on_disk_is_read_by_pyarrow_without_reading_it_whole_first(tmp_path, arrow_calls):
    path = tmp_path / "register.csv"
    path.write_text(long_csv(generate(30, 25, seed=6)), encoding="utf-8")
    _same(load_register(path, engine="pandas"), load_register(path))
    assert arrow_calls == [True]


def test_a_cell_longer_than_the_csv_module_reads_is_refused_naming_its_row_as_the_pure_reader_does(arrow_calls):
    from attendtoolkit.read.register import RegisterError
    data = (PLAIN + "C3," + "x" * 140_000 + ",9,,02/09/2024,AM,/\n").encode("utf-8")
    messages = []
    for engine in ("pandas", "python"):
        with pytest.raises(RegisterError) as refused:
            read_register(data, "r.csv", engine=engine)
        messages.append(str(refused.value))
    assert messages[0] == messages[1] and "row 7" in messages[0]
    assert arrow_calls == [False]


def test_a_quote_left_open_at_the_end_of_the_file_is_left_to_the_reader_that_names_it(arrow_calls):
    from attendtoolkit.read.register import RegisterError
    with pytest.raises(RegisterError, match="row 7, column 'Mark': a quote mark"):
        read_register((PLAIN + 'C3,Cy,9,,02/09/2024,AM,"/').encode("utf-8"), "r.csv", engine="pandas")
    assert arrow_calls == [False]


def test_a_file_on_disk_that_is_not_plain_is_tried_by_pyarrow_once(tmp_path, arrow_calls):
    path = tmp_path / "register.csv"
    path.write_text(PLAIN + "B2,Bo,8,,02/09/2024,PM,-\n", encoding="utf-8")
    _same(load_register(path, engine="pandas"), load_register(path))
    assert arrow_calls == [False]


@pytest.fixture
def tiny_parts(monkeypatch):
    """Parts of a few hundred bytes, so that a small file is read in several; the offsets where
    each read was cut."""
    monkeypatch.setattr(arrow_long, "PART_BYTES", 300)
    cuts, cut = [], arrow_long._File.cuts
    monkeypatch.setattr(arrow_long._File, "cuts", lambda self, *a: cuts.append(cut(self, *a)) or cuts[-1])
    return cuts


@pytest.mark.parametrize("workers", [2, 3, 7])
def test_a_file_read_in_parts_on_several_cores_gives_the_register_one_pass_gives(tmp_path, tiny_parts, arrow_calls,
                                                                                  workers):
    path = tmp_path / "register.csv"
    path.write_text(long_csv(generate(12, 20, seed=8)), encoding="utf-8")
    _same(load_register(path, engine="pandas", workers=workers), load_register(path))
    assert arrow_calls == [True]
    assert len(tiny_parts[0]) == workers + 1


def test_pupils_whose_rows_are_in_several_parts_are_put_together(tmp_path, tiny_parts, arrow_calls):
    """A file sorted by date has every pupil's rows spread over every part."""
    header, *lines = long_csv(generate(6, 10, seed=9)).splitlines(keepends=True)
    lines.sort(key=lambda line: line.split(",")[-3][6:] + line.split(",")[-3][3:5] + line.split(",")[-3][:2])
    path = tmp_path / "register.csv"
    path.write_text(header + "".join(lines), encoding="utf-8")
    _same(load_register(path, engine="pandas", workers=4), load_register(path))
    assert arrow_calls == [True]
    assert len(tiny_parts[0]) == 5


@pytest.mark.parametrize("line", [
    "A1,Amy,7,\"1 High St, Town\",02/09/2024,AM,N\n",   # a session marked in an earlier part
    "A1,Amie,7,\"1 High St, Town\",04/09/2024,AM,N\n",  # a pupil written another way in an earlier part
    "C3,Cy,9,,02/09/2024,AM,-\n",                        # not a code, in a part read by another process
], ids=["twice", "two ways", "not a code"])
def test_a_row_that_is_not_plain_in_a_later_part_hands_the_file_on(tmp_path, tiny_parts, arrow_calls, capfd, line):
    path = tmp_path / "register.csv"
    days = [date(2024, 9, 9) + timedelta(days=n) for n in range(40)]
    filler = "".join(f"B2,Bo,8,,{day:%d/%m/%Y},{session},/\n" for day in days if day.weekday() < 5
                     for session in ("AM", "PM"))
    path.write_text(PLAIN + filler + line, encoding="utf-8")
    _same(load_register(path, engine="pandas", workers=3), load_register(path))
    assert arrow_calls == [False]
    assert len(tiny_parts[0]) == 4
    assert capfd.readouterr().err == ""  # the copy that found the row says nothing itself


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 9), st.integers(2, 25), st.integers(0, 1000), st.integers(2, 5), st.randoms(use_true_random=False))
def test_any_plain_file_in_any_row_order_read_in_parts_is_the_register_one_pass_reads(pupils, days, seed, workers, rnd):
    """Every row is counted once however the file is cut and whatever order its rows are in."""
    header, *lines = long_csv(generate(pupils, days, seed=seed)).splitlines(keepends=True)
    rnd.shuffle(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.csv"
        path.write_text(header + "".join(lines), encoding="utf-8")
        calls, spy = found_calls(arrow_long.read_arrow)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(arrow_long, "PART_BYTES", 200)
            patch.setattr(arrow_long, "read_arrow", spy)
            in_parts = load_register(path, engine="pandas", workers=workers)
        _same(in_parts, load_register(path))
        assert calls == [True]


@pytest.mark.parametrize("change", [lambda text: text.rstrip("\n"), lambda text: text.replace("\n", "\r\n"),
                                    lambda text: "\ufeff" + text, lambda text: "\r\n\n" + text],
                         ids=["no last line end", "CRLF", "byte order mark", "blank lines before the header"])
def test_a_file_read_in_parts_keeps_every_row_however_its_lines_end(tmp_path, tiny_parts, arrow_calls, change):
    path = tmp_path / "register.csv"
    path.write_bytes(change(long_csv(generate(8, 12, seed=11))).encode("utf-8"))
    _same(load_register(path, engine="pandas", workers=3), load_register(path))
    assert arrow_calls == [True]
    assert len(tiny_parts[0]) == 4
