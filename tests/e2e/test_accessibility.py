"""axe-core (pinned npm package) over every built page and the calculator's results: no serious
or critical WCAG 2.2 A/AA violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import ROOT, Watched

pytestmark = pytest.mark.browser
AXE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def serious_violations(page) -> list[str]:
    page.evaluate(AXE)
    found = page.evaluate("async (tags) => (await axe.run(document, {runOnly: tags})).violations", TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']}"
            for v in found if v["impact"] in ("serious", "critical")]


@pytest.fixture
def axe_page(browser, served):
    w = Watched(browser, served.origin, bypass_csp=True)  # only so the checker itself can be injected
    yield w
    w.close()


def pages(site) -> list[str]:
    return sorted("/" + p.relative_to(site).as_posix().removesuffix("index.html")
                  for p in site.rglob("index.html") if "assets" not in p.parts)


def test_every_page_has_no_serious_accessibility_problems(axe_page, site):
    problems = {}
    for path in pages(site):
        axe_page.page.goto(axe_page.origin + path)
        if found := serious_violations(axe_page.page):
            problems[path] = found
    assert problems == {}, "\n".join(f"{path}: {v}" for path, found in problems.items() for v in found)
    assert len(pages(site)) >= 9


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_calculator_results_have_no_serious_accessibility_problems(axe_page, scheme):
    page = axe_page.page
    page.goto(axe_page.origin + "/calculator/")
    page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    expect(page.locator("#atk-status")).to_have_text(re.compile("^Ready"), timeout=90_000)
    page.set_input_files("#atk-file", str(ROOT / "examples" / "register-long.csv"))
    expect(page.locator("#atk-status")).to_have_text(re.compile("^Done"), timeout=90_000)
    page.locator("#atk-pupil-table summary").first.click()
    assert serious_violations(page) == []


def test_the_html_report_has_no_serious_accessibility_problems(browser, tmp_path):
    from attendtoolkit.cli import main

    from .conftest import Served
    main(["report", str(ROOT / "examples" / "register-long.csv"), "-o", str(tmp_path / "report.html")])
    served = Served(tmp_path)
    w = Watched(browser, served.origin, bypass_csp=True)
    try:
        w.page.goto(served.origin + "/report.html")
        assert serious_violations(w.page) == []
        assert w.foreign() == []
    finally:
        w.close()
        served.close()
