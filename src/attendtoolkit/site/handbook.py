"""The facts behind the handbook's markers: tables, figures and values from the policy and the engine.

The prose is in docs/ (stage and letter pages share docs/templates/stage.md and letter.md); each
`<!-- atk:NAME -->` there is filled by one entry of FILLERS, so the pages and the calculator read
the same numbers. site/markers.py holds the syntax; hooks/policy_pages.py calls `fill_page`.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
from pathlib import Path

from attendtoolkit.engine.metrics import lost_learning_for_year
from attendtoolkit.policy import codes as codetable
from attendtoolkit.policy.describe import describe_rule
from attendtoolkit.policy.model import Policy, Stage
from attendtoolkit.policy.national import FIGURES, national_not_shown, national_rows
from attendtoolkit.policy.facts import recent_weeks
from attendtoolkit.policy.penalty_notices import penalty_facts
from attendtoolkit.resources import read_toml
from attendtoolkit.site.markers import Facts, Filler, MarkerError, UnknownArgument, fill
from attendtoolkit.site.way_back import way_back_example

LOST_LEARNING_RATES = (95, 90, 85, 80, 75, 70, 65)
STAGE_TEMPLATE, LETTER_TEMPLATE, CONTACTS_TEMPLATE = "templates/stage.md", "templates/letter.md", "templates/contacts.md"
WAY_BACK_TEMPLATE = "templates/way-back.md"  # the section <!-- atk:section way-back --> puts in a page
DOCS = Path(__file__).resolve().parents[3] / "docs"  # the handbook's pages, in a checkout of the repository
CONTACTS = "contacts.md"


def stage_path(stage: Stage) -> str:
    return f"approach/stage-{stage.id.lower()}.md"


def letter_path(name: str) -> str:
    return f"letters/{name}.md"


def generated_pages(policy: Policy, letters=None, council=None, docs: Path | None = None) -> dict[str, tuple[str, Facts]]:
    """The pages made from a template in docs/: path -> (template, the facts for its markers). One
    per stage, one per letter, and the contacts page when the council lists contacts or links."""
    out = {stage_path(s): (STAGE_TEMPLATE, Facts(policy, letters, council, stage=s, docs=docs)) for s in policy.stages}
    for name in (letters.templates if letters is not None else ()):
        out[letter_path(name)] = (LETTER_TEMPLATE, Facts(policy, letters, council, letter=name, docs=docs))
    if council is not None and (council.contacts or council.links):
        out[CONTACTS] = (CONTACTS_TEMPLATE, Facts(policy, letters, council, docs=docs))
    return out


def template_path(template: str, council=None, docs: Path | None = None) -> Path:
    """A page of docs/ (such as templates/stage.md): the council's own copy in council/pages/, with
    the same path, when it has one."""
    own = council.pages / template if council is not None and council.pages else None
    return own if own is not None and own.is_file() else (docs or DOCS) / template


def fill_page(text: str, page: str, facts: Facts) -> str:
    """The page's Markdown with every marker filled (MarkerError names the page and the marker)."""
    return fill(text, page, facts, FILLERS)


def _table(caption: str, headers: list[str], rows: list[list[str]], row_header: bool = True) -> str:
    """An accessible HTML table: caption, column scopes and a row header in the first column."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        first = f'<th scope="row">{row[0]}</th>' if row_header else f"<td>{row[0]}</td>"
        body.append("<tr>" + first + "".join(f"<td>{cell}</td>" for cell in row[1:]) + "</tr>")
    return (f"<table>\n<caption>{escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n")


def _items(items) -> str:
    return "\n".join(f"- {item}" for item in items) if items else "None listed."


def _stage(facts: Facts) -> Stage:
    if facts.stage is None:
        raise UnknownArgument("this marker is only for the stage pages (docs/templates/stage.md).")
    return facts.stage


def _letter(facts: Facts):
    if facts.letter is None:
        raise UnknownArgument("this marker is only for the letter pages (docs/templates/letter.md).")
    return facts.letters.templates[facts.letter]


def _council(facts: Facts):
    if facts.council is None:
        raise UnknownArgument("this marker is only for the contacts page (docs/templates/contacts.md).")
    return facts.council


def _named(table: dict, name: str, what: str):
    if name not in table:
        raise UnknownArgument(f"'{name}' is not {what} in this policy; it has {', '.join(table)}.")
    return table[name]


def diagram_svg(policy: Policy) -> str:
    """Stages as boxes, top to bottom, with step-up arrows on the right and step-down on the left."""
    box_w, box_h, gap, left = 420, 48, 44, 110
    height = len(policy.stages) * (box_h + gap) - gap + 20
    parts = []
    for i, stage in enumerate(policy.stages):
        y = 10 + i * (box_h + gap)
        label = escape(f"{policy.stage_word} {stage.id}: {stage.name}")
        parts.append(f'<rect x="{left}" y="{y}" width="{box_w}" height="{box_h}" rx="8" '
                     f'fill="none" stroke="currentColor" stroke-width="2"/>'
                     f'<text x="{left + box_w / 2}" y="{y + box_h / 2 + 5}" text-anchor="middle" '
                     f'font-size="15" fill="currentColor">{label}</text>')
        if i + 1 < len(policy.stages):
            y1, y2 = y + box_h, y + box_h + gap
            up_x, down_x = left + box_w - 60, left + 60
            parts.append(f'<line x1="{up_x}" y1="{y1 + 2}" x2="{up_x}" y2="{y2 - 8}" stroke="currentColor" '
                         f'stroke-width="2" marker-end="url(#atk-arrow)"/>'
                         f'<text x="{up_x + 10}" y="{y1 + gap / 2 + 5}" font-size="13" fill="currentColor">step up</text>'
                         f'<line x1="{down_x}" y1="{y2 - 2}" x2="{down_x}" y2="{y1 + 8}" stroke="currentColor" '
                         f'stroke-width="2" marker-end="url(#atk-arrow)"/>'
                         f'<text x="{down_x - 10}" y="{y1 + gap / 2 + 5}" font-size="13" text-anchor="end" '
                         f'fill="currentColor">step down</text>')
    names = ", ".join(f"{policy.stage_word} {s.id} {s.name}" for s in policy.stages)
    return (f'<svg class="atk-diagram" role="img" aria-labelledby="atk-diagram-title atk-diagram-desc" '
            f'viewBox="0 0 {left * 2 + box_w} {height}" width="100%" style="max-width:{left * 2 + box_w}px">'
            f'<title id="atk-diagram-title">How support steps up and down</title>'
            f'<desc id="atk-diagram-desc">{escape(names)}, in order. Support steps up to the next '
            f'{policy.stage_word.lower()} when its conditions are met, and steps down when they no longer are.</desc>'
            '<defs><marker id="atk-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>'
            + "".join(parts) + "</svg>")


def stages_table(policy: Policy) -> str:
    rows = [[f'<a href="stage-{s.id.lower()}/">{escape(policy.stage_word)} {escape(s.id)}</a>',
             escape(s.name), escape(describe_rule(s.rule, policy)), escape(s.responsibility)]
            for s in policy.stages]
    return _table(f"{policy.stage_word}s in {policy.name}", [policy.stage_word, "Name", "When it applies", "Who leads"],
                  rows)


def thresholds_table(policy: Policy) -> str:
    rows = [[escape(t.shown()), escape(t.description), escape(t.source), "Yes" if t.local_choice else "No"]
            for t in policy.thresholds.values()]
    return _table("Thresholds in this policy", ["Figure", "What it means", "Source", "Local choice"], rows)


def flags_table(policy: Policy) -> str:
    rows = [[escape(f.label), escape(describe_rule(f.rule, policy)), escape(f.description)]
            for f in policy.flags.values()]
    return _table("Flags in this policy", ["Flag", "When it is raised", "What it means"], rows)


def codes_table(legacy: bool) -> str:
    rows = [[f"<code>{escape(c.code)}</code>", escape(c.meaning), escape(codetable.CATEGORY_LABELS[c.category])]
            for c in codetable.all_codes() if c.legacy == legacy]
    caption = "Codes used before August 2024" if legacy else "Attendance and absence codes from August 2024"
    return _table(caption, ["Code", "Meaning", "Counts as"], rows)


def lost_learning_table(policy: Policy) -> str:
    rows = []
    for rate in LOST_LEARNING_RATES:
        lost = lost_learning_for_year(rate, policy.school_days_per_year, policy.lessons_per_day)
        rows.append([f"{rate}%", f"{lost['days']:.1f}".rstrip("0").rstrip("."),
                     f"{lost['weeks']:.1f}".rstrip("0").rstrip("."), f"{lost['lessons']:.0f}"])
    return _table("Time missed over a school year at each attendance rate",
                  ["Attendance", "Days missed", "Weeks missed", "Lessons missed"], rows)


def _duties(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.splitlines())


def _responsibilities() -> dict:
    return read_toml("site", "data", "responsibilities.toml")


def responsibilities_tabs() -> str:
    """The DfE responsibilities as tables: by pupil group, and one tab per role (tabs work without JavaScript)."""
    data = _responsibilities()
    roles, groups = data["role"], data["group"]
    by_group = "\n".join(
        _table(g["name"], ["Who", "What they are expected to do"],
               [[escape(r["name"]), _duties(g[r["id"]])] for r in roles])
        for g in groups)
    tabs = [f'=== "By pupil group"\n\n{_indent(by_group)}\n']
    for r in roles:
        table = _table(f"What {r['name'].lower()} are expected to do, for each group of pupils",
                       ["Pupils", "What they are expected to do"],
                       [[escape(g["name"]), _duties(g[r["id"]])] for g in groups])
        tabs.append(f'=== "{r["name"]}"\n\n{_indent(table)}\n')
    return "\n".join(tabs)


def national_figures_table() -> str:
    """The published national figures the calculator shows, by phase and year."""
    def cell(value) -> str:
        return "–" if value is None else f"{value:.1f}%"
    rows = [[escape(f"{r['label']}, {r['year']}"), *(cell(r.get(k)) for k in ("attendance_pct", *FIGURES))]
            for r in national_rows()]
    return _table("Published absence figures for England, full school years", ["Schools and year", "Attendance",
                  "Absence", "Persistent absence (pupils)", "Severe absence (pupils)"], rows)


def national_sources() -> str:
    sources = {}
    for r in national_rows():
        for s in r["sources"]:
            sources.setdefault((s["publication"], s["url"]), []).append(f"{r['label']}, {r['year']}")
    return "\n".join(f"- [{escape(pub)}]({url}): {escape('; '.join(used))}." for (pub, url), used in sources.items())


def _letters_for(name: str, policy: Policy) -> list[str]:
    """Where the policy suggests a letter: stage labels and flag labels."""
    found = [f"{policy.stage_word} {s.id}" for s in policy.stages if name in s.letters]
    return found + [f.label for f in policy.flags.values() if name in f.letters]


def letters_table(facts: Facts) -> str:
    rows = [[f'<a href="{name}/">{escape(t.title)}</a>', escape(t.when),
             escape(", ".join(_letters_for(name, facts.policy)) or "Chosen by the school")]
            for name, t in facts.letters.templates.items()]
    return _table("Letters and when they are suggested", ["Letter", "When to use it", "Suggested by this policy for"],
                  rows)


def letter_preview(facts: Facts) -> str:
    name = facts.letter
    _letter(facts)
    example = next(iter(facts.letters.templates[name].examples))
    preview = facts.letters.environment().get_template(f"{name}.html").render(**facts.letters.example(name, example).fields)
    return f'<div class="atk-letter-preview" markdown="0">\n{preview}\n</div>'


def letter_suggested(facts: Facts) -> str:
    _letter(facts)
    found = _letters_for(facts.letter, facts.policy)
    return escape(", ".join(found) or "not suggested automatically; choose it in the calculator")


def stage_neighbours(facts: Facts) -> str:
    policy, stage = facts.policy, _stage(facts)
    index = policy.stages.index(stage)
    links = []
    if index > 0:
        prev = policy.stages[index - 1]
        links.append(f"[Previous: {policy.stage_word} {prev.id}](stage-{prev.id.lower()}.md)")
    if index + 1 < len(policy.stages):
        nxt = policy.stages[index + 1]
        links.append(f"[Next: {policy.stage_word} {nxt.id}](stage-{nxt.id.lower()}.md)")
    return " · ".join(links)


def contacts_table(facts: Facts) -> str:
    council = _council(facts)
    rows = [[escape(c["team"]), escape(c.get("for", "")), escape(c.get("phone", "")),
             f'<a href="mailto:{escape(c["email"])}">{escape(c["email"])}</a>' if c.get("email") else "",
             escape(c.get("hours", ""))] for c in council.contacts]
    return _table(f"Contacts at {council.name}", ["Team", "Contact them about", "Phone", "Email", "Hours"],
                  rows) if rows else "No contacts are listed yet."


def local_services(facts: Facts) -> str:
    links = _council(facts).links
    return "\n".join(f"- [{l['title']}]({l['url']})" + (f": {l['description']}" if l.get("description") else "")
                     for l in links) or "No local services are listed yet."


def _threshold(facts: Facts, name: str) -> str:
    return escape(_named(facts.policy.thresholds, name, "a threshold").shown())


def _flag_rule(facts: Facts, name: str) -> str:
    return escape(describe_rule(_named(facts.policy.flags, name, "a flag").rule, facts.policy).rstrip("."))


def _penalty(facts: Facts, name: str) -> str:
    return escape(_named(penalty_facts(), name, "a penalty notice fact (policy/data/penalty_notices.toml)").shown())


def _recent(facts: Facts, name: str) -> str:
    return escape(_named(recent_weeks(), name, "a recent weeks fact (policy/data/recent_weeks.toml)").shown())


def way_back_section(facts: Facts) -> str:
    """docs/templates/way-back.md filled with Nia's way back under the policy, or '' when the
    policy has no band a pupil can leave by attending."""
    example = way_back_example(facts.policy, _table)
    if example is None:
        return ""
    path = template_path(WAY_BACK_TEMPLATE, facts.council, facts.docs)
    return fill_page(path.read_text(encoding="utf-8"), str(path), replace(facts, way_back=example))


def _way_back(facts: Facts, name: str) -> str:
    if facts.way_back is None:
        raise UnknownArgument(f"this marker is only for the way back example ({WAY_BACK_TEMPLATE}).")
    if name not in facts.way_back:
        raise UnknownArgument(f"'{name}' is not a figure of the way back example; it has {', '.join(facts.way_back)}.")
    return facts.way_back[name]


def _stage_part(part):
    return Filler(lambda facts: part(_stage(facts)))


def _letter_part(part):
    return Filler(lambda facts: part(_letter(facts)))


FILLERS: dict[str, Filler] = {
    # Values from the policy, inside a sentence
    "policy name": Filler(lambda f: escape(f.policy.name)),
    "policy description": Filler(lambda f: escape(f.policy.description)),
    "policy source": Filler(lambda f: escape(f.policy.source.rstrip("."))),
    "policy minimum-sessions": Filler(lambda f: f"{f.policy.minimum_possible_sessions.value:g}"),
    "stage-word": Filler(lambda f: escape(f.policy.stage_word)),
    "stage-word lower": Filler(lambda f: escape(f.policy.stage_word.lower())),
    "lost-learning school-days": Filler(lambda f: str(f.policy.school_days_per_year)),
    "lost-learning lessons-per-day": Filler(lambda f: str(f.policy.lessons_per_day)),
    "threshold": Filler(_threshold, "a threshold"),
    "rule": Filler(_flag_rule, "a flag"),
    "penalty": Filler(_penalty, "a penalty notice fact"),
    "recent": Filler(_recent, "a recent weeks fact"),
    # Tables, figures and lists, each on a line of its own
    "table stages": Filler(lambda f: stages_table(f.policy)),
    "table thresholds": Filler(lambda f: thresholds_table(f.policy)),
    "table flags": Filler(lambda f: flags_table(f.policy)),
    "table codes": Filler(lambda f: codes_table(legacy=False)),
    "table legacy-codes": Filler(lambda f: codes_table(legacy=True)),
    "table lost-learning": Filler(lambda f: lost_learning_table(f.policy)),
    "table national-figures": Filler(lambda f: national_figures_table()),
    "list national-sources": Filler(lambda f: national_sources()),
    "list national-not-shown": Filler(lambda f: "\n".join(f"- {escape(s)}" for s in national_not_shown())),
    "tabs responsibilities": Filler(lambda f: responsibilities_tabs()),
    "responsibilities source": Filler(lambda f: escape(_responsibilities()["source"])),
    "diagram stages": Filler(lambda f: diagram_svg(f.policy)),
    "section way-back": Filler(way_back_section),
    "table letters": Filler(letters_table),
    # On a stage page (docs/templates/stage.md)
    "stage title": Filler(lambda f: escape(f"{f.policy.stage_word} {_stage(f).id}: {_stage(f).name}")),
    "stage summary": _stage_part(lambda s: escape(s.summary)),
    "stage rule": Filler(lambda f: escape(describe_rule(_stage(f).rule, f.policy))),
    "stage responsibility": _stage_part(lambda s: escape(s.responsibility)),
    "stage actions": _stage_part(lambda s: _items([escape(a) for a in s.actions])),
    "stage evidence": _stage_part(lambda s: _items([escape(e) for e in s.evidence])),
    "stage step-up": _stage_part(lambda s: escape(s.step_up)),
    "stage step-down": _stage_part(lambda s: escape(s.step_down)),
    "stage neighbours": Filler(stage_neighbours),
    # On a letter page (docs/templates/letter.md)
    "letter title": _letter_part(lambda t: escape(t.title)),
    "letter purpose": _letter_part(lambda t: escape(t.purpose)),
    "letter when": _letter_part(lambda t: escape(t.when)),
    "letter suggested": Filler(letter_suggested),
    "letter preview": Filler(letter_preview),
    "letter source": _letter_part(lambda t: escape(t.source.rstrip("."))),
    # In the way back example (docs/templates/way-back.md)
    "way-back": Filler(_way_back, "a figure of the way back example"),
    # On the council's contacts page (docs/templates/contacts.md)
    "council name": Filler(lambda f: escape(_council(f).name)),
    "table contacts": Filler(contacts_table),
    "list local-services": Filler(local_services),
}

__all__ = ["FILLERS", "Facts", "MarkerError", "fill_page", "generated_pages", "stage_path", "letter_path", "CONTACTS"]
