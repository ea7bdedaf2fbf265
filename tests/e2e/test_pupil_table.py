"""The pupil table at school scale (1,500 pupils) in real Chromium: search, filter, page, sort, open, print."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from attendtoolkit import analyse
from attendtoolkit.read.columns import pupil_name
from attendtoolkit.synthetic import generate, wide_csv

from .test_calculator import open_calculator, upload

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """A made-up secondary school: 1,500 pupils over 8 school weeks, and the engine's own result for it."""
    path = tmp_path_factory.mktemp("school") / "secondary.csv"
    path.write_text(wide_csv(generate(1500, 40)), encoding="utf-8")
    return path, analyse(path.read_bytes(), path.name)


def pdf_pages(page, path) -> int:
    page.pdf(path=str(path), format="A4")
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def test_an_attendance_lead_finds_sorts_opens_and_prints_a_pupil(watched, school, tmp_path):
    path, result = school
    page = watched.page
    open_calculator(watched)
    upload(watched, path)
    table = page.locator("#atk-pupil-table")
    rows = table.locator("tbody tr")

    # Most serious first, 50 to a page, with the count shown.
    expect(page.locator("#atk-pupil-count")).to_have_text("Showing 1 to 50 of 1,500 pupils.")
    expect(rows).to_have_count(50)
    expect(page.locator("#atk-page-count")).to_have_text("Page 1 of 30")
    expect(page.locator("#atk-page-previous")).to_be_disabled()
    top_stage = max((p for p in result["pupils"]), key=lambda p: [s["id"] for s in result["policy"]["stages"]].index(p["stage"])
                    if p["stage"] in [s["id"] for s in result["policy"]["stages"]] else -1)["stage"]
    expect(rows.first.locator("td").nth(1)).to_have_text(f"Stage {top_stage}")
    expect(table.locator("th:has(button[data-sort=stage])")).to_have_attribute("aria-sort", "descending")
    expect(table.locator("button[data-sort=recent]")).to_have_text(f"Last {result['recent_weeks']} weeks")

    # Paging.
    page.click("#atk-page-next")
    expect(page.locator("#atk-pupil-count")).to_have_text("Showing 51 to 100 of 1,500 pupils.")
    expect(page.locator("#atk-page-count")).to_have_text("Page 2 of 30")

    # A filter by year group: every row shown is in that year, and the count says how many.
    in_year_10 = sum(p["details"].get("year_group") == "10" for p in result["pupils"])
    page.select_option("#atk-filter-year", "10")
    expect(page.locator("#atk-pupil-count")).to_contain_text(f"of {in_year_10:,} pupils (1,500 in the file).")
    for cell in rows.locator("td[data-label=Year]").all_text_contents():
        assert cell == "10"
    page.select_option("#atk-filter-year", "")

    # Sorting keeps focus on the header and shows the lowest attendance first.
    sort = table.locator("button[data-sort=attendance]")
    sort.focus()
    page.keyboard.press("Enter")
    expect(table.locator("th:has(button[data-sort=attendance])")).to_have_attribute("aria-sort", "ascending")
    assert page.evaluate("() => document.activeElement.dataset.sort") == "attendance"
    lowest = min(p["attendance_pct"] for p in result["pupils"] if p["attendance_pct"] is not None)
    expect(rows.first.locator("td[data-label=Attendance]")).to_have_text(f"{lowest:.1f}%")

    # Search by name finds the pupil in one step; opening gives the pupil page in a dialog.
    wanted = result["pupils"][700]
    name = pupil_name(wanted["details"])
    page.fill("#atk-search", wanted["pupil_id"])
    expect(rows).to_have_count(1)
    page.fill("#atk-search", f"{name.lower()} ")
    expect(rows.filter(has_text=wanted["pupil_id"])).to_have_count(1)
    opener = rows.filter(has_text=wanted["pupil_id"]).locator("button.atk-open")
    opener.click()
    dialog = page.locator("#atk-pupil-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text(f"{name} ({wanted['pupil_id']})")
    for reason in wanted["reasons"]:
        expect(dialog.get_by_text(reason, exact=True)).to_have_count(1)
    expect(dialog.get_by_text("Notes of the meeting")).to_be_visible()

    # It prints on one A4 page, without the rest of the calculator.
    page.evaluate("() => document.body.classList.add('atk-print-pupil')")
    assert pdf_pages(page, tmp_path / "pupil.pdf") == 1
    page.evaluate("() => document.body.classList.remove('atk-print-pupil')")

    # Escape closes it and focus goes back to the pupil's button.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('atk-open')")


# The focused element's centre shows the element itself, not a header drawn over it.
UNCOVERED = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return [e.textContent.trim(), top !== null && (top === e || e.contains(top))]; }"""


def test_going_back_through_the_pupil_table_by_keyboard_never_hides_the_pupil_under_a_header(watched, school):  # noqa: F811
    """WCAG 2.2, 2.4.11 Focus not obscured: with Shift+Tab the page scrolls up to each pupil, which ended under the
    site's header or the table's own header, both fixed at the top (8 of 30 pupils were hidden there)."""
    page = watched.page
    open_calculator(watched)
    upload(watched, school[0])
    buttons = page.locator("#atk-pupil-table button.atk-open")
    first = buttons.first.text_content()
    buttons.nth(30).focus()
    hidden = []
    for _ in range(30):
        page.keyboard.press("Shift+Tab")
        pupil, shown = page.evaluate(UNCOVERED)
        if not shown:
            hidden.append(pupil)
    assert hidden == []
    assert page.evaluate("document.activeElement.textContent.trim()") == first  # back at the first pupil
