"""The results of a 1,500-pupil school on a phone, at 400% zoom and on paper, in real Chromium: on a phone every
list is a set of cards with labelled fields and the page never scrolls sideways (WCAG 2.2, 1.4.10 Reflow); printed,
the results are a report for a meeting, and every printed table repeats its header row on each sheet."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from .pdf_text import page_texts
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
    # Sections out of sight are laid out only near the screen (content-visibility): lay them all out to measure them.
    page.evaluate("() => document.querySelectorAll('.atk-section').forEach((s) => { s.style.contentVisibility = 'visible'; })")
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
                assert before in (f'"{label}" / ""', f'"{label}: " / ""', "none"), (selector, label, before)
            shown = [before for label, before, display in table["labels"] if label and before != "none"]
            assert len(shown) >= 3, (selector, table["labels"])

    # A screen reader says each column's header once: the label drawn in a card is not part of the cell's name.
    for selector in CARD_TABLES:
        for cell in page.locator(f"{selector} tbody tr").first.locator("td[data-label]:not(:empty)").all():
            text = " ".join(cell.text_content().split())
            expect(cell).to_have_accessible_name(text)

    # No other table of results (the trend's figures, the groups) scrolls inside itself, even by a few pixels.
    inside = page.evaluate("""() => [...document.querySelectorAll('#atk-results table')]
        .filter((t) => t.clientWidth > 0 && t.scrollWidth > t.clientWidth)
        .map((t) => [t.querySelector('caption')?.textContent || t.className, t.scrollWidth, t.clientWidth])""")
    assert inside == [], inside
    assert page.locator("#atk-trend table").count() == 1

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


def printed(page, path) -> list[str]:
    """The text of each printed sheet (A4, or the page's own size where it names one)."""
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    return page_texts(path.read_bytes())


def landscape(path) -> bool:
    width, height = (float(v) for v in re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", path.read_bytes()).groups())
    return width > height


def test_the_printed_results_are_a_report_for_a_meeting_not_1500_pupil_rows(watched, school, tmp_path):  # noqa: F811
    """Printed, the results hold the summary, the worklist, the chart, the groups and the published figures, on
    sheets that are never blank, with each table's header row on every sheet it runs onto; not the form, the
    letters, the handbook text or the pupil table."""
    path, result = school
    page = watched.page
    open_calculator(watched)
    upload(watched, path)
    sheets = printed(page, tmp_path / "results.pdf")
    text = " ".join(sheets)
    assert all(sheets), [i + 1 for i, sheet in enumerate(sheets) if not sheet]
    assert sheets[0].startswith("Attendance calculator Results Summary")
    for heading in ("This week's worklist", "Week by week", "Groups of pupils", "Figures beside published figures"):
        assert heading in text
    for left_out in ("School details", "What the results mean", "Register file", "Showing 1 to 50"):
        assert left_out not in text
    assert "The list of pupils is not printed with the results." in text
    # Every pupil in the worklist is printed, and no pupil outside it (the pupil table is not printed).
    listed = {a["pupil_id"] for a in result["actions"]}
    assert set(re.findall(r"\bP\d{5}\b", text)) == listed
    # A sheet that carries on a worklist table starts with its header row.
    for sheet in sheets:
        if re.search(r"\bP\d{5}\b", sheet):
            assert "Pupil Name What to do What changed and why Letter" in sheet, sheet[:200]
    assert len(sheets) <= 2 + len(listed) // 6


def test_this_weeks_list_prints_alone_as_a_landscape_call_sheet_with_its_header_on_every_sheet(
        watched, school, tmp_path):  # noqa: F811
    path, result = school
    page = watched.page
    open_calculator(watched)
    page.fill("#atk-school-name", "Oak Tree High School")
    upload(watched, path)
    page.evaluate("() => document.body.classList.add('atk-print-actions')")  # as the button does, around print()
    sheets = printed(page, tmp_path / "call-sheet.pdf")
    assert landscape(tmp_path / "call-sheet.pdf")
    assert all(sheets) and "This week's worklist" in sheets[0]  # no blank first sheet
    # the call sheet's header: the school (from the school details form), the file and the as-of date
    as_of = date.fromisoformat(result["as_of"])
    assert f"Oak Tree High School, {path.name}, as of {as_of.day} {as_of:%B %Y}" in " ".join(sheets[0].split())
    assert len(sheets) > 1
    for sheet in sheets:
        assert "Pupil Name What to do What changed and why Letter Contacted (date, by) Outcome" in sheet, sheet[:200]
    assert set(re.findall(r"\bP\d{5}\b", " ".join(sheets))) == {a["pupil_id"] for a in result["actions"]}


def test_print_these_pupils_prints_every_pupil_chosen_with_the_header_on_every_sheet(watched, school, tmp_path):  # noqa: F811
    path, result = school
    page = watched.page
    open_calculator(watched)
    upload(watched, path)
    stage = page.locator("#atk-filter-stage option", has_text="Stage 3").first
    page.select_option("#atk-filter-stage", stage.get_attribute("value"))
    chosen = [p["pupil_id"] for p in result["pupils"] if p["stage"] == stage.get_attribute("value")]
    button = page.locator("#atk-print-pupils")
    expect(button).to_have_text(f"Print these {len(chosen):,} pupils")
    # What is on the page when the browser prints: every pupil chosen, not only the 50 on screen, and a line saying
    # which pupils they are. Then the table is as it was, with the focus still on the button.
    page.evaluate("""() => { window.print = () => {
        window.printedRows = document.querySelectorAll('#atk-pupil-table tbody tr').length;
        window.printedPage = document.documentElement.outerHTML; }; }""")
    button.click()
    assert page.evaluate("window.printedRows") == len(chosen) > 50
    expect(page.locator("#atk-pupil-table tbody tr")).to_have_count(50)
    expect(button).to_be_focused()
    snapshot = re.sub(r"<script\b.*?</script>", "", page.evaluate("window.printedPage"), flags=re.S)
    page.set_content(snapshot)
    sheets = printed(page, tmp_path / "pupils.pdf")
    assert all(sheets) and len(sheets) > 1
    assert f"{len(chosen):,} of 1,500 pupils (Stage: Stage 3" in sheets[0]
    for sheet in sheets:
        assert "Pupil Name Stage" in sheet and "Flags" in sheet, sheet[:200]
    assert sorted(re.findall(r"\bP\d{5}\b", " ".join(sheets))) == sorted(chosen)
