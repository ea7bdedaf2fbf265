"""A single self-contained HTML report of a classification: nothing in it loads from anywhere."""

from __future__ import annotations

from datetime import date
from html import escape

from attendtoolkit.read.dates import long_date
from attendtoolkit.resources import read_text


def _pct(value) -> str:
    return "–" if value is None else f"{value:.1f}%"


def trend_svg(weeks: list[str], series: list[dict], title: str) -> str:
    """An accessible line chart of weekly attendance (the same layout as the calculator's)."""
    width, height, left, right, top, bottom = 640, 260, 48, 16, 16, 40
    points = [(i, row["attendance_pct"]) for i, row in enumerate(series) if row["attendance_pct"] is not None]
    values = [v for _, v in points]
    low = max(0, int((min(values + [100]) - 5) // 10 * 10))

    def x(i):
        return left + (i * (width - left - right) / (len(weeks) - 1) if len(weeks) > 1 else 0)

    def y(v):
        return top + (100 - v) * (height - top - bottom) / ((100 - low) or 1)

    desc = (f"{len(weeks)} school weeks. Lowest {min(values):.1f}%, highest {max(values):.1f}%, "
            f"latest {values[-1]:.1f}%." if values else "No weeks with sessions.")
    parts = [f'<svg class="trend" viewBox="0 0 {width} {height}" role="img" aria-labelledby="trend-title trend-desc" '
             f'xmlns="http://www.w3.org/2000/svg"><title id="trend-title">{escape(title)}</title>'
             f'<desc id="trend-desc">{escape(desc)}</desc>']
    for v in range(low, 101, 10):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="currentColor" '
                     f'stroke-opacity="0.2"/><text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#0b0c0c">{v}%</text>')
    step = max(1, -(-len(weeks) // 8))
    for i, week in enumerate(weeks):
        if i % step == 0:
            day = date.fromisoformat(week)
            parts.append(f'<text x="{x(i):.1f}" y="{height - 14}" text-anchor="middle" font-size="11" fill="#0b0c0c">'
                         f'{day.day} {day.strftime("%b")}</text>')
    parts.append('<polyline fill="none" stroke="currentColor" stroke-width="2" points="'
                 + " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points) + '"/>')
    parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="currentColor"/>' for i, v in points]
    return "".join(parts) + "</svg>"


def report_html(data: dict, minimum_group: int) -> str:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters["pct"] = _pct
    template = env.from_string(read_text("render", "templates", "report.html"))
    trend = data["trend"]
    weekly = [(long_date(date.fromisoformat(w)), row) for w, row in zip(trend["weeks"], trend["all"])]
    chart = Markup(trend_svg(trend["weeks"], trend["all"], "Attendance week by week: all pupils")) if trend["weeks"] else ""
    from attendtoolkit.render.components import summary
    return template.render(
        summary=Markup(summary(data, level=2)),
        source=data["source"], as_of=data["as_of"], policy=data["policy"], totals=data["totals"],
        comparisons=data["comparisons"], actions=data["actions"], trend=trend,
        worklist={**data["worklist"], "since_long": long_date(date.fromisoformat(data["worklist"]["since"]))
                  if data["worklist"]["since"] else ""}, weekly=weekly, chart=chart,
        cohorts=data["cohorts"], minimum=minimum_group,
        as_of_long=long_date(date.fromisoformat(data["as_of"])) if data["as_of"] else "",
    )
