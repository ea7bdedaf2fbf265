"""Read data files shipped inside the package (works from a wheel, also in Pyodide)."""

from __future__ import annotations

import tomllib
from importlib import resources


def read_text(*parts: str) -> str:
    return resources.files("attendtoolkit").joinpath(*parts).read_text(encoding="utf-8")


def read_toml(*parts: str) -> dict:
    return tomllib.loads(read_text(*parts))


def list_names(folder: str, suffix: str) -> list[str]:
    """File names (without suffix) in a package folder, sorted."""
    root = resources.files("attendtoolkit").joinpath(folder)
    return sorted(p.name[: -len(suffix)] for p in root.iterdir() if p.name.endswith(suffix))
