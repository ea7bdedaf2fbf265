"""Wheels the browser needs besides the engine: Jinja2, MarkupSafe built without its C speedups,
and python-calamine's Pyodide wheel for Excel and OpenDocument registers.

MarkupSafe has only platform wheels on PyPI. Built from its sdist with the C compiler set to
`false`, its setup falls back to a pure-Python `py3-none-any` wheel. python-calamine publishes
WebAssembly wheels for Pyodide on PyPI; the one for the vendored Pyodide's platform is downloaded.
Versions are the ones installed here, so the browser and the CLI run the same code.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path


def pip(*args: str, env: dict | None = None) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args, "--quiet", "--disable-pip-version-check"],
                   check=True, env={**os.environ, "PIP_NO_INPUT": "1", **(env or {})})


def letter_wheels(cache: Path) -> list[Path]:
    """[jinja2 wheel, pure markupsafe wheel], made once into `cache`."""
    cache.mkdir(parents=True, exist_ok=True)
    jinja2 = importlib.metadata.version("jinja2")
    markupsafe = importlib.metadata.version("markupsafe")
    if not list(cache.glob(f"jinja2-{jinja2}-*.whl")):
        pip("download", "--no-deps", "--only-binary=:all:", "-d", str(cache), f"jinja2=={jinja2}")
    if not list(cache.glob(f"markupsafe-{markupsafe}-py3-none-any.whl")):
        pip("wheel", "--no-deps", "--no-binary=markupsafe", "-w", str(cache), f"markupsafe=={markupsafe}",
            env={"CC": "false"})
    return [next(cache.glob(f"jinja2-{jinja2}-*.whl")), next(cache.glob(f"markupsafe-{markupsafe}-py3-none-any.whl"))]


def excel_wheel(cache: Path, pyodide_lock: Path) -> Path:
    """python-calamine's wheel for the Pyodide described by `pyodide_lock` (its ABI and Python version)."""
    cache.mkdir(parents=True, exist_ok=True)
    version = importlib.metadata.version("python-calamine")
    info = json.loads(pyodide_lock.read_text())["info"]
    platform = f"pyemscripten_{info['abi_version']}_{info['arch']}"
    python = ".".join(info["python"].split(".")[:2])
    pattern = f"python_calamine-{version}-*-{platform}.whl"
    if not list(cache.glob(pattern)):
        pip("download", "--no-deps", "--only-binary=:all:", "--platform", platform, "--python-version", python,
            "-d", str(cache), f"python-calamine=={version}")
    return next(cache.glob(pattern))
