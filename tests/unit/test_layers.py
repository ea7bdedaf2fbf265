"""The package's layers: a module imports only from its own layer or the layers below it.

Lowest first: shared resources and counts in words, policy (codes, policy and council files), read (files into
registers), engine (measures, classification, groups), results (the JSON/CSV contract), render
(letters, report), site (handbook pages), then the public API and, on top, the CLI and browser.
"""

import ast
from pathlib import Path

import attendtoolkit

PACKAGE = Path(attendtoolkit.__file__).parent
LAYERS = ["resources words in_parts gc_paused", "policy", "read", "engine", "results", "render", "site", "api synthetic scenarios partitions",
          "cli browser __main__"]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names.split()}


def layer_of(dotted: str) -> int | None:
    parts = dotted.split(".")
    return RANK.get(parts[1]) if len(parts) > 1 and parts[0] == "attendtoolkit" else None


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports (from attendtoolkit.<layer>...)"
            found.append(node.module or "")
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        dotted = ".".join(("attendtoolkit",) + path.relative_to(PACKAGE).with_suffix("").parts)
        if dotted != "attendtoolkit.__init__":
            yield path, dotted


def test_every_module_belongs_to_a_layer():
    assert [dotted for _, dotted in modules() if layer_of(dotted) is None] == []


def test_lower_layers_never_import_higher_ones():
    wrong = []
    for path, dotted in modules():
        for imported in imports_of(path):
            if layer_of(imported) is not None and layer_of(imported) > layer_of(dotted):
                wrong.append(f"{dotted} imports {imported}")
    assert wrong == []


def test_the_public_api_is_what_the_package_exports():
    assert {"analyse", "load_policy", "RegisterError", "PolicyError"} <= set(attendtoolkit.__all__)
    assert all(hasattr(attendtoolkit, name) for name in attendtoolkit.__all__)
