"""Made-up registers for examples, tests and benchmarks. No real pupil data anywhere."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from attendtoolkit.read.dates import AM, PM

FORENAMES = ("Amira", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack",
             "Kai", "Lily", "Mohammed", "Nia", "Oscar", "Poppy", "Reuben", "Sofia", "Theo", "Zara")
TITLES = ("Ms", "Mr", "Mrs", "Mx", "Dr")
STREETS = ("Elm Road", "Station Street", "Church Lane", "Mill Close", "Park Avenue", "Victoria Road")
SURNAMES = ("Ahmed", "Brown", "Clarke", "Davies", "Evans", "Khan", "Jones", "Nowak", "Patel",
            "Roberts", "Smith", "Taylor", "Walker", "Williams", "Wilson", "Wright")
# (share of pupils, chance of absence per session, share of absence unauthorised)
# N (no reason yet) is corrected within 5 school days, so only the last 5 days' N marks are still N
UNRESOLVED_SESSIONS = 10
_PROFILES = ((0.70, 0.02, 0.2), (0.17, 0.07, 0.4), (0.08, 0.15, 0.6), (0.04, 0.35, 0.7), (0.01, 0.7, 0.9))


def school_days(start: date, days: int, closed_weeks: tuple[date, ...] = ()) -> list[date]:
    """`days` weekdays from `start`, skipping weeks that start on a date in `closed_weeks`."""
    found, day = [], start
    while len(found) < days:
        monday = day - timedelta(days=day.weekday())
        if day.weekday() < 5 and monday not in closed_weeks:
            found.append(day)
        day += timedelta(days=1)
    return found


def generate(pupils: int, days: int, seed: int = 1, start: date = date(2024, 9, 2)) -> list[dict]:
    """Pupils with details and one mark per session, reproducible from `seed`. As in a school that
    keeps its register up to date, N marks older than 5 school days have been recorded as O."""
    rng = random.Random(seed)
    calendar = school_days(start, days, closed_weeks=(date(2024, 10, 28), date(2024, 12, 23),
                                                      date(2024, 12, 30), date(2025, 2, 17)))
    sessions = [(d, s) for d in calendar for s in (AM, PM)]
    out = []
    for n in range(pupils):
        roll = rng.random()
        for share, absence, unauth in _PROFILES:
            if roll < share:
                break
            roll -= share
        joined = rng.randrange(len(sessions) // 2) if rng.random() < 0.03 else 0
        marks = []
        for i, (_d, s) in enumerate(sessions):
            if i < joined:
                marks.append("Z")
            elif rng.random() < absence:
                code = rng.choice("GNOU") if rng.random() < unauth else rng.choice("IIIIMCR")
                if code == "N" and i < len(sessions) - UNRESOLVED_SESSIONS:
                    code = "O"  # no reason came in 5 school days: the school recorded it as unauthorised
                marks.append(code)
            elif rng.random() < 0.03:
                marks.append("L")
            else:
                marks.append("/" if s == AM else "\\")
        surname = rng.choice(SURNAMES)
        out.append({
            "pupil_id": f"P{n + 1:05d}",
            "forename": rng.choice(FORENAMES), "surname": surname,
            "year_group": str(rng.randrange(7, 12)),
            "parent_name": f"{rng.choice(TITLES)} {rng.choice('ABCDEFGHJKLMNPRSTW')} {surname}",
            "parent_address": f"{rng.randrange(1, 200)} {rng.choice(STREETS)}, Townsville TS{rng.randrange(1, 9)} 1AA",
            "marks": marks,
        })
    return [{"sessions": sessions, **p} for p in out]


def long_csv(pupils: list[dict]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["UPN", "Forename", "Surname", "Year", "Parent/Carer Name", "Address", "Date", "Session", "Mark"])
    for p in pupils:
        for (d, s), mark in zip(p["sessions"], p["marks"]):
            w.writerow([p["pupil_id"], p["forename"], p["surname"], p["year_group"], p["parent_name"],
                        p["parent_address"], d.strftime("%d/%m/%Y"), s, mark])
    return out.getvalue()


def wide_csv(pupils: list[dict]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    sessions = pupils[0]["sessions"] if pupils else []
    w.writerow(["UPN", "Forename", "Surname", "Year", "Parent/Carer Name", "Address"]
               + [f"{d.strftime('%a %d/%m/%Y')} {s}" for d, s in sessions])
    for p in pupils:
        w.writerow([p["pupil_id"], p["forename"], p["surname"], p["year_group"], p["parent_name"],
                    p["parent_address"]] + p["marks"])
    return out.getvalue()
