"""Helpers that build small registers by hand, so every expected figure can be worked out on paper."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from attendtoolkit import analyse, load_policy
from attendtoolkit.synthetic import school_days

try:
    from hypothesis import settings
except ImportError:  # inside Pyodide, where the property tests do not run
    pass
else:
    # Speed is measured by the benchmarks, never by a test: no example fails for being slow on a busy machine.
    # The examples are the same on every run, so CI passes or fails for the code, not for luck; explore
    # more locally with `--hypothesis-profile explore`.
    settings.register_profile("ci", deadline=None, derandomize=True, database=None)
    settings.register_profile("explore", deadline=None)
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
MONDAY = date(2024, 9, 2)  # first day of the 2024/25 autumn term
HALF_TERM = date(2024, 10, 28)  # Monday of the autumn half-term week


def present(days: int) -> list[str]:
    """Marks for `days` school days present (morning /, afternoon backslash)."""
    return ["/", "\\"] * days


def absent(code: str, days: int) -> list[str]:
    return [code, code] * days


def long_rows(pupils: dict[str, list[str]], start: date = MONDAY, closed_weeks=()) -> list[list[str]]:
    """Rows (UPN, Date, Session, Mark) for each pupil's marks in session order over school days."""
    rows = []
    for pupil_id, marks in pupils.items():
        days = school_days(start, (len(marks) + 1) // 2, closed_weeks)
        sessions = [(d, s) for d in days for s in ("AM", "PM")]
        for (day, session), mark in zip(sessions, marks):
            rows.append([pupil_id, day.strftime("%d/%m/%Y"), session, mark])
    return rows


def to_csv(header: list[str], rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def long_register(pupils: dict[str, list[str]], start: date = MONDAY, closed_weeks=()) -> bytes:
    return to_csv(["UPN", "Date", "Session", "Mark"], long_rows(pupils, start, closed_weeks))


def named_register(pupils: dict[str, tuple[str, str, list[str]]], start: date) -> bytes:
    """A long register with forename and year group: id -> (forename, year group, marks)."""
    rows = long_rows({pid: marks for pid, (_name, _year, marks) in pupils.items()}, start)
    return to_csv(["UPN", "Forename", "Year", "Date", "Session", "Mark"],
                  [[r[0], pupils[r[0]][0], pupils[r[0]][1], *r[1:]] for r in rows])


def found_calls(real) -> tuple[list[bool], object]:
    """(whether each call found something, a stand-in for `real` that notes it): to check which
    reader took a file."""
    calls: list[bool] = []

    def noted(*args):
        found = real(*args)
        calls.append(found is not None)
        return found
    return calls, noted


def run(data: bytes, policy: str = "dfe-national", as_of: date | None = None, **kwargs) -> dict:
    """The JSON result for a register given as bytes."""
    return analyse(data, "test.csv", policy, as_of, **kwargs)


def pupil(result: dict, pupil_id: str = "A") -> dict:
    return next(p for p in result["pupils"] if p["pupil_id"] == pupil_id)


@pytest.fixture(scope="session")
def national():
    return load_policy("dfe-national")


def build_site(out: Path, policy: str | None = None, council: str | None = None) -> Path:
    """`mkdocs build --strict` into `out`, for a policy (shipped name or path) or a council folder."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("ATTENDTOOLKIT_POLICY", None)
    env.pop("ATTENDTOOLKIT_COUNCIL", None)
    if policy:
        env["ATTENDTOOLKIT_POLICY"] = policy
    if council:
        env["ATTENDTOOLKIT_COUNCIL"] = council
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out
