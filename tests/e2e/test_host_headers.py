"""The bundled server's headers in real Chromium: every page carries them, and no other site can
show the calculator in a frame."""

from __future__ import annotations

import urllib.request

import pytest
from playwright.sync_api import expect

from attendtoolkit.site.headers import HEADERS

from .test_worker_cut_off import Listener

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/calculator/", "/codes/"])
def test_the_bundled_server_sends_the_security_headers(served, path):
    with urllib.request.urlopen(served.origin + path) as response:
        assert {name: response.headers[name] for name in HEADERS} == HEADERS


def test_no_other_site_can_show_the_calculator_in_a_frame(browser, served):
    other = Listener()  # any other origin: it serves a page that frames the calculator
    context = browser.new_context()
    try:
        page = context.new_page()
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "frame-ancestors" in m.text else None)
        page.goto(other.origin + "/")
        page.set_content(f'<iframe src="{served.origin}/calculator/" title="framed"></iframe>')
        page.wait_for_load_state("load")
        frame = page.frames[1]
        assert frame.url.startswith("chrome-error://") or frame.locator("#atk-status").count() == 0
        expect(page.locator("iframe")).to_have_count(1)
        assert refused
    finally:
        context.close()
        other.close()
