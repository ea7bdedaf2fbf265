"""The README's commands and layout match the code: every command parses, every folder exists."""

import re
import shlex

from attendtoolkit.cli import build_parser

from ..conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[list[str]]:
    lines = [line.split("#")[0].strip() for block in re.findall(r"```sh\n(.*?)```", README, re.S)
             for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith(".venv/bin/attendtoolkit")]


def test_every_command_in_the_readme_is_one_the_cli_accepts():
    commands = readme_commands()
    assert len(commands) >= 10
    parser = build_parser()
    for args in commands:
        parser.parse_args(args)  # exits with a usage message if the README is wrong


def test_every_path_in_the_readme_layout_exists():
    layout = re.search(r"## Layout\n\n```\n(.*?)```", README, re.S).group(1)
    paths = re.findall(r"^\s*([\w./-]+/|[\w-]+\.(?:py|yml|toml))[\s,]", layout, re.M)
    assert len(paths) >= 15
    base = ROOT
    missing = []
    for path in paths:
        if path == "src/attendtoolkit/":
            base = ROOT / "src" / "attendtoolkit"
            continue
        if not ((ROOT / path).exists() or (base / path).exists()):
            missing.append(path)
    assert missing == []
