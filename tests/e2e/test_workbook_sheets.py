"""The calculator's sheet chooser in real Chromium: a workbook with several sheets can be read from any of them."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from ..workbooks import xlsx
from .conftest import ROOT
from .test_calculator import DONE, LOAD_TIMEOUT, downloaded, open_calculator, upload

pytestmark = pytest.mark.browser
REGISTER = [["UPN", "Forename", "Date", "Session", "Mark"],
            ["A1", "Amy", "02/09/2024", "AM", "/"], ["A1", "Amy", "02/09/2024", "PM", "N"],
            ["B2", "Ben", "02/09/2024", "AM", "/"], ["B2", "Ben", "02/09/2024", "PM", "\\"]]


def test_a_register_on_the_second_sheet_is_read_once_that_sheet_is_chosen(watched, tmp_path, capsys):
    """The first sheet holds notes: the error summary names the other sheets and links to the chooser;
    choosing 'Register' gives the CLI's results with --sheet Register, and the page says which sheet."""
    path = tmp_path / "export.xlsx"
    path.write_bytes(xlsx({"Notes": [["Exported from the MIS"]], "Register": REGISTER, "Totals": [["x"]]}))
    open_calculator(watched)
    page = watched.page
    expect(page.locator("#atk-sheet-field")).to_be_hidden()
    upload(watched, path)
    summary = page.locator("#atk-error-summary")
    expect(summary).to_contain_text("That was the sheet 'Notes'; the workbook also has 'Register', 'Totals'.")
    expect(page.locator("#atk-sheet-field")).to_be_visible()
    expect(page.locator("#atk-sheet option")).to_have_text(["Notes (the first sheet)", "Register", "Totals"])
    summary.get_by_role("link", name="Choose another sheet of the workbook").click()
    expect(page.locator("#atk-sheet")).to_be_focused()
    page.select_option("#atk-sheet", "Register")
    expect(page.locator("#atk-status")).to_have_text(DONE, timeout=LOAD_TIMEOUT)
    expect(page.locator("#atk-status")).to_contain_text("2 pupils classified from the sheet 'Register'")
    expect(page.locator("#atk-error-summary")).to_have_count(0)
    expect(page.locator("#atk-results")).to_contain_text("2 pupils in the sheet 'Register' of export.xlsx")
    page.locator("#atk-download-json:enabled").wait_for()
    capsys.readouterr()
    from attendtoolkit.cli import main
    out = tmp_path / "cli.json"
    assert main(["classify", str(path), "--sheet", "Register", "-o", str(out)]) == 0
    assert downloaded(watched, "#atk-download-json") == out.read_text()
    assert watched.foreign() == [] and watched.errors == []


def test_a_new_file_is_read_from_its_first_sheet_and_a_csv_hides_the_chooser(watched, tmp_path, capsys):
    first = tmp_path / "first.xlsx"
    first.write_bytes(xlsx({"Attendance": REGISTER, "Notes": [["x"]]}))
    other = tmp_path / "other.xlsx"
    other.write_bytes(xlsx({"Cover": [["x"]], "Year 7": REGISTER[:3], "Year 8": REGISTER[3:4]}))
    open_calculator(watched)
    page = watched.page
    upload(watched, first)
    expect(page.locator("#atk-status")).to_contain_text("from the sheet 'Attendance'")
    expect(page.locator("#atk-sheet")).to_have_value("Attendance")
    upload(watched, other)
    expect(page.locator("#atk-sheet")).to_have_value("Cover")  # not the last workbook's choice
    expect(page.locator("#atk-error-summary")).to_contain_text("That was the sheet 'Cover'")
    page.select_option("#atk-sheet", "Year 7")
    expect(page.locator("#atk-status")).to_have_text(re.compile(r"^Done: 1 pupil classified from the sheet 'Year 7'"),
                                                    timeout=LOAD_TIMEOUT)
    page.select_option("#atk-dates", "mdy")  # another option reads the same sheet again
    expect(page.locator("#atk-status")).to_have_text(re.compile(r"^Done: 1 pupil classified from the sheet 'Year 7'"),
                                                    timeout=LOAD_TIMEOUT)
    page.select_option("#atk-dates", "dmy")
    expect(page.locator("#atk-status")).to_have_text(DONE, timeout=LOAD_TIMEOUT)
    csv_file = tmp_path / "register.csv"
    csv_file.write_text("\n".join(",".join(row) for row in REGISTER) + "\n")
    upload(watched, csv_file)
    expect(page.locator("#atk-status")).to_have_text(re.compile(r"^Done: 2 pupils classified \("))
    expect(page.locator("#atk-sheet-field")).to_be_hidden()


def drop(w, name: str, data: bytes):
    """Drop a file on the calculator's drop zone, as dragging it from the desktop does."""
    transfer = w.page.evaluate_handle(
        """([name, b64]) => {
             const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
             const transfer = new DataTransfer();
             transfer.items.add(new File([bytes], name));
             return transfer;
           }""", [name, base64.b64encode(data).decode()])
    w.page.dispatch_event("#atk-drop", "drop", {"dataTransfer": transfer})
    expect(w.page.locator("#atk-status")).to_have_text(re.compile(r"^(Done|Problem)"), timeout=LOAD_TIMEOUT)


def test_a_dropped_workbook_is_read_again_from_the_sheet_chosen_and_a_dropped_broken_file_is_a_problem(watched):
    """Dropping, not choosing, the file: a later choice of sheet reads the dropped file again."""
    open_calculator(watched)
    page = watched.page
    drop(watched, "dropped.xlsx", xlsx({"Notes": [["x"]], "Register": REGISTER}))
    expect(page.locator("#atk-error-summary")).to_contain_text("dropped.xlsx: cannot tell what kind of register")
    page.select_option("#atk-sheet", "Register")
    expect(page.locator("#atk-status")).to_have_text(re.compile(r"^Done: 2 pupils classified from the sheet 'Register'"),
                                                    timeout=LOAD_TIMEOUT)
    drop(watched, "broken.csv", (ROOT / "tests" / "files" / "broken" / "unclosed-quote.csv").read_bytes())
    expect(page.locator("#atk-error-summary")).to_contain_text("broken.csv: row 3, column 'Forename': a quote mark")
    expect(page.locator("#atk-results-heading")).to_have_count(0)
    expect(page.locator("#atk-sheet-field")).to_be_hidden()
    assert watched.foreign() == [] and watched.errors == []
