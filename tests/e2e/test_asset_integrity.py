"""Assets that cannot be swapped, in real Chromium: every file the calculator uses is checked
against the SHA-256 digest the site build wrote into the page, and a changed file stops the
calculator with one plain message naming it."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import Served, Watched, copy_site
from .test_calculator import LOAD_TIMEOUT

pytestmark = pytest.mark.browser

# One file of each kind the calculator loads, and how to change it as an attacker might.
KINDS = {
    "runtime module": "pyodide.mjs",
    "runtime module (Python's interpreter)": "pyodide.asm.mjs",
    "runtime WebAssembly": "pyodide.asm.wasm",
    "standard library": "python_stdlib.zip",
    "start-up snapshot (Python with the engine imported)": "python.snapshot.gz",
    "lock file": "pyodide-lock.json",
    "engine wheel": "attendtoolkit-*.whl",
    "letters wheel (Jinja2)": "jinja2-*.whl",
    "letters wheel (MarkupSafe)": "markupsafe-*.whl",
    "policy": "policy.toml",
    "letter templates": "letters.json",
    "calculator settings": "calculator.json",
    "worker script": "worker.js",
    "loader script": "loader.js",
    "page script": "calculator.js",
    "page module it imports": "pupil_table.js",
    "page module its modules import (the worker protocol)": "protocol.js",
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_changed_file_stops_the_calculator_naming_the_file(browser, site, tmp_path, kind):
    copy = copy_site(site, tmp_path / "site")
    path = next(next(copy.glob("assets/calculator-*")).glob(KINDS[kind]))
    path.write_bytes(path.read_bytes() + (b"\n// changed\n" if path.suffix in (".js", ".mjs") else b" "))
    served = Served(copy)
    w = Watched(browser, served.origin)
    try:
        w.page.goto(served.origin + "/calculator/")
        expect(w.page.locator("#atk-status")).to_have_text(
            re.compile(rf"^Problem: {re.escape(path.name)} has been changed since this site was built"),
            timeout=LOAD_TIMEOUT)
        expect(w.page.locator("#atk-status")).not_to_contain_text("Traceback")
    finally:
        w.close()
        served.close()


def test_the_page_lists_a_digest_for_every_file_the_worker_loads(site):
    page = (site / "calculator" / "index.html").read_text()
    manifest = json.loads(re.search(r'<script type="application/json" id="atk-manifest">(.*?)</script>', page).group(1))
    assets = next(site.glob("assets/calculator-*"))
    lock = json.loads((assets / "pyodide-lock.json").read_text())
    # the page's own files: its script, stylesheet and the modules it preloads, each with an integrity attribute
    page_files = {"calculator.js", "calculator.css", *re.findall(r'<link rel="modulepreload" href="[^"]+/([\w.]+\.js)"', page)}
    assert {"pupil_table.js", "protocol.js"} <= page_files
    files = {p.name for p in assets.iterdir()} - page_files
    assert set(manifest) == files and {p["file_name"] for p in lock["packages"].values()} <= files
    assert re.search(r'<script type="module" src="[^"]+calculator\.js" integrity="sha256-[A-Za-z0-9+/=]{44}">', page)
    assert re.search(r'<link rel="stylesheet" href="[^"]+calculator\.css" integrity="sha256-[A-Za-z0-9+/=]{44}">', page)
    assert re.search(r'<link rel="modulepreload" href="[^"]+pupil_table\.js" integrity="sha256-[A-Za-z0-9+/=]{44}">', page)
    for name in page_files - {"calculator.js", "calculator.css"}:
        assert re.search(rf'<link rel="modulepreload" href="[^"]+/{re.escape(name)}" integrity="sha256-[A-Za-z0-9+/=]{{44}}">', page)
    assert "@@" not in page
