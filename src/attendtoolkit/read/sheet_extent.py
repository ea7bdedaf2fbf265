"""How far an Excel (.xlsx) sheet reaches, found before the Excel reader lays it out.

python-calamine lays a sheet out as a grid from its first to its last cell with a value, so a single
stray value far away (in column XFD, or row 1,048,576) asks for billions of cells and stops the
whole program (no Python error to catch). A register is far smaller, so a sheet that reaches
further than MAX_CELLS is refused with a message naming how far it reaches.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

MAX_CELLS = 20_000_000  # a register of 2,000 pupils and 400 columns is 800,000 cells
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]{1,3})?([0-9]{1,7})?(?::([A-Z]{1,3})([0-9]{1,7}))?"')
_CELL_COLUMN = re.compile(rb' r="([A-Z]{1,3})[0-9]')  # a cell's reference, whatever order its attributes are in
_ROW_NUMBER = re.compile(rb'<row[^>]*? r="([0-9]{1,7})"')
_CELL_WITH_VALUE = re.compile(rb'<c [^>]*?r="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>')  # not <c .../>, a cell with only a style


def sheet_reach(data: bytes, sheet: str) -> tuple[str, int, int] | None:
    """(last column, last row, cells) when the sheet's cells with values span more than MAX_CELLS; else None.

    Files Excel writes say their extent (<dimension>), which is enough when it is small; otherwise
    the sheet's cell references are read. None too when the sheet cannot be found (the reader says why).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            part = _sheet_part(book, sheet)
            if not part:
                return None
            with book.open(part) as stream:  # the start only: <dimension> comes before the cells
                dimension = _DIMENSION.search(stream.read(4096))
            if dimension and dimension.group(4) and _cells(dimension.group(3), int(dimension.group(4))) <= MAX_CELLS:
                return None
            xml = book.read(part)
    except Exception:  # a damaged zip (BadZipFile, zlib.error, EOFError...): the Excel reader reports it
        return None
    columns = set(_CELL_COLUMN.findall(xml))
    rows = [int(r) for r in _ROW_NUMBER.findall(xml)] or [xml.count(b"<row")]
    last_column = max(columns, key=column_number, default=b"A")
    if _cells(last_column, max(rows)) <= MAX_CELLS:
        return None
    last_column, last_row = b"A", 1  # far enough to matter: count only cells that hold something
    for match in _CELL_WITH_VALUE.finditer(xml):
        if column_number(match.group(1)) > column_number(last_column):
            last_column = match.group(1)
        last_row = max(last_row, int(match.group(2)))
    cells = _cells(last_column, last_row)
    return (last_column.decode(), last_row, cells) if cells > MAX_CELLS else None


def column_number(letters: bytes) -> int:
    """A = 1, Z = 26, AA = 27, XFD = 16,384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _cells(column: bytes, row: int) -> int:
    return column_number(column) * row


def _sheet_part(book: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip path of the named sheet's XML, from xl/workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rel_id = next((s.get(f"{_REL}id") for s in workbook.iter(f"{_MAIN}sheet") if s.get("name") == sheet), None)
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels if r.get("Id") == rel_id), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
