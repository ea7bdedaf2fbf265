"""The handbook in Chromium: search works from the site's own files; role tabs work without JavaScript."""

from __future__ import annotations

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
