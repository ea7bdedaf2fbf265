"""Handbook pages rendered from the active policy and the engine's data (Markdown with HTML tables).

The MkDocs hook in `hooks/` only calls these, so the pages and the calculator read the same numbers.
"""

from __future__ import annotations

from html import escape

from attendtoolkit.policy import codes as codetable
from attendtoolkit.engine.metrics import lost_learning_for_year
from attendtoolkit.resources import read_toml
from attendtoolkit.policy.describe import describe_rule
from attendtoolkit.policy.model import Policy, Stage
from attendtoolkit.policy.national import FIGURES, national_not_shown, national_rows
from attendtoolkit.site.way_back import way_back_section

LOST_LEARNING_RATES = (95, 90, 85, 80, 75, 70, 65)


def stage_path(stage: Stage) -> str:
    return f"approach/stage-{stage.id.lower()}.md"


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
    return "\n".join(f"- {item}" for item in items) + "\n" if items else "None listed.\n"


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


def approach_page(policy: Policy) -> str:
    word = policy.stage_word.lower()
    rows = [[f'<a href="stage-{s.id.lower()}/">{escape(policy.stage_word)} {escape(s.id)}</a>',
             escape(s.name), escape(describe_rule(s.rule, policy)), escape(s.responsibility)]
            for s in policy.stages]
    thresholds = [[escape(t.shown()), escape(t.description), escape(t.source),
                   "Yes" if t.local_choice else "No"] for t in policy.thresholds.values()]
    minimum = policy.minimum_possible_sessions
    return f"""# The graduated approach

**For:** attendance leads, pastoral staff, local authority attendance teams and social workers.

Support grows step by step as a pupil's attendance falls. Each {word} says what to look for,
who leads, what to do and what to keep as evidence. This page follows the policy
**{escape(policy.name)}**. {escape(policy.description)}

The calculator uses the same rules: a pupil is placed at the highest {word} whose conditions
they meet. A {word} is only given once a pupil has {minimum.value:g} possible sessions, because
early in the year one absence moves a percentage a long way.

{_table(f"{policy.stage_word}s in {policy.name}", [policy.stage_word, "Name", "When it applies", "Who leads"], rows)}

## Stepping up and down

{diagram_svg(policy)}

Each {word}'s page says when to step up and when to step down.

## The figures behind each {word}

Every figure comes from the policy file. Figures marked as a local choice are for each council
or school to set.

{_table("Thresholds in this policy", ["Figure", "What it means", "Source", "Local choice"], thresholds)}

Source of the policy: {escape(policy.source.rstrip("."))}.
"""


def stage_page(policy: Policy, stage: Stage) -> str:
    index = policy.stages.index(stage)
    neighbours = []
    if index > 0:
        prev = policy.stages[index - 1]
        neighbours.append(f"[Previous: {policy.stage_word} {prev.id}](stage-{prev.id.lower()}.md)")
    if index + 1 < len(policy.stages):
        nxt = policy.stages[index + 1]
        neighbours.append(f"[Next: {policy.stage_word} {nxt.id}](stage-{nxt.id.lower()}.md)")
    return f"""# {escape(policy.stage_word)} {escape(stage.id)}: {escape(stage.name)}

**For:** everyone working with a pupil at this {policy.stage_word.lower()}.

{escape(stage.summary)}

## When it applies

{escape(describe_rule(stage.rule, policy))}

## Who leads

{escape(stage.responsibility)}

## What to do

{_items([escape(a) for a in stage.actions])}
## Evidence to keep

{_items([escape(e) for e in stage.evidence])}
## Stepping up and down

- **Step up:** {escape(stage.step_up)}
- **Step down:** {escape(stage.step_down)}

{" · ".join(neighbours)}
"""


def codes_page() -> str:
    current = [c for c in codetable.all_codes() if not c.legacy]
    legacy = [c for c in codetable.all_codes() if c.legacy]

    def rows(codes):
        return [[f"<code>{escape(c.code)}</code>", escape(c.meaning),
                 escape(codetable.CATEGORY_LABELS[c.category])] for c in codes]
    return f"""# Register codes

**For:** anyone who reads or checks an attendance register in England.

Schools record one code for every pupil in every morning and afternoon session. The code decides
whether the session counts as attendance, as authorised or unauthorised absence, or is not a
possible session at all. These are the codes in force from 19 August 2024.

{_table("Attendance and absence codes from August 2024", ["Code", "Meaning", "Counts as"], rows(current))}

- **Present** and **approved educational activity** count as attendance.
- **Authorised** and **unauthorised** absence count as absence.
- **Not a possible session** is left out of the rate altogether.

## Codes from before August 2024

Registers from earlier years may still hold these codes. The calculator accepts them, counts them
as shown and warns you, so you can check them.

{_table("Codes used before August 2024", ["Code", "Meaning", "Counts as"], rows(legacy))}

Anything else in a register, such as a dash or a blank mark, is not a code. The calculator lists
those rows so you can correct them; it never guesses.
"""


def lost_learning_page(policy: Policy) -> str:
    rows = []
    for rate in LOST_LEARNING_RATES:
        lost = lost_learning_for_year(rate, policy.school_days_per_year, policy.lessons_per_day)
        rows.append([f"{rate}%", f"{lost['days']:.1f}".rstrip("0").rstrip("."),
                     f"{lost['weeks']:.1f}".rstrip("0").rstrip("."), f"{lost['lessons']:.0f}"])
    return f"""# Lost learning

**For:** anyone explaining to a family what absence adds up to.

A percentage hides how much learning a child misses. Talk about days and lessons instead. Over a
school year of {policy.school_days_per_year} days, with about {policy.lessons_per_day} lessons a
day:

{_table("Time missed over a school year at each attendance rate", ["Attendance", "Days missed", "Weeks missed", "Lessons missed"], rows)}

A pupil at 90% attendance misses about one day every two weeks: over a year that is nearly four
weeks of school. The calculator and the letters use the same figures for each pupil.
{way_back_section(policy, _table)}"""


def _duties(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.splitlines())


def responsibilities_page() -> str:
    """The DfE responsibilities as tables: by pupil group, and one tab per role (tabs work without JavaScript)."""
    data = read_toml("site", "data", "responsibilities.toml")
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
    return f"""# Who does what

**For:** anyone who needs to know what parents, schools, governors and trustees, and local
authorities are each expected to do.

Improving attendance is shared work. The tables below follow the DfE summary of
responsibilities. Choose **By pupil group** to see everyone's part for one group of pupils, or
choose a role to see everything that role is expected to do.

{chr(10).join(tabs)}
Source: {escape(data["source"])}.
"""


def absence_page(policy: Policy) -> str:
    pa, sa = policy.thresholds["persistent_absence"], policy.thresholds["severe_absence"]
    rows = [[escape(f.label), escape(describe_rule(f.rule, policy)), escape(f.description)]
            for f in policy.flags.values()]
    return f"""# Persistent and severe absence

**For:** attendance leads, pastoral staff and anyone reading the calculator's flags.

A pupil is **persistently absent** when they miss {pa.shown()} or more of their possible
sessions, and **severely absent** when they miss {sa.shown()} or more. The boundary counts: a
pupil who misses exactly {pa.shown()} is persistently absent. At {pa.shown()} a pupil misses about
one day every two weeks.

Early in the year a single absence can move a pupil over the line, so always look at the number
of possible sessions next to the rate. The calculator gives a stage only from
{policy.minimum_possible_sessions.value:g} possible sessions, and always shows the count.

## What the calculator flags

{_table("Flags in this policy", ["Flag", "When it is raised", "What it means"], rows)}

## What to do

- For pupils at risk and persistently absent pupils, find out what is getting in the way, agree
  support with the family, and step support up if it does not work. See
  [the graduated approach](approach/index.md).
- For severely absent pupils, agree a joint plan with the local authority: every service should
  treat this group as its top priority.
- For a pupil missing 20 school days in a row without authorisation, try to find and contact the
  child now, with the local authority, before any other step.

{national_figures_section()}"""


def national_figures_section() -> str:
    """The published national figures the calculator shows, by phase and year, with every source."""
    def cell(value) -> str:
        return "–" if value is None else f"{value:.1f}%"
    rows = [[escape(f"{r['label']}, {r['year']}"), *(cell(r.get(k)) for k in ("attendance_pct", *FIGURES))]
            for r in national_rows()]
    sources = {}
    for r in national_rows():
        for s in r["sources"]:
            sources.setdefault((s["publication"], s["url"]), []).append(f"{r['label']}, {r['year']}")
    not_shown = "\n".join(f"- {escape(sentence)}" for sentence in national_not_shown())
    listed = "\n".join(f"- [{escape(pub)}]({url}): {escape('; '.join(used))}." for (pub, url), used in sources.items())
    return f"""## National figures

The calculator shows a school's figures beside these published figures for England, for the
school's phase: primary for Reception to Year 6, secondary for Years 7 to 13, and all schools for
a file with both. Attendance is 100% minus overall absence. A dash means no figure has been
checked against its publication yet: the list below the table says which.

{_table("Published absence figures for England, full school years", ["Schools and year", "Attendance", "Absence",
        "Persistent absence (pupils)", "Severe absence (pupils)"], rows)}
Sources:

{listed}

Not shown yet:

{not_shown}
"""


def legal_page(policy: Policy) -> str:
    penalty = policy.flags["penalty_notice_threshold"]
    return f"""# Legal interventions

**For:** attendance leads, head teachers and local authority attendance officers.

The law protects every child's right to an education. Legal tools exist to formalise support and,
as a last resort, to enforce attendance. **Support comes first**: use these only where support
has been offered and has not worked or not been taken up, and decide case by case. They apply
only to pupils of compulsory school age.

## In the guidance's order: formalise support, then enforce

*Working together to improve school attendance* (Department for Education, August 2024) sets the
order: where voluntary support has not worked or not been taken up, first **formalise support**;
only where that has not worked either, **enforce** attendance.

### Formalise support

1. **Attendance contract** (called a parenting contract before August 2024). A written, voluntary
   agreement between the parents and the school or local authority. It sets out what the family
   will do and the support they will get. It is not legally binding, but a refusal to agree or a
   broken contract can be used as evidence later.
2. **Education supervision order.** The local authority applies to the family court. A supervisor
   is appointed to advise and direct the family and the child for an agreed period. Councils
   must consider one before they prosecute (Education Act 1996, section 447).

### Enforce

1. **Notice to improve.** A final chance for the family to engage with support, setting out what
   happens if attendance does not improve. Under the national framework it usually comes before
   a penalty notice.
2. **Penalty notice.** A fine for the parent, issued under the national framework in force from
   19 August 2024.
3. **Prosecution.** The local authority takes the parent to the magistrates' court for failing
   to secure their child's regular attendance. It is the last resort. On conviction the court can
   also make a parenting order.

## Penalty notices under the national framework

- A school must **consider** a penalty notice when the rule in this handbook's policy is met:
  {escape(describe_rule(penalty.rule, policy)).rstrip('.')}. The sessions can be in any mix of
  those codes, need not be in a row, and the weeks can span terms and school years. A school
  week is any week with at least one possible session.
- The first notice to a parent for a child is £80 if paid within 21 days, or £160 if paid
  within 28 days.
- A second notice for the same child within three years is £160, with no lower rate.
- No more than two notices can be issued to a parent for the same child within three years.
  After that, the council considers other action, such as prosecution.
- A notice can also be considered for a holiday in term time that the school did not agree.

The calculator flags every pupil who reaches the threshold and shows the date it was first
reached, so the school can check what support has been offered before deciding anything.

## Prosecution

There are two offences under section 444 of the Education Act 1996: failing to secure regular
attendance, and knowingly failing to do so, which can lead to a higher fine or a prison
sentence. A court can also make a parenting order. Prosecution is rarely what improves
attendance: keep it for cases where everything else has been tried.

## School attendance orders: a child who is not on a school roll

Everything above is for pupils on a school's roll. For a child of compulsory school age who is
not registered at a school and does not appear to be getting a suitable education, the local
authority has a different tool, the **school attendance order**:

1. The local authority writes to the parent asking them to show, within a period it sets of at
   least 15 days, that the child is getting a suitable education (section 437(1) and (2)).
2. Before making an order, it tells the parent which school it intends to name, and the parent
   can choose another school (section 438).
3. If the parent does not show that the child is getting a suitable education, and the local
   authority thinks the child should attend school, it serves a school attendance order: the
   parent must register the child at the school named in it (section 437(3)). The order lasts
   while the child is of compulsory school age, unless the local authority revokes it.
4. Not following the order is an offence (section 443). As with the attendance offences, the
   local authority must consider an education supervision order before it prosecutes
   (section 447).

A maintained school named in an order must admit the child, and the local authority tells the
governing body and the head teacher (section 437(5) and (6)).

Source: Education Act 1996, sections 437, 438, 443 and 447. The Children's Wellbeing and Schools
Act 2026 changes how school attendance orders work as its sections come into force: check the
current text on legislation.gov.uk and your local authority's procedure.

See [legislation and guidance](legislation.md) for the sources.
"""


def _letters_for(name: str, policy: Policy) -> list[str]:
    """Where the policy suggests a letter: stage labels and flag labels."""
    found = [f"{policy.stage_word} {s.id}" for s in policy.stages if name in s.letters]
    return found + [f.label for f in policy.flags.values() if name in f.letters]


def letters_index_page(letters, policy: Policy) -> str:
    rows = [[f'<a href="{name}/">{escape(t.title)}</a>', escape(t.when),
             escape(", ".join(_letters_for(name, policy)) or "Chosen by the school")]
            for name, t in letters.templates.items()]
    return f"""# Letters

**For:** attendance leads and office staff who write to families.

These are the letters a school sends as support steps up. Each one describes the time missed in
days and lessons, not just a percentage, says what the school will do and what the family can
do, and names someone to contact. The tone is supportive first.

The calculator makes these letters for each pupil from your register, using that pupil's
figures, ready to print one per page. It never suggests a letter for a pupil whose absence is all
illness or medical appointments: review those cases first.

{_table("Letters and when they are suggested", ["Letter", "When to use it", "Suggested by this policy for"], rows)}
"""


def letter_page(letters, name: str, policy: Policy) -> str:
    t = letters.templates[name]
    example = next(iter(t.examples))
    preview = letters.environment().get_template(f"{name}.html").render(**letters.example(name, example).fields)
    suggested = ", ".join(_letters_for(name, policy)) or "not suggested automatically; choose it in the calculator"
    return f"""# {escape(t.title)}

**For:** staff deciding which letter to send.

{escape(t.purpose)}

## When to use it

{escape(t.when)}

This policy suggests it for: {escape(suggested)}.

## Preview

This preview uses made-up details. In the calculator, each letter uses the pupil's own figures
and your school's details.

<div class="atk-letter-preview" markdown="0">
{preview}
</div>

Source: {escape(t.source.rstrip("."))}.
"""


def contacts_page(council) -> str:
    rows = [[escape(c["team"]), escape(c.get("for", "")), escape(c.get("phone", "")),
             f'<a href="mailto:{escape(c["email"])}">{escape(c["email"])}</a>' if c.get("email") else "",
             escape(c.get("hours", ""))] for c in council.contacts]
    links = "\n".join(f"- [{l['title']}]({l['url']})" + (f": {l['description']}" if l.get("description") else "")
                      for l in council.links)
    contacts = _table(f"Contacts at {council.name}", ["Team", "Contact them about", "Phone", "Email", "Hours"],
                      rows) if rows else "No contacts are listed yet."
    return f"""# Contacts and local services

**For:** schools and professionals in {escape(council.name)} who need advice or want to refer a family.

{contacts}

## Local services

{links or "No local services are listed yet."}
"""


def pages(policy: Policy, letters=None) -> dict[str, str]:
    """Every generated page: path inside docs/ -> Markdown."""
    out = {"approach/index.md": approach_page(policy), "codes.md": codes_page(),
           "lost-learning.md": lost_learning_page(policy), "responsibilities.md": responsibilities_page(),
           "absence.md": absence_page(policy), "legal.md": legal_page(policy)}
    for stage in policy.stages:
        out[stage_path(stage)] = stage_page(policy, stage)
    if letters is not None:
        out["letters/index.md"] = letters_index_page(letters, policy)
        for name in letters.templates:
            out[f"letters/{name}.md"] = letter_page(letters, name, policy)
    return out
