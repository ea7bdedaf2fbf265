"""Letters to families, merged per pupil from the classification JSON and the school's details.

Templates are Jinja2, rendered in a sandbox with autoescape on and StrictUndefined: a missing
field is an error naming the pupils and the field, never a blank in a letter. A template that
cannot be used is a plain message naming the file and line. The HTML carries its own
Content-Security-Policy, and invisible text-direction controls are taken out of every field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from attendtoolkit.read.dates import long_date
from attendtoolkit.read.text import without_bidi_controls
from attendtoolkit.results.csv_writer import csv_text
from attendtoolkit.read.columns import pupil_name
from attendtoolkit.resources import parsed_toml
from attendtoolkit.words import agreeing, counted

MERGE_FIELDS = (
    "school_name", "school_address", "head_teacher", "attendance_lead", "school_phone", "school_email",
    "letter_date", "pupil_id", "pupil_name", "forename", "year_group", "reg_group", "parent_name",
    "parent_address", "possible", "attended", "absent_sessions", "unauthorised_sessions", "days_missed",
    "lessons_missed", "weeks_missed", "attendance_pct", "recent_attendance", "period_start", "period_end", "stage_name",
    "way_back", "penalty_threshold_date", "letters_sent", "improvement_weeks", "improvement_end",
    "sufficient_improvement", "support_offered",
)
# Merge fields whose text comes from the register: never to be marked safe HTML in a template.
PUPIL_MERGE_FIELDS = ("pupil_id", "pupil_name", "forename", "year_group", "reg_group", "parent_name", "parent_address")
# Letters load nothing: no scripts, no images or fonts from anywhere, styles only from the document.
LETTERS_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
SCHOOL_FIELDS = {
    "name": "school name", "address": "school address", "head_teacher": "head teacher",
    "attendance_lead": "attendance lead", "phone": "school phone number", "email": "school email",
    "improvement_weeks": "improvement period (weeks)", "sufficient_improvement": "what sufficient improvement means",
    "support_offered": "support offered so far",
}
# Merge fields filled from the school details under another name: named as the form names them.
_FIELD_LABELS = {name: f"{SCHOOL_FIELDS[name]} (school details)"
                 for name in ("improvement_weeks", "sufficient_improvement", "support_offered")}
_PRINT_CSS = """
@page { size: A4; margin: 18mm 20mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.45; color: #000; }
.atk-letter { max-width: 170mm; margin: 0 auto 12mm; }
.atk-letter + .atk-letter { break-before: page; page-break-before: always; }
.atk-letter header { display: flex; justify-content: space-between; gap: 8mm; margin-bottom: 10mm; }
.atk-letter .atk-school { text-align: right; }
.atk-letter .atk-to { margin-bottom: 6mm; }
.atk-letter .atk-lines { white-space: pre-line; }
.atk-letter table { border-collapse: collapse; margin: 4mm 0; }
.atk-letter th, .atk-letter td { border: 1px solid #000; padding: 1.5mm 3mm; text-align: left; }
@media screen { .atk-letter { border: 1px solid #999; padding: 12mm; background: #fff; color: #000; } }
"""


class LetterError(ValueError):
    """Letters that cannot be made; the message says which pupils and which fields."""


@dataclass(frozen=True)
class LetterTemplate:
    name: str
    title: str
    purpose: str
    when: str
    requires: tuple[str, ...]
    source: str
    examples: dict = field(default_factory=dict)
    limits: dict = field(default_factory=dict)  # field -> {"min", "max", "description", "source"}


def _folders_files(folders: list[Path]) -> dict[str, str]:
    """File name -> text, later folders overriding earlier ones (a council's copy wins)."""
    files: dict[str, str] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in (".html", ".toml"):
                    files[path.name] = path.read_text(encoding="utf-8")
    return files


@dataclass
class LetterSet:
    """Every letter template with its description, from template files (name.html + name.toml)."""

    files: dict[str, str]
    templates: dict[str, LetterTemplate] = field(default_factory=dict)

    @classmethod
    def from_folders(cls, folders: list[Path]) -> LetterSet:
        return cls.from_files(_folders_files(folders))

    @classmethod
    def from_files(cls, files: dict[str, str]) -> LetterSet:
        letters = cls(dict(files))
        metas = {}
        for file_name in (n for n in files if n.endswith(".toml") and not n.startswith("_")):
            try:
                metas[file_name[:-5]] = parsed_toml(files[file_name])
            except tomllib.TOMLDecodeError as exc:
                raise LetterError(f"letters: {file_name} is not valid TOML: {exc}. Check quotes and brackets.") from exc
        for name, meta in sorted(metas.items(), key=lambda item: (item[1].get("order", 100), item[0])):
            if f"{name}.html" not in files:
                raise LetterError(f"letters: {name}.toml has no template {name}.html beside it.")
            missing = [key for key in ("title", "purpose", "when") if key not in meta]
            if missing:
                raise LetterError(f"letters: {name}.toml needs {', '.join(missing)} (text in quotes).")
            letters.templates[name] = LetterTemplate(
                name=name, title=meta["title"], purpose=meta["purpose"], when=meta["when"],
                requires=tuple(meta.get("requires", [])), source=meta.get("source", ""),
                examples=meta.get("examples", {}), limits=meta.get("limits", {}),
            )
        return letters

    def environment(self):
        from jinja2 import DictLoader, StrictUndefined
        from jinja2.sandbox import SandboxedEnvironment
        return SandboxedEnvironment(loader=DictLoader({n: t for n, t in self.files.items() if n.endswith(".html")}),
                                    autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    def example(self, name: str, example: str) -> Letter:
        """A letter from a template's named example (examples drive previews and tests)."""
        template = self.templates[name]
        fields = dict.fromkeys(MERGE_FIELDS) | template.examples[example]
        return Letter(name, template.title, fields.get("pupil_id") or example, fields)

    def as_json(self) -> dict[str, str]:
        """The template files, for the browser."""
        return self.files


UPSTREAM_LETTERS = Path(__file__).resolve().parent / "templates" / "letters"


def template_folders(root: Path | None = None) -> list[Path]:
    """The package's letter templates, then the council's overrides in `<root>/council/letters`
    (root: the folder holding `council/`, by default the current folder)."""
    from attendtoolkit.policy.council import council_folder
    return [UPSTREAM_LETTERS, council_folder(root or Path.cwd()) / "letters"]


def check_overrides(folder: Path | None) -> list[str]:
    """A council's letter overrides: each must replace an upstream letter (or come with its .toml)
    and render every example. Returns the names overridden; raises LetterError listing problems."""
    if folder is None or not folder.is_dir():
        return []
    upstream = _folders_files([UPSTREAM_LETTERS])
    problems, names = [], []
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".html", ".toml"):
            problems.append(f"{path.name}: only .html templates and .toml descriptions belong in letters/.")
        elif path.name not in upstream and path.with_suffix(".toml" if path.suffix == ".html" else ".html").name \
                not in {p.name for p in folder.iterdir()}:
            problems.append(f"{path.name}: there is no upstream letter of that name. Use the same file name as "
                            f"the letter you are changing ({', '.join(sorted(n for n in upstream if n.endswith('.html')))}), "
                            "or add both a .html and a .toml for a new letter.")
        elif path.suffix == ".html":
            names.append(path.stem)
    if not problems:
        try:
            letters = LetterSet.from_files(upstream | _folders_files([folder]))
            for name in names:
                for example in (letters.templates[name].examples if name in letters.templates else {}):
                    render_html([letters.example(name, example)], letters)
        except LetterError as exc:
            problems.append(str(exc))
    if problems:
        raise LetterError(f"{folder}: letter overrides have {counted(len(problems), 'problem')}:\n"
                          + "\n".join(f"- {p}" for p in problems))
    return names


def template_problem(letter: str, exc: Exception) -> str:
    """A Jinja2 error as a sentence naming the template file and line, with what to do."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateNotFound
    where = exc.name if isinstance(exc, TemplateSyntaxError) and exc.name else f"{letter}.html"
    where += f", line {exc.lineno}" if isinstance(exc, TemplateSyntaxError) and exc.lineno else ""
    if isinstance(exc, TemplateSyntaxError):
        return (f"{where}: the template is not written correctly ({exc.message}). Check the {{{{ }}}} and "
                "{% %} tags there.")
    if isinstance(exc, UndefinedError):
        return (f"{where}: the template uses something that does not exist ({exc.message}). Fields a letter "
                f"can use: {', '.join(MERGE_FIELDS)}.")
    if isinstance(exc, TemplateNotFound):
        return f"{where}: the template refers to {exc.name}, which does not exist."
    if isinstance(exc, SecurityError):
        return f"{where}: the template does something letters may not do ({exc}). Use only the merge fields."
    return f"{where}: the template could not be used ({exc})."


def _marked_safe(node, fields: set[str]) -> set[str]:
    """Pupil fields used inside `node` (part of a Jinja2 syntax tree)."""
    from jinja2 import nodes
    return {n.name for n in (node, *node.find_all(nodes.Name)) if isinstance(n, nodes.Name) and n.name in fields}


def unsafe_pupil_fields(files: dict[str, str]) -> list[str]:
    """Warnings for templates that turn off escaping for a pupil field (`|safe` or autoescape false):
    a name in the register could then put HTML or script into a letter."""
    from jinja2 import TemplateSyntaxError, nodes
    from jinja2.sandbox import SandboxedEnvironment
    env, fields, warnings = SandboxedEnvironment(autoescape=True), set(PUPIL_MERGE_FIELDS), []
    for file_name, source in sorted(files.items()):
        if not file_name.endswith(".html"):
            continue
        try:
            tree = env.parse(source)
        except TemplateSyntaxError:
            continue  # reported as a problem by check_overrides
        found: dict[str, int] = {}
        for f in tree.find_all(nodes.Filter):
            if f.name == "safe" and f.node is not None:
                found.update(dict.fromkeys(_marked_safe(f.node, fields), f.lineno))
        for block in tree.find_all(nodes.ScopedEvalContextModifier):
            if any(k.key == "autoescape" and isinstance(k.value, nodes.Const) and not k.value.value for k in block.options):
                for child in block.body:
                    found.update(dict.fromkeys(_marked_safe(child, fields), block.lineno))
        for field_name, line in sorted(found.items(), key=lambda item: item[1]):
            warnings.append(f"{file_name}, line {line}: {field_name} comes from the register but is marked as safe "
                            "HTML, so a name could add HTML or script to the letter. Remove |safe (or "
                            "autoescape false) around it.")
    return warnings


def school_from_toml(text: str, source: str = "school.toml") -> dict:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LetterError(f"{source} is not valid TOML: {exc}.") from exc
    school = data.get("school", data)
    unknown = set(school) - set(SCHOOL_FIELDS) - {"letter_date"}
    if unknown:
        raise LetterError(f"{source}: unknown {agreeing(len(unknown), 'key', 'keys')} {', '.join(sorted(unknown))}. "
                          f"Allowed: {', '.join(list(SCHOOL_FIELDS) + ['letter_date'])}.")
    return school


def _days(n: float) -> str:
    """`9½ days`, `1 day`."""
    whole, half = int(n), n - int(n) >= 0.5
    text = (f"{whole}½" if whole else "½") if half else str(whole)
    return f"{text} day" if n == 1 else f"{text} days"


def way_back(recovery: dict | None, name: str | None) -> str | None:
    """"If Nia attends every day from now, their attendance will be above 90% on 12 March 2025 (51
    school days)": the first band the pupil is in and can still leave this school year, else None."""
    for key in ("persistent_absence", "at_risk"):
        t = (recovery or {}).get(key)
        if name and t and t["now"] and t["this_year"] and t["date"]:
            days = t["days_needed"]
            return (f"If {name} attends every day from now, their attendance will be {t['attendance_after']} on "
                    f"{long_date(date.fromisoformat(t['date']))} ({days:,} school day{'' if days == 1 else 's'}).")
    return None


def recent_attendance(pupil: dict, name: str | None) -> str | None:
    """"In the last 6 school weeks, from 12 May 2025 to 20 June 2025, Isla's attendance was 93.3%.":
    the policy's recent window with the lowest attendance, when it is lower than the whole period's
    (a stage measured over recent weeks can call for a letter while the year's figure looks good)."""
    whole = pupil.get("attendance_pct")
    windows = [w for w in (pupil.get("windows") or {}).values()
               if w.get("possible") and w.get("attendance_pct") is not None and w.get("start") and w.get("end")]
    if whole is None or not name or not windows:
        return None
    low = min(windows, key=lambda w: (w["attendance_pct"], w["weeks_found"]))
    if round(low["attendance_pct"], 1) >= round(whole, 1):
        return None
    weeks = low["weeks_found"]
    return (f"In the last {weeks} school week{'' if weeks == 1 else 's'}, from "
            f"{long_date(date.fromisoformat(low['start']))} to {long_date(date.fromisoformat(low['end']))}, "
            f"{name}'s attendance was {low['attendance_pct']:.1f}%.")


def letter_day(school: dict, today: date | None = None) -> date:
    """The date on the letters: the school details' letter_date, else `today` (default: today's date)."""
    day = school.get("letter_date") or today or date.today()
    return date.fromisoformat(day) if isinstance(day, str) else day


def _whole_weeks(value) -> int | str | None:
    """A number of weeks from the school details: an int when it is one, else the text as given."""
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else (text or None)


def _letters_sent(pupil: dict, titles: dict) -> str | None:
    """`Attendance concern (first letter) on 13 September 2024; ...` from the letter log."""
    sent = pupil.get("letters_sent") or []
    return "; ".join(f"{titles.get(s['letter'], s['letter'])} on {long_date(date.fromisoformat(s['date']))}"
                     for s in sent) or None


def merge_fields(pupil: dict, result: dict, school: dict, today: date | None = None) -> dict:
    """Everything a letter may use, for one pupil. None marks a field the data does not have."""
    d = pupil["details"]
    letter_date = letter_day(school, today)
    weeks = _whole_weeks(school.get("improvement_weeks"))
    threshold = pupil.get("penalty_threshold_date")
    first = pupil.get("first_date")
    as_of = result.get("as_of")
    pct = pupil["attendance_pct"]
    absent = pupil["authorised"] + pupil["unauthorised"]
    fields = {
        "school_name": school.get("name"), "school_address": school.get("address"),
        "head_teacher": school.get("head_teacher"), "attendance_lead": school.get("attendance_lead"),
        "school_phone": school.get("phone"), "school_email": school.get("email"),
        "letter_date": long_date(letter_date),
        "pupil_id": pupil["pupil_id"], "pupil_name": pupil_name(d), "forename": d.get("forename"),
        "year_group": d.get("year_group"), "reg_group": d.get("reg_group"),
        "parent_name": d.get("parent_name"), "parent_address": d.get("parent_address"),
        "possible": pupil["possible"], "attended": pupil["present"] + pupil["aea"],
        "absent_sessions": absent, "unauthorised_sessions": pupil["unauthorised"],
        "days_missed": _days(pupil["days_missed"]),
        "lessons_missed": f"{pupil['lessons_missed']:.0f}",
        "weeks_missed": f"{pupil['weeks_missed']:.1f}".rstrip("0").rstrip("."),
        "attendance_pct": None if pct is None else f"{pct:.1f}%",
        "recent_attendance": recent_attendance(pupil, d.get("forename") or pupil_name(d)),
        "period_start": long_date(date.fromisoformat(first)) if first else None,
        "period_end": long_date(date.fromisoformat(as_of)) if as_of else None,
        "stage_name": pupil["stage_name"],
        "way_back": way_back(pupil.get("recovery"), d.get("forename") or pupil_name(d)),
        "penalty_threshold_date": long_date(date.fromisoformat(threshold)) if threshold else None,
        "letters_sent": _letters_sent(pupil, result.get("letter_titles") or {}),
        "improvement_weeks": weeks,
        "improvement_end": long_date(letter_date + timedelta(weeks=weeks)) if isinstance(weeks, int) else None,
        "sufficient_improvement": school.get("sufficient_improvement"),
        "support_offered": school.get("support_offered"),
    }
    return {name: without_bidi_controls(v) if isinstance(v, str) else v for name, v in fields.items()}


@dataclass
class Letter:
    name: str
    title: str
    pupil_id: str
    fields: dict


def plan(result: dict, letters: LetterSet, school: dict, only: str | None = None,
         pupils: list[str] | None = None, today: date | None = None,
         chosen: set[tuple[str, str]] | None = None) -> list[Letter]:
    """The letters to make: suggested ones (or `only` that letter) for the pupils chosen;
    `chosen`: only these (pupil id, letter) pairs, as ticked in the calculator's letter queue."""
    if only and only not in letters.templates:
        raise LetterError(f"There is no letter called '{only}'. Letters: {', '.join(letters.templates)}.")
    _check_letter_date(letter_day(school, today), result.get("as_of"))
    wanted = set(pupils) if pupils else None
    out = []
    for pupil in result["pupils"]:
        if wanted is not None and pupil["pupil_id"] not in wanted:
            continue
        names = [only] if only else pupil["letters"]
        for name in names:
            if chosen is not None and (pupil["pupil_id"], name) not in chosen:
                continue
            if name not in letters.templates:
                raise LetterError(f"The policy suggests a letter called '{name}', but there is no template "
                                  f"{name}.html. Letters: {', '.join(letters.templates)}.")
            template = letters.templates[name]
            out.append(Letter(name, template.title, pupil["pupil_id"], merge_fields(pupil, result, school, today)))
    return out


def _check_letter_date(day: date, as_of: str | None) -> None:
    """A letter may not be dated before the last day of the attendance it reports."""
    if as_of and day < date.fromisoformat(as_of):
        raise LetterError(f"The letter date, {long_date(day)}, is before the last day of the register the letters "
                          f"report on ({long_date(date.fromisoformat(as_of))}), so every letter would be dated "
                          "before its own figures. Change letter_date in the school details to the day you will "
                          "send the letters, or leave it out to use today's date.")


def check_fields(planned: list[Letter], letters: LetterSet) -> None:
    """Every required field present and within its limits for every letter, or one error listing
    pupils and fields (school details named as the form names them)."""
    missing: dict[str, list[str]] = {}
    wrong: dict[str, str] = {}
    for letter in planned:
        template = letters.templates[letter.name]
        for name in template.requires:
            value = letter.fields.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                missing.setdefault(name, []).append(letter.pupil_id)
        for name, limit in template.limits.items():
            problem = _outside(letter.fields.get(name), limit)
            if problem:
                wrong[name] = f"- {_FIELD_LABELS.get(name, name.replace('_', ' '))} {problem}"
    if missing or wrong:
        lines = []
        for name, who in missing.items():
            pupils = sorted(set(who))
            shown = ", ".join(pupils[:10]) + (f" and {len(pupils) - 10} more" if len(pupils) > 10 else "")
            lines.append(f"- {_FIELD_LABELS.get(name, name.replace('_', ' '))} is missing for {counted(len(pupils), 'pupil')}: {shown}")
        raise LetterError("Some letters cannot be made because information is missing or not allowed. Add it "
                          "to the register or the school details, then try again:\n" + "\n".join(lines + list(wrong.values())))


def _outside(value, limit: dict) -> str | None:
    """Why a value is outside a template's limit (a whole number from min to max), or None."""
    low, high = limit["min"], limit["max"]
    if value is None or (isinstance(value, int) and low <= value <= high):
        return None
    return f"must be a whole number from {low} to {high}, not '{value}': {limit['description']}"


def render_html(planned: list[Letter], letters: LetterSet) -> str:
    """One print-ready HTML document, one letter per A4 page."""
    from jinja2 import TemplateError
    check_fields(planned, letters)
    env = letters.environment()
    bodies = []
    for letter in planned:
        try:
            bodies.append(env.get_template(f"{letter.name}.html").render(**letter.fields))
        except TemplateError as exc:
            raise LetterError(template_problem(letter.name, exc)) from exc
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{LETTERS_CSP}\">\n"
            f"<title>Letters ({len(planned)})</title>\n<style>{_PRINT_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(bodies) + "\n</body>\n</html>\n")


def merge_csv(planned: list[Letter]) -> str:
    """The merge fields, one row per letter, for schools that merge in a word processor."""
    columns = ["letter", "title"] + (list(planned[0].fields) if planned else [])
    return csv_text(columns, ([letter.name, letter.title] + [letter.fields[c] for c in columns[2:]] for letter in planned))
