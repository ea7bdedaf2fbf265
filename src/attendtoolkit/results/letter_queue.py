"""The letter queue: every suggested letter with its title, the pupil and why, most serious first,
with letters to one family (a family column, or else one address) shown together."""

from __future__ import annotations

import re

from attendtoolkit.read.columns import pupil_name


def household(details: dict) -> tuple[str, str] | None:
    """(key, label) for the pupil's family: the family column if the file has one, else the address."""
    family = (details.get("family_id") or "").strip()
    if family:
        return f"family:{family.casefold()}", f"Family {family}"
    address = (details.get("parent_address") or "").strip()
    if address:
        return "address:" + " ".join(re.findall(r"[a-z0-9]+", address.casefold())), " ".join(address.split())
    return None


def letter_queue(result: dict, policy) -> list[dict]:
    """Groups of letters: {"together": label or None, "letters": [{index, pupil_id, name, year_group,
    letter, title, why}]}. A group with a label holds the letters to one family or address."""
    titles = result.get("letter_titles") or {}
    steps = {name: rule.step for name, rule in policy.letter_rules.letters.items()}
    rows = []
    for index, pupil in enumerate(result["pupils"]):
        for letter in pupil["letters"]:
            d = pupil["details"]
            rows.append({"index": index, "pupil_id": pupil["pupil_id"], "name": pupil_name(d) or "",
                         "year_group": d.get("year_group") or "", "letter": letter,
                         "title": titles.get(letter, letter), "why": pupil.get("letter_why") or "",
                         "_home": household(d)})
    rows.sort(key=lambda r: -steps.get(r["letter"], 0))  # stable: the result's order within a step
    homes: dict[str, list[dict]] = {}
    for row in rows:
        if row["_home"]:
            homes.setdefault(row["_home"][0], []).append(row)
    groups, placed = [], set()
    for row in rows:
        home = row.pop("_home")
        if home and len(homes[home[0]]) > 1:
            if home[0] not in placed:
                placed.add(home[0])
                groups.append({"together": home[1], "letters": homes[home[0]]})
        else:
            groups.append({"together": None, "letters": [row]})
    return groups
