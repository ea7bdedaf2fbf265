"""The kinds of key a settings file can have, each able to write its JSON Schema and to check a value.

A spec (policy/spec.py, policy/council_spec.py) is a tree of these. `check` adds a plain-English
problem for each fault it finds and returns the value with every key of the wrong type left out,
so the cross-reference checks that follow never meet a value they cannot handle.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import ClassVar
from datetime import date

from attendtoolkit.policy.check import Problems

DROP = object()  # `check`'s answer for a value of the wrong type: leave the key out


@dataclass(frozen=True)
class Place:
    """Where a value is, as a person reads it (`[thresholds.x].value`), and its TOML table path.

    `header`: the place is a table with its own [header] line, so tables inside it get theirs.
    """

    shown: str = "top level"
    path: str = ""
    header: bool = True

    def child(self, kind, key: str) -> Place:
        path = f"{self.path}.{key}".lstrip(".")
        if self.header and isinstance(kind, (Table, Named)):
            return Place(f"[{path}]", path)
        if self.header and isinstance(kind, Rows) and not kind.inline:
            return Place(f"[[{path}]]", path)
        return Place(f"{self.shown}.{key}" if self.path else key, path, header=False)

    def named(self, name: str) -> Place:
        return Place(f"[{self.path}.{name}]", f"{self.path}.{name}")

    def row(self, number: int, label: str | None, inline: bool) -> Place:
        if inline:
            return Place(f"{self.shown}[{number}]", self.path, header=False)
        return Place(f"{self.shown} " + (f"'{label}'" if label else f"number {number}"), self.path)


def _described(schema: dict, description: str) -> dict:
    return {**schema, "description": description} if description else schema


def _ranged(kind: str, minimum, maximum, description: str) -> dict:
    """The schema of a number of `kind` ("integer", "number") from `minimum`, up to any `maximum`."""
    found = {"type": kind, "minimum": minimum}
    if maximum is not None:
        found["maximum"] = maximum
    return _described(found, description)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Text:
    description: str = ""
    pattern: str | None = None  # a regular expression the text must match (the schema's `pattern`)
    wrong: str = ""  # the problem when it does not match; {value} is the text
    ignore_case: bool = False  # the checker accepts any case; the schema asks for the spelling shown
    format: str | None = None  # a JSON Schema format the schema names too, such as "email"

    def schema(self) -> dict:
        found = {"type": "string", "minLength": 1}
        if self.pattern:
            found["pattern"] = self.pattern
        if self.format:
            found["format"] = self.format
        return _described(found, self.description)

    def check(self, value, at: Place, problems: Problems):
        if not isinstance(value, str):
            problems.add(at.shown, f"should be text in quotes, not {value!r}.")
            return DROP
        if not value.strip():
            problems.add(at.shown, "should not be empty: write the text between the quotes.")
        elif self.pattern and not re.search(self.pattern, value, re.IGNORECASE if self.ignore_case else 0):
            problems.add(at.shown, self.wrong.format(value=value))
        return value


@dataclass(frozen=True)
class Whole:
    description: str = ""
    minimum: int = 1
    maximum: int | None = None
    out_of_range: str = ""  # {value}; default: "should be more than 0."

    def schema(self) -> dict:
        return _ranged("integer", self.minimum, self.maximum, self.description)

    def check(self, value, at: Place, problems: Problems):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.add(at.shown, f"should be a whole number, not {value!r}.")
            return DROP
        if value < self.minimum or (self.maximum is not None and value > self.maximum):
            problems.add(at.shown, self.out_of_range.format(value=value) or f"should be {self.minimum} or more.")
        return value


@dataclass(frozen=True)
class Number:
    description: str = ""
    minimum: float = 0
    maximum: float | None = None
    whole: bool = False
    out_of_range: str = "{value} should be {minimum:g} or more."  # {value}, {minimum}, {maximum}

    def schema(self) -> dict:
        return _ranged("integer" if self.whole else "number", self.minimum, self.maximum, self.description)

    def check(self, value, at: Place, problems: Problems):
        if not _is_number(value):
            problems.add(at.shown, f"should be a number, not {value!r}.")
            return DROP
        if (value < self.minimum or (self.maximum is not None and value > self.maximum)
                or (self.whole and value != int(value))):
            problems.add(at.shown, self.out_of_range.format(value=value, minimum=self.minimum, maximum=self.maximum))
        return value


@dataclass(frozen=True)
class _OfType:
    """A value of one TOML type: its schema, and the problem when the value is of another."""

    description: str = ""
    python_type: ClassVar[type]
    json_schema: ClassVar[dict]
    wrong: ClassVar[str]

    def schema(self) -> dict:
        return _described(dict(self.json_schema), self.description)

    def check(self, value, at: Place, problems: Problems):
        if not isinstance(value, self.python_type):
            problems.add(at.shown, self.wrong)
            return DROP
        return value


class Boolean(_OfType):
    python_type = bool
    json_schema = {"type": "boolean"}
    wrong = "should be true or false."


class Day(_OfType):
    """A calendar date, written with no quotes: 2024-08-19."""

    python_type = date
    json_schema = {"type": "string", "format": "date"}
    wrong = "should be a date like 2024-08-19 (no quotes)."


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]
    noun: str  # 'is not a <noun>'
    description: str = ""
    ignore_case: bool = False  # the checker takes "monday" for "Monday"; the schema asks for "Monday"

    def schema(self) -> dict:
        return _described({"enum": list(self.values)}, self.description)

    def check(self, value, at: Place, problems: Problems):
        if (value.capitalize() if self.ignore_case and isinstance(value, str) else value) not in self.values:
            problems.add(at.shown, f"'{value}' is not a {self.noun}. Use one of: {', '.join(self.values)}.")
        return value if isinstance(value, str) else DROP


@dataclass(frozen=True)
class ListOf:
    item: Text | Choice | Day
    description: str = ""
    min_items: int = 0
    wrong: str = "should be a list of texts, like [\"first\", \"second\"]."

    def schema(self) -> dict:
        found = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            found["minItems"] = self.min_items
        return _described(found, self.description)

    def check(self, value, at: Place, problems: Problems):
        if (not isinstance(value, list) or len(value) < self.min_items
                or any(self.item.check(item, at, Problems(problems.source)) is DROP for item in value)):
            problems.add(at.shown, self.wrong)
            return DROP
        for item in value:
            self.item.check(item, at, problems)
        return value


@dataclass(frozen=True)
class Table:
    keys: dict
    required: tuple[str, ...] = ()
    description: str = ""
    wrong: str = "should be a table of keys and values."
    one_of: tuple[tuple[str, ...], ...] = ()  # for the schema: the sets of keys one of which must be there
    cases: tuple[Case, ...] = ()  # keys checked differently when another key has certain values

    def schema(self) -> dict:
        found = {"type": "object", "additionalProperties": False}
        if self.required:
            found["required"] = list(self.required)
        found = _described(found, self.description)
        found["properties"] = {name: kind.schema() for name, kind in self.keys.items()}
        if self.one_of:
            found["oneOf"] = [{"required": list(keys)} for keys in self.one_of]
        if self.cases:
            found["allOf"] = [case.schema() for case in self.cases]
        return found

    def check(self, value, at: Place, problems: Problems):
        if not isinstance(value, dict):
            problems.add(at.shown, self.wrong)
            return DROP
        for key in value:
            if key not in self.keys:
                hint = difflib.get_close_matches(key, self.keys, n=1)
                problems.add(at.shown, f"unknown key '{key}'." + (f" Did you mean '{hint[0]}'?" if hint else "")
                             + f" Allowed keys: {', '.join(sorted(self.keys))}.")
        for key in self.required:
            if key not in value:
                problems.add(at.shown, f"missing key '{key}'.")
        kept = {}
        for key, item in value.items():
            kind = next((c.keys[key] for c in self.cases if key in c.keys and value.get(c.key) in c.values),
                        self.keys.get(key))
            if kind is None:
                continue
            checked = kind.check(item, at.child(kind, key), problems)
            if checked is not DROP:
                kept[key] = checked
        return kept


@dataclass(frozen=True)
class Case:
    """When `key` is one of `values`, the keys in `keys` are checked as given here instead."""

    key: str
    values: tuple[str, ...]
    keys: dict

    def schema(self) -> dict:
        return {"if": {"required": [self.key], "properties": {self.key: {"enum": list(self.values)}}},
                "then": {"properties": {name: kind.schema() for name, kind in self.keys.items()}}}


@dataclass(frozen=True)
class Named:
    """Tables under names of the file's choosing, like [thresholds.persistent_absence]."""

    item: Table
    description: str = ""
    required: tuple[str, ...] = ()
    missing: str = "'{name}' is missing."  # the problem when a required name is not there
    wrong: str = "should be tables like [name.first]."

    def schema(self) -> dict:
        found = _described({"type": "object"}, self.description)
        if self.required:
            found["required"] = list(self.required)
        found["additionalProperties"] = self.item.schema()
        return found

    def check(self, value, at: Place, problems: Problems):
        if not isinstance(value, dict):
            problems.add(at.shown, self.wrong)
            return DROP
        for name in self.required:
            if name not in value:
                problems.add(at.shown, self.missing.format(name=name))
        kept = {}
        for name, entry in value.items():
            checked = self.item.check(entry, at.named(name), problems)
            if checked is not DROP:
                kept[name] = checked
        return kept


@dataclass(frozen=True)
class Rows:
    """A list of tables: [[stages]] in the file, or inline like `when` (`inline=True`)."""

    item: Table | Ref
    description: str = ""
    min_items: int = 0
    wrong: str = "should be a list of tables."
    label: str | None = None  # a key whose text names a row in problems, like a stage's id
    inline: bool = False

    def schema(self) -> dict:
        found = _described({"type": "array"}, self.description)
        if self.min_items:
            found["minItems"] = self.min_items
        found["items"] = self.item.schema()
        return found

    def check(self, value, at: Place, problems: Problems):
        if not isinstance(value, list) or len(value) < self.min_items:
            problems.add(at.shown, self.wrong)
            return DROP
        kept = []
        for number, entry in enumerate(value, start=1):
            label = entry.get(self.label) if self.label and isinstance(entry, dict) else None
            checked = self.item.check(entry, at.row(number, label if isinstance(label, str) else None, self.inline),
                                      problems)
            if checked is not DROP:
                kept.append(checked)
        return kept


@dataclass(frozen=True)
class Ref:
    """A kind defined once under `$defs` in the schema and used in several places."""

    name: str
    kind: object = field(compare=False, repr=False)

    def schema(self) -> dict:
        return {"$ref": f"#/$defs/{self.name}"}

    def check(self, value, at: Place, problems: Problems):
        return self.kind.check(value, at, problems)


def json_schema(spec: Table, title: str, schema_id: str, defs: dict[str, object]) -> dict:
    """The JSON Schema (draft 2020-12) of a file whose top level is `spec`."""
    found = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id, "title": title,
             "description": spec.description}
    found.update(spec.schema())
    if defs:
        found["$defs"] = {name: kind.schema() for name, kind in defs.items()}
    return found
