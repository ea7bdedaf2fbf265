"""A single self-contained HTML report of a classification: nothing in it loads from anywhere."""

from __future__ import annotations

from datetime import date

from attendtoolkit.read.dates import long_date
from attendtoolkit.render.components import comparisons, pct, summary, trend_for
from attendtoolkit.resources import read_text


def report_html(data: dict, minimum_group: int) -> str:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters["pct"] = pct
    template = env.from_string(read_text("render", "templates", "report.html"))
    trend = data["trend"]
    chart = Markup(trend_for(trend, None, None, "All pupils", table_open=True)) if trend["weeks"] else ""
    return template.render(
        summary=Markup(summary(data, level=2)), comparisons_table=Markup(comparisons(data, links=False)),
        source=data["source"], as_of=data["as_of"], policy=data["policy"], totals=data["totals"],
        comparisons=data["comparisons"], actions=data["actions"], trend=trend,
        worklist={**data["worklist"], "since_long": long_date(date.fromisoformat(data["worklist"]["since"]))
                  if data["worklist"]["since"] else ""}, chart=chart,
        cohorts=data["cohorts"], minimum=minimum_group, previous=data.get("previous"),
        as_of_long=long_date(date.fromisoformat(data["as_of"])) if data["as_of"] else "",
    )
