"""MkDocs hook: generate the handbook pages that come from the active policy and the engine.

The active policy is `extra.policy` in mkdocs.yml (a shipped name or a path), or the
ATTENDTOOLKIT_POLICY environment variable when set.
"""

from __future__ import annotations

from mkdocs.structure.files import File

from attendtoolkit.handbook import active_policy, pages, stage_path
from attendtoolkit.policy import load_policy

APPROACH = "approach/index.md"


def _policy(config):
    return load_policy(active_policy(config.extra))


def on_config(config):
    """Put one navigation entry per stage of the active policy under the approach section."""
    policy = _policy(config)
    config.extra["active_policy"] = policy.name
    stages = [APPROACH] + [{f"{policy.stage_word} {s.id}: {s.name}": stage_path(s)} for s in policy.stages]
    for i, entry in enumerate(config.nav or []):
        if isinstance(entry, dict) and APPROACH in entry.values():
            title = next(iter(entry))
            config.nav[i] = {title: stages}
    return config


def on_files(files, config):
    for path, content in pages(_policy(config)).items():
        files.append(File.generated(config, path, content=content))
    return files
