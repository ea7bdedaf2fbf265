"""The notice to improve in Chromium: the parts only the school can say come from the school
details form, and a missing or wrong one is named as the form names it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..scenarios.test_letter_queue import register
from ..conftest import absent, present
from .test_calculator import open_calculator, upload
from .test_letters import fill_school

pytestmark = pytest.mark.browser
THRESHOLD = present(10) + absent("O", 10)  # 20 unauthorised sessions in 4 weeks: past the threshold


def test_the_notice_to_improve_is_filled_from_the_school_details_form(watched, tmp_path):
    page = watched.page
    path = tmp_path / "register.csv"
    path.write_bytes(register({"A": (THRESHOLD, "", "")}))
    open_calculator(watched)
    fill_school(page)
    page.fill("#atk-school-weeks", "")
    page.fill("#atk-school-sufficient", "no further unauthorised absence.")
    page.fill("#atk-school-support", "Weekly calls with the attendance lead.")
    upload(watched, path)
    page.select_option("#atk-letter-choice", "notice-to-improve")
    page.click("#atk-letters-preview")
    expect(page.locator("#atk-status")).to_contain_text("improvement period (weeks) (school details) is missing")
    page.fill("#atk-school-weeks", "8")
    page.click("#atk-letters-preview")
    expect(page.locator("#atk-status")).to_contain_text(
        "improvement period (weeks) (school details) must be a whole number from 3 to 6, not '8'")
    page.fill("#atk-school-weeks", "4")
    page.click("#atk-letters-preview")
    letter = page.frame_locator("#atk-letters-frame").locator("article.atk-letter")
    expect(letter).to_contain_text("4 weeks, from 16 December 2024 to 13 January 2025")
    expect(letter).to_contain_text("no further unauthorised absence.")
    expect(letter).to_contain_text("Weekly calls with the attendance lead.")
    expect(letter).to_contain_text("to arrange a meeting at a time that suits you")
    assert watched.foreign() == [] and watched.errors == []
