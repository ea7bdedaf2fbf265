"""The README's commands and layout match the code: every command parses, every folder exists."""

import re
import shlex
from pathlib import Path

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


def _layout() -> str:
    return re.search(r"## Layout\n\n```\n(.*?)```", README, re.S).group(1)


def test_every_folder_of_the_repository_and_every_part_of_the_package_is_in_the_readme_layout():
    """The layout is checked against the tree both ways: a new folder, subpackage, top module or
    calculator module that the README does not name fails here."""
    layout = _layout()
    package = ROOT / "src" / "attendtoolkit"
    folders = [p.name + "/" for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")
               and p.name not in {"node_modules", "site", "build", "dist"} and "egg-info" not in p.name]
    parts = [p.name + ("/" if p.is_dir() else "") for p in package.iterdir()
             if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py" and not p.name.startswith("__"))]
    scripts = [p.name for p in (ROOT / "toolkit").iterdir() if p.suffix in {".js", ".mjs", ".py"}]
    named = set(re.findall(r"[\w./-]+", layout))
    unnamed = [name for name in folders + parts + scripts
               if not any(word == name or word == name.rstrip("/") or word.startswith(name) for word in named)]
    assert unnamed == []


def test_every_script_and_module_the_readme_runs_exists():
    scripts = set(re.findall(r"\bscripts/[\w.-]+", README))
    modules = set(re.findall(r"python -m ([\w.]+)", README))
    assert {"scripts/serve", "scripts/test", "scripts/example"} <= scripts
    assert [s for s in scripts if not (ROOT / s).is_file()] == []
    missing = [m for m in modules if not ((ROOT / "src" / Path(*m.split("."))).with_suffix(".py").is_file()
                                          or (ROOT / Path(*m.split("."))).with_suffix(".py").is_file())]
    assert missing == []


def test_the_readmes_python_example_runs_on_a_made_up_register(tmp_path, monkeypatch, capsys):
    """The README's Python example, run as written beside a register.csv: examples/register-long.csv
    with its pupil number column headed Adno, as the example's columns option expects."""
    source = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    text = (ROOT / "examples" / "register-long.csv").read_text(encoding="utf-8")
    (tmp_path / "register.csv").write_text(text.replace("UPN,", "Adno,", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    exec(source, {})
    attendance, actions = capsys.readouterr().out.split()
    assert float(attendance) > 0 and int(actions) >= 0
