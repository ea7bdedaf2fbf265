"""'Changes since' in Chromium: the worklist compares with the date chosen, as the CLI's --since,
and by default with the end of the previous school week, which the hint names."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from attendtoolkit.cli import main

from ..conftest import absent, long_register, present
from .test_calculator import DONE, LOAD_TIMEOUT, downloaded, open_calculator, upload

pytestmark = pytest.mark.browser


def test_the_worklist_compares_with_the_changes_since_date(watched, tmp_path, capsys):
    """Absent (O) all of the week of 16 September, present the week of 23 September (as of Friday 27th):
    nothing new since Friday 20 September, but new since Friday 13 September."""
    page = watched.page
    path = tmp_path / "register.csv"
    path.write_bytes(long_register({"A": present(10) + absent("O", 5) + present(5)}))
    open_calculator(watched)
    upload(watched, path)
    expect(page.locator("#atk-worklist-intro")).to_contain_text("what changed since 20 September 2024")
    expect(page.locator("#atk-since-hint")).to_contain_text("For this file that is 20 September 2024.")
    expect(page.locator("#atk-action-table-new")).to_have_count(0)
    page.fill("#atk-since", "2024-09-13")
    expect(page.locator("#atk-status")).to_have_text(DONE, timeout=LOAD_TIMEOUT)
    expect(page.locator("#atk-worklist-intro")).to_contain_text("what changed since 13 September 2024")
    expect(page.locator("#atk-action-table-new tbody th")).to_have_text(["A"])
    expect(page.locator("#atk-since-hint")).not_to_contain_text("For this file")
    out = tmp_path / "cli.json"
    assert main(["classify", str(path), "--since", "2024-09-13", "-o", str(out)]) == 0
    capsys.readouterr()
    assert json.loads(downloaded(watched, "#atk-download-json")) == json.loads(out.read_text())
    assert watched.foreign() == [] and watched.errors == []
