"""The only module that knows about the browser: the calculator's Web Worker calls these.

Results are exactly the CLI's `classify --format json` output for the same file, policy and date.
"""

from __future__ import annotations

import json
from datetime import date

from .classify import classify
from .output import json_text, result_csv, result_json
from .policy import PolicyError, parse_policy
from .register import RegisterError, read_register


def _bytes(data) -> bytes:
    """Bytes from a JavaScript Uint8Array/ArrayBuffer proxy, or from bytes."""
    return data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)


def classify_file(data, filename: str, policy_text: str, policy_name: str, as_of: str | None = None) -> str:
    """JSON text: {"ok": true, "json": CLI JSON text, "csv": CLI CSV text} or {"ok": false, "error": ...}."""
    try:
        policy = parse_policy(policy_text, policy_name)
        register = read_register(_bytes(data), filename)
        day = date.fromisoformat(as_of) if as_of else None
        result = result_json(classify(register, policy, day))
    except (RegisterError, PolicyError) as exc:
        return json.dumps({"ok": False, "error": str(exc)})
    except ValueError as exc:
        return json.dumps({"ok": False, "error": f"The as-of date is not a date: {exc}"})
    return json.dumps({"ok": True, "json": json_text(result), "csv": result_csv(result)}, ensure_ascii=False)


def policy_summary(policy_text: str, policy_name: str) -> str:
    return json.dumps(parse_policy(policy_text, policy_name).summary_json())
