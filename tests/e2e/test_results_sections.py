"""The results at school scale (1,500 pupils) in real Chromium: sections that collapse by keyboard, links that
open them, a page of a sensible length, and the pupil's weekly sparkline on screen and in print."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_accessibility import serious_violations
from .test_calculator import open_calculator, upload
from .test_pupil_table import pdf_pages, school  # noqa: F401 (the 1,500-pupil fixture)

pytestmark = pytest.mark.browser
SECTIONS = ("actions", "pupils", "trend", "cohorts", "national")


def test_each_section_collapses_and_opens_by_keyboard_and_each_link_opens_its_section(watched, school):  # noqa: F811
    path, result = school
    page = watched.page
    open_calculator(watched)
    upload(watched, path)
    for name in SECTIONS:
        expect(page.locator(f"#atk-section-{name} > details")).to_have_attribute("open", "")

    # The worklist of a large school starts with its groups closed: their summaries give the counts.
    groups = page.locator("#atk-section-actions details.atk-group")
    expect(groups).to_have_count(len(result["worklist"]["groups"]))
    for i, group in enumerate(result["worklist"]["groups"]):
        expect(groups.nth(i).locator("summary")).to_have_text(f"{group['label']} ({group['count']:,})")
        expect(groups.nth(i).locator("table")).to_be_hidden()
    # The page is no longer ~32,000 px of worklist (1,280 px wide: about 11,600 px, the pupil table a third).
    assert page.evaluate("document.scrollingElement.scrollHeight") < 16_000

    # Tab reaches the section's heading toggle; Enter closes it and Enter opens it again.
    toggle = page.locator("#atk-section-pupils summary")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#atk-section-pupils > details")).not_to_have_attribute("open", "")
    expect(page.locator("#atk-pupil-table")).to_be_hidden()
    page.keyboard.press("Space")
    expect(page.locator("#atk-pupil-table")).to_be_visible()
    assert page.evaluate("document.activeElement.textContent") == "Pupils (1,500)"

    # A closed section opens when its link is followed, with the focus on its toggle.
    page.locator("#atk-section-cohorts summary").click()
    expect(page.locator("#atk-section-cohorts table.atk-cohort").first).to_be_hidden()
    link = page.locator(".atk-section-links a", has_text="Groups of pupils")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#atk-section-cohorts table.atk-cohort").first).to_be_visible()
    assert page.evaluate("document.activeElement.closest('section').id") == "atk-section-cohorts"
    # The letters too (a section of the page itself, not of the results).
    page.locator("#atk-section-letters summary").click()
    expect(page.locator("#atk-letters-preview")).to_be_hidden()
    page.locator(".atk-section-links a", has_text="Letters").click()
    expect(page.locator("#atk-letters-preview")).to_be_visible()
    assert page.evaluate("document.activeElement.closest('section').id") == "atk-section-letters"

    # The worklist counts the continuing concerns and links to the pupil table, opening it if closed.
    page.locator("#atk-section-pupils summary").click()
    expect(page.locator("#atk-pupil-table")).to_be_hidden()
    note = page.locator("#atk-worklist-continuing")
    continuing = result["worklist"]["continuing"]
    expect(note).to_contain_text(f"{continuing:,} {'pupil has' if continuing == 1 else 'pupils have'} concerns that continue")
    note.get_by_role("link", name="pupil table").click()
    expect(page.locator("#atk-pupil-table")).to_be_visible()
    assert page.evaluate("document.activeElement.closest('section').id") == "atk-section-pupils"

    # With every section and group open, axe finds nothing serious.
    page.evaluate("() => document.querySelectorAll('#atk-results details').forEach((d) => { d.open = true; })")
    # Sections out of sight are laid out only when they come near the screen (content-visibility),
    # so they would move while axe scrolls through them and it would read colours at the wrong place.
    page.evaluate("() => document.querySelectorAll('.atk-section').forEach((s) => { s.style.contentVisibility = 'visible'; })")
    assert serious_violations(page) == []


def test_the_pupil_page_has_a_weekly_sparkline_with_its_figures_in_words_and_prints_on_one_page(
        watched, school, tmp_path):  # noqa: F811
    path, result = school
    page = watched.page
    open_calculator(watched)
    upload(watched, path)
    page.locator("#atk-pupil-table button.atk-open").first.click()
    dialog = page.locator("#atk-pupil-dialog")
    spark = dialog.locator("svg.atk-spark")
    expect(spark).to_be_visible()
    expect(spark).to_have_accessible_name("Attendance week by week")
    expect(spark).to_have_accessible_description(dialog.locator("#atk-spark-text").inner_text())
    expect(dialog.locator("#atk-spark-text")).to_contain_text("school weeks with sessions, from the week of ")
    expect(dialog.locator("#atk-spark-text")).to_contain_text("Lowest ")
    page.evaluate("() => document.body.classList.add('atk-print-pupil')")
    page.emulate_media(media="print")
    expect(spark).to_be_visible()
    assert pdf_pages(page, tmp_path / "pupil.pdf") == 1
