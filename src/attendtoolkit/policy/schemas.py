"""Writes the JSON Schemas in schemas/ from the file specs, for editors that check TOML as you type.

    python -m attendtoolkit.policy.schemas        # from the repository root

A test fails when the files in schemas/ differ from what this writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from attendtoolkit.policy.council_spec import COUNCIL
from attendtoolkit.policy.fields import json_schema
from attendtoolkit.policy.spec import DEFINITIONS, POLICY

_ID = "https://attendtoolkit.invalid/schemas/{}.schema.json"


def schemas() -> dict[str, str]:
    """The text of each schema file, by file name."""
    found = {
        "policy.schema.json": json_schema(POLICY, "attendtoolkit policy", _ID.format("policy"), DEFINITIONS),
        "council.schema.json": json_schema(COUNCIL, "attendtoolkit council configuration", _ID.format("council"), {}),
    }
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in found.items()}


def write_schemas(folder: Path) -> list[str]:
    """Writes the schema files into `folder`; the names of those that changed."""
    changed = []
    for name, text in schemas().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schemas")
    changed = write_schemas(folder)
    print(f"Wrote {', '.join(changed)}." if changed else f"{folder}/ is up to date.")
