"""pyarrow reads a plain long register in blocks exactly as the column reader does, and leaves any
file that is not plain to the readers that name each problem row."""

import pytest

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


def test_a_session_marked_again_in_a_later_block_is_found(monkeypatch, arrow_calls):
    """Blocks are read one at a time; a pupil's session marked in two of them is still a repeat."""
    monkeypatch.setattr(arrow_long, "BLOCK", 64)
    data = (PLAIN + "A1,Amy,7,\"1 High St, Town\",02/09/2024,AM,N\n").encode("utf-8")
    _same(read_register(data, "r.csv", engine="pandas"), read_register(data, "r.csv"))
    assert arrow_calls == [False]


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
