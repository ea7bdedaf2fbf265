"""Which column of a register holds which field, from the names MIS exports use."""

from __future__ import annotations

import re

# Pupil details carried through to results and letters, in output order.
PUPIL_FIELDS = (
    "forename", "surname", "name", "year_group", "reg_group", "gender", "date_of_birth",
    "sen", "fsm", "social_worker", "looked_after", "parent_name", "parent_address", "family_id",
)
LONG_FIELDS = ("date", "session", "mark")
SUMMARY_FIELDS = (
    "possible", "present", "aea", "authorised", "unauthorised",
    "late_before_close", "late_after_close", "unexplained",
)

ALIASES: dict[str, tuple[str, ...]] = {
    "pupil_id": ("pupil id", "pupilid", "upn", "adno", "admission no", "admission number",
                 "admissionno", "student id", "pupil no", "pupil number", "learner id", "id",
                 "mis id", "person id", "pupil", "adm no", "student no",
                 "student number", "pupil ref", "student ref"),
    "forename": ("forename", "legal forename", "preferred forename", "first name", "firstname",
                 "given name"),
    "surname": ("surname", "legal surname", "preferred surname", "last name", "lastname",
                "family name"),
    "name": ("name", "pupil name", "full name", "student name", "child name", "student", "learner",
             "learner name", "legal name", "preferred name"),
    "year_group": ("year", "year group", "yeargroup", "nc year", "national curriculum year", "yr"),
    "reg_group": ("reg group", "registration group", "reg", "form", "form group", "tutor group",
                  "class", "registration form", "reg form"),
    "gender": ("gender", "sex"),
    "date_of_birth": ("dob", "date of birth", "birth date"),
    "sen": ("sen", "send", "sen status", "sen provision", "sen need"),
    "fsm": ("fsm", "free school meals", "fsm eligible", "fsm6", "ever 6 fsm"),
    "social_worker": ("social worker", "has social worker", "cin", "child in need"),
    "looked_after": ("looked after", "lac", "cla", "in care", "looked after child"),
    "parent_name": ("parent name", "parent/carer", "parent carer", "parent/carer name",
                    "parent carer name", "carer name", "contact name", "primary contact",
                    "salutation", "addressee"),
    "parent_address": ("address", "parent address", "home address", "contact address",
                       "postal address"),
    "family_id": ("family id", "family", "family ref", "family reference", "family number", "household",
                  "household id", "sibling group", "siblings"),
    "date": ("date", "session date", "attendance date", "register date"),
    "session": ("session", "am/pm", "ampm", "am pm", "period"),
    "mark": ("mark", "code", "attendance code", "attendance mark", "register mark", "reason code"),
    "possible": ("possible", "possible sessions", "sessions possible", "poss", "possible marks",
                 "possible attendance", "total possible"),
    "present": ("present", "present sessions", "attended", "sessions attended", "attendances",
                "present marks", "attendance marks", "sessions present"),
    "aea": ("aea", "approved educational activity", "approved activity", "aea sessions",
            "approved educational activity (aea)", "aea marks", "approved educational activity marks"),
    "authorised": ("authorised", "authorised absence", "authorised absences", "auth",
                   "authorised sessions", "authorized", "authorized absence", "authorised marks",
                   "authorised absence marks", "authorised absence sessions"),
    "unauthorised": ("unauthorised", "unauthorised absence", "unauthorised absences", "unauth",
                     "unauthorised sessions", "unauthorized", "unauthorized absence", "unauthorised marks",
                     "unauthorised absence marks", "unauthorised absence sessions"),
    "late_before_close": ("late", "lates", "late before close", "late before register closed",
                          "late l", "l", "late marks", "late (before registers closed)",
                          "lates before registers closed"),
    "late_after_close": ("late after close", "late after register closed", "late u", "u",
                         "late (after registers closed)", "u marks"),
    "unexplained": ("unexplained", "n", "no reason yet", "reason not yet provided"),
}


def normalise(header: str) -> str:
    """Lower case with punctuation and spacing removed: `Reg. Group` -> `reggroup`."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


_LOOKUP = {normalise(alias): field for field, aliases in ALIASES.items() for alias in aliases}


def field_for(header: str) -> str | None:
    return _LOOKUP.get(normalise(header))


def match_columns(headers: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """Field name -> column index. `mapping` (field -> header text) overrides the aliases."""
    found: dict[str, int] = {}
    by_header = {normalise(h): i for i, h in reversed(list(enumerate(headers)))}
    for field, header in (mapping or {}).items():
        index = by_header.get(normalise(header))
        if index is None:
            raise KeyError(header)
        found[field] = index
    taken = set(found.values())
    for i, header in enumerate(headers):
        field = field_for(header)
        if field and field not in found and i not in taken:
            found[field] = i
            taken.add(i)
    return found


def pupil_name(details: dict) -> str | None:
    """A pupil's name from a Name column, or Forename and Surname; None if the file has neither."""
    name = details.get("name") or " ".join(x for x in (details.get("forename"), details.get("surname")) if x)
    return name or None
