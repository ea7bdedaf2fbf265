"""MkDocs hook: generate the handbook pages that come from the active policy and the engine.

The active policy is the council's (`policy` in council/council.toml), or the national default;
the ATTENDTOOLKIT_POLICY environment variable overrides both (a shipped name or a path).
"""

from __future__ import annotations

from mkdocs.structure.files import File

from pathlib import Path

from attendtoolkit.policy.council import council_for
from attendtoolkit.site.handbook import pages, stage_path
from attendtoolkit.render.letters import LetterSet, template_folders
from attendtoolkit.policy.load import load_policy

APPROACH = "approach/index.md"
LETTERS = "letters/index.md"


def _letters(config) -> LetterSet:
    return LetterSet.from_folders(template_folders(Path(config.config_file_path).resolve().parent))


def _policy(config):
    return load_policy(council_for(Path(config.config_file_path).resolve().parent).active_policy())


def on_config(config):
    """Put one navigation entry per stage of the active policy under the approach section."""
    policy = _policy(config)
    config.extra["active_policy"] = policy.name
    sections = {
        APPROACH: [APPROACH] + [{f"{policy.stage_word} {s.id}: {s.name}": stage_path(s)} for s in policy.stages],
        LETTERS: [LETTERS] + [{t.title: f"letters/{name}.md"} for name, t in _letters(config).templates.items()],
    }
    _expand(config.nav or [], sections)
    return config


def _expand(nav: list, sections: dict) -> None:
    """Replace each `Title: page` entry whose page heads a generated section with the whole section."""
    for i, entry in enumerate(nav):
        if isinstance(entry, dict):
            title, value = next(iter(entry.items()))
            if isinstance(value, list):
                _expand(value, sections)
            elif value in sections:
                nav[i] = {title: sections[value]}


def on_files(files, config):
    for path, content in pages(_policy(config), _letters(config)).items():
        files.append(File.generated(config, path, content=content))
    return files
