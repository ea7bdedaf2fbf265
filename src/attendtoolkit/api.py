"""The library's front door: one call from a register to the results contract.

The CLI, the browser module, the tests and the benchmarks all go through `analyse`, so the
pipeline (read, classify, build the results) is written once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from attendtoolkit.engine.classify import classify
from attendtoolkit.policy.model import Policy, load_policy
from attendtoolkit.read.register import RegisterError, read_register
from attendtoolkit.results.contract import result_json

ENGINES = ("python", "pandas")


def analyse(data: bytes | str | Path, name: str | None = None, policy: Policy | str | Path | None = None,
            as_of: date | None = None, *, shape: str | None = None, columns: dict[str, str] | None = None,
            engine: str = "python") -> dict:
    """The results contract (as a dict) for a register given as bytes or as a path.

    `name` is the file name used in messages (default: the path's name); `policy` is a Policy, a
    shipped policy name or a path (default: dfe-national); `as_of` defaults to the last date in
    the file. Read options: `shape` (long, wide, summary) when detection gets it wrong, `columns`
    mapping field -> header, `engine` ("pandas" needs pandas; results are identical).
    """
    if isinstance(data, (str, Path)):
        path = Path(data)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RegisterError(f"{path.name}: cannot open the file ({exc.strerror}).") from exc
        name = name or path.name
    if not isinstance(policy, Policy):
        policy = load_policy(policy)
    register = read_register(data, name or "register.csv", shape=shape, mapping=columns, engine=engine)
    return result_json(classify(register, policy, as_of))
