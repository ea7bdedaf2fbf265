"""Files as schools really have them: every broken file gives one plain message or loses nothing silently.

The hand-made files are in tests/files/broken/. Each case runs through both engines (the csv
module and pandas), which must give the same result or the same error, word for word.
"""

import importlib.util
import json
import random
from datetime import date

import pytest

from attendtoolkit import RegisterError, analyse
from attendtoolkit.read.register import read_register
from attendtoolkit.read.text import MAX_CELL

from ..conftest import ROOT

BROKEN = ROOT / "tests" / "files" / "broken"
ENGINES = ("python", "pandas") if importlib.util.find_spec("pandas") else ("python",)  # no pandas in Pyodide


def outcome(data: bytes, name: str = "register.csv", engine: str = "python", **options) -> dict | str:
    """The results contract, or the error message as the user sees it."""
    try:
        return analyse(data, name, "dfe-national", engine=engine, **options)
    except RegisterError as exc:
        return str(exc)


def both(data: bytes, name: str = "register.csv", **options):
    """The outcome from the pure engine, after checking pandas (where installed) gives exactly the same."""
    python, *others = (outcome(data, name, engine, **options) for engine in ENGINES)
    for other in others:
        assert json.dumps(python, indent=1) == json.dumps(other, indent=1)
    return python


def error(name: str, **options) -> str:
    message = both((BROKEN / name).read_bytes(), name, **options)
    assert isinstance(message, str), "expected the file to be refused"
    return message


def result(name: str, **options) -> dict:
    data = both((BROKEN / name).read_bytes(), name, **options)
    assert isinstance(data, dict), data
    return data


# -- Unclosed quotes ------------------------------------------------------------------------------

def test_an_unclosed_quote_stops_with_the_row_and_column_where_it_opened():
    """One stray quote used to swallow every later row into one fake pupil, silently."""
    assert error("unclosed-quote.csv") == (
        "unclosed-quote.csv: row 3, column 'Forename': a quote mark (\") opens this cell and is never closed, "
        "so every row after it would be read into that one cell. Nothing was counted. Open the file in a "
        "text editor, remove the quote mark or add the closing one, and try again."
    )


def test_an_unclosed_quote_in_a_file_bigger_than_a_cell_still_names_where_it_opened():
    """The csv module stops at its cell size limit first; the message is still about the quote."""
    rows = "".join(f"P{i},Amy,Adams,7,02/09/2024,AM,/\r\n" for i in range(6000))
    data = ("UPN,Forename,Surname,Year,Date,Session,Mark\r\nA1,\"Amy,Adams,7,02/09/2024,AM,/\r\n" + rows).encode()
    assert len(data) > MAX_CELL
    assert both(data).startswith("register.csv: row 2, column 'Forename': a quote mark (\") opens this cell")


def test_an_unclosed_quote_in_the_last_cell_of_the_file_is_found():
    data = b"UPN,Date,Session,Mark\r\nA1,02/09/2024,AM,/\r\nA1,02/09/2024,PM,\"\\"
    assert both(data).startswith("register.csv: row 3, column 'Mark': a quote mark")


def test_an_unclosed_quote_in_the_header_is_found():
    data = b'UPN,"Date,Session,Mark\r\nA1,02/09/2024,AM,/\r\n'
    assert both(data).startswith("register.csv: row 1, column 'column 2': a quote mark")


def test_two_stray_quotes_that_swallow_the_rows_between_them_stop_the_reading():
    """The second quote closes the first, so nothing is left open, but two rows would vanish into one cell."""
    data = (b'UPN,Forename,Date,Session,Mark\r\nA1,"Amy,02/09/2024,AM,/\r\nB2,Ben,02/09/2024,AM,/\r\n'
            b'C3,Cara,02/09/2024,AM,/\r\nD4,Dan",02/09/2024,AM,/\r\n')
    assert both(data) == (
        "register.csv: row 2, column 'Forename': a quote mark (\") opens this cell and it runs on over 4 lines, "
        "taking in what look like whole rows. Nothing was counted. Open the file in a text editor, check the "
        "quote marks in and after row 2, and try again.")


def test_quoted_cells_with_line_breaks_and_doubled_quotes_are_still_read():
    data = (b'UPN,Forename,Address,Date,Session,Mark\r\n'
            b'A1,"Amy ""Mimi""","1 High St\r\nTown",02/09/2024,AM,/\r\n'
            b'A1,Amy,,02/09/2024,PM,""')
    out = both(data)
    assert isinstance(out, dict) and out["pupils"][0]["details"]["forename"] == 'Amy "Mimi"'
    assert [r["row"] for r in out["rejected"]] == [3]  # the blank mark, quoted


# -- Wide rows with the wrong number of cells -----------------------------------------------------

def test_a_wide_row_with_an_extra_cell_is_rejected_whole_never_shifted():
    """An unquoted comma in a name used to shift every later mark by one session."""
    data = result("comma-in-name.csv")
    assert data["rejected"] == [{"row": 3, "column": None, "reason": (
        "This row has 9 cells, the header has 8: a comma inside a name? Its marks could land in the wrong "
        "sessions, so none of them were counted. Put names with commas in quotes, or fix the row.")}]
    assert [p["pupil_id"] for p in data["pupils"]] == ["A1", "C3"]  # no pupil from the shifted row
    assert data["source"]["sessions"] == 8


def test_a_wide_row_with_a_cell_missing_is_rejected_whole():
    data = result("missing-cell.csv")
    assert [(r["row"], r["reason"][:48]) for r in data["rejected"]] == [
        (3, "This row has 6 cells, the header has 8: a cell m")]
    assert [p["pupil_id"] for p in data["pupils"]] == ["A1", "C3"]


def test_a_blank_row_of_any_width_is_a_blank_row_not_a_wrong_one():
    data = both(b"UPN,02/09/2024 AM,02/09/2024 PM\r\nA1,/,\\\r\n,,,,\r\n\r\n")
    assert data["rejected"] == [] and data["warnings"][0] == "Blank rows ignored: rows 3, 4."


# -- Dates ----------------------------------------------------------------------------------------

def test_a_date_in_the_future_is_rejected_and_never_sets_the_as_of_date():
    """A mistyped 2052 used to move the as-of date and change letters and the weekly list."""
    data = result("future-date.csv")
    assert data["as_of"] == "2024-09-03"
    [rejection] = data["rejected"]
    assert rejection["row"] == 4 and rejection["column"] == "Date"
    assert rejection["reason"].startswith("The date 13 December 2052 is in the future (today is ")


def test_a_date_more_than_a_year_from_the_rest_of_the_file_is_rejected():
    data = result("far-year.csv")
    assert data["rejected"] == [{"row": 4, "column": "Date", "reason": (
        "The date 3 September 2014 is more than a year away from the other dates in the file (2 September 2024 "
        "to 3 September 2024), so it is probably a typing mistake. Check the year; this mark was not counted.")}]
    assert data["pupils"][0]["possible"] == 3


def test_a_future_column_in_a_wide_grid_rejects_each_mark_in_it():
    data = both(b"UPN,02/09/2024 AM,02/09/2052 PM\r\nA1,/,\\\r\nB2,/,\r\n")
    assert [(r["row"], r["column"]) for r in data["rejected"]] == [(2, "02/09/2052 PM")]
    assert data["as_of"] == "2024-09-02"


def test_dates_are_judged_against_the_given_today():
    data = read_register(b"UPN,Date,Session,Mark\r\nA1,02/09/2024,AM,/\r\n", today=date(2024, 9, 1))
    assert "in the future (today is 1 September 2024)" in data.rejected[0].reason


def test_a_month_first_file_is_refused_with_the_date_that_shows_it():
    """09/13/2024 cannot be day first; 09/12/2024 would silently have been 9 December."""
    assert error("month-first.csv") == (
        "month-first.csv: the dates look month-first (American order): '09/13/2024' in row 4 only makes sense "
        "as month/day/year, and no date in the file needs day/month/year. If the whole file is written month "
        "first, say so ('Month first' in the calculator, --dates mdy on the command line); if not, correct "
        "that date."
    )


def test_a_month_first_file_is_read_when_told():
    data = result("month-first.csv", dates="mdy")
    assert data["as_of"] == "2024-09-13" and data["pupils"][0]["possible"] == 4


def test_month_first_session_headers_are_refused_naming_the_column():
    data = b"UPN,09/12/2024 AM,09/13/2024 AM\r\nA1,/,/\r\n"
    assert "'09/13/2024' in column '09/13/2024 AM' only makes sense" in both(data)
    assert both(data, dates="mdy")["as_of"] == "2024-09-13"


def test_dates_that_fall_on_weekends_one_way_only_are_month_first():
    """09/02 to 09/06 2024 are Monday to Friday month-first, but 9 February to 9 June day-first."""
    rows = "".join(f"A1,09/0{d}/2024,AM,/\r\n" for d in range(2, 7))
    assert "'09/03/2024' in row 3 only makes sense" in both(("UPN,Date,Session,Mark\r\n" + rows).encode())


def test_one_day_first_date_settles_the_order_and_a_us_date_is_one_bad_row():
    data = both(b"UPN,Date,Session,Mark\r\nA1,13/09/2024,AM,/\r\nA1,09/30/2024,AM,/\r\n")
    assert [(r["row"], r["reason"][:30]) for r in data["rejected"]] == [(3, "'09/30/2024' is not a date. Wr")]


def test_weekend_marks_count_with_a_warning_naming_how_many_and_the_first_row():
    data = result("weekend.csv")
    assert data["pupils"][0]["possible"] == 4
    assert data["warnings"] == ["2 marks are on a Saturday or Sunday (the first in row 3). They were counted; "
                                "check the dates if the school was closed at the weekend."]


# -- Encodings ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,encoding", [("excel-unicode-text.txt", "utf-16-le"), ("utf-32.csv", "utf-32-le")])
def test_utf16_and_utf32_files_with_a_byte_order_mark_are_read(name, encoding):
    """Excel's 'Unicode text' is UTF-16 with tabs; it used to be read as Windows-1252."""
    data = result(name)
    assert data["source"]["encoding"] == encoding and data["warnings"] == []
    assert data["pupils"][0]["details"]["forename"] == "Zoë"


def test_utf16_without_a_byte_order_mark_is_refused_in_plain_words():
    assert error("utf-16-no-bom.csv").startswith("utf-16-no-bom.csv: the file has NUL bytes all through it")


def test_a_file_mixing_utf8_and_windows_1252_is_read_line_by_line_with_the_rows_named():
    """One Windows-1252 row used to turn every UTF-8 name into mojibake."""
    data = result("mixed-encoding.csv")
    assert [p["details"]["forename"] for p in data["pupils"]] == ["Zoë", "Renée", "José"]
    assert data["source"]["encoding"] == "utf-8 and windows-1252"
    assert data["warnings"] == ["mixed-encoding.csv mixes two encodings: row 3 is Windows-1252 and the rest UTF-8. "
                                "Each line was read in its own encoding; check that names with accents look right "
                                "in those rows."]


def test_a_damaged_utf16_file_names_the_byte():
    data = b"\xff\xfe" + "UPN,Mark\r\n".encode("utf-16-le") + b"\x00\xdc"  # a lone low surrogate
    assert both(data).startswith("register.csv: the file starts with the mark of UTF-16 text, but byte 23")


# -- Files that are not registers, empty or too big -----------------------------------------------

@pytest.mark.parametrize("name,message", [
    ("empty.csv", "empty.csv: the file is empty. Export the register as CSV and try again."),
    ("header-only.csv", "header-only.csv: the file has a header row but no rows of pupils. "
                        "Export the register again with its rows and try again."),
    ("register.pdf", "register.pdf: This is a PDF. Export the register from your management information "
                     "system (MIS) as a spreadsheet or CSV."),
    ("saved-as-web-page.xls", "saved-as-web-page.xls: This is a web page (HTML), though it may be named .xls. "
                              "Open it in Excel, save it as 'CSV UTF-8' and try again."),
])
def test_files_that_are_not_registers_get_one_plain_message(name, message):
    assert error(name) == message


@pytest.mark.parametrize("data,what", [
    (b"PK\x03\x04\x14\x00\x00\x00word/document.xml", "This is a Word document."),
    (b"PK\x03\x04\x14\x00\x00\x00notes.txt", "This is a ZIP archive. Unzip it"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "This is a picture (PNG)."),
    (b"\x1f\x8b\x08\x00\x00", "This is a compressed (gzip) file."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "older Microsoft Office file"),
])
def test_a_file_kind_is_told_from_its_first_bytes_not_its_name(data, what):
    assert what in both(data, "register.csv")


def test_binary_junk_is_refused_not_read_as_text():
    junk = random.Random(11).randbytes(3000)
    assert both(b"UPN,Date\r\n" + junk) == (
        "register.csv: this is not a text file (it holds binary data). Export the register from your "
        "management information system (MIS) as a spreadsheet or CSV.")


def test_a_cell_over_the_limit_names_its_row_and_column():
    """A cell over 128 KB used to give a Python traceback."""
    data = ("UPN,Forename,Date,Session,Mark\r\nA1,Amy,02/09/2024,AM,/\r\nA1," + "x" * (MAX_CELL + 5)
            + ",02/09/2024,PM,\\\r\n").encode()
    assert both(data) == (
        f"register.csv: row 3, column 'Forename' holds {MAX_CELL + 5:,} characters, more than the {MAX_CELL:,} a "
        "register cell can have. Check that row (something may have been pasted into it), fix it and try again.")


def test_a_header_with_only_blank_rows_after_it_has_no_rows_of_pupils():
    assert "has a header row but no rows of pupils" in both(b"UPN,Date,Session,Mark\r\n\r\n,,,\r\n")


# -- Pupil details --------------------------------------------------------------------------------

def test_conflicting_details_use_the_first_value_and_list_pupils_and_rows():
    """SEN K in one row and E in another used to be resolved silently."""
    data = result("conflicting-details.csv")
    assert data["pupils"][0]["details"]["sen"] == "K" and data["pupils"][1]["details"]["year_group"] == "7"
    assert data["warnings"] == [
        "2 pupils have different details in different rows, so the first value was used: "
        "pupil A1 (Amy Adams) has SEN 'K' in row 2 but 'E' in row 4; "
        "pupil B2 (Ben Brown) has Year '7' in row 5 but '8' in row 6. "
        "If the first value is wrong, correct it in your MIS and export the register again."]


def test_a_pupil_with_several_conflicting_details_is_named_once_with_each_detail():
    data = both(b"UPN,Year,SEN,Date,Session,Mark\r\nA1,7,K,02/09/2024,AM,/\r\nA1,8,E,02/09/2024,PM,/\r\n")
    assert data["warnings"] == [
        "1 pupil has different details in different rows, so the first value was used: "
        "pupil A1 has Year '7' in row 2 but '8' in row 3 and SEN 'K' in row 2 but 'E' in row 3. "
        "If the first value is wrong, correct it in your MIS and export the register again."]


def test_many_conflicts_list_five_pupils_and_count_the_rest():
    rows = "".join(f"P{i},7,02/09/2024,AM,/\r\nP{i},8,02/09/2024,PM,/\r\n" for i in range(8))
    warning = both(("UPN,Year,Date,Session,Mark\r\n" + rows).encode())["warnings"][0]
    assert warning.startswith("8 pupils have different details in different rows")
    assert "pupil P4 has Year '7' in row 10 but '8' in row 11; and 3 more pupils. If the first" in warning


# -- What the command line and the calculator's Python say ----------------------------------------

def test_the_command_line_prints_one_plain_line_for_a_broken_file(capsys):
    from attendtoolkit.cli import main
    assert main(["classify", str(BROKEN / "unclosed-quote.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unclosed-quote.csv: row 3, column 'Forename'") and "Traceback" not in err
    assert err.count("\n") == 1


def test_the_command_line_reads_a_month_first_file_with_dates_mdy(capsys):
    from attendtoolkit.cli import main
    assert main(["classify", str(BROKEN / "month-first.csv"), "--dates", "mdy", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("pupil_id,")


@pytest.mark.parametrize("name", sorted(p.name for p in BROKEN.iterdir()))
def test_the_calculator_gets_a_message_or_results_never_a_traceback(name):
    from attendtoolkit.browser import classify_file
    from attendtoolkit.resources import read_text
    out = json.loads(classify_file((BROKEN / name).read_bytes(), name,
                                   read_text("policy", "shipped", "dfe-national.toml"), "dfe-national.toml"))
    assert out["ok"] or (out["error"].startswith(f"{name}: ") and "Traceback" not in out["error"])


def test_an_unexpected_failure_in_the_calculator_is_one_plain_message(monkeypatch):
    from attendtoolkit import browser

    def broken(*args, **kwargs):
        raise KeyError("oops")
    monkeypatch.setattr(browser, "analyse", broken)
    from attendtoolkit.resources import read_text
    out = json.loads(browser.classify_file(b"x", "r.csv", read_text("policy", "shipped", "dfe-national.toml"),
                                           "dfe-national.toml"))
    assert out == {"ok": False, "error": "r.csv: the calculator could not read this file (KeyError: 'oops'). "
                                         "Save it as 'CSV UTF-8' and try again; if it keeps happening, tell the "
                                         "site's owner."}


# -- Wrong headers --------------------------------------------------------------------------------

def test_a_wrong_header_lists_a_few_columns_and_the_nearest_matches_not_every_name():
    """A wide export of 120 columns used to list every one of them."""
    data = ("Name," + ",".join(f"Col{i}" for i in range(120)) + "\r\nAmy\r\n").encode()
    assert both(data).endswith("Columns found: Name, Col0, Col1, Col2, Col3, Col4, Col5, Col6 and 113 more.")
    misspelt = both(b"Pupil Idd,Dtae,Session,Mrak\r\n1,02/09/2024,AM,/\r\n")
    assert misspelt.endswith("Columns found: Pupil Idd, Dtae, Session, Mrak. Nearest to what is needed: 'Pupil Idd' for "
                             "pupil ID; 'Dtae' for date; 'Mrak' for mark? Rename the column or map it.")
