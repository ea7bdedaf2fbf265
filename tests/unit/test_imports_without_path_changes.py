"""Build helpers, benchmarks and tests import each other as modules: none of them changes sys.path.

The hooks import their helpers from the hooks folder (mkdocs puts it on sys.path while it loads a
hook); tests, benchmarks and scripts run from the repository root (pytest, `python -m benchmarks.browser`),
so `toolkit.serve`, `hooks.browser_wheels` and `tests.workbooks` import as they are.
"""

from ..conftest import ROOT

FOLDERS = ("hooks", "toolkit", "tests", "benchmarks", "scripts")
CHANGE = "sys.path." + "insert"  # spelt in two parts so this file does not find itself


def test_no_python_file_outside_the_package_changes_sys_path():
    found = [str(path.relative_to(ROOT)) for folder in FOLDERS for path in sorted((ROOT / folder).rglob("*.py"))
             if CHANGE in path.read_text(encoding="utf-8")]
    assert found == []
