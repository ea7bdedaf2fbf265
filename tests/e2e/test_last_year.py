"""The calculator's second file in real Chromium: last year's register beside this year's, at the same
school week, with downloads byte-identical to `classify --previous`."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attendtoolkit.cli import main

from ..conftest import absent, named_register, present
from .test_calculator import DONE, LOAD_TIMEOUT, downloaded, open_calculator

pytestmark = pytest.mark.browser


@pytest.fixture
def two_years(tmp_path) -> tuple[Path, Path]:
    # As in tests/unit/test_previous.py: this year A (Nia) and B (Amy, a joiner) present 10 days to
    # Friday 13 September 2024 (school week 2); last year A absent in week 2 (10 of 20 sessions by
    # Friday 15 September 2023) and C (Amy, another pupil, a leaver) present: 30 of 40, 75%.
    this_year, last_year = tmp_path / "this-year.csv", tmp_path / "last-year.csv"
    this_year.write_bytes(named_register({"A": ("Nia", "8", present(10)), "B": ("Amy", "8", present(10))},
                                         date(2024, 9, 2)))
    last_year.write_bytes(named_register({"A": ("Nia", "7", present(5) + absent("O", 5) + present(10)),
                                          "C": ("Amy", "7", present(20))}, date(2023, 9, 4)))
    return this_year, last_year


def cli_with_previous(path: Path, previous: Path, fmt: str, capsys) -> str:
    out = Path(tempfile.mkdtemp()) / f"cli.{fmt}"
    assert main(["classify", str(path), "--previous", str(previous), "--format", fmt, "-o", str(out)]) == 0
    capsys.readouterr()
    return out.read_bytes().decode("utf-8")


def test_last_years_register_shows_the_same_school_week_beside_this_year(watched, two_years, capsys):
    this_year, last_year = two_years
    open_calculator(watched)
    page = watched.page
    page.set_input_files("#atk-previous", str(last_year))
    page.set_input_files("#atk-file", str(this_year))
    expect(page.locator("#atk-status")).to_have_text(DONE, timeout=LOAD_TIMEOUT)
    expect(page.locator(".atk-summary")).to_contain_text("Same week last year: 75.0%")
    expect(page.locator(".atk-summary")).to_contain_text("1 pupil is in both registers, 1 joined since and 1 has left")
    expect(page.locator("#atk-trend svg polyline.atk-trend-last-year")).to_have_count(1)
    assert downloaded(watched, "#atk-download-json") == cli_with_previous(this_year, last_year, "json", capsys)
    assert downloaded(watched, "#atk-download-csv") == cli_with_previous(this_year, last_year, "csv", capsys)
    rows = page.locator("#atk-pupil-table tbody tr")
    expect(rows.filter(has=page.locator("th", has_text=re.compile(r"^A$")))).to_contain_text("last year 50.0%")
    rows.filter(has=page.locator("th", has_text=re.compile(r"^B$"))).locator("button.atk-open").click()
    expect(page.locator("#atk-pupil-dialog")).to_contain_text("Not in last year's register")
    assert watched.foreign() == [] and watched.errors == []


def test_choosing_last_years_register_after_this_years_classifies_again(watched, two_years):
    this_year, last_year = two_years
    open_calculator(watched)
    page = watched.page
    page.set_input_files("#atk-file", str(this_year))
    expect(page.locator("#atk-status")).to_have_text(DONE, timeout=LOAD_TIMEOUT)
    expect(page.locator(".atk-summary")).not_to_contain_text("last year")
    page.set_input_files("#atk-previous", str(last_year))
    expect(page.locator(".atk-summary")).to_contain_text("Same week last year: 75.0%", timeout=LOAD_TIMEOUT)
