"""MkDocs hook: "Last updated" at the foot of each page, from git where the site is built from a clone.

A hand-written page takes the date of its file's last commit; a page generated from the policy
takes the date of the last commit to the engine or the shipped policies.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

from datetime import date

from attendtoolkit.read.dates import long_date

GENERATED_FROM = ("src/attendtoolkit",)


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
    if page.file.abs_src_path is None:  # generated from the policy by hooks/policy_pages.py
        when = _last_commit(root, *GENERATED_FROM)
    else:
        when = _last_commit(root, str(Path(config.docs_dir).relative_to(root) / page.file.src_uri))
    if when is None:
        return markdown
    return f"{markdown}\n\n<p class=\"atk-updated\"><small>Last updated {long_date(when)}.</small></p>\n"
