"""Letters in Chromium: school details kept in the browser, preview, one printed page per letter,
the download identical to the CLI, and missing details named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attendtoolkit.cli import main

from .conftest import ROOT
from .test_calculator import downloaded, open_calculator, upload

pytestmark = pytest.mark.browser
SCHOOL = {"#atk-school-name": "Oak Tree High School", "#atk-school-address": "1 School Lane\nTownsville TS1 1AA",
          "#atk-school-head": "Mrs J Patel", "#atk-school-lead": "Mr S Evans", "#atk-school-phone": "01234 567890",
          "#atk-school-email": "office@oaktree.example", "#atk-school-date": "2024-12-16"}
REGISTER = ROOT / "examples" / "register-long.csv"


def fill_school(page):
    for selector, value in SCHOOL.items():
        page.fill(selector, value)


def pdf_pages(browser, html: str, tmp_path: Path) -> int:
    page = browser.new_page()
    try:
        page.set_content(html)
        pdf = tmp_path / "letters.pdf"
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    finally:
        page.close()
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def test_preview_prints_one_page_per_letter_and_matches_the_cli(watched, browser, tmp_path, capsys):
    page = watched.page
    open_calculator(watched)
    fill_school(page)
    upload(watched, REGISTER)
    page.click("#atk-letters-preview")
    expect(page.locator("#atk-letters-summary")).to_have_text(re.compile(r"^[\d,]+ letters? for [\d,]+ pupils?\. "))
    frame = page.frame_locator("#atk-letters-frame")
    count = int(re.match(r"(\d+)", page.text_content("#atk-letters-summary")).group(1))
    expect(frame.locator("article.atk-letter")).to_have_count(count)
    html = page.locator("#atk-letters-frame").get_attribute("srcdoc")
    assert pdf_pages(browser, html, tmp_path) == count
    school_file = tmp_path / "school.toml"
    school = (ROOT / "examples" / "school.toml").read_text()
    school_file.write_text(school.replace("[school]\n", f'[school]\nletter_date = "{SCHOOL["#atk-school-date"]}"\n'))
    capsys.readouterr()
    main(["letters", str(REGISTER), "--school", str(school_file), "--templates", str(ROOT)])
    assert downloaded(watched, "#atk-letters-html") == capsys.readouterr().out
    assert watched.foreign() == [] and watched.errors == []


def test_one_chosen_letter_for_every_pupil(watched):
    page = watched.page
    open_calculator(watched)
    fill_school(page)
    upload(watched, REGISTER)
    page.select_option("#atk-letter-choice", "praise")
    page.click("#atk-letters-preview")
    pupils = page.locator("#atk-pupil-table tbody tr").count()
    expect(page.frame_locator("#atk-letters-frame").locator("article.atk-letter")).to_have_count(pupils)


def test_missing_school_details_are_named(watched):
    page = watched.page
    open_calculator(watched)
    page.evaluate("() => localStorage.clear()")
    page.reload()
    expect(page.locator("#atk-status")).to_have_text(re.compile("^Ready"), timeout=90_000)
    upload(watched, REGISTER)
    page.click("#atk-letters-preview")
    expect(page.locator("#atk-status")).to_contain_text("school name is missing")


def test_school_details_stay_in_this_browser_and_can_be_saved(watched):
    page = watched.page
    open_calculator(watched)
    fill_school(page)
    page.reload()
    expect(page.locator("#atk-school-name")).to_have_value("Oak Tree High School")
    saved = downloaded(watched, "#atk-school-save")
    assert '"attendance_lead": "Mr S Evans"' in saved
    assert watched.foreign() == []
