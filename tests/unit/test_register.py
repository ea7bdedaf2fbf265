"""Register import: shapes, encodings, delimiters, aliases, and every row counted or rejected."""

from datetime import date

import pytest

from attendtoolkit.read.dates import session_key
from attendtoolkit.read import register as register_module
from attendtoolkit.read.register import RegisterError, read_register

from ..conftest import long_register, present, to_csv


def marks(register, pupil_id):
    return register.grid.marks_of(pupil_id)


def test_long_register_is_detected_and_read():
    reg = read_register(long_register({"A": present(1) + ["I", "I"]}), "r.csv")
    assert reg.shape == "long"
    assert marks(reg, "A") == {
        session_key(date(2024, 9, 2), "AM"): "/", session_key(date(2024, 9, 2), "PM"): "\\",
        session_key(date(2024, 9, 3), "AM"): "I", session_key(date(2024, 9, 3), "PM"): "I",
    }
    assert reg.rejected == [] and reg.data_rows == 4


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_files_are_read(delimiter):
    data = to_csv(["UPN", "Date", "Session", "Mark"], [["A", "2024-09-02", "am", "/"]], delimiter)
    reg = read_register(data, "r.csv")
    assert marks(reg, "A") == {session_key(date(2024, 9, 2), "AM"): "/"}


def test_utf8_with_byte_order_mark():
    data = "\ufeffUPN,Forename,Date,Session,Mark\nA,Zoë,02/09/2024,AM,/\n".encode("utf-8")
    reg = read_register(data, "r.csv")
    assert reg.pupils["A"].details["forename"] == "Zoë"
    assert reg.encoding == "utf-8-sig"


def test_windows_1252_falls_back_with_a_warning():
    data = "UPN,Forename,Date,Session,Mark\nA,Zoë,02/09/2024,AM,/\n".encode("cp1252")
    reg = read_register(data, "r.csv")
    assert reg.pupils["A"].details["forename"] == "Zoë"
    assert any("Windows-1252" in w for w in reg.warnings)


def test_mis_column_names_are_recognised():
    header = ["Adno", "Legal Surname", "Forename", "Reg Group", "Year", "SEN", "FSM",
              "Attendance Date", "AM/PM", "Attendance Code"]
    row = ["1001", "Khan", "Amira", "7K", "7", "K", "Y", "02/09/2024", "AM", "/"]
    reg = read_register(to_csv(header, [row]), "r.csv")
    assert reg.pupils["1001"].details == {"surname": "Khan", "forename": "Amira", "reg_group": "7K",
                                          "year_group": "7", "sen": "K", "fsm": "Y"}


def test_summary_headings_as_mis_reports_write_them_are_recognised():
    """Possible Marks, Present Marks, Approved Educational Activity (AEA), Late Marks: a summary report."""
    header = ["Adno", "Legal Surname", "Legal Forename", "Registration Form", "Possible Marks", "Present Marks",
              "Approved Educational Activity (AEA)", "Authorised Absence Marks", "Unauthorised Absence Marks",
              "Late Marks", "Late (after registers closed)"]
    reg = read_register(to_csv(header, [["0042", "Khan", "Amira", "7K", "100", "88", "2", "6", "4", "3", "1"]]), "r.csv")
    assert reg.shape == "summary" and list(reg.columns) == [
        "pupil_id", "surname", "forename", "reg_group", "possible", "present", "aea", "authorised", "unauthorised",
        "late_before_close", "late_after_close"]
    summary = reg.pupils["0042"].summary
    assert (summary.possible, summary.present, summary.aea, summary.late_before_close) == (100, 88, 2, 3)


def test_wide_and_long_registers_with_the_month_named_are_read():
    wide = read_register(to_csv(["Student", "Adno", "Mon 02 Sep 2024 AM", "Mon 02 Sep 2024 PM"],
                                [["Amy Adams", "7", "/", "\\"]]), "r.csv")
    assert wide.shape == "wide" and len(wide.grid.marks_of("7")) == 2 and wide.pupils["7"].details["name"] == "Amy Adams"
    long = read_register(to_csv(["UPN", "Date", "Session", "Mark"], [["A", "2 September 2024", "AM", "/"],
                                                                   ["A", "13-Sep-24", "PM", "/"]]), "r.csv")
    assert long.last_date() == date(2024, 9, 13) and long.rejected == []


def test_a_mapping_overrides_the_aliases():
    header = ["Learner", "Day", "Half", "Mark"]
    data = to_csv(header, [["A", "02/09/2024", "PM", "O"]])
    reg = read_register(data, "r.csv", mapping={"pupil_id": "Learner", "date": "Day", "session": "Half"})
    assert marks(reg, "A") == {session_key(date(2024, 9, 2), "PM"): "O"}


def test_a_mapping_to_a_missing_column_names_the_column():
    with pytest.raises(RegisterError, match="no such column.*Columns found"):
        read_register(long_register({"A": ["/"]}), "r.csv", mapping={"pupil_id": "Learner"})


def test_no_pupil_id_column_names_the_file_and_what_was_expected():
    data = to_csv(["Child", "Date", "Session", "Mark"], [["A", "02/09/2024", "AM", "/"]])
    with pytest.raises(RegisterError) as err:
        read_register(data, "autumn.csv")
    assert "autumn.csv" in str(err.value) and "UPN" in str(err.value) and "Child" in str(err.value)


def test_unrecognisable_shape_names_the_file_and_the_shapes():
    data = to_csv(["UPN", "Name", "Notes"], [["A", "Amy", "x"]])
    with pytest.raises(RegisterError) as err:
        read_register(data, "notes.csv")
    message = str(err.value)
    assert "notes.csv" in message and "long" in message and "wide" in message and "summary" in message


def test_an_empty_file_is_an_error():
    with pytest.raises(RegisterError, match="empty.csv: the file is empty"):
        read_register(b"\n\n", "empty.csv")


def test_long_register_without_session_column_says_what_is_missing():
    data = to_csv(["UPN", "Date", "Mark"], [["A", "02/09/2024", "/"]])
    with pytest.raises(RegisterError, match="missing: session"):
        read_register(data, "r.csv")


def test_a_day_that_does_not_exist_is_rejected_saying_which_day_and_what_to_do():
    """The date is day first, as asked, but September has 30 days: the reason names the day and how to correct it."""
    data = to_csv(["UPN", "Date", "Session", "Mark"], [["A", "02/09/2024", "PM", "/"], ["A", "31/09/2024", "AM", "/"]])
    [rejection] = read_register(data, "r.csv").rejected
    assert (rejection.row, rejection.column) == (3, "Date")
    assert rejection.reason == ("'31/09/2024' is not a date: there is no 31 September 2024. Correct the date in your "
                                "management information system and export the register again.")


@pytest.mark.parametrize("cells,column,reason", [
    (["", "02/09/2024", "AM", "/"], "UPN", "No pupil ID"),
    (["A", "31/02/2024", "AM", "/"], "Date", "is not a date"),
    (["A", "02/09/2024", "noon", "/"], "Session", "is not a session"),
    (["A", "02/09/2024", "AM", "-"], "Mark", "'-' is not a register code"),
    (["A", "02/09/2024", "AM", ""], "Mark", "'blank' is not a register code"),
    (["A", "02/09/2024", "AM", "@"], "Mark", "'@' is not a register code"),
])
def test_bad_rows_are_rejected_with_row_column_and_reason(cells, column, reason):
    data = to_csv(["UPN", "Date", "Session", "Mark"], [["A", "02/09/2024", "PM", "/"], cells])
    reg = read_register(data, "r.csv")
    assert len(reg.rejected) == 1
    rejection = reg.rejected[0]
    assert rejection.row == 3 and rejection.column == column and reason in rejection.reason


def test_a_duplicate_session_with_another_mark_is_rejected_naming_the_first_row():
    rows = [["A", "02/09/2024", "AM", "/"], ["A", "2024-09-02", "am", "O"]]
    reg = read_register(to_csv(["UPN", "Date", "Session", "Mark"], rows), "r.csv")
    assert marks(reg, "A") == {session_key(date(2024, 9, 2), "AM"): "/"}
    assert reg.rejected[0].row == 3 and "from row 2" in reg.rejected[0].reason


def test_an_exact_repeat_is_listed_and_counted_once():
    rows = [["A", "02/09/2024", "AM", "/"], ["A", "02/09/2024", "AM", "/"]]
    reg = read_register(to_csv(["UPN", "Date", "Session", "Mark"], rows), "r.csv")
    assert len(marks(reg, "A")) == 1
    assert "Repeats row 2" in reg.rejected[0].reason


def test_blank_rows_are_reported_not_silently_dropped():
    data = b"UPN,Date,Session,Mark\nA,02/09/2024,AM,/\n,,,\n\nA,02/09/2024,PM,\\\n"
    reg = read_register(data, "r.csv")
    assert any("Blank rows ignored: rows 3, 4" in w for w in reg.warnings)


def test_legacy_codes_are_counted_with_a_warning_naming_the_rows():
    data = to_csv(["UPN", "Date", "Session", "Mark"], [["A", "02/09/2024", "AM", "h"]])
    reg = read_register(data, "r.csv")
    assert marks(reg, "A") == {session_key(date(2024, 9, 2), "AM"): "H"}
    assert any("Code H is from before August 2024" in w and "row 2" in w for w in reg.warnings)


def test_every_data_row_is_counted_or_rejected():
    rows = [["A", "02/09/2024", "AM", "/"], ["A", "02/09/2024", "AM", "O"], ["", "02/09/2024", "AM", "/"],
            ["B", "bad", "AM", "/"], ["B", "02/09/2024", "PM", "Q"], ["B", "02/09/2024", "PM", "?"]]
    reg = read_register(to_csv(["UPN", "Date", "Session", "Mark"], rows), "r.csv")
    assert reg.data_rows == len(rows) == reg.session_count + len(reg.rejected)


def test_pupil_details_come_from_the_first_row_that_has_them():
    header = ["UPN", "Forename", "Date", "Session", "Mark"]
    rows = [["A", "", "02/09/2024", "AM", "/"], ["A", "Amy", "02/09/2024", "PM", "\\"]]
    reg = read_register(to_csv(header, rows), "r.csv")
    assert reg.pupils["A"].details == {"forename": "Amy"}


# Wide grid -------------------------------------------------------------------------------------

WIDE_HEADER = ["UPN", "Forename", "Year", "Mon 02/09/2024 AM", "Mon 02/09/2024 PM", "2024-09-03 AM",
               "03/09/2024 PM"]


def test_wide_grid_is_detected_and_blank_cells_mean_no_session():
    data = to_csv(WIDE_HEADER, [["A", "Amy", "7", "/", "\\", "", "O"]])
    reg = read_register(data, "w.csv")
    assert reg.shape == "wide"
    assert marks(reg, "A") == {session_key(date(2024, 9, 2), "AM"): "/",
                               session_key(date(2024, 9, 2), "PM"): "\\",
                               session_key(date(2024, 9, 3), "PM"): "O"}
    assert reg.pupils["A"].details == {"forename": "Amy", "year_group": "7"}


def test_a_bad_cell_in_a_wide_grid_is_rejected_by_row_and_column_and_the_rest_counted():
    data = to_csv(WIDE_HEADER, [["A", "Amy", "7", "/", "!", "I", "I"]])
    reg = read_register(data, "w.csv")
    assert len(marks(reg, "A")) == 3
    assert reg.rejected[0].row == 2 and reg.rejected[0].column == "Mon 02/09/2024 PM"


@pytest.mark.parametrize("cells", [["/", "l", "o", "#"], ["/", "C1", "i", "\\"], ["/", "", "O", "é"], ["/", " ", "O", "O"],
                                   ["/", "Y", "O", "O"], ["/", "!", "o", "O"],
                                   ["/", "", "O", "LL"], ["", "NN", "/", "O"]], ids=str)  # a blank and a two-character cell
def test_a_wide_row_of_one_character_cells_reads_as_cell_by_cell(cells, monkeypatch):
    """A row whose every cell is one character is taken in one step; any other row, cell by cell or
    a cell at a time: the same register either way."""
    data = to_csv(WIDE_HEADER, [["A", "Amy", "7", *cells], ["B", "Bo", "8", "/", "\\", "/", "\\"]])
    at_once = read_register(data, "w.csv")
    monkeypatch.setattr(register_module._WideReader, "fast_row", lambda self, pupil, row, cells: False)
    by_cell = read_register(data, "w.csv")
    assert (at_once.grid.marks_of("A"), at_once.grid.marks_of("B")) == (by_cell.grid.marks_of("A"), by_cell.grid.marks_of("B"))
    assert [r.as_json() for r in at_once.rejected] == [r.as_json() for r in by_cell.rejected]
    assert at_once.warnings == by_cell.warnings


def test_two_columns_for_the_same_session_are_an_error():
    header = ["UPN", "02/09/2024 AM", "2024-09-02 AM"]
    with pytest.raises(RegisterError, match="same session"):
        read_register(to_csv(header, [["A", "/", "/"]]), "w.csv")


def test_unused_columns_are_reported():
    data = to_csv(WIDE_HEADER + ["Total %"], [["A", "Amy", "7", "/", "\\", "/", "\\", "100"]])
    assert any("Columns not used: Total %" in w for w in read_register(data, "w.csv").warnings)


def test_shape_can_be_forced():
    data = to_csv(["UPN", "Possible", "Present", "Authorised", "Unauthorised", "02/09/2024 AM"],
                  [["A", "2", "1", "1", "0", "/"]])
    assert read_register(data, "r.csv").shape == "wide"
    assert read_register(data, "r.csv", shape="summary").shape == "summary"


# Summary -----------------------------------------------------------------------------------------

SUMMARY_HEADER = ["UPN", "Possible Sessions", "Present", "AEA", "Authorised Absence",
                  "Unauthorised Absence", "Late"]


def test_summary_counts_are_read():
    reg = read_register(to_csv(SUMMARY_HEADER, [["A", "120", "100", "2", "12", "6", "4"]]), "s.csv")
    s = reg.pupils["A"].summary
    assert reg.shape == "summary"
    assert (s.possible, s.present, s.aea, s.authorised, s.unauthorised, s.late_before_close) == (120, 100, 2, 12, 6, 4)
    assert s.late_after_close is None


def test_summary_counts_that_do_not_add_up_are_rejected():
    reg = read_register(to_csv(SUMMARY_HEADER, [["A", "120", "100", "2", "12", "5", ""]]), "s.csv")
    assert "A" not in reg.pupils
    assert "should equal" in reg.rejected[0].reason and reg.rejected[0].column == "Possible Sessions"


@pytest.mark.parametrize("value", ["ten", "-3", "2.5", ""])
def test_summary_counts_must_be_whole_numbers(value):
    reg = read_register(to_csv(SUMMARY_HEADER, [["A", "120", value, "2", "12", "6", ""]]), "s.csv")
    assert reg.rejected[0].column == "Present" and "not a number" in reg.rejected[0].reason


def test_summary_without_absence_columns_says_which_are_missing():
    with pytest.raises(RegisterError, match="missing: authorised"):
        read_register(to_csv(["UPN", "Possible", "Present"], [["A", "2", "2"]]), "s.csv", shape="summary")


def test_a_second_grid_row_for_a_pupil_is_checked_against_the_first_row_taken_whole():
    """The first row of a wide grid is taken in one step; a second row for the same pupil still has
    its repeat counted once, its clash rejected naming the first row, and its new session counted."""
    data = b"UPN,02/09/2024 AM,02/09/2024 PM,03/09/2024 AM\nA,/,N,\nA,/,O,L\n"
    reg = read_register(data, "w.csv")
    assert [(r.row, r.reason.split(" (")[0].split(";")[0]) for r in reg.rejected] == [
        (3, "Repeats row 2"), (3, "Pupil A already has mark N for 2 September 2024 PM from row 2")]
    assert list(reg.grid.marks_of("A").values()) == ["/", "N", "L"] and reg.mark_rows == {2, 3}
