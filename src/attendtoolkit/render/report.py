"""A single self-contained HTML report of a classification: nothing in it loads from anywhere.

Its sections are the calculator's components (render/components.py), so the two show the same HTML."""

from __future__ import annotations

from datetime import date

from attendtoolkit.read.dates import long_date
from attendtoolkit.render.components import (checks, figures, groups, number, section_links, summary, trend_section,
                                            worklist)
from attendtoolkit.resources import read_text


def report_html(data: dict) -> str:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters["number"] = number
    template = env.from_string(read_text("render", "templates", "report.html"))
    parts = {"summary": summary(data, level=2), "links": section_links(data, calculator=False),
             "checks": checks(data, 2), "worklist": worklist(data, 2, report=True),
             "trend": trend_section(data, 2, table_open=True), "groups": groups(data, 2),
             "figures": figures(data, 2, links=False)}
    return template.render(
        source=data["source"], as_of=data["as_of"], policy=data["policy"], totals=data["totals"],
        as_of_long=long_date(date.fromisoformat(data["as_of"])) if data["as_of"] else "",
        **{name: Markup(html) for name, html in parts.items()})
