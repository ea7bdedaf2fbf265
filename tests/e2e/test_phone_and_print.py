"""The results of a 1,500-pupil school on a phone and at 400% zoom, in real Chromium: every list is a set of
cards with labelled fields, and the page never scrolls sideways (WCAG 2.2, 1.4.10 Reflow)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_accessibility import axe_page, serious_violations  # noqa: F401 (axe_page: a fixture)
from .test_calculator import open_calculator, upload
from .test_pupil_table import school  # noqa: F401 (the 1,500-pupil fixture)

pytestmark = pytest.mark.browser
CARD_TABLES = ("#atk-section-actions table.atk-action-table", "#atk-pupil-table", "table.atk-cohort", "#atk-comparisons")

# Each card table: how many cards, whether the page or any table scrolls sideways, and for one card the label
# drawn before each cell (its data-label) beside the table's header for the same column.
CARDS = """(selector) => [...document.querySelectorAll(selector)].map((table) => {
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent.replace(/[▲▼]/g, '').trim());
    const row = table.querySelector('tbody tr');
    const labels = [...row.children].map((cell) => [cell.dataset.label || null,
        getComputedStyle(cell, '::before').content, getComputedStyle(cell).display]);
    const rect = table.getBoundingClientRect();
    return { heads, labels, rows: getComputedStyle(row).display, wide: table.scrollWidth > table.clientWidth + 1,
             right: rect.right, cardRight: row.getBoundingClientRect().right };
})"""


@pytest.mark.parametrize("width", [390, 320])
def test_on_a_phone_and_at_400_percent_zoom_each_list_is_cards_with_labels_and_nothing_scrolls_sideways(
        axe_page, school, width):  # noqa: F811
    # 390 px is a phone; 320 px is 1,280 px at 400% zoom.
    watched = axe_page
    page = watched.page
    page.set_viewport_size({"width": width, "height": 800})
    open_calculator(watched)
    upload(watched, school[0])
    page.evaluate("() => document.querySelectorAll('#atk-results details').forEach((d) => { d.open = true; })")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width

    for selector in CARD_TABLES:
        tables = page.evaluate(CARDS, selector)
        assert tables, selector
        for table in tables:
            # Each row is a card (a grid of its cells), inside the page and the table, with nothing to scroll.
            assert table["rows"] == "grid" and not table["wide"], (selector, table)
            assert table["cardRight"] <= width and table["right"] <= width, (selector, table)
            # Every cell with a label shows it, in the words of its column's header.
            for (label, before, display), head in zip(table["labels"], table["heads"]):
                if label is None or display == "none":
                    continue
                assert label == head, (selector, label, head)
                assert before in (f'"{label}"', f'"{label}: "', "none"), (selector, label, before)
            shown = [before for label, before, display in table["labels"] if label and before != "none"]
            assert len(shown) >= 3, (selector, table["labels"])

    # The worklist's card: what to do and why under their names; the columns to fill in on paper are not on screen.
    card = page.locator("#atk-section-actions table.atk-action-table tbody tr").first
    expect(card.locator("td[data-label='What to do']")).to_be_visible()
    expect(card.locator("td.atk-write-in").first).to_be_hidden()
    # The header rows stay in the tables for screen readers; the pupil table's header is a row of sort buttons.
    expect(page.locator("#atk-comparisons").get_by_role("columnheader", name="Attendance")).to_have_count(1)
    head = page.locator("#atk-pupil-table thead th", has_text="Attendance")
    expect(head.locator("button")).to_be_visible()
    head.locator("button").click()
    expect(head).to_have_attribute("aria-sort", "ascending")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert serious_violations(page) == []
