"""MkDocs hook: make the site the council's own from `council/` (or ATTENDTOOLKIT_COUNCIL).

Site name, colours, logo, a contacts page (made by hooks/policy_pages.py from
docs/templates/contacts.md), and pages in `council/pages/` that replace or add to the handbook's,
at the same path as in docs/ (`approach/index.md`; `templates/stage.md` replaces the template the
stage pages are made from). Without a council.toml the site is the national handbook.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File

from attendtoolkit.policy.council import council_for
from attendtoolkit.site.handbook import CONTACTS


def _council(config):
    return council_for(Path(config.config_file_path).resolve().parent)


def _css(council) -> str:
    rules = []
    if council.primary:
        rules += [f"--md-primary-fg-color: {council.primary};", f"--md-primary-fg-color--dark: {council.primary};"]
    if council.accent:
        rules += [f"--md-accent-fg-color: {council.accent};"]
    return ":root, [data-md-color-scheme] {\n  " + "\n  ".join(rules) + "\n}\n"


def on_config(config):
    council = _council(config)
    if council.site_name or council.name:
        config.site_name = council.site_name or f"{config.site_name}: {council.name}"
    if council.primary or council.accent:
        config.extra_css.append("assets/council.css")
    if council.logo:
        config.theme["logo"] = f"assets/council-logo{council.logo.suffix}"
    if council.contacts or council.links:
        config.nav.append({"Contacts": CONTACTS})
    extra = [p for p in sorted(council.pages.glob("*.md"))] if council.pages and council.pages.is_dir() else []
    existing = _nav_pages(config.nav)
    local = [{_title(p): p.name} for p in extra if p.name not in existing]
    if local:
        config.nav.append({"Local information": local})
    return config


def _nav_pages(nav) -> set[str]:
    found = set()
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        found |= _nav_pages(value) if isinstance(value, list) else {value}
    return found


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("-", " ").capitalize()


def on_files(files, config):
    council = _council(config)
    if council.primary or council.accent:
        files.append(File.generated(config, "assets/council.css", content=_css(council)))
    if council.logo:
        files.append(File.generated(config, f"assets/council-logo{council.logo.suffix}", abs_src_path=str(council.logo)))
    if council.pages and council.pages.is_dir():
        for page in sorted(council.pages.rglob("*.md")):
            path = page.relative_to(council.pages).as_posix()
            if path.startswith("templates/"):  # read by hooks/policy_pages.py in place of docs/templates/
                continue
            old = files.get_file_from_path(path)
            if old is not None:
                files.remove(old)
            files.append(File.generated(config, path, abs_src_path=str(page)))
    return files
