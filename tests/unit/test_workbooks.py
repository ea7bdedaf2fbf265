"""Excel and OpenDocument registers read as their CSV export would be: same figures, same checks."""

import json
import sys
from datetime import date

import pytest

from attendtoolkit import RegisterError, analyse
from attendtoolkit.read.workbook import cell_text

from ..conftest import ROOT, absent, long_rows, present, to_csv
from ..workbooks import ods, xlsx

pytest.importorskip("python_calamine")  # the optional `excel` extra (not in the Pyodide test run)

HEADER = ["UPN", "Forename", "Year", "Date", "Session", "Mark"]
PUPILS = {"A1": present(10) + absent("O", 4), "00123": present(14)}


def typed_rows() -> list[list]:
    """The long register as Excel would hold it: dates as dates, years as numbers, IDs as text."""
    rows = []
    for pupil_id, day, session, mark in long_rows(PUPILS):
        d, m, y = (int(x) for x in day.split("/"))
        rows.append([pupil_id, "Amy" if pupil_id == "A1" else "Ben", 7, date(y, m, d), session, mark])
    return [HEADER] + rows


def csv_twin() -> bytes:
    return to_csv(HEADER, [[p, "Amy" if p == "A1" else "Ben", "7", d, s, m] for p, d, s, m in long_rows(PUPILS)])


def without_source(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "source"}


@pytest.mark.parametrize("make,kind", [(xlsx, "xlsx"), (ods, "ods")])
def test_a_workbook_gives_the_same_results_as_its_csv_export(make, kind):
    book = analyse(make({"Register": typed_rows()}), f"register.{kind}")
    assert without_source(book) == without_source(analyse(csv_twin(), "register.csv"))
    assert book["source"]["format"] == kind and book["source"]["sheet"] == "Register"
    assert book["source"]["encoding"] is None and book["source"]["delimiter"] is None


@pytest.mark.parametrize("make", [xlsx, ods])
def test_numbers_lose_the_trailing_zero_and_text_keeps_its_leading_zeros(make):
    """Admission numbers typed as text keep 00123; a number cell 7.0 is the year 7, not '7.0'."""
    result = analyse(make({"Register": typed_rows()}), "register.xlsx")
    assert [p["pupil_id"] for p in result["pupils"]] == ["A1", "00123"]
    assert result["pupils"][0]["details"]["year_group"] == "7"


@pytest.mark.parametrize("value,text", [
    (7.0, "7"), (7, "7"), (95.5, "95.5"), (0.1 + 0.2, "0.3"), (123456789012.0, "123456789012"),
    ("00123", "00123"), (date(2024, 9, 2), "2024-09-02"), (True, "TRUE"), (None, ""),
])
def test_cells_become_the_text_a_csv_export_would_hold(value, text):
    assert cell_text(value) == text


def test_dates_stored_as_dates_are_never_read_month_first():
    """12 September is a date cell, shown 09/12/2024 on an American computer: it stays 12 September."""
    rows = [HEADER, ["A1", "Amy", 7, date(2024, 9, 12), "AM", "/"], ["A1", "Amy", 7, date(2024, 9, 13), "AM", "/"]]
    assert analyse(xlsx({"Register": rows}), "r.xlsx")["as_of"] == "2024-09-13"


def test_the_first_sheet_is_read_unless_another_is_named():
    book = xlsx({"Notes": [["Exported from the MIS"]], "Register": typed_rows()})
    assert analyse(book, "r.xlsx", sheet="Register")["totals"]["pupils"] == 2
    with pytest.raises(RegisterError, match="r.xlsx: cannot tell what kind of register this is"):
        analyse(book, "r.xlsx")


def test_a_sheet_that_is_not_a_register_names_the_other_sheets_and_how_to_choose_one():
    """MIS reports often put notes or a cover sheet first; the message says where else to look."""
    book = xlsx({"Notes": [["UPN", "Comment"], ["A1", "hello"]], "Register": typed_rows(), "Totals": [["x"]]})
    with pytest.raises(RegisterError) as info:
        analyse(book, "r.xlsx")
    assert str(info.value).endswith(
        " That was the sheet 'Notes'; the workbook also has 'Register', 'Totals'. If the register is on another "
        "sheet, choose it ('Sheet' in the calculator, --sheet NAME on the command line).")
    with pytest.raises(RegisterError, match="That was the sheet 'Totals'; the workbook also has 'Notes', 'Register'"):
        analyse(book, "r.xlsx", sheet="Totals")


def test_a_workbook_with_one_sheet_has_no_other_sheets_to_suggest():
    with pytest.raises(RegisterError) as info:
        analyse(xlsx({"Notes": [["UPN", "Comment"], ["A1", "hello"]]}), "r.xlsx")
    assert "sheet" not in str(info.value)


def test_an_unknown_sheet_is_named_with_the_sheets_there_are():
    with pytest.raises(RegisterError) as info:
        analyse(xlsx({"Register": typed_rows(), "Summary": [["x"]]}), "r.xlsx", sheet="Year 7")
    assert str(info.value) == "r.xlsx: the workbook has no sheet named 'Year 7'. Its sheets: 'Register', 'Summary'."


def test_an_empty_sheet_says_to_choose_another():
    with pytest.raises(RegisterError) as info:
        analyse(xlsx({"Blank": [], "Register": typed_rows()}), "r.xlsx")
    assert str(info.value) == (
        "r.xlsx: the sheet 'Blank' is empty. The workbook also has 'Register'. If the register is on another sheet, "
        "choose it ('Sheet' in the calculator, --sheet NAME on the command line).")
    with pytest.raises(RegisterError) as info:
        analyse(xlsx({"Blank": []}), "r.xlsx")
    assert str(info.value) == "r.xlsx: the sheet 'Blank' is empty. Export the register again and try again."


def test_a_damaged_workbook_is_one_plain_message():
    data = xlsx({"Register": typed_rows()})
    with pytest.raises(RegisterError) as info:
        analyse(data[:600], "r.xlsx")
    assert str(info.value).startswith("r.xlsx: this looks like an Excel workbook (.xlsx) but it cannot be read (")
    assert str(info.value).endswith("It may be damaged: open it in Excel, save it as 'CSV UTF-8' and try again.")


def test_a_password_protected_workbook_says_so():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(60) + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(RegisterError, match="r.xlsx: This workbook is protected with a password"):
        analyse(data, "r.xlsx")


def test_without_the_excel_reader_a_workbook_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    with pytest.raises(RegisterError) as info:
        analyse(xlsx({"Register": typed_rows()}), "r.xlsx")
    assert str(info.value) == (
        "r.xlsx: this is an Excel workbook (.xlsx). Reading workbooks needs the optional Excel reader "
        "(pip install 'attendtoolkit[excel]'); or open it in Excel, save it as 'CSV UTF-8' and try again.")


def test_a_wide_workbook_reads_the_same_with_both_engines():
    pytest.importorskip("pandas")
    rows = [["UPN", "Name", "02/09/2024 AM", "02/09/2024 PM", "2024-09-03 AM"],
            ["A1", "Amy", "/", "\\", "N"], ["B2", "Ben", "/", "", "Z?"], ["C3", "Cara, Jo", "/", "\\", "/"]]
    data = xlsx({"Register": rows})
    python, pandas = (json.dumps(analyse(data, "r.xlsx", engine=e)) for e in ("python", "pandas"))
    assert python == pandas
    result = json.loads(python)
    assert result["totals"]["pupils"] == 3 and [r["row"] for r in result["rejected"]] == [3]


def test_a_workbook_cell_with_a_line_break_and_commas_is_just_a_cell():
    """Quotes in a workbook's cells are written by the reader, so a long address is never a runaway quote."""
    rows = [["UPN", "Address", "Date", "Session", "Mark"],
            ["A1", "Flat 2, 10 High St, Town, County,\nAB1 2CD", date(2024, 9, 2), "AM", "/"]]
    result = analyse(xlsx({"Register": rows}), "r.xlsx")
    assert result["pupils"][0]["details"]["parent_address"] == "Flat 2, 10 High St, Town, County,\nAB1 2CD"


def test_the_command_line_reads_a_named_sheet(tmp_path, capsys):
    from attendtoolkit.cli import main
    path = tmp_path / "register.xlsx"
    path.write_bytes(xlsx({"Notes": [["x"]], "Register": typed_rows()}))
    assert main(["classify", str(path), "--sheet", "Register", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("pupil_id,")


def test_a_folder_of_schools_includes_workbooks(tmp_path, capsys):
    from attendtoolkit.cli import main
    (tmp_path / "a.xlsx").write_bytes(xlsx({"Register": typed_rows()}))
    (tmp_path / "b.csv").write_bytes(csv_twin())
    assert main(["classify", str(tmp_path)]) == 0
    assert [s["source"]["file"] for s in json.loads(capsys.readouterr().out)["schools"]] == ["a.xlsx", "b.csv"]


def test_the_example_workbook_gives_the_figures_of_the_example_csv():
    book = analyse(ROOT / "examples" / "register-wide.xlsx")
    csv_file = analyse(ROOT / "examples" / "register-wide.csv")
    assert without_source(book) == without_source(csv_file)
    assert book["source"]["sheet"] == "Attendance"
