"""Read data files shipped inside the package (works from a wheel, also in Pyodide)."""

from __future__ import annotations

import pickle
import tomllib
from functools import lru_cache
from importlib import resources


def read_text(*parts: str) -> str:
    return resources.files("attendtoolkit").joinpath(*parts).read_text(encoding="utf-8")


def read_toml(*parts: str) -> dict:
    return parsed_toml(read_text(*parts))


def parsed_toml(text: str) -> dict:
    """tomllib.loads(text), parsed once per text (the letters' descriptions are read again by every
    analyse call): each call gets its own copy, so a caller may change it."""
    return pickle.loads(_pickled_toml(text))


@lru_cache(maxsize=64)
def _pickled_toml(text: str) -> bytes:
    return pickle.dumps(tomllib.loads(text), protocol=pickle.HIGHEST_PROTOCOL)


def list_names(folder: str, suffix: str) -> list[str]:
    """File names (without suffix) in a package folder, sorted."""
    root = resources.files("attendtoolkit").joinpath(folder)
    return sorted(p.name[: -len(suffix)] for p in root.iterdir() if p.name.endswith(suffix))
