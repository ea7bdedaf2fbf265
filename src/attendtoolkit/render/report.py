"""A single self-contained HTML report of a classification: nothing in it loads from anywhere.

Its sections are the calculator's components (render/components.py), so the two show the same HTML."""

from __future__ import annotations

from datetime import date

from attendtoolkit.read.dates import long_date
from attendtoolkit.render.components import number, sections
from attendtoolkit.resources import read_text
from attendtoolkit.words import counted


def report_html(data: dict) -> str:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters["number"] = number
    env.filters["counted"] = counted
    template = env.from_string(read_text("render", "templates", "report.html"))
    return template.render(
        source=data["source"], as_of=data["as_of"], policy=data["policy"], totals=data["totals"],
        as_of_long=long_date(date.fromisoformat(data["as_of"])) if data["as_of"] else "",
        **sections(data, report=True))
