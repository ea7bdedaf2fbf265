"""Fixtures for browser tests: a built site, a local server and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from ..conftest import ROOT, build_site

CHROMIUM = os.environ.get("ATTENDTOOLKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

from toolkit.serve import server


class Served:
    """A folder served on 127.0.0.1 in a background thread."""

    def __init__(self, folder: Path):
        self.httpd = server(str(folder), 0)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("e2e") / "site")


@pytest.fixture(scope="session")
def served(site):
    s = Served(site)
    yield s
    s.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page whose every request is recorded; requests to any other origin are aborted."""

    def __init__(self, browser, origin: str, **context_options):
        self.context = browser.new_context(accept_downloads=True, **context_options)
        self.page = self.context.new_page()
        self.origin = origin
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if "Content Security Policy" in m.text else None)
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.origin + "/") or url.startswith(("blob:", "data:")):
            route.continue_()
        else:
            route.abort()

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.origin + "/", "blob:", "data:"))]

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser, served):
    w = Watched(browser, served.origin)
    yield w
    w.close()


def copy_site(site: Path, dest: Path) -> Path:
    shutil.copytree(site, dest)
    return dest
