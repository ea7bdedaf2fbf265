"""A council's own configuration: the one folder a fork edits (`council/`).

council.toml names the council, its policy, contacts, links and colours; `letters/` holds letter
overrides; `pages/` holds extra or replacement handbook pages. An empty or missing folder gives
the national handbook.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from attendtoolkit.policy.check import NOT_UTF8, FileProblems, Problems, toml_data
from attendtoolkit.policy.council_spec import COUNCIL, HEX_COLOUR
from attendtoolkit.policy.fields import Place
from attendtoolkit.policy.load import PolicyError, load_policy, shipped_policies

COUNCIL_ENV = "ATTENDTOOLKIT_COUNCIL"
POLICY_ENV = "ATTENDTOOLKIT_POLICY"
HEX = re.compile(HEX_COLOUR)


class CouncilError(FileProblems):
    """A council.toml with problems; `problems` lists each one in plain English."""


@dataclass
class Council:
    folder: Path | None
    name: str = ""
    site_name: str = ""
    logo: Path | None = None
    policy: str | None = None  # a shipped name or a path
    primary: str | None = None
    accent: str | None = None
    contacts: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)

    @property
    def letters(self) -> Path | None:
        return self.folder / "letters" if self.folder else None

    @property
    def pages(self) -> Path | None:
        return self.folder / "pages" if self.folder else None

    def active_policy(self) -> str | None:
        """ATTENDTOOLKIT_POLICY if set, else the council's policy, else the national default."""
        return os.environ.get(POLICY_ENV) or self.policy


def council_folder(root: Path) -> Path:
    """ATTENDTOOLKIT_COUNCIL if set (relative to the repository), else `council/`."""
    chosen = os.environ.get(COUNCIL_ENV)
    return (root / chosen).resolve() if chosen else root / "council"


def council_for(root: Path) -> Council:
    """The council a site built from `root` belongs to."""
    return load_council(council_folder(root))


def load_council(folder: Path | None) -> Council:
    """The council in `folder`, or the national defaults if it has no council.toml."""
    if folder is None or not (folder / "council.toml").is_file():
        return Council(folder if folder and folder.is_dir() else None)
    source = f"{folder.name}/council.toml"
    try:
        text = (folder / "council.toml").read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CouncilError(source, [NOT_UTF8]) from exc
    return council_from_data(toml_data(text, source, CouncilError), folder, source)


def council_from_data(data: dict, folder: Path, source: str = "council.toml") -> Council:
    """The council in TOML data, or CouncilError listing every problem: first against the spec, then
    the checks that need its folder (the logo, its own policy file) or arithmetic (colour contrast)."""
    problems = Problems(source)
    council = _council(COUNCIL.check(data, Place(), problems), folder, problems)
    problems.raise_any(CouncilError)
    return council


def _council(data: dict, folder: Path, problems: Problems) -> Council:
    meta = data.get("council", {})
    council = Council(folder, name=meta.get("name", ""), site_name=meta.get("site_name", ""),
                      contacts=data.get("contacts", []), links=data.get("links", []))
    if "logo" in meta:
        logo = folder / meta["logo"]
        if not logo.is_file():
            problems.add("[council].logo", f"there is no file {meta['logo']} in {folder.name}/.")
        else:
            council.logo = logo
    council.policy = _policy(meta.get("policy"), folder, problems)
    for key, value in data.get("colours", {}).items():
        if not HEX.match(value):
            continue
        if contrast(value, "#ffffff") < 4.5:
            problems.add(f"[colours].{key}", f"{value} is too light for white text on it "
                         f"(contrast {contrast(value, '#ffffff'):.1f}:1, needs 4.5:1). Choose a darker colour.")
        else:
            setattr(council, key, value.lower())
    return council


def _policy(value: str | None, folder: Path, problems: Problems) -> str | None:
    """A shipped policy's name, or the path of the council's own policy file (its problems added)."""
    if value is None or value in shipped_policies():
        return value
    path = folder / value
    if not path.is_file():
        problems.add("[council].policy", f"'{value}' is neither a shipped policy "
                     f"({', '.join(shipped_policies())}) nor a file in {folder.name}/.")
        return None
    try:
        load_policy(path)
    except PolicyError as exc:
        problems.found += [f"{value}: {p}" for p in exc.problems]
    return str(path)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)

