"""The calculator in real Chromium: upload, results, downloads equal to the CLI, no egress, errors."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attendtoolkit.cli import main

from ..conftest import absent, long_register, long_rows, present, to_csv
from .conftest import ROOT, Served, Watched, copy_site

pytestmark = pytest.mark.browser
READY = re.compile(r"^Ready")
DONE = re.compile(r"^Done")
LOAD_TIMEOUT = 90_000


def open_calculator(w: Watched, path: str = "/calculator/"):
    w.page.goto(w.origin + path)
    expect(w.page.locator("#atk-status")).to_have_text(READY, timeout=LOAD_TIMEOUT)


def upload(w: Watched, path: Path):
    w.page.set_input_files("#atk-file", str(path))
    expect(w.page.locator("#atk-status")).to_have_text(re.compile(r"^(Done|Problem)"), timeout=LOAD_TIMEOUT)


def cli(path: Path, fmt: str, capsys) -> str:
    """The CLI's output as a file, exactly as it would be saved (CSV files start with a BOM)."""
    out = Path(tempfile.mkdtemp()) / f"cli.{fmt}"
    assert main(["classify", str(path), "--format", fmt, "-o", str(out)]) == 0
    capsys.readouterr()
    return out.read_bytes().decode("utf-8")


def downloaded(w: Watched, button: str) -> str:
    with w.page.expect_download() as info:
        w.page.click(button)
    return Path(info.value.path()).read_bytes().decode("utf-8")  # exact bytes: CSV lines end in CRLF


@pytest.fixture
def registers(tmp_path) -> dict[str, Path]:
    files = {
        "long": ROOT / "examples" / "register-long.csv",
        "wide": ROOT / "examples" / "register-wide.csv",
        "weeks": ROOT / "examples" / "register-weeks.csv",
        "summary with MIS headings": ROOT / "examples" / "register-summary.csv",
    }
    summary = tmp_path / "summary.csv"
    summary.write_bytes(to_csv(["UPN", "Forename", "Possible", "Present", "Authorised", "Unauthorised"],
                               [["S1", "Sam", "100", "85", "10", "5"], ["S2", "Sia", "100", "99", "1", "0"]]))
    files["summary"] = summary
    return files


def test_the_page_says_the_policy_and_that_the_file_stays_on_the_device(watched):
    open_calculator(watched)
    page = watched.page
    expect(page.locator("#atk-policy")).to_have_text("National default (DfE groups)")
    expect(page.get_by_label("Register file")).to_be_visible()
    expect(page.get_by_text("Your file stays on this computer.")).to_be_visible()


@pytest.mark.parametrize("shape", ["long", "wide", "summary", "weeks", "summary with MIS headings"])
def test_results_and_downloads_equal_the_cli(watched, registers, shape, capsys):
    path = registers[shape]
    open_calculator(watched)
    upload(watched, path)
    page = watched.page
    expect(page.locator("#atk-status")).to_have_text(DONE)
    assert downloaded(watched, "#atk-download-json") == cli(path, "json", capsys)
    csv_text = downloaded(watched, "#atk-download-csv")
    assert csv_text == cli(path, "csv", capsys)
    rows = page.locator("#atk-pupil-table tbody tr")
    expect(rows).to_have_count(len(list(csv.reader(io.StringIO(csv_text)))) - 1)
    assert watched.foreign() == [] and watched.errors == []


def test_the_pupil_table_filters_by_stage_and_the_pupil_page_shows_reasons(watched, tmp_path):
    path = tmp_path / "two.csv"
    path.write_bytes(long_register({"A": present(15) + absent("O", 5), "B": present(20)}))
    open_calculator(watched)
    upload(watched, path)
    page = watched.page
    page.select_option("#atk-filter-stage", "3")
    rows = page.locator("#atk-pupil-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("th")).to_have_text("A")
    rows.first.locator("button.atk-open").click()
    expect(page.locator("#atk-pupil-dialog li").first).to_contain_text("absence 25.0% of 40 possible sessions")
    page.click("#atk-pupil-close")
    page.select_option("#atk-filter-stage", "")
    page.click("#atk-pupil-table thead button:text('Attendance')")
    expect(page.locator("#atk-pupil-table tbody tr th").first).to_have_text("A")


def test_a_bad_file_gives_a_plain_error_and_rejected_rows_are_listed(watched, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("Name,Notes\nAmy,hello\n")
    open_calculator(watched)
    upload(watched, bad)
    expect(watched.page.locator("#atk-status")).to_contain_text("notes.csv: cannot tell what kind of register")
    messy = tmp_path / "messy.csv"
    messy.write_text("UPN,Date,Session,Mark\nA,02/09/2024,AM,/\nA,02/09/2024,PM,-\n")
    upload(watched, messy)
    expect(watched.page.get_by_text("'-' is not a register code")).to_be_visible()


@pytest.mark.parametrize("name", ["register-wide.xlsx", "register-long.xlsx"])
def test_an_excel_workbook_gives_results_byte_identical_to_the_cli(watched, capsys, name):
    """The Excel reader comes from this site with the engine and reads a workbook as the CLI does."""
    path = ROOT / "examples" / name
    open_calculator(watched)
    upload(watched, path)
    expect(watched.page.locator("#atk-status")).to_have_text(DONE)
    assert downloaded(watched, "#atk-download-json") == cli(path, "json", capsys)
    assert downloaded(watched, "#atk-download-csv") == cli(path, "csv", capsys)
    assert any("/python_calamine-" in url and url.endswith(".whl") for url in watched.requests)
    assert watched.foreign() == []


def test_a_month_first_file_is_refused_until_month_first_is_chosen(watched):
    open_calculator(watched)
    page = watched.page
    upload(watched, ROOT / "tests" / "files" / "broken" / "month-first.csv")
    expect(page.locator("#atk-error-summary")).to_contain_text("the dates look month-first")
    page.select_option("#atk-dates", "mdy")
    expect(page.locator("#atk-status")).to_have_text(DONE, timeout=LOAD_TIMEOUT)
    expect(page.locator("#atk-results-heading")).to_be_visible()
    expect(page.locator("#atk-error-summary")).to_have_count(0)


def test_the_national_figures_follow_the_file_phase_or_the_phase_chosen(watched, tmp_path, capsys):
    # Years R to 6: primary schools 2023/24 (attendance 100 - 5.5 = 94.5%); a special school chooses special
    # schools (attendance 100 - 13.0 = 87.0%), and the results equal the CLI's with --phase special.
    primary = tmp_path / "primary.csv"
    primary.write_bytes(to_csv(["UPN", "Year", "Possible", "Present", "Authorised", "Unauthorised"],
                               [["A", "R", "100", "95", "5", "0"], ["B", "6", "100", "90", "10", "0"]]))
    open_calculator(watched)
    page = watched.page
    upload(watched, primary)
    expect(page.locator("#atk-phase-used")).to_contain_text("National figures are for primary schools. "
                                                            "The file's year groups are Reception to Year 6")
    expect(page.locator(".atk-summary")).to_contain_text("England, primary schools, 2023/24: 94.5%")
    # No figure is guessed: the calculator says which are not shown (national_absence.toml has no 2024/25
    # full year, and no checked persistent or severe absence for special schools in 2023/24).
    not_shown = page.locator(".atk-not-shown")
    expect(not_shown).to_contain_text("The full school year 2024/25: no figures are shown")
    expect(not_shown).not_to_contain_text("special schools")
    page.select_option("#atk-phase-choice", "special")
    expect(page.locator("#atk-phase-used")).to_contain_text("National figures are for special schools. You chose")
    expect(page.locator(".atk-summary")).to_contain_text("England, special schools, 2023/24: 87.0%")
    expect(not_shown).to_contain_text("England, special schools, 2023/24: persistent absence and severe absence "
                                      "are not shown")
    with page.expect_download() as info:
        page.click("#atk-download-json")
    out = tmp_path / "cli.json"
    assert main(["classify", str(primary), "--phase", "special", "--format", "json", "-o", str(out)]) == 0
    capsys.readouterr()
    assert Path(info.value.path()).read_bytes() == out.read_bytes()


def test_the_file_picker_offers_excel_and_opendocument_files(watched):
    open_calculator(watched)
    accept = watched.page.locator("#atk-file").get_attribute("accept")
    assert {".csv", ".xlsx", ".xls", ".ods"} <= set(accept.split(","))


def test_a_broken_file_clears_the_results_and_shows_an_error_summary(watched, registers):
    """After a failed file the old results go, and the problem is said at the top (GOV.UK error summary)."""
    open_calculator(watched)
    page = watched.page
    upload(watched, registers["long"])
    expect(page.locator("#atk-results-heading")).to_be_visible()
    expect(page.locator("#atk-queue input[type=checkbox]").first).to_be_checked()
    upload(watched, ROOT / "tests" / "files" / "broken" / "unclosed-quote.csv")
    summary = page.locator("#atk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("h2")).to_have_text("There is a problem with the file")
    expect(summary).to_contain_text("unclosed-quote.csv: row 3, column 'Forename': a quote mark")
    expect(page.locator("#atk-results-heading")).to_have_count(0)
    expect(page.locator("#atk-queue input[type=checkbox]")).to_have_count(0)  # no letters from the old file
    expect(page.locator("#atk-status")).to_contain_text("Problem: unclosed-quote.csv: row 3")


def test_no_request_leaves_the_site_and_no_csp_violation(watched, registers):
    open_calculator(watched)
    upload(watched, registers["long"])
    for path in ("/", "/approach/", "/codes/"):
        watched.page.goto(watched.origin + path)
    assert watched.requests and watched.foreign() == []
    assert watched.errors == []


def test_the_site_works_under_a_sub_folder(browser, site, tmp_path, registers):
    copy_site(site, tmp_path / "www" / "council" / "attendance")
    served = Served(tmp_path / "www")
    w = Watched(browser, served.origin)
    try:
        open_calculator(w, "/council/attendance/calculator/")
        upload(w, registers["long"])
        expect(w.page.locator("#atk-status")).to_have_text(DONE)
        assert w.foreign() == []
    finally:
        w.close()
        served.close()


def test_a_council_site_calculator_follows_the_council_policy(browser, tmp_path):
    from ..conftest import build_site
    site = build_site(tmp_path / "site", council="examples/council-knowsley")
    served = Served(site)
    w = Watched(browser, served.origin)
    try:
        open_calculator(w)
        expect(w.page.locator("#atk-policy")).to_have_text("Knowsley levels (example)")
        upload(w, ROOT / "examples" / "register-long.csv")
        expect(w.page.locator("#atk-pupil-table tbody tr td:nth-child(3)").first).to_contain_text("Level")
        assert w.foreign() == []
    finally:
        w.close()
        served.close()


def test_cohorts_and_the_weekly_trend_are_shown(watched, capsys):
    import json
    open_calculator(watched)
    upload(watched, ROOT / "examples" / "register-long.csv")
    page = watched.page
    expected = json.loads(cli(ROOT / "examples" / "register-long.csv", "json", capsys))
    years = next(c for c in expected["cohorts"] if c["field"] == "year_group")["groups"]
    table = page.locator("table.atk-cohort", has=page.locator("caption", has_text="Attendance by year group"))
    expect(table.locator("tbody tr")).to_have_count(len(years))
    expect(page.locator("#atk-trend-title")).to_have_text("Attendance week by week: All pupils")
    page.select_option("#atk-trend-group", label="Year group: 9")
    expect(page.locator("#atk-trend-title")).to_have_text("Attendance week by week: Year group: 9")
    page.locator("#atk-trend summary").click()
    expect(page.locator("#atk-trend table tbody tr")).to_have_count(len(expected["trend"]["weeks"]))
    comparisons = page.locator("#atk-comparisons tbody tr")
    expect(comparisons).to_have_count(1 + len(expected["comparisons"]))
    expect(comparisons.nth(1).locator("th")).to_contain_text("England, secondary schools, 2023/24")
    expect(page.locator("#atk-phase-used")).to_contain_text("National figures are for secondary schools.")


def test_this_weeks_contacts_list_matches_the_cli(watched, capsys):
    import json
    register = ROOT / "examples" / "register-long.csv"
    open_calculator(watched)
    upload(watched, register)
    data = json.loads(cli(register, "json", capsys))
    expected = data["actions"]
    titles = watched.page.locator(".atk-action-table")
    expect(titles).to_have_count(len(data["worklist"]["groups"]))
    for table, g in zip(titles.all(), data["worklist"]["groups"]):
        expect(table).to_have_accessible_name(f"{g['label']} ({g['count']})")
    expect(watched.page.locator("#atk-worklist-intro")).to_contain_text("register-long.csv, as of ")
    rows = watched.page.locator(".atk-action-table tbody tr")
    expect(rows).to_have_count(len(expected))
    expect(rows.first.locator("th")).to_have_text(expected[0]["pupil_id"])
    assert downloaded(watched, "#atk-download-actions") == cli(register, "actions", capsys)


def test_this_weeks_list_prints_on_its_own(watched):
    page = watched.page
    page.add_init_script("window.print = () => { window.__printedWith = document.body.className; };")
    open_calculator(watched)
    upload(watched, ROOT / "examples" / "register-long.csv")
    page.click("#atk-print-actions")
    assert "atk-print-actions" in page.evaluate("() => window.__printedWith")
    page.evaluate("() => document.body.classList.add('atk-print-actions')")
    page.emulate_media(media="print")
    expect(page.locator(".atk-action-table").first).to_be_visible()
    expect(page.locator("#atk-pupil-table")).to_be_hidden()
    expect(page.locator("#atk-drop")).to_be_hidden()


def test_a_letter_log_changes_the_letters_suggested_as_the_cli_does(watched, tmp_path, capsys):
    import json
    register = tmp_path / "register.csv"
    register.write_bytes(long_register({"A": present(18) + absent("O", 2)}))
    sent = tmp_path / "sent.csv"
    sent.write_text("pupil_id,letter,date\nA,concern-1,13/09/2024\n", encoding="utf-8")
    open_calculator(watched)
    upload(watched, register)
    page = watched.page
    expect(page.locator("#atk-letters-log-note")).to_contain_text("No letter log was given")
    expect(page.locator(".atk-action-table tbody tr").first).to_contain_text("Attendance concern (first letter)")
    page.set_input_files("#atk-letters-sent", str(sent))
    expect(page.locator("#atk-letters-log-note")).to_have_text("Letters already sent are read from sent.csv.",
                                                               timeout=LOAD_TIMEOUT)
    expect(page.locator(".atk-action-table tbody tr").first).to_contain_text("Attendance concern (second letter)")
    out = tmp_path / "cli.json"
    assert main(["classify", str(register), "--letters-sent", str(sent), "-o", str(out)]) == 0
    capsys.readouterr()
    assert json.loads(downloaded(watched, "#atk-download-json")) == json.loads(out.read_text())


def test_group_values_with_any_characters_work_in_every_chooser(watched, tmp_path):
    values = ['7|A', '7"B', "<i>7C</i>", "7'D\\"]
    pupils = {f"P{i}": present(10) for i in range(len(values) * 5)}
    rows = long_rows(pupils)
    group = {pid: values[i // 5] for i, pid in enumerate(pupils)}
    path = tmp_path / "groups.csv"
    path.write_bytes(to_csv(["UPN", "Year", "Reg Group", "Date", "Session", "Mark"],
                            [[r[0], group[r[0]], group[r[0]], *r[1:]] for r in rows]))
    open_calculator(watched)
    upload(watched, path)
    page = watched.page
    for value in values:
        page.select_option("#atk-trend-group", label=f"Registration group: {value}")
        expect(page.locator("#atk-trend-title")).to_have_text(f"Attendance week by week: Registration group: {value}")
        page.select_option("#atk-filter-year", label=value)
        expect(page.locator("#atk-pupil-table tbody tr")).to_have_count(5)
    cohort = page.locator("table.atk-cohort", has=page.locator("caption", has_text="Attendance by year group"))
    expect(cohort.locator("tbody th")).to_have_text(sorted(values, key=str.lower))
