"""The handbook's one marker syntax: `<!-- atk:NAME -->` or `<!-- atk:NAME ARGUMENT -->` in a page of docs/.

A marker stands for a fact the policy, the engine or the council's files decide (a threshold, a
table, a diagram); everything else on the page is prose an editor changes in docs/. It is an HTML
comment, as in mkdocs-material's own pages (`<!-- md:option -->`), so the Markdown stays readable
anywhere. hooks/policy_pages.py fills every marker when the site is built; a marker nobody knows
stops the build with the page and the marker named, so a fact is never left blank. In backticks
(`<!-- atk:NAME -->` between two backticks) a marker is shown as written, as docs/adapt.md does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from attendtoolkit.policy.council import Council
from attendtoolkit.policy.model import Policy, Stage

MARKER = re.compile(r"(`?)<!--\s*atk\b(.*?)-->(`?)", re.S)  # in backticks it is shown as written
_WORDS = re.compile(r":([a-z][a-z-]*)(?:\s+([\w-]+))?\s*")


class MarkerError(ValueError):
    """A marker the handbook does not know, or one used on a page it does not belong on."""


class UnknownArgument(ValueError):
    """Raised by a filler: its argument names nothing (the message says what it may name)."""


@dataclass(frozen=True)
class Facts:
    """What a page's markers are filled from: the active policy and letters, the council, and on a
    stage or letter page, its stage or letter; in the way back example, its figures in words."""
    policy: Policy
    letters: object | None = None  # render.letters.LetterSet
    council: Council | None = None
    stage: Stage | None = None
    letter: str | None = None
    docs: Path | None = None  # the site's docs/ (None: the checkout's), for the templates a section reads
    way_back: dict[str, str] | None = None


@dataclass(frozen=True)
class Filler:
    fill: Callable[..., str]
    takes: str = ""  # what the argument names ("a threshold"), or "" for a marker without one


def known(fillers: dict[str, Filler]) -> str:
    return ", ".join(sorted(name + (" NAME" if f.takes else "") for name, f in fillers.items()))


def _quoted(match: re.Match) -> bool:
    return bool(match.group(1) and match.group(3))


def markers_in(text: str) -> list[str]:
    """Every marker in `text` that the build fills, as written."""
    return [m.group(0).strip("`") for m in MARKER.finditer(text) if not _quoted(m)]


def fill(text: str, page: str, facts: Facts, fillers: dict[str, Filler]) -> str:
    """`text` with every marker replaced by its fact; MarkerError names `page` and the marker otherwise."""
    def one(match: re.Match) -> str:
        if _quoted(match):
            return match.group(0)
        written = match.group(0).strip("`")
        words = _WORDS.fullmatch(match.group(2))
        name, argument = (words.group(1), words.group(2)) if words else (None, None)
        filler = fillers.get(f"{name} {argument}" if argument else name) or fillers.get(name)
        if filler is None or (filler.takes == "") != (argument is None or f"{name} {argument}" in fillers):
            raise MarkerError(f"{page}: unknown marker {written}. Markers are written <!-- atk:NAME --> or "
                              f"<!-- atk:NAME ARGUMENT -->; the known ones are listed in docs/adapt.md "
                              f"(\"Markers\"): {known(fillers)}.")
        try:
            filled = filler.fill(facts, argument) if filler.takes else filler.fill(facts)
            return match.group(1) + filled + match.group(3)
        except UnknownArgument as problem:
            raise MarkerError(f"{page}: marker {written}: {problem}") from None
    return MARKER.sub(one, text)
