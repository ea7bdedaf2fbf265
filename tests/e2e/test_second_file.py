"""A second register chosen while the first is still being classified: only the second one's
results are shown. The worker answers each request with its id, and the first file's late result
is dropped (toolkit/protocol.js), so it cannot replace or flash over the newer one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from attendtoolkit.synthetic import generate, wide_csv

from .test_calculator import LOAD_TIMEOUT, open_calculator

pytestmark = pytest.mark.browser

# Every status line the page shows, in order.
STATUSES = """() => { window.statuses = [];
  const line = document.getElementById("atk-status");
  new MutationObserver(() => window.statuses.push(line.textContent))
    .observe(line, { childList: true, characterData: true, subtree: true });
}"""


def test_a_second_file_chosen_before_the_first_is_done_is_the_only_one_shown(watched, tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(wide_csv(generate(900, 60, seed=1)), encoding="utf-8")
    second.write_text(wide_csv(generate(40, 60, seed=2)), encoding="utf-8")
    w = watched
    open_calculator(w)
    w.page.evaluate(STATUSES)
    w.page.set_input_files("#atk-file", str(first))
    w.page.set_input_files("#atk-file", str(second))
    # The worker reads the files in turn: by the time the second is done, the first's result has come.
    expect(w.page.locator("#atk-status")).to_have_text(re.compile(r"^Done: 40 pupils classified"), timeout=LOAD_TIMEOUT)
    statuses = w.page.evaluate("window.statuses")
    assert [s for s in statuses if s.startswith("Done")] == [statuses[-1]], statuses
    expect(w.page.locator("#atk-results")).to_contain_text("40 pupils in second.csv")
    expect(w.page.locator("#atk-results")).not_to_contain_text("first.csv")
    expect(w.page.locator("#atk-download-csv")).to_be_enabled()
    assert not w.foreign() and not w.errors
