"""MkDocs hook: put everything the calculator needs into the built site, so the site serves it itself.

Into one versioned folder under assets/: the Python runtime from the pinned npm package `pyodide`
(installed with `npm ci` when missing), a wheel of this repository's `attendtoolkit`, a
site-local `pyodide-lock.json` listing that wheel with its sha256, the active policy, and the
calculator's JavaScript and CSS from `toolkit/`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from attendtoolkit import __version__
from attendtoolkit.handbook import active_policy
from attendtoolkit.policy import policy_source

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
TOOLKIT_FILES = ("calculator.js", "worker.js", "calculator.css")
PLACEHOLDER = "@@CALCULATOR_ASSETS@@"


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _pyodide(config) -> Path:
    """The vendored runtime, installed from package-lock.json if it is missing or another version."""
    root = _root(config)
    folder = root / "node_modules" / "pyodide"
    wanted = json.loads((root / "package.json").read_text())["dependencies"]["pyodide"]
    installed = folder / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != wanted:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=root, check=True)
    return folder


def assets_folder(config) -> str:
    version = json.loads((_pyodide(config) / "package.json").read_text())["version"]
    return f"assets/calculator-{__version__}-pyodide-{version}"


def on_config(config):
    config.extra["calculator_assets"] = assets_folder(config)
    return config


def on_page_markdown(markdown, page, config, files):
    """Point the calculator page at the assets folder with a relative URL (works under any base path)."""
    if PLACEHOLDER not in markdown:
        return markdown
    return markdown.replace(PLACEHOLDER, "../" * page.url.count("/") + config.extra["calculator_assets"] + "/")


def _build_wheel(root: Path, dest: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                        "--quiet", "--disable-pip-version-check", "-w", tmp, str(root)],
                       cwd=root, check=True, env=dict(os.environ, PIP_NO_INPUT="1"))
        wheel = next(Path(tmp).glob("attendtoolkit-*.whl"))
        return Path(shutil.copy2(wheel, dest / wheel.name))


def _lock(upstream: Path, wheel: Path) -> dict:
    info = json.loads(upstream.read_text())["info"]
    return {
        "info": info,
        "packages": {
            "attendtoolkit": {
                "name": "attendtoolkit", "version": __version__, "file_name": wheel.name,
                "install_dir": "site", "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
                "package_type": "package", "imports": ["attendtoolkit"], "depends": [],
                "unvendored_tests": False,
            },
        },
    }


def on_post_build(config):
    root = _root(config)
    runtime = _pyodide(config)
    dest = Path(config.site_dir) / config.extra["calculator_assets"]
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in RUNTIME_FILES:
        shutil.copy2(runtime / name, dest / name)
    for name in TOOLKIT_FILES:
        shutil.copy2(root / "toolkit" / name, dest / name)
    wheel = _build_wheel(root, dest)
    (dest / "pyodide-lock.json").write_text(json.dumps(_lock(runtime / "pyodide-lock.json", wheel), indent=1))
    text, name = policy_source(active_policy(config.extra))
    (dest / "policy.toml").write_text(text, encoding="utf-8")
    (dest / "calculator.json").write_text(json.dumps({"policy_file": name, "wheel": wheel.name}))
