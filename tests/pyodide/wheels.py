"""Pure-Python wheels of pytest and hypothesis (the versions in .venv) for running tests in Pyodide."""

from __future__ import annotations

import importlib.metadata as metadata
import subprocess
import sys
from pathlib import Path

# hypothesis is left out: it now has a native part, so property tests run on CPython only.
PACKAGES = ("pytest", "pluggy", "iniconfig", "packaging", "pygments")


def wheels(folder: Path) -> Path:
    """Download once into `folder` (from the package index, pure wheels only)."""
    wanted = [f"{name}=={metadata.version(name)}" for name in PACKAGES]
    stamp = folder / "versions.txt"
    if stamp.exists() and stamp.read_text() == "\n".join(wanted):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                    "--no-deps", "--only-binary=:all:", "-d", str(folder), *wanted], check=True)
    stamp.write_text("\n".join(wanted))
    return folder


def with_letter_wheels(folder: Path, root: Path) -> Path:
    """Also Jinja2 and the pure MarkupSafe the browser uses, so the letter tests run in Pyodide too."""
    from hooks.browser_wheels import letter_wheels as build
    for wheel in build(root / "build" / "browser-wheels"):
        target = folder / wheel.name
        if not target.exists():
            target.write_bytes(wheel.read_bytes())
    return folder
