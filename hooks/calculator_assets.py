"""MkDocs hook: put everything the calculator needs into the built site, so the site serves it itself.

Into one versioned folder under assets/: the Python runtime from the pinned npm package `pyodide`
(installed with `npm ci` when missing), wheels of this repository's `attendtoolkit`, of Jinja2
and a pure-Python MarkupSafe (for letters) and python-calamine's Pyodide wheel (for Excel files;
the worker fetches every file before it is cut off from the network, so it loads with the engine), a site-local `pyodide-lock.json` listing them with their sha256,
the active policy, the letter templates, the calculator's JavaScript and CSS, and a start-up
snapshot of Python with the engine imported (toolkit/snapshot.mjs, run with node; kept in
build/browser-wheels and made again only when the runtime or a wheel's content changes).

Then the calculator page gets the sha256 of every one of those files: a manifest of what the
worker loads (checked there before use) and integrity attributes on the page's own scripts and
stylesheet. The page is the root of trust: a file changed after the build is refused by name.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# mkdocs puts this hook's folder on sys.path while it loads the hook; the tests import it as hooks.browser_wheels
from browser_wheels import excel_wheel, letter_wheels, pip

from attendtoolkit import __version__
from attendtoolkit.policy.council import council_for
from attendtoolkit.render.letters import LetterSet, template_folders
from attendtoolkit.policy.load import policy_source

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
WORKER_FILES = ("worker.js", "loader.js")  # checked by the page against the manifest, then run in the worker
STYLESHEET = "calculator.css"
ENTRY = "calculator.js"  # the page's script; it imports the page's other modules (page_modules)
SNAPSHOT = "python.snapshot.gz"  # Python started with the engine imported and run once (toolkit/snapshot.mjs)
PLACEHOLDER = "@@CALCULATOR_ASSETS@@"
MODULES_PLACEHOLDER = "@@CALCULATOR_MODULES@@"
MANIFEST_PLACEHOLDER = "@@CALCULATOR_MANIFEST@@"
INTEGRITY_PLACEHOLDER = re.compile(r"@@INTEGRITY ([\w.-]+)@@")


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


def page_modules(root: Path) -> list[str]:
    """The page's JavaScript modules (toolkit/*.js but the worker's): one per part of the page."""
    return sorted(path.name for path in (root / "toolkit").glob("*.js") if path.name not in WORKER_FILES)


def _preloads(root: Path) -> str:
    """A modulepreload link with an integrity attribute for each module the page's script imports:
    the browser then refuses a changed module, as it refuses a changed script."""
    return "\n".join(f'<link rel="modulepreload" href="{PLACEHOLDER}{name}" integrity="@@INTEGRITY {name}@@">'
                     for name in page_modules(root) if name != ENTRY)


def on_page_markdown(markdown, page, config, files):
    """Point the calculator page at the assets folder with a relative URL (works under any base path)."""
    if PLACEHOLDER not in markdown:
        return markdown
    markdown = markdown.replace(MODULES_PLACEHOLDER, _preloads(_root(config)))
    return markdown.replace(PLACEHOLDER, "../" * page.url.count("/") + config.extra["calculator_assets"] + "/")


def _build_wheel(root: Path, dest: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        pip("wheel", "--no-deps", "--no-build-isolation", "-w", tmp, str(root))
        wheel = next(Path(tmp).glob("attendtoolkit-*.whl"))
        return Path(shutil.copy2(wheel, dest / wheel.name))


def _entry(name: str, wheel: Path, depends: list[str], imports: list[str] | None = None) -> dict:
    return {
        "name": name, "version": wheel.name.split("-")[1], "file_name": wheel.name, "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(), "package_type": "package",
        "imports": imports or [name], "depends": depends, "unvendored_tests": False,
    }


def _lock(upstream: Path, engine: Path, jinja2: Path, markupsafe: Path, calamine: Path) -> dict:
    return {
        "info": json.loads(upstream.read_text())["info"],
        "packages": {
            "attendtoolkit": _entry("attendtoolkit", engine, ["jinja2", "python-calamine"]),
            "jinja2": _entry("jinja2", jinja2, ["markupsafe"]),
            "markupsafe": _entry("markupsafe", markupsafe, []),
            "python-calamine": _entry("python-calamine", calamine, [], ["python_calamine"]),
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
    page_files = [*page_modules(root), STYLESHEET]  # loaded by the page, with integrity attributes
    for name in [*page_files, *WORKER_FILES]:
        shutil.copy2(root / "toolkit" / name, dest / name)
    wheel = _build_wheel(root, dest)
    cache = root / "build" / "browser-wheels"
    jinja2, markupsafe = (Path(shutil.copy2(w, dest / w.name)) for w in letter_wheels(cache))
    calamine = excel_wheel(cache, runtime / "pyodide-lock.json")
    calamine = Path(shutil.copy2(calamine, dest / calamine.name))
    lock = _lock(runtime / "pyodide-lock.json", wheel, jinja2, markupsafe, calamine)
    (dest / "pyodide-lock.json").write_text(json.dumps(lock, indent=1))
    letters = LetterSet.from_folders(template_folders(root))
    (dest / "letters.json").write_text(json.dumps(letters.as_json()), encoding="utf-8")
    text, name = policy_source(council_for(root).active_policy())
    (dest / "policy.toml").write_text(text, encoding="utf-8")
    (dest / "calculator.json").write_text(json.dumps({"policy_file": name, "wheel": wheel.name}))
    _snapshot(root, dest, [wheel, jinja2, markupsafe], cache)
    digests = {path.name: integrity(path) for path in sorted(dest.iterdir())}
    manifest = {name: digest for name, digest in digests.items() if name not in page_files}
    for page in Path(config.site_dir).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if MANIFEST_PLACEHOLDER in html or "@@INTEGRITY " in html:
            html = html.replace(MANIFEST_PLACEHOLDER, json.dumps(manifest, indent=None))
            page.write_text(INTEGRITY_PLACEHOLDER.sub(lambda m: digests[m.group(1)], html), encoding="utf-8")


def _snapshot(root: Path, dest: Path, wheels: list[Path], cache: Path) -> None:
    """The start-up snapshot (toolkit/snapshot.mjs) into dest, made again only when the runtime or
    the content of a wheel in it changes (a wheel's own bytes change with its build time)."""
    key = hashlib.sha256()
    for path in [root / "toolkit" / "snapshot.mjs", *(dest / name for name in RUNTIME_FILES)]:
        key.update(path.read_bytes())
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as z:
            for member in sorted(z.namelist()):
                key.update(member.encode() + b"\0" + z.read(member))
    kept = cache / f"snapshot-{key.hexdigest()[:32]}.gz"
    if not kept.exists():
        made = kept.with_suffix(".part")
        done = subprocess.run(["node", str(root / "toolkit" / "snapshot.mjs"), str(dest), str(made)],
                              capture_output=True, text=True)
        if done.returncode:
            problem = [line for line in done.stderr.splitlines() if len(line) < 500][-25:]
            raise RuntimeError("The calculator's start-up snapshot could not be made:\n" + "\n".join(problem))
        for old in cache.glob("snapshot-*.gz"):
            old.unlink()
        made.rename(kept)
    shutil.copy2(kept, dest / SNAPSHOT)


def integrity(path: Path) -> str:
    """A Subresource Integrity value: sha256- and the base64 of the file's SHA-256 digest."""
    return "sha256-" + base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()
