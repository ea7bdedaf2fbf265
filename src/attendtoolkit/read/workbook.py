"""Excel and OpenDocument workbooks (.xlsx, .xls, .ods) as rows of text, read with python-calamine.

python-calamine is optional (`pip install 'attendtoolkit[excel]'`; the calculator loads its Pyodide
wheel only when a workbook is chosen). A sheet becomes the same rows a CSV export of it would give,
so every check of the CSV reader applies: numbers without a trailing `.0` (text cells such as
admission numbers keep their leading zeros), dates as `2024-09-02`, which is never month-first.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from attendtoolkit.read.errors import RegisterError
from attendtoolkit.read.kind import OLE, WORKBOOK_NAMES
from attendtoolkit.read.ole import ole_problem
from attendtoolkit.read.sheet_extent import sheet_reach

EXCEL_EXTRA = "pip install 'attendtoolkit[excel]'"
CHOOSE_SHEET = "('Sheet' in the calculator, --sheet NAME on the command line)"


def have_reader() -> bool:
    """True if python-calamine can be imported (the calculator loads it on first need)."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


def sheet_as_csv(data: bytes, kind: str, source: str, sheet: str | None = None) -> tuple[str, str]:
    """(CSV text of the sheet, its name): the first sheet unless `sheet` names another."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise RegisterError(
            f"{source}: this is {WORKBOOK_NAMES[kind]}. Reading workbooks needs the optional Excel reader "
            f"({EXCEL_EXTRA}); or open it in Excel, save it as 'CSV UTF-8' and try again."
        ) from None
    damage = ole_problem(data) if kind == "xls" else None
    if damage:
        raise RegisterError(f"{source}: this looks like {WORKBOOK_NAMES[kind]} but it is damaged ({damage}), so it "
                            "cannot be read. Export the register again from your MIS and try again.")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        if not names:
            raise RegisterError(f"{source}: this workbook has no sheets. Export the register again and try again.")
        name = sheet if sheet is not None else names[0]
        if name not in names:
            raise RegisterError(f"{source}: the workbook has no sheet named '{name}'. Its sheets: "
                                + ", ".join(f"'{n}'" for n in names) + ".")
        reach = sheet_reach(data, name) if kind == "xlsx" else None
        if reach:
            column, row, cells = reach
            raise RegisterError(
                f"{source}: the sheet '{name}' reaches column {column} and row {row:,}, far beyond any register, so "
                f"reading it would take {cells:,} cells. Something was typed far from the register: in Excel, press "
                "Ctrl+End to go to the last cell used, delete the rows and columns past the register, save and try "
                "again (or save the register as 'CSV UTF-8').")
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except RegisterError:
        raise
    except BaseException as exc:  # python-calamine's errors: damaged, encrypted or unsupported files
        if not _reader_failed(exc):
            raise
        raise _unreadable(source, kind, exc) from None
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([cell_text(v) for v in row] for row in rows)
    return out.getvalue(), name


def sheet_names(data: bytes) -> list[str]:
    """The workbook's sheets in order; [] when it cannot be opened (reading it says why)."""
    if data.startswith(OLE) and ole_problem(data):
        return []
    try:
        from python_calamine import CalamineWorkbook
        return list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
    except BaseException as exc:  # only a hint for the calculator's chooser: sheet_as_csv reports the file's problem
        if not _reader_failed(exc):
            raise
        return []


def _reader_failed(exc: BaseException) -> bool:
    """True for python-calamine's errors, including a panic in its Rust code (pyo3's PanicException
    derives from BaseException, not Exception); False for KeyboardInterrupt and the like."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def other_sheets(data: bytes, sheet: str | None, message: str = "") -> str:
    """A sentence naming the workbook's other sheets and how to choose one; "" when it has no others.

    Added to `message`, about the sheet read (named here unless the message names it), since the
    register is often not on the first sheet.
    """
    names = sheet_names(data)
    used = names[0] if sheet is None and names else sheet
    others = [name for name in names if name != used]
    if used not in names or not others:
        return ""
    listed = ", ".join(f"'{name}'" for name in others)
    also = "The workbook also has" if f"sheet '{used}'" in message else f"That was the sheet '{used}'; the workbook also has"
    return f"{also} {listed}. If the register is on another sheet, choose it {CHOOSE_SHEET}."


def _unreadable(source: str, kind: str, exc: Exception) -> RegisterError:
    if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
        return RegisterError(f"{source}: this workbook is protected with a password. Open it in Excel, save a copy "
                             "without the password (or as 'CSV UTF-8') and try again.")
    return RegisterError(f"{source}: this looks like {WORKBOOK_NAMES[kind]} but it cannot be read ({exc}). It may be "
                         "damaged: open it in Excel, save it as 'CSV UTF-8' and try again.")


def cell_text(value) -> str:
    """A cell as the text a CSV export would hold: 7 not 7.0, dates as 2024-09-02."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")  # the 15 significant digits Excel shows, not 0.30000000000000004
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)
