"""Result components rendered once in Python: the report and the calculator show the same HTML.

Each component is a Jinja2 template in templates/components/. The calculator's worker renders
them and the page only arranges them (search, sort, paging), so nothing is drawn twice.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from attendtoolkit.engine.cohorts import COHORT_FIELDS
from attendtoolkit.policy.codes import CATEGORY_LABELS, lookup
from attendtoolkit.read.columns import pupil_name
from attendtoolkit.results.contract import RECENT_WEEKS
from attendtoolkit.read.dates import MONTHS, long_date
from attendtoolkit.resources import read_text
from attendtoolkit.words import counted, listed

ROW_SEPARATOR = "<!-- row -->"
OPEN_ROWS = 30  # a longer list (the worklist, the rows not counted) starts closed; its summary gives the count
BAR_WIDTH = 160  # the longest bar of the stage and flag counts, in pixels
RESERVED_STAGE_LABELS = {"not_enough_data": "Not enough data yet", "not_assessable": "Not assessable from this file"}


def pct(value) -> str:
    return "–" if value is None else f"{value:.1f}%"


def number(value) -> str:
    """1,500 and 2.5: thousands separators, no trailing .0."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def day(iso: str | None) -> str:
    return long_date(date.fromisoformat(iso)) if iso else ""


def stage_rank(policy: dict, stage_id: str) -> int:
    """1 for the first stage and up; 0 for a pupil who cannot be given a stage."""
    ids = [s["id"] for s in policy["stages"]]
    return ids.index(stage_id) + 1 if stage_id in ids else 0


def stage_label(policy: dict, stage_id: str) -> str:
    if stage_id in RESERVED_STAGE_LABELS:
        return RESERVED_STAGE_LABELS[stage_id]
    return f"{policy['stage_word']} {stage_id}"


def stage_title(policy: dict, stage_id: str) -> str:
    """"Stage 2: Name" for a stage of the policy; the reserved stages' labels as they are."""
    names = {s["id"]: s["name"] for s in policy["stages"]}
    label = stage_label(policy, stage_id)
    return f"{label}: {names[stage_id]}" if stage_id in names else label


def stage_choices(data: dict) -> list[tuple[str, str]]:
    """(stage id, title) of each stage some pupil is at, the policy's order, for the pupil table's filter."""
    present = {p["stage"] for p in data["pupils"]}
    ids = [s["id"] for s in data["policy"]["stages"]] + list(RESERVED_STAGE_LABELS)
    return [(i, stage_title(data["policy"], i)) for i in ids if i in present]


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import DictLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment
    names = ("_section", "checks", "comparisons", "figures", "groups", "pupil_rows", "pupil_view", "results",
             "section_links", "summary", "trend", "trend_section", "worklist")
    templates = {f"{n}.html": read_text("render", "templates", "components", f"{n}.html") for n in names}
    env = SandboxedEnvironment(loader=DictLoader(templates), autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters.update(pct=pct, number=number, day=day, counted=counted)
    env.globals.update(stage_rank=stage_rank, stage_label=stage_label, recent_weeks=RECENT_WEEKS,
                       pupil_name=lambda d: pupil_name(d) or "", code_meaning=_code_meaning,
                       compared_with=compared_with)
    return env


CARD_FIGURES = (("attendance_pct", "attendance"), ("persistent_absence_pct", "persistent absence"),
                ("severe_absence_pct", "severe absence"))  # the summary cards compared with published figures


def compared_with(comparisons: list[dict]) -> str:
    """The summary's sentence naming what each card is compared with: the first row with that figure,
    as the cards take it (a phase with no published persistent absence figure is compared with all schools)."""
    by_label: dict[str, list[str]] = {}
    for key, words in CARD_FIGURES:
        row = next((c for c in comparisons if c.get(key) is not None), None)
        if row:
            by_label.setdefault(row["label"], []).append(words)
    if not by_label:
        return "No published figures are shown beside the cards."
    if len(by_label) == 1 and len(next(iter(by_label.values()))) == len(CARD_FIGURES):
        return f"The cards compare with {next(iter(by_label))}."
    return "The cards compare " + "; ".join(f"{listed(words)} with {label}" for label, words in by_label.items()) + "."


def _code_meaning(code: str) -> str:
    found = lookup(code)
    return f"{found.meaning} ({CATEGORY_LABELS[found.category].lower()})" if found else "Not a register code"


def _flag_labels(policy: dict) -> dict:
    return {f["name"]: f["label"] for f in policy["flags"]}


def pupil_rows(data: dict) -> list[str]:
    """One table row of HTML per pupil, in the order of data["pupils"]."""
    html = _environment().get_template("pupil_rows.html").render(
        pupils=data["pupils"], policy=data["policy"], flag_labels=_flag_labels(data["policy"]))
    rows = [row.strip() for row in html.split(ROW_SEPARATOR)]
    return [row for row in rows if row]


def group_fields(data: dict) -> list[dict]:
    """The pupil columns a table can be filtered by (year group and the other cohort columns)."""
    return [{"field": c["field"], "label": c["label"], "values": [g["value"] for g in c["groups"]]}
            for c in data["cohorts"]]


def pupil_index(data: dict) -> list[dict]:
    """The small facts the pupil table needs to search, filter and sort, one entry per row."""
    policy = data["policy"]
    out = []
    for p in data["pupils"]:
        details = p["details"]
        out.append({
            "id": p["pupil_id"], "name": pupil_name(details) or "", "stage": p["stage"],
            "rank": stage_rank(policy, p["stage"]), "attendance": p["attendance_pct"],
            "recent": p["recent_attendance_pct"], "possible": p["possible"], "flags": p["flags"],
            "groups": {f: details[f].strip() for f in COHORT_FIELDS if f in details},
        })
    return out


def summary(data: dict, level: int = 3) -> str:
    """The summary cards: pupils, attendance, persistent and severe absence beside published figures."""
    return _environment().get_template("summary.html").render(
        totals=data["totals"], comparisons=data["comparisons"], worklist=data["worklist"], policy=data["policy"],
        source=data["source"], as_of=data["as_of"], school_phase=data["school_phase"],
        previous=data.get("previous"), level=level)


def comparisons(data: dict, links: bool = True) -> str:
    """The file's figures beside the published national figures for its school phase, and their sources
    (as links, or with `links` False as text with the address, for the self-contained report)."""
    return _environment().get_template("comparisons.html").render(
        totals=data["totals"], comparisons=data["comparisons"], school_phase=data["school_phase"],
        source=data["source"], as_of=data["as_of"], links=links, not_shown=data.get("national_not_shown", []))


def worklist(data: dict, level: int = 3, report: bool = False) -> str:
    """This week's worklist: a table for each group, most urgent first (closed when the list is long).
    The continuing concerns are a count, pointing to the calculator's pupil table or, in the `report`
    (which has no pupil table), to its counts by stage and flag and to the pupils' CSV."""
    from markupsafe import Markup, escape
    if report:
        where = Markup('The counts by {} and by flag are under <a href="#atk-national-heading">Figures beside '
                       'published figures</a>; to list every pupil with their {} and flags, save the results '
                       'as a CSV: <code>attendtoolkit classify {} --format csv -o pupils.csv</code>.').format(
            data["policy"]["stage_word"].lower(), data["policy"]["stage_word"].lower(),
            _shell_word(data["source"]["file"]))
    else:
        where = Markup('They are in the <a href="#atk-pupils-heading">pupil table</a>: filter it by {} or flag.').format(
            escape(data["policy"]["stage_word"].lower()))
    return _render("worklist.html", actions=data["actions"], worklist=data["worklist"], source=data["source"],
                   as_of=data["as_of"], level=level, open_groups=len(data["actions"]) <= OPEN_ROWS,
                   continuing_where=where)


def _shell_word(name: str | None) -> str:
    """A file name as one word for a command line (quoted when it has spaces or quotes)."""
    import shlex
    return shlex.quote(name or "register.csv")


def groups(data: dict, level: int = 3) -> str:
    """Attendance by year group and the other group columns ("" for a file without them)."""
    if not data["cohorts"]:
        return ""
    return _render("groups.html", cohorts=data["cohorts"], previous=data.get("previous"), level=level)


def figures(data: dict, level: int = 3, links: bool = True) -> str:
    """The comparisons with published figures, and the pupils at each stage and with each flag."""
    policy, totals = data["policy"], data["totals"]
    stages = [(stage_title(policy, i), n) for i, n in totals["by_stage"].items()]
    labels = _flag_labels(policy)
    flags = [(labels.get(name, name), n) for name, n in totals["by_flag"].items()]
    from markupsafe import Markup
    return _render("figures.html", comparisons=Markup(comparisons(data, links)), policy=policy, level=level,
                   stage_counts=_bars(stages), flag_counts=_bars(flags))


def _bars(rows: list[tuple[str, int]]) -> list[tuple[str, int, str]]:
    most = max([1] + [n for _, n in rows])
    return [(label, n, f"{BAR_WIDTH * n / most:.1f}") for label, n in rows]


def checks(data: dict, level: int = 3) -> str:
    """Warnings about the file and the rows not counted ("" when there are none)."""
    if not data["warnings"] and not data["rejected"]:
        return ""
    return _render("checks.html", warnings=data["warnings"], rejected=data["rejected"], level=level,
                   open_rejected=len(data["rejected"]) <= OPEN_ROWS)


def trend_section(data: dict, level: int = 3, choose: bool = False, table_open: bool = False) -> str:
    """The week-by-week section; with `choose`, a chooser of the group to show (the calculator)."""
    t = data["trend"]
    figure = trend_for(t, None, None, "All pupils", table_open) if t["weeks"] else ""
    labels = {c["field"]: c["label"] for c in data["cohorts"]}
    choices = [(f"{labels.get(field, field)}: {value}", field, value)
               for field, values in t["cohorts"].items() for value in values] if choose else []
    from markupsafe import Markup
    return _render("trend_section.html", figure=Markup(figure), choices=choices, level=level)


def section_links(data: dict, calculator: bool = True) -> str:
    """Links to each section there is, in page order (the calculator adds the pupils and the letters)."""
    links = [("atk-summary-heading", "Summary"),
             ("atk-checks-heading", "Things to check") if data["warnings"] or data["rejected"] else None,
             ("atk-actions-heading", "This week's worklist"),
             ("atk-pupils-heading", "Pupils") if calculator else None,
             ("atk-trend-heading", "Week by week"),
             ("atk-cohorts-heading", "Groups of pupils") if data["cohorts"] else None,
             ("atk-national-heading", "Figures beside published figures"),
             ("atk-letters-heading", "Letters") if calculator else None]
    return _render("section_links.html", links=[link for link in links if link])


def _render(name: str, **context) -> str:
    return _environment().get_template(name).render(**context)


def sections(data: dict, report: bool = False) -> dict:
    """Every results section's HTML by name, as the calculator shows them or, for the self-contained
    `report`, with headings a level up, no pupil table or letters, links as text and the trend's table open."""
    from markupsafe import Markup
    level = 2 if report else 3
    parts = {"summary": summary(data, level), "links": section_links(data, calculator=not report),
             "checks": checks(data, level), "worklist": worklist(data, level, report=report),
             "trend": trend_section(data, level, choose=not report, table_open=report),
             "groups": groups(data, level), "figures": figures(data, level, links=not report)}
    return {name: Markup(html) for name, html in parts.items()}


def results(data: dict) -> str:
    """The calculator's results, every section rendered here; the page adds the pupil table's rows."""
    return _render("results.html", totals=data["totals"], policy=data["policy"], first=False, **sections(data))


def first_figures(data: dict) -> str:
    """The results' heading and summary cards from the first figures (results/contract.py headline_json)."""
    from markupsafe import Markup
    return _render("results.html", totals=data["totals"], summary=Markup(summary(data)), first=True)


def calculator_view(data: dict) -> dict:
    """What the calculator shows, rendered here: the results, and the pupil table's rows and index."""
    return {"results": results(data), "rows": pupil_rows(data), "index": pupil_index(data),
            "groups": group_fields(data), "stages": stage_choices(data)}


def pupil_view(pupil: dict, context: dict) -> str:
    """One pupil's page for an attendance meeting; context holds the result's policy, as_of and source,
    and its trend's weeks (for the sparkline)."""
    from markupsafe import Markup
    policy = context["policy"]
    weeks = context.get("trend", {}).get("weeks", [])
    spark = sparkline(weeks, pupil["weekly"]) if pupil.get("weekly") and weeks else None
    return _environment().get_template("pupil_view.html").render(
        p=pupil, policy=policy, as_of=context.get("as_of"), source=context.get("source", {}),
        flag_labels=_flag_labels(policy), letter_titles=context.get("letter_titles", {}),
        spark=(Markup(spark[0]), spark[1]) if spark else None)


def sparkline(weeks: list[str], weekly: dict) -> tuple[str, str] | None:
    """(SVG, text) of one pupil's attendance week by week, 0 to 100%: a line through the school weeks
    with sessions, the latest marked; the text gives the same figures in words. None without such weeks."""
    width, height, pad = 300, 48, 4
    shown = [(i, 100 * a / n) for i, (n, a) in enumerate(zip(weekly["possible"], weekly["attended"])) if n]
    if not shown:
        return None

    def x(i):
        return pad + (i * (width - 2 * pad) / (len(weeks) - 1) if len(weeks) > 1 else (width - 2 * pad) / 2)

    def y(v):
        return pad + (100 - v) * (height - 2 * pad) / 100

    low = min(shown, key=lambda point: point[1])
    high = max(shown, key=lambda point: point[1])
    last = shown[-1]
    text = (f"{len(shown)} school week{'' if len(shown) == 1 else 's'} with sessions, from the week of "
            f"{day(weeks[shown[0][0]])}. Lowest {low[1]:.1f}% (week of {day(weeks[low[0]])}), "
            f"highest {high[1]:.1f}%, latest {last[1]:.1f}% (week of {day(weeks[last[0]])}).")
    runs, run = [], []  # a week without sessions breaks the line
    for i, v in shown:
        if run and i != run[-1][0] + 1:
            runs.append(run)
            run = []
        run.append((i, v))
    runs.append(run)
    parts = [f'<svg class="atk-spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             'aria-labelledby="atk-spark-title" aria-describedby="atk-spark-text" xmlns="http://www.w3.org/2000/svg">'
             '<title id="atk-spark-title">Attendance week by week</title>']
    for v, dash in ((100, ""), (50, ' stroke-dasharray="2 3"'), (0, "")):
        parts.append(f'<line x1="{pad}" x2="{width - pad}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="currentColor" '
                     f'stroke-opacity="0.25"{dash}/>')
    for points in runs:
        if len(points) == 1:
            continue
        parts.append('<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="'
                     + " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points) + '"/>')
    parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="{3 if (i, v) == last else 1.5}" fill="currentColor"/>'
              for i, v in shown]
    return "".join(parts) + "</svg>", text


def trend_svg(weeks: list[str], series: list[dict], title: str, previous: list[dict | None] | None = None) -> str:
    """An accessible line chart of weekly attendance (weeks with no sessions are left out of the line);
    with `previous`, last year's same school weeks as a dashed line beside this year's."""
    from html import escape
    width, height, left, right, top, bottom = 640, 260, 48, 16, 16, 40
    points = [(i, row["attendance_pct"]) for i, row in enumerate(series) if row["attendance_pct"] is not None]
    last = [(i, row["attendance_pct"]) for i, row in enumerate(previous or [])
            if row and row["attendance_pct"] is not None]
    values = [v for _, v in points]
    low = max(0, int((min(values + [v for _, v in last] + [100]) - 5) // 10 * 10))

    def x(i):
        return left + (i * (width - left - right) / (len(weeks) - 1) if len(weeks) > 1 else 0)

    def y(v):
        return top + (100 - v) * (height - top - bottom) / ((100 - low) or 1)

    desc = (f"{counted(len(weeks), 'school week')}. Lowest {min(values):.1f}%, highest {max(values):.1f}%, "
            f"latest {values[-1]:.1f}%." if values else "No weeks with sessions.")
    if previous is not None:
        desc += (f" Dashed line: the same school weeks last year, latest {last[-1][1]:.1f}%." if last
                 else " Last year's register has no sessions in these school weeks.")
    parts = [f'<svg class="atk-trend" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="atk-trend-title atk-trend-desc" xmlns="http://www.w3.org/2000/svg">'
             f'<title id="atk-trend-title">{escape(title)}</title><desc id="atk-trend-desc">{escape(desc)}</desc>']
    for v in range(low, 101, 10):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="currentColor" '
                     f'stroke-opacity="0.2"/><text class="atk-trend-label" x="{left - 6}" y="{y(v) + 4:.1f}" '
                     f'text-anchor="end" font-size="11">{v}%</text>')
    step = max(1, -(-len(weeks) // 8))
    for i, week in enumerate(weeks):
        if i % step == 0:
            day_ = date.fromisoformat(week)
            parts.append(f'<text class="atk-trend-label" x="{x(i):.1f}" y="{height - 14}" text-anchor="middle" '
                         f'font-size="11">{day_.day} {MONTHS[day_.month - 1][:3]}</text>')
    if last:
        parts.append('<polyline class="atk-trend-last-year" fill="none" stroke="currentColor" stroke-opacity="0.55" '
                     'stroke-width="2" stroke-dasharray="6 4" points="'
                     + " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in last) + '"/>')
    parts.append('<polyline fill="none" stroke="currentColor" stroke-width="2" points="'
                 + " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points) + '"/>')
    parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="currentColor"/>' for i, v in points]
    return "".join(parts) + "</svg>"


def trend(weeks: list[str], series: list[dict], group: str, table_open: bool = False,
          previous: list[dict | None] | None = None, previous_weeks: list[str | None] | None = None) -> str:
    """The weekly trend for one group ("All pupils", "Year group: 9"): chart and table; with
    `previous` (last year's rows on this year's weeks, results/previous.py) both years."""
    from markupsafe import Markup
    title = f"Attendance week by week: {group}"
    last = list(zip(previous_weeks or [None] * len(weeks), previous)) if previous is not None else None
    return _environment().get_template("trend.html").render(
        chart=Markup(trend_svg(weeks, series, title, previous)), weeks=list(zip(weeks, series)), title=title,
        open=table_open, last=last)


def trend_for(trend_data: dict, field: str | None, value: str | None, group: str, table_open: bool = False) -> str:
    """The trend component for everyone (field None) or one cohort group, with last year's same weeks
    when the result has them."""
    series = trend_data["all"] if field is None else trend_data["cohorts"][field][value]
    last = trend_data.get("previous")
    previous = None
    if last:
        previous = last["all"] if field is None else last["cohorts"].get(field, {}).get(value)
        previous = previous or [None] * len(trend_data["weeks"])
    return trend(trend_data["weeks"], series, group, table_open, previous, last["weeks"] if last else None)
