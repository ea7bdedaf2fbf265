"""The one CSV writer: every cell made safe for spreadsheets (no formulas, no direction controls), CRLF
rows, lists joined with '; '."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from attendtoolkit.engine.worklist import CSV_COLUMNS as ACTION_COLUMNS
from attendtoolkit.read.columns import PUPIL_FIELDS
from attendtoolkit.read.letter_log import LOG_COLUMNS
from attendtoolkit.read.text import without_bidi_controls

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COUNT_FIELDS = ("possible", "present", "aea", "authorised", "unauthorised", "not_possible",
                "late_before_close", "late_after_close", "unexplained")
PCT_FIELDS = ("attendance_pct", "absence_pct", "authorised_pct", "unauthorised_pct")
PUPIL_COLUMNS = (
    ("pupil_id",) + PUPIL_FIELDS + ("stage", "stage_name", "flags") + COUNT_FIELDS + PCT_FIELDS
    + ("days_missed", "lessons_missed", "continuous_absence_days", "penalty_threshold_date",
       "reasons")
    + ("days_to_leave_persistent_absence", "date_out_of_persistent_absence", "out_of_persistent_absence_this_year",
       "projected_year_end_pct", "best_year_end_pct")
    + ("same_week_last_year_attendance_pct", "in_last_year_register")
)
TREND_COLUMNS = ("week_beginning", "group", "value", "possible", "attended", "attendance_pct",
                 "same_week_last_year_beginning", "same_week_last_year_attendance_pct")
CSV_FILE_ENCODING = "utf-8-sig"  # CSV files (not screen output) start with a BOM so Excel reads UTF-8


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection) and without invisible
    text-direction controls (which can make a name read as another); lists joined with '; '."""
    if value is None:
        return ""
    text = without_bidi_controls("; ".join(str(v) for v in value) if isinstance(value, list) else str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """CSV text with a header row; every cell passes through `safe_cell`, and percentages (columns
    ending `_pct`) are rounded to one decimal place for people (the JSON keeps full precision)."""
    header = list(header)
    percent = [str(c).endswith("_pct") for c in header]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in header])
    writer.writerows([safe_cell(f"{v:.1f}" if is_pct and isinstance(v, float) else v)
                      for v, is_pct in zip(row, percent)] for row in rows)
    return out.getvalue()


def result_csv(data: dict) -> str:
    """One row per pupil from the JSON result."""
    return csv_text(PUPIL_COLUMNS, ([_pupil_cell(p, c) for c in PUPIL_COLUMNS] for p in data["pupils"]))


def _pupil_cell(p: dict, column: str):
    if column in PUPIL_FIELDS:
        return p["details"].get(column)
    if column in _RECOVERY_CELLS:
        return _RECOVERY_CELLS[column](p.get("recovery") or {})
    if column in _PREVIOUS_CELLS:
        return _PREVIOUS_CELLS[column](p.get("previous"))
    return p.get(column)


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


# The way back (engine/recovery.py) in a spreadsheet: leaving persistent absence by attending every
# day, and where the year ends at the recent rate and attending every remaining session.
_RECOVERY_CELLS = {
    "days_to_leave_persistent_absence": lambda r: (r.get("persistent_absence") or {}).get("days_needed"),
    "date_out_of_persistent_absence": lambda r: (r.get("persistent_absence") or {}).get("date"),
    "out_of_persistent_absence_this_year": lambda r: _yes_no((r.get("persistent_absence") or {}).get("this_year")),
    "projected_year_end_pct": lambda r: r.get("projected_year_end_pct"),
    "best_year_end_pct": lambda r: r.get("best_year_end_pct"),
}
# The same week last year (results/previous.py): blank when last year's register was not given.
_PREVIOUS_CELLS = {
    "same_week_last_year_attendance_pct": lambda prev: prev["attendance_pct"] if prev else None,
    "in_last_year_register": lambda prev: _yes_no(prev["status"] == "on_roll") if prev else None,
}


def actions_csv(rows: list[dict]) -> str:
    """This week's worklist as a call sheet: group by its label, letters by their titles, and blank
    columns for who made contact and the outcome."""
    shown = {"group": "group_label", "letters": "letter_titles"}
    return csv_text(ACTION_COLUMNS, ([row.get(shown.get(c, c), "") for c in ACTION_COLUMNS] for row in rows))


def trend_csv(data: dict) -> str:
    """The weekly trend: week, group, possible, attended, attendance %, and the same school week last
    year's Monday and attendance % when last year's register was given."""
    trend = data["trend"]
    last = trend.get("previous")
    weeks = len(trend["weeks"])

    def then(field: str, value: str) -> list:
        rows = (last["all"] if field == "all" else last["cohorts"].get(field, {}).get(value)) if last else None
        return rows or [None] * weeks

    series = [("all", "", trend["all"])] + [(field, value, rows) for field, groups in trend["cohorts"].items()
                                           for value, rows in groups.items()]
    last_weeks = last["weeks"] if last else [None] * weeks
    return csv_text(TREND_COLUMNS, ([week, field, value, row["possible"], row["attended"], row["attendance_pct"],
                                     last_week, old["attendance_pct"] if old else None]
                                    for field, value, rows in series
                                    for week, row, last_week, old in zip(trend["weeks"], rows, last_weeks,
                                                                         then(field, value))))


def per_school_csv(results: list[dict], render) -> str:
    """One CSV for several schools: each school's rows with its file name in a first column."""
    tables = [list(csv.reader(io.StringIO(render(result), newline=""))) for result in results]
    return csv_text(["school"] + tables[0][0], ([result["source"]["file"]] + row
                                                for result, rows in zip(results, tables) for row in rows[1:]))


def letter_log_csv(sent: Iterable[tuple[str, str, str]]) -> str:
    """A letter log (the columns the letter-log reader reads): one row per (pupil_id, letter, ISO date),
    oldest first, each letter once."""
    return csv_text(LOG_COLUMNS, sorted(set(sent), key=lambda s: (s[2], s[0], s[1])))
