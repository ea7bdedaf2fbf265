from datetime import date

import pytest

from attendtoolkit.read.dates import MDY, long_date, missing_day, parse_date, parse_session, parse_session_header


@pytest.mark.parametrize("text", ["2024-09-02", "02/09/2024", "2/9/2024", "02-09-2024", "02.09.2024",
                                  "02/09/24", "2024-09-02 00:00:00", "02/09/2024 00:00"])
def test_uk_and_iso_dates_are_read(text):
    assert parse_date(text) == date(2024, 9, 2)


def test_day_comes_first_even_when_both_parts_could_be_a_month():
    assert parse_date("03/04/2025") == date(2025, 4, 3)


@pytest.mark.parametrize("text", ["09/30/2024", "31/02/2025", "2024-13-01", "Monday", "", "2/9"])
def test_us_order_and_impossible_dates_are_not_dates(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text,session", [("AM", "AM"), ("am", "AM"), (" Pm ", "PM"), ("a", "AM"),
                                          ("Afternoon", "PM"), ("morning", "AM")])
def test_sessions_in_any_case(text, session):
    assert parse_session(text) == session


@pytest.mark.parametrize("text", ["", "noon", "3", "AMPM"])
def test_unknown_sessions(text):
    assert parse_session(text) is None


@pytest.mark.parametrize("header,expected", [
    ("2024-09-02 AM", (date(2024, 9, 2), "AM")),
    ("02/09/2024 PM", (date(2024, 9, 2), "PM")),
    ("Mon 02/09/2024 AM", (date(2024, 9, 2), "AM")),
    ("Tuesday 3/9/2024 pm", (date(2024, 9, 3), "PM")),
    ("2024-09-02_AM", (date(2024, 9, 2), "AM")),
])
def test_wide_grid_session_headers(header, expected):
    assert parse_session_header(header) == expected


@pytest.mark.parametrize("header", ["UPN", "Year", "Total", "02/09/2024", "09/30/2024 AM"])
def test_other_headers_are_not_sessions(header):
    assert parse_session_header(header) is None


@pytest.mark.parametrize("text", ["2 September 2024", "02 Sep 2024", "2-Sep-24", "2nd Sept 2024", "02 sep 2024",
                                  "2 September 2024 00:00:00"])
def test_dates_with_the_month_named_are_read_and_never_turned_round(text):
    assert parse_date(text) == parse_date(text, "mdy") == date(2024, 9, 2)


@pytest.mark.parametrize("text", ["2 Sepp 2024", "31 February 2024", "2 Ma 2024"])
def test_misspelt_months_and_impossible_named_dates_are_not_dates(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("header", ["02 Sep 2024 AM", "Mon 02 Sep 2024 AM", "Monday 2 September 2024 (am)",
                                    "2-Sep-2024 AM"])
def test_session_headers_with_the_month_named(header):
    assert parse_session_header(header) == (date(2024, 9, 2), "AM")


def test_long_dates_follow_govuk_style():
    assert long_date(date(2025, 9, 1)) == "1 September 2025"


@pytest.mark.parametrize("text,order,missing", [
    ("31/09/2024", "dmy", "31 September 2024"), ("29/02/2025", "dmy", "29 February 2025"),
    ("2025-02-30", "dmy", "30 February 2025"), ("31 Sept 2024", "dmy", "31 September 2024"),
    ("09/31/2024", MDY, "31 September 2024"),
    ("30/09/2024", "dmy", None), ("29/02/2024", "dmy", None),  # real days (2024 is a leap year)
    ("09/30/2024", "dmy", None), ("32/09/2024", "dmy", None), ("next June", "dmy", None),  # no month 30, no day 32
])
def test_a_day_its_month_does_not_have_is_named_so_the_error_can_say_so(text, order, missing):
    """September has 30 days, and February 28 in 2025: '31/09/2024' is written as a date, but of a day that
    does not exist, so the message says which day (not 'write dates as day/month/year', as it already is)."""
    assert missing_day(text, order) == missing
