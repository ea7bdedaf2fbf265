"""While a register is classified (issue 13, progress): a progress bar says how far the work has got
(rows read, pupils classified), and the summary cards' first figures are on screen before the stages
and the worklist are worked out; the full results then replace them and the bar goes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from attendtoolkit.synthetic import generate, wide_csv

from .test_calculator import open_calculator, upload

pytestmark = pytest.mark.browser

# Records what the page showed, in order, as it changed.
WATCH = """() => { window.seen = [];
  const note = () => {
    const bar = document.getElementById("atk-progress"), box = document.getElementById("atk-progress-box");
    const results = document.getElementById("atk-results");
    window.seen.push({ bar: box.hidden ? null : bar.value, label: document.getElementById("atk-progress-label").textContent,
                       waiting: !!results.querySelector(".atk-card-waiting"),
                       cards: results.querySelectorAll(".atk-card").length,
                       figures: Array.from(results.querySelectorAll(".atk-card-figure"), (e) => e.textContent),
                       done: /^Done/.test(document.getElementById("atk-status").textContent) });
  };
  new MutationObserver(note).observe(document.body, { childList: true, subtree: true, characterData: true,
                                                     attributes: true, attributeFilter: ["value", "hidden"] });
}"""


def test_first_figures_and_a_progress_bar_come_before_the_full_results(watched, tmp_path):
    path = tmp_path / "school.csv"
    path.write_text(wide_csv(generate(400, 60, seed=3)), encoding="utf-8")
    w = watched
    open_calculator(w)
    w.page.evaluate(WATCH)
    upload(w, path)
    seen = w.page.evaluate("window.seen")
    labels = [s["label"] for s in seen if s["bar"] is not None]
    assert any(label.startswith("Read 400 rows: 400 pupils") for label in labels)
    assert any(label == "Pupils classified: 400 of 400" for label in labels)
    bars = [s["bar"] for s in seen if s["bar"] is not None]
    assert bars == sorted(bars) and bars[-1] >= 85  # the bar only moves forward
    first = next(i for i, s in enumerate(seen) if s["waiting"])
    assert seen[first]["cards"] == 5 and not seen[first]["done"]  # first figures before the end
    expect(w.page.locator("#atk-progress-box")).to_be_hidden()
    expect(w.page.locator(".atk-card-waiting")).to_have_count(0)
    # the first figures (pupils, attendance, persistent and severe absence) are the final ones
    final = w.page.locator(".atk-card .atk-card-figure").all_text_contents()
    assert seen[first]["figures"][:4] == final[:4] and final[0] == "400"
    expect(w.page.locator("#atk-status")).to_have_text(re.compile(r"^Done: 400 pupils classified \("))
    assert not w.foreign() and not w.errors
