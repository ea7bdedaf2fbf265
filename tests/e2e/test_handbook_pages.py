"""The handbook in Chromium: search works from the site's own files; role tabs work without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import Watched

pytestmark = pytest.mark.browser


def test_search_finds_pages_without_leaving_the_site(watched):
    page = watched.page
    page.goto(watched.origin + "/")
    page.locator(".md-search__input").first.click()
    page.keyboard.type("persistent", delay=30)  # Material searches on key events
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=20_000)
    assert watched.foreign() == [] and watched.errors == []


def test_one_role_across_all_groups_without_javascript(browser, served):
    w = Watched(browser, served.origin, java_script_enabled=False)
    try:
        w.page.goto(served.origin + "/responsibilities/")
        w.page.click("label:has-text('Local authorities')")
        caption = w.page.get_by_text("What local authorities are expected to do, for each group of pupils")
        expect(caption).to_be_visible()
    finally:
        w.close()


def pdf_pages(page, path) -> int:
    page.pdf(path=str(path), format="A4")
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def test_the_stage_3_page_prints_on_one_a4_page_with_no_blank_page(watched, tmp_path):
    # The page is short: its title, six short sections and the links fit on one sheet. It printed on
    # two, the second blank, because the theme's full-height body was pushed down by a top margin.
    watched.page.goto(watched.origin + "/approach/stage-3/")
    assert pdf_pages(watched.page, tmp_path / "stage-3.pdf") == 1


@pytest.mark.parametrize("path", ["/", "/approach/stage-3/", "/legal/", "/early-years/", "/social-workers/",
                                  "/governors/", "/glossary/"])
def test_a_printed_page_ends_where_its_content_ends(watched, path):
    """Nothing but content is printed: the last sheet holds the end of the text, never only empty space."""
    page = watched.page
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(watched.origin + path)
    page.emulate_media(media="print")
    gap = page.evaluate("""() => {
        const content = document.querySelector('.md-content').getBoundingClientRect().bottom + window.scrollY;
        return document.body.getBoundingClientRect().bottom + window.scrollY - content;
    }""")
    assert gap < 40, f"{path}: {gap}px of empty space after the content when printed"
