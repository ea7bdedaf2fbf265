"""The weekly action list: pupils who need a contact this week, most urgent first.

A pupil is on the list when they have a flag the policy gives a priority; the row says what to
do (the action of their most urgent flag), why, and which letters the policy suggests.
"""

from __future__ import annotations

from attendtoolkit.read.columns import pupil_name

CSV_COLUMNS = ("priority", "pupil_id", "name", "year_group", "stage", "attendance_pct", "action", "why",
               "flags", "letters")


def action_list(pupils: list[dict], policy, titles: dict[str, str] | None = None) -> list[dict]:
    rows = []
    for p in pupils:
        flagged = [policy.flags[f] for f in p["flags"] if policy.flags[f].priority is not None]
        if not flagged:
            continue
        top = min(flagged, key=lambda f: f.priority)
        why = next((r for r in p["reasons"] if r.startswith(f"{top.label}:")), top.description)
        d = p["details"]
        rows.append({
            "priority": top.priority, "pupil_id": p["pupil_id"],
            "name": pupil_name(d) or "",
            "year_group": d.get("year_group", ""), "stage": p["stage_name"],
            "attendance_pct": p["attendance_pct"], "action": top.action, "why": why,
            "flags": [f.label for f in sorted(flagged, key=lambda f: f.priority)], "letters": p["letters"],
            "letter_titles": [(titles or {}).get(n, n) for n in p["letters"]],
        })
    rows.sort(key=lambda r: (r["priority"], r["attendance_pct"] if r["attendance_pct"] is not None else 101,
                             r["pupil_id"]))
    return rows
