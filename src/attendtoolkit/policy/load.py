"""Policy files: found by name or path, read as TOML, checked against the spec and built into a Policy.

Every problem is reported at once, each naming the file, the key and what to do.
"""

from __future__ import annotations

import pickle
from functools import lru_cache
from pathlib import Path

from attendtoolkit.policy.build import build_policy
from attendtoolkit.policy.check import NOT_UTF8, FileProblems, Problems, toml_data
from attendtoolkit.policy.fields import Place
from attendtoolkit.policy.model import Policy
from attendtoolkit.policy.spec import POLICY
from attendtoolkit.resources import list_names, read_text

DEFAULT_POLICY = "dfe-national"


class PolicyError(FileProblems):
    """A policy file with problems; `problems` lists each one in plain English."""


def shipped_policies() -> list[str]:
    return list_names("policy/shipped", ".toml")


def policy_source(path_or_name: str | Path | None = None) -> tuple[str, str]:
    """(TOML text, file name) of a policy file path or a shipped policy name (default: national)."""
    if path_or_name is None:
        path_or_name = DEFAULT_POLICY
    text_name = str(path_or_name)
    if text_name in shipped_policies():
        return read_text("policy", "shipped", f"{text_name}.toml"), f"{text_name}.toml"
    path = Path(path_or_name)
    try:
        return path.read_text(encoding="utf-8-sig"), path.name
    except OSError as exc:
        raise PolicyError(path.name, [
            f"cannot open the file ({exc.strerror}). Give a path to a .toml file or one of the "
            f"shipped policies: {', '.join(shipped_policies())}."
        ]) from exc
    except UnicodeDecodeError as exc:
        raise PolicyError(path.name, [NOT_UTF8]) from exc


def load_policy(path_or_name: str | Path | None = None) -> Policy:
    """A policy from a file path, or a shipped policy by name (default: the national one)."""
    return parse_policy(*policy_source(path_or_name))


def parse_policy(text: str, source: str = "policy.toml") -> Policy:
    """The policy in `text`, or PolicyError listing every problem in it. Built once per text and
    source (every analyse call loads its policy): each call gets its own copy, so a caller may change it."""
    return pickle.loads(_pickled_policy(text, source))


@lru_cache(maxsize=16)
def _pickled_policy(text: str, source: str) -> bytes:
    policy = policy_from_data(toml_data(text, source, PolicyError), source)
    return pickle.dumps(policy, protocol=pickle.HIGHEST_PROTOCOL)


def policy_from_data(data: dict, source: str = "policy.toml") -> Policy:
    """The policy in TOML data, or PolicyError listing every problem: first against the spec, then
    the names and orders the spec cannot check (in policy/build.py)."""
    problems = Problems(source)
    policy = build_policy(POLICY.check(data, Place(), problems), problems)
    problems.raise_any(PolicyError)
    return policy
