"""Write the made-up long register as workbooks: examples/register-long.xlsx and tests/files/register-long.xls.

Run from the repository root when the rows below change: `python -m scripts.make_workbooks`.
The .xls (Excel 97-2003, an OLE file) needs xlwt (`pip install xlwt`), used only here and never by
the toolkit; the .xlsx is written by the tests' own writer (tests/workbooks.py). Dates are date
cells and admission numbers text, as an MIS export saved from Excel holds them.

Hand-worked figures are in tests/unit/test_examples.py.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["Adno", "Legal Surname", "Legal Forename", "Year", "Registration Form", "Date", "Session", "Mark"]
FIRST_MONDAY = date(2024, 9, 2)
# Two school weeks, Monday AM to Friday PM: 20 sessions a pupil.
PUPILS = [
    ("0201", "Khan", "Ada", 8, "8K", "/\\" * 10),
    ("0202", "Lee", "Ben", 8, "8K", "/\\" * 5 + "II" + "/\\" * 4),
    ("0203", "Osei", "Cat", 8, "8L", "L\\/\\N\\/\\/\\" + "/\\OO/\\/O/\\"),
    ("0204", "Patel", "Dan", 8, "8L", "/\\" * 5 + "IIIIIIOOOO"),
]


def sessions():
    """(date, session) for each of the 20 sessions, in order."""
    days = [FIRST_MONDAY + timedelta(days=week * 7 + day) for week in range(2) for day in range(5)]
    return [(day, session) for day in days for session in ("AM", "PM")]


def rows() -> list[list]:
    out = [HEADER]
    for adno, surname, forename, year, form, marks in PUPILS:
        assert len(marks) == 20, adno
        for (day, session), mark in zip(sessions(), marks):
            out.append([adno, surname, forename, year, form, day, session, mark])
    return out


def write_xls(path: Path, sheet: str, table: list[list]) -> None:
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet(sheet)
    as_date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if isinstance(value, date):
                ws.write(r, c, value, as_date)
            else:
                ws.write(r, c, value)
    book.save(str(path))


def main() -> None:
    from tests.workbooks import xlsx

    table = rows()
    (ROOT / "examples" / "register-long.xlsx").write_bytes(xlsx({"Attendance": table}))
    write_xls(ROOT / "tests" / "files" / "register-long.xls", "Attendance", table)


if __name__ == "__main__":
    main()
