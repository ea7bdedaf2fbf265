"""The calculator's JavaScript logic, tested under Node's own test runner (tests/js)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.native  # runs Node, which Pyodide cannot


def test_the_javascript_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the calculator's JavaScript tests (see the README's set-up).")
    done = subprocess.run([node, "--test", str(ROOT / "tests" / "js")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout
