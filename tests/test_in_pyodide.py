"""The browser runs Python 3.14 in Pyodide: the engine's unit tests and scenarios must pass there too."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
from .pyodide.wheels import wheels, with_letter_wheels

pytestmark = pytest.mark.browser


def test_engine_tests_pass_inside_pyodide():
    folder = with_letter_wheels(wheels(ROOT / ".venv" / "pyodide-wheels"), ROOT)
    args = ["tests/unit", "tests/scenarios", "-m", "not native", "-q", "-p", "no:cacheprovider",
            "--ignore=tests/unit/test_pandas_engine.py", "--ignore=tests/unit/test_properties.py",
            "--ignore=tests/unit/test_reader_properties.py", "--ignore=tests/unit/test_grid_properties.py",
            "--ignore=tests/unit/test_batch_rules.py", "--ignore=tests/unit/test_indented_json.py",
            "--ignore=tests/unit/test_arrow_long.py",
            "--ignore=tests/unit/test_fast_path_properties.py"]  # hypothesis and numpy: not in Pyodide
    done = subprocess.run(["node", "tests/pyodide/run_tests.mjs", str(folder), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    tail = done.stdout[-3000:] + done.stderr[-2000:]
    assert done.returncode == 0, tail
    assert "in Pyodide" in done.stdout and " passed" in done.stdout, tail
