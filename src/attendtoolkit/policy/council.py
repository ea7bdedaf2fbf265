"""A council's own configuration: the one folder a fork edits (`council/`).

council.toml names the council, its policy, contacts, links and colours; `letters/` holds letter
overrides; `pages/` holds extra or replacement handbook pages. An empty or missing folder gives
the national handbook.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from attendtoolkit.policy.model import PolicyError, load_policy, shipped_policies

COUNCIL_ENV = "ATTENDTOOLKIT_COUNCIL"
POLICY_ENV = "ATTENDTOOLKIT_POLICY"
_TOP_KEYS = {"council", "colours", "contacts", "links"}
_COUNCIL_KEYS = {"name", "site_name", "logo", "policy"}
_COLOUR_KEYS = {"primary", "accent"}
_CONTACT_KEYS = {"team", "phone", "email", "hours", "for"}
_LINK_KEYS = {"title", "url", "description"}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CouncilError(ValueError):
    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{source} has {len(problems)} problem(s):\n" + "\n".join(f"- {p}" for p in problems))


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
        data = tomllib.loads((folder / "council.toml").read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise CouncilError(source, [f"is not valid TOML: {exc}. Check quotes, brackets and commas."]) from exc
    return _Check(source, folder).council(data)


class _Check:
    def __init__(self, source: str, folder: Path):
        self.source, self.folder, self.problems = source, folder, []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def keys(self, where: str, table, allowed: set[str], required: set[str] = frozenset(),
             texts: bool = True) -> bool:
        """Unknown and missing keys; with `texts`, every value must be text."""
        if not isinstance(table, dict):
            self.problem(where, "should be a table of keys and values.")
            return False
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                self.problem(where, f"unknown key '{key}'." + (f" Did you mean '{hint[0]}'?" if hint else "")
                             + f" Allowed keys: {', '.join(sorted(allowed))}.")
        for key in sorted(required - table.keys()):
            self.problem(where, f"missing key '{key}'.")
        for key, value in table.items():
            if texts and key in allowed and not isinstance(value, str):
                self.problem(f"{where}.{key}", f"should be text in quotes, not {value!r}.")
        return True

    def council(self, data: dict) -> Council:
        self.keys("top level", data, _TOP_KEYS, {"council"}, texts=False)
        meta = data.get("council", {})
        self.keys("[council]", meta, _COUNCIL_KEYS, {"name"})
        council = Council(self.folder, name=str(meta.get("name", "")),
                          site_name=str(meta.get("site_name") or ""))
        if isinstance(meta.get("logo"), str):
            logo = self.folder / meta["logo"]
            if not logo.is_file():
                self.problem("[council].logo", f"there is no file {meta['logo']} in {self.folder.name}/.")
            elif logo.suffix.lower() not in (".svg", ".png"):
                self.problem("[council].logo", "should be an .svg or .png file.")
            else:
                council.logo = logo
        council.policy = self.policy(meta.get("policy"))
        colours = data.get("colours", {})
        if self.keys("[colours]", colours, _COLOUR_KEYS):
            for key in _COLOUR_KEYS & colours.keys():
                value = colours[key]
                if not isinstance(value, str) or not _HEX.match(value):
                    self.problem(f"[colours].{key}", f"'{value}' should be a colour like \"#1d70b8\".")
                elif contrast(value, "#ffffff") < 4.5:
                    self.problem(f"[colours].{key}", f"{value} is too light for white text on it "
                                 f"(contrast {contrast(value, '#ffffff'):.1f}:1, needs 4.5:1). Choose a darker colour.")
                else:
                    setattr(council, key, value.lower())
        council.contacts = self.entries("[[contacts]]", data.get("contacts", []), _CONTACT_KEYS, {"team"})
        for i, contact in enumerate(council.contacts, start=1):
            if "email" in contact and not _EMAIL.match(contact["email"]):
                self.problem(f"[[contacts]] number {i}.email", f"'{contact['email']}' is not an email address.")
        council.links = self.entries("[[links]]", data.get("links", []), _LINK_KEYS, {"title", "url"})
        for i, link in enumerate(council.links, start=1):
            if not str(link.get("url", "")).startswith("https://"):
                self.problem(f"[[links]] number {i}.url", "should start with https://.")
        if self.problems:
            raise CouncilError(self.source, self.problems)
        return council

    def entries(self, where: str, items, allowed: set[str], required: set[str]) -> list[dict]:
        if not isinstance(items, list):
            self.problem(where, "should be a list of tables, each starting with a line like [[contacts]].")
            return []
        for i, item in enumerate(items, start=1):
            self.keys(f"{where} number {i}", item, allowed, required)
        return [item for item in items if isinstance(item, dict)]

    def policy(self, value) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem("[council].policy", "should be a shipped policy name or a file name in quotes.")
            return None
        if value in shipped_policies():
            return value
        path = self.folder / value
        if not path.is_file():
            self.problem("[council].policy", f"'{value}' is neither a shipped policy "
                         f"({', '.join(shipped_policies())}) nor a file in {self.folder.name}/.")
            return None
        try:
            load_policy(path)
        except PolicyError as exc:
            self.problems += [f"{value}: {p}" for p in exc.problems]
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

