"""Week-string grids: a column per week headed by its Monday, each cell the week's marks Monday AM to Friday PM."""

import pytest

from attendtoolkit import RegisterError, analyse
from attendtoolkit.read.dates import session_key
from attendtoolkit.read.register import read_register

from ..conftest import ROOT, MONDAY


def test_each_character_is_one_session_from_monday_morning():
    """'/\\N' in the week of 2 September: Monday AM present, Monday PM present, Tuesday AM absent (N)."""
    reg = read_register(b"UPN,02/09/2024\r\nA1,/\\N\r\n", "w.csv")
    assert reg.shape == "weeks"
    assert reg.grid.marks_of("A1") == {
        session_key(MONDAY, "AM"): "/", session_key(MONDAY, "PM"): "\\",
        session_key(MONDAY.replace(day=3), "AM"): "N"}


def test_a_space_or_a_dash_is_a_session_with_no_mark():
    reg = read_register(b"UPN,02/09/2024\r\nA1,-  /\r\n", "w.csv")
    assert list(reg.grid.marks_of("A1")) == [session_key(MONDAY.replace(day=3), "PM")]


def test_the_example_gives_the_hand_worked_figures():
    """By hand: Amy 30 of 30; Ben misses N N, I I I I and O O, 22 of 30; Cara misses 14 O, 16 of 30;
    Dev's L L count as present (late before the register closed), M M are absent, '--' no mark,
    26 of 28. Together 94 of 118 possible sessions, 79.7%; the last week ends Friday 20 September."""
    result = analyse(ROOT / "examples" / "register-weeks.csv")
    assert result["source"]["shape"] == "weeks" and result["as_of"] == "2024-09-20"
    assert [(p["possible"], p["present"]) for p in result["pupils"]] == [(30, 30), (30, 22), (30, 16), (28, 26)]
    assert (result["totals"]["possible"], result["totals"]["present"]) == (118, 94)
    assert result["rejected"] == [] and result["warnings"] == []


def test_a_week_with_more_than_ten_marks_is_rejected_whole():
    result = analyse(b"UPN,02/09/2024\r\nA1,/\\/\\/\\/\\/\\/\r\nB2,/\r\n", "w.csv")
    assert result["rejected"] == [{"row": 2, "column": "02/09/2024", "reason": (
        "'/\\/\\/\\/\\/\\/' holds 11 marks; a week holds at most 10 (Monday AM to Friday PM), so none of this "
        "week's marks were counted.")}]


def test_an_unknown_mark_is_rejected_and_the_rest_of_the_week_counted():
    result = analyse(b"UPN,02/09/2024\r\nA1,/?\\\r\n", "w.csv")
    assert [r["reason"][:33] for r in result["rejected"]] == ["'?' is not a register code. Use a"]
    assert result["pupils"][0]["possible"] == 2


def test_a_column_that_is_not_a_monday_is_refused():
    with pytest.raises(RegisterError, match="w.csv: column '03/09/2024' is a Tuesday. In a week-string grid"):
        analyse(b"UPN,03/09/2024\r\nA1,/\r\n", "w.csv")


def test_the_shape_can_be_chosen_and_both_engines_agree():
    pytest.importorskip("pandas")
    data = (ROOT / "examples" / "register-weeks.csv").read_bytes()
    assert analyse(data, "w.csv", shape="weeks") == analyse(data, "w.csv", shape="weeks", engine="pandas")
