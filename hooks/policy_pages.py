"""MkDocs hook: the handbook pages that follow the active policy and the engine.

Every page's words are Markdown in docs/; `<!-- atk:NAME -->` markers in them are filled here
(on_page_markdown) from the policy, the engine and the council (src/attendtoolkit/site/handbook.py
has the list). Stage and letter pages are made from docs/templates/ (or the council's own copy in
council/pages/templates/), one per stage of the policy and one per letter. An unknown marker stops the build, naming the page and the marker.

The active policy is the council's (`policy` in council/council.toml), or the national default;
the ATTENDTOOLKIT_POLICY environment variable overrides both (a shipped name or a path).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from attendtoolkit.policy.council import council_for
from attendtoolkit.policy.load import load_policy
from attendtoolkit.render.letters import LetterSet, template_folders
from attendtoolkit.site.handbook import (Facts, MarkerError, fill_page, generated_pages, letter_path, stage_path,
                                         template_path)
from attendtoolkit.site.markers import markers_in

APPROACH = "approach/index.md"
LETTERS = "letters/index.md"
ENGINE = "src/attendtoolkit"  # where the facts behind the markers come from (for "Last updated")
_made = {}  # page path -> (template, Facts), for the pages made from docs/templates/
_site = {}  # "facts": the Facts for every other page


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _letters(config) -> LetterSet:
    return LetterSet.from_folders(template_folders(_root(config)))


def _facts(config) -> Facts:
    council = council_for(_root(config))
    return Facts(load_policy(council.active_policy()), _letters(config), council, docs=Path(config.docs_dir))


def on_config(config):
    """Put one navigation entry per stage of the active policy under the approach section."""
    policy = _facts(config).policy
    config.extra["active_policy"] = policy.name
    sections = {
        APPROACH: [APPROACH] + [{f"{policy.stage_word} {s.id}: {s.name}": stage_path(s)} for s in policy.stages],
        LETTERS: [LETTERS] + [{t.title: letter_path(name)} for name, t in _letters(config).templates.items()],
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
    facts = _site["facts"] = _facts(config)
    _made.clear()
    _made.update(generated_pages(facts.policy, facts.letters, facts.council, facts.docs))
    for path, (template, _) in _made.items():
        text = template_path(template, facts.council, facts.docs).read_text(encoding="utf-8")
        files.append(File.generated(config, path, content=text))
    return files


def _source(page, config) -> str:
    """The file an editor opens to change this page's words, relative to the repository."""
    root = _root(config)
    if page.file.src_uri in _made:
        facts = _site["facts"]
        template = template_path(_made[page.file.src_uri][0], facts.council, facts.docs).resolve()
        return template.relative_to(root).as_posix() if template.is_relative_to(root) else str(template)
    source = Path(page.file.abs_src_path).resolve()
    return source.relative_to(root).as_posix() if source.is_relative_to(root) else str(source)


def on_page_markdown(markdown, page, config, files):
    if not markers_in(markdown):
        return markdown
    made = _made.get(page.file.src_uri)
    source = _source(page, config)
    try:
        filled = fill_page(markdown, f"{source} (for {page.file.src_uri})" if made else source,
                           made[1] if made else _site["facts"])
    except MarkerError as problem:
        raise PluginError(str(problem)) from None
    page.meta["made_from"] = [source, ENGINE]  # hooks/last_updated.py: the later of the two
    return filled
