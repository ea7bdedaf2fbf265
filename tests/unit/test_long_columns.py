"""The long register's column reader gives exactly the row reader's register, and leaves every
file that is not plain to the row reader (read/long_columns.py)."""

from dataclasses import asdict
from datetime import date

import pytest

from attendtoolkit.read import long_columns, register as register_module, text as text_module
from attendtoolkit.read.register import read_register
from attendtoolkit.synthetic import generate, long_csv

from ..conftest import found_calls

TODAY = date(2025, 1, 1)
HEADER = "UPN,Name,Year,Date,Session,Mark\n"
PLAIN = HEADER + (
    'P1,"Smith, Ann",7,02/09/2024,AM,/\n'
    'P1,"Smith, Ann",7,02/09/2024,PM,N\n'
    "P2,Bo Lee,8,02/09/2024,AM,L\n"
    'P1,"Smith, Ann",7,03/09/2024,AM,\\\n'
    "P2,Bo Lee,8,03/09/2024,pm,g\n"
)


def dump(register) -> dict:
    """Everything a register holds that results come from."""
    out = asdict(register)
    out["pupils"] = {k: (asdict(p), p.detail_rows) for k, p in register.pupils.items()}
    return out


def read_both(text: str, monkeypatch) -> tuple[dict, dict, bool]:
    """(column reader's register, row reader's register, whether the column reader took the file)."""
    taken = []

    def spy(reader, codes):
        count = long_columns.read_columns(reader, codes)
        taken.append(count is not None)
        return count

    with monkeypatch.context() as m:
        m.setattr(register_module, "read_columns", spy)
        columns = dump(read_register(text.encode(), "r.csv", today=TODAY))
    with monkeypatch.context() as m:
        m.setattr(register_module, "read_columns", lambda reader, codes: None)
        rows = dump(read_register(text.encode(), "r.csv", today=TODAY))
    return columns, rows, taken == [True]


def test_a_plain_long_register_is_read_by_columns_with_the_row_readers_result(monkeypatch):
    columns, rows, taken = read_both(PLAIN, monkeypatch)
    assert taken
    assert columns == rows
    assert columns["grid"].marks_of("P1")[date(2024, 9, 2).toordinal() * 2 + 1] == "N"
    assert columns["pupils"]["P2"][0]["details"]["name"] == "Bo Lee"


def _rows(pupil: str, days: list[int]) -> str:
    return "".join(f"{pupil},{day:02d}/09/2024,{session},/\n" for day in days for session in ("AM", "PM"))


def test_pupils_whose_rows_follow_one_another_are_read_by_columns_with_the_row_readers_result(monkeypatch):
    """Each run of a pupil's rows is looked up once; a pupil's rows may come in more than one run."""
    ann, bo = 'P1,"Smith, Ann",7', "P2,Bo Lee,8"
    text = HEADER + _rows(ann, [2, 3, 4, 5, 6]) + _rows(bo, [2, 3, 4, 5, 6, 9, 10, 11]) + _rows(ann, [9, 10, 11])
    columns, rows, taken = read_both(text, monkeypatch)
    assert taken
    assert columns == rows
    assert list(columns["pupils"]) == ["P1", "P2"] and columns["pupils"]["P1"][0]["row"] == 2
    assert len(columns["grid"].marks_of("P1")) == 16


def test_pupils_on_the_same_days_share_their_session_keys_and_a_session_written_otherwise_is_read_anew(monkeypatch):
    days = [2, 3, 4, 5, 6, 9, 10]
    text = (HEADER + _rows("P1,Ann,7", days) + _rows("P2,Bo,8", days)
            + _rows("P3,Cy,9", days).replace(",AM,", ",am,") + _rows("P4,Di,9", days[1:]))
    columns, rows, taken = read_both(text, monkeypatch)
    assert taken
    assert columns == rows
    assert columns["grid"].marks_of("P3") == columns["grid"].marks_of("P1")


def test_a_pupil_written_two_ways_in_runs_of_rows_is_left_to_the_row_reader(monkeypatch):
    text = HEADER + _rows('P1,"Smith, Ann",7', [2, 3, 4, 5, 6]) + _rows("P1,Ann Smith,7", [9, 10, 11])
    columns, rows, taken = read_both(text, monkeypatch)
    assert not taken
    assert columns == rows


@pytest.mark.parametrize("marks, plain", [("/\\lo", True), ("/C1\\", True), ("/é\\", False), ("/ \\", False),
                                          ("/!\\", False)], ids=str)
def test_marks_of_one_character_or_more_are_read_by_columns_as_by_rows(marks, plain, monkeypatch):
    cells = ["C1" if m == "C" else m for m in marks.replace("C1", "C")]
    text = HEADER + "".join(f"P1,Ann,7,{day:02d}/09/2024,AM,{mark}\n" for day, mark in zip((2, 3, 4, 5), cells))
    columns, rows, taken = read_both(text, monkeypatch)
    assert taken == plain
    assert columns == rows


@pytest.mark.parametrize("cells", [["/", "", "\\", "LL"], ["", "NN", "/", "\\"]], ids=str)
def test_a_blank_mark_and_a_two_character_mark_are_read_by_columns_as_by_rows(cells, monkeypatch):
    """Their characters add up to one a cell, but no mark may move to the session beside it."""
    text = HEADER + "".join(f"P1,Ann,7,{day:02d}/09/2024,AM,{mark}\n" for day, mark in zip((2, 3, 4, 5), cells))
    columns, rows, taken = read_both(text, monkeypatch)
    assert columns == rows


def test_windows_line_endings_are_read_by_columns(monkeypatch):
    columns, rows, taken = read_both(PLAIN.replace("\n", "\r\n"), monkeypatch)
    assert taken and columns == rows


@pytest.mark.parametrize("text", [
    pytest.param(PLAIN + "P2,Bo Lee,8,03/09/2024,PM,/\n", id="a session given twice"),
    pytest.param(PLAIN + "P2,Bo Lea,8,04/09/2024,AM,/\n", id="one pupil written two ways"),
    pytest.param(PLAIN + 'P3,"Ann\nSmith",7,02/09/2024,AM,/\n', id="a line break inside a name"),
    pytest.param(PLAIN + "P3,Cy,7,02/09/2024,AM,F\n", id="a code from before August 2024"),
    pytest.param(PLAIN + "P3,Cy,7,02/09/2024,AM,?\n", id="not a code"),
    pytest.param(PLAIN + "P3,Cy,7,02/09/2024,AM,\n", id="no mark"),
    pytest.param(PLAIN + "\n" + "P3,Cy,7,02/09/2024,AM,/\n", id="a blank row"),
    pytest.param(PLAIN + "P3,Cy,7,02/09/2052,AM,/\n", id="a date in the future"),
    pytest.param(PLAIN + "P3,Cy,7,2/9,AM,/\n", id="not a date"),
    pytest.param(PLAIN + "P3,Cy,7,02/09/2024,noon,/\n", id="not a session"),
    pytest.param(PLAIN + 'P3,Cy,7,02/09/2024,AM,"/"\n', id="a quoted mark"),
    pytest.param(PLAIN + ",Cy,7,02/09/2024,AM,/\n", id="no pupil ID"),
    pytest.param(PLAIN + "P3,Cy,Jones,7,02/09/2024,AM,/\n", id="a cell too many"),
    pytest.param(PLAIN.replace("\n", "\r", 2), id="old Mac line endings"),
    pytest.param("Date,Session,Mark,UPN\n02/09/2024,AM,/,P1\n", id="the pupil after the marks"),
    pytest.param(HEADER.replace("\n", ",Note\n") + 'P1,A,7,02/09/2024,AM,/,"ill, rang"\n', id="a quoted note"),
])
def test_a_file_that_is_not_plain_is_left_to_the_row_reader(text, monkeypatch):
    columns, rows, taken = read_both(text, monkeypatch)
    assert not taken
    assert columns == rows


def test_an_unused_column_after_the_mark_is_read_by_columns(monkeypatch):
    text = HEADER.replace("\n", ",Note\n") + "P1,A,7,02/09/2024,AM,/,rang\nP1,A,7,02/09/2024,PM,N,\n"
    columns, rows, taken = read_both(text, monkeypatch)
    assert taken and columns == rows
    assert "Columns not used: Note." in columns["warnings"]



def streamed_and_whole(data: bytes, tmp_path, monkeypatch) -> tuple[dict, dict, list]:
    """(register read a piece at a time, register read whole, whether each load was streamed)."""
    path = tmp_path / "council.csv"
    path.write_bytes(data)
    streamed, spy = found_calls(register_module._stream_plain_long)
    with monkeypatch.context() as m:
        m.setattr(register_module, "STREAM_FROM", 0)
        m.setattr(register_module, "_HEAD", 120)  # the header and a line or two
        m.setattr(register_module, "_stream_plain_long", spy)
        m.setattr(text_module, "file_pieces", lambda p, e, size=64: real_pieces(p, e, size))
        m.setattr(register_module, "file_pieces", lambda p, e, size=64: real_pieces(p, e, size))
        pieces = dump(register_module.load_register(path))
    return pieces, dump(read_register(data, "council.csv")), streamed


real_pieces = text_module.file_pieces


def test_a_large_plain_long_register_is_read_a_piece_at_a_time_with_the_same_result(tmp_path, monkeypatch):
    """A council's file is not held whole: the column reader takes it 64 characters at a time here."""
    data = long_csv(generate(12, 15)).encode("utf-8")
    pieces, whole, streamed = streamed_and_whole(data, tmp_path, monkeypatch)
    assert streamed == [True] and pieces == whole


@pytest.mark.parametrize("tail", [
    pytest.param("P9,Zoë Ng,7,04/09/2024,AM,/\n".encode("cp1252"), id="a Windows-1252 line at the end"),
    pytest.param(b'P9,"Ng\nZo",7,04/09/2024,AM,/\n', id="a line break in a quoted cell"),
    pytest.param(b"P9,Zo Ng,7,04/09/2024,AM,?\n", id="a mark that is not a code"),
])
def test_a_large_file_that_is_not_plain_further_down_is_read_whole_with_the_same_result(tail, tmp_path, monkeypatch):
    data = HEADER.encode() + PLAIN[len(HEADER):].encode() * 3 + tail
    pieces, whole, streamed = streamed_and_whole(data, tmp_path, monkeypatch)
    assert streamed == [False] and pieces == whole
