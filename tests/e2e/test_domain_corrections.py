"""The cases corrected in issue 14, in the calculator in real Chromium: what the page shows, and the
JSON it downloads equal to the CLI's for the same file and policy."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attendtoolkit.cli import main

from ..conftest import MONDAY, absent, build_site, long_register, long_rows, present, to_csv
from .conftest import Served, Watched
from .test_calculator import downloaded, open_calculator, upload

pytestmark = pytest.mark.browser


def cli_json(path: Path, capsys, *options: str) -> str:
    out = Path(tempfile.mkdtemp()) / "cli.json"
    assert main(["classify", str(path), *options, "--format", "json", "-o", str(out)]) == 0
    capsys.readouterr()
    return out.read_text(encoding="utf-8")


def flags_of(page, pupil_id: str):
    row = page.locator("#atk-pupil-table tbody tr", has=page.locator(f"th button:text-is('{pupil_id}')"))
    return row.locator("td[data-label='Flags']")


def open_pupil(page, pupil_id: str):
    page.locator(f"#atk-pupil-table tbody tr th button:text-is('{pupil_id}')").click()
    return page.locator("#atk-pupil-dialog")


def test_a_summary_register_under_knowsley_levels_is_not_assessable_not_level_1(browser, tmp_path, capsys):
    """Knowsley's levels look at the last 6 school weeks, which a summary (possible, present, authorised,
    unauthorised) does not have. A pupil who attended 40 of 100 possible sessions is 'not assessable
    from this file', never level 1; the year-to-date flags (persistent and severe absence) still show.
    Both pupils are below 95% for the year, so a later level could apply (a pupil at 95% or more is
    level 1 from a summary too)."""
    site = build_site(tmp_path / "site", council="examples/council-knowsley")
    summary = tmp_path / "summary.csv"
    summary.write_bytes(to_csv(["UPN", "Possible", "Present", "Authorised", "Unauthorised"],
                               [["A", "100", "40", "10", "50"], ["B", "100", "90", "10", "0"]]))
    served = Served(site)
    w = Watched(browser, served.origin)
    try:
        open_calculator(w)
        upload(w, summary)
        page = w.page
        row = page.locator("#atk-pupil-table tbody tr").first
        expect(row.locator("td[data-label='Stage']")).to_have_text("Not assessable from this file")
        expect(row.locator("td[data-label='Flags']")).to_contain_text("Severe absence")
        expect(open_pupil(page, "A")).to_contain_text(
            "Not assessable from a summary: the rules for levels 2, 3 and 4 need session dates.")
        page.click("#atk-pupil-close")
        assert downloaded(w, "#atk-download-json") == cli_json(summary, capsys, "--policy", "knowsley")
        assert w.foreign() == [] and w.errors == []
    finally:
        w.close()
        served.close()


def test_a_child_below_compulsory_school_age_gets_no_legal_flag_and_the_page_says_why(watched, tmp_path, capsys):
    """Education Act 1996, section 8: compulsory school age starts on the prescribed day after the fifth
    birthday. Born 10 February 2020, the child is below it until 31 March 2025, so 10 sessions of G in
    September 2024 give no penalty notice flag; the same marks for a child born 10 February 2019 do."""
    rows = [[r[0], born, *r[1:]]
            for pupil_id, born in (("A", "10/02/2020"), ("B", "10/02/2019"))
            for r in long_rows({pupil_id: present(5) + absent("G", 5) + present(10)}, MONDAY)]
    path = tmp_path / "ages.csv"
    path.write_bytes(to_csv(["UPN", "Date of birth", "Date", "Session", "Mark"], rows))
    open_calculator(watched)
    upload(watched, path)
    page = watched.page
    expect(flags_of(page, "A")).not_to_contain_text("Penalty notice threshold")
    expect(flags_of(page, "B")).to_contain_text("Penalty notice threshold")
    expect(open_pupil(page, "A")).to_contain_text(
        "the pupil is below compulsory school age until 31 March 2025 (the term after the fifth birthday)")
    page.click("#atk-pupil-close")
    assert downloaded(watched, "#atk-download-json") == cli_json(path, capsys)


def test_a_spring_term_export_raises_no_early_year_warning_in_january(watched, tmp_path, capsys):
    """Early-year signals count from the start of the school year (1 September, policy data): a file that
    starts on Monday 6 January 2025 is 18 weeks in, so 2 days of illness in its first week are not
    'absence in the first weeks of the year'."""
    path = tmp_path / "spring.csv"
    path.write_bytes(long_register({"A": absent("I", 2) + present(38)}, start=date(2025, 1, 6)))
    open_calculator(watched)
    upload(watched, path)
    page = watched.page
    expect(flags_of(page, "A")).not_to_contain_text("Early-year")
    expect(open_pupil(page, "A")).to_contain_text("Early-year warning could not be checked: the file's first "
                                                  "school week is the week of 6 January 2025")
    page.click("#atk-pupil-close")
    assert downloaded(watched, "#atk-download-json") == cli_json(path, capsys)


def test_ten_school_days_in_a_row_away_without_permission_means_telling_the_local_authority(watched, tmp_path,
                                                                                           capsys):
    """The School Attendance (Pupil Registration) (England) Regulations 2024 and Working together to
    improve school attendance (August 2024): tell the local authority when a pupil has been absent
    without the school's permission for a continuous period of 10 school days. O from Monday 16 to
    Friday 27 September 2024 is 10 school days; 10 days of O spread over the month is not, and gives
    only the named local choice of 20 unauthorised sessions in total."""
    path = tmp_path / "in-a-row.csv"
    path.write_bytes(long_register({"A": present(10) + absent("O", 10),
                                    "B": (present(1) + absent("O", 1)) * 10}))
    open_calculator(watched)
    upload(watched, path)
    page = watched.page
    expect(flags_of(page, "A")).to_contain_text("Tell the local authority")
    expect(flags_of(page, "B")).not_to_contain_text("Tell the local authority")
    expect(flags_of(page, "B")).to_contain_text("10 days of unauthorised absence (local choice)")
    assert downloaded(watched, "#atk-download-json") == cli_json(path, capsys)
