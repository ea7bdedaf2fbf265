"""MkDocs hook: "Last updated" at the foot of each page, from git where the site is built from a clone.

A page takes the date of its file's last commit in docs/; a page with markers filled from the
policy (hooks/policy_pages.py sets `made_from`) takes the later of that and the last commit to the
engine or the shipped policies.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

from datetime import date

from attendtoolkit.read.dates import long_date


@lru_cache(maxsize=None)
def _last_commit(root: str, *paths: str) -> date | None:
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%cs", "--", *paths], cwd=root,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = done.stdout.strip()
    return date.fromisoformat(text) if done.returncode == 0 and text else None


def on_page_markdown(markdown, page, config, files):
    root = str(Path(config.config_file_path).resolve().parent)
    paths = page.meta.get("made_from") or [page.file.abs_src_path]
    when = _last_commit(root, *paths)
    if when is None:
        return markdown
    return f"{markdown}\n\n<p class=\"atk-updated\"><small>Last updated {long_date(when)}.</small></p>\n"
