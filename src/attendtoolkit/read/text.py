"""Turn the bytes of a CSV export into rows: encoding and delimiter detected."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

# Invisible characters that change the direction text is shown in; in a name they can make it
# display as something else ("Trojan Source", CVE-2021-42574).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    encoding: str
    delimiter: str
    text: str  # the decoded file, for readers that parse it themselves (pandas)
    header_row: int


def without_bidi_controls(text: str) -> str:
    return text.translate(_NO_BIDI)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without a byte order mark, else Windows-1252 as Excel saves it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def detect_delimiter(first_line: str) -> str:
    """The delimiter that splits the header line into the most cells (comma on a tie)."""
    counts = {d: len(next(csv.reader([first_line], delimiter=d))) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], d == ","))


class TableError(ValueError):
    """A row the csv module cannot read at all; the message names the row."""


def _checked(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    row = 0
    try:
        for row, cells in rows:
            yield row, cells
    except csv.Error as exc:
        raise TableError(f"row {row + 1} cannot be read ({exc}). A quote mark left open can run many rows "
                         "into one cell: check that row in a text editor, or export the register again.") from exc


def read_table(data: bytes) -> Table:
    """The header and an iterator over data rows (blank rows included, so they can be reported)."""
    text, encoding = decode(data)
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    delimiter = detect_delimiter(first)
    reader = _checked(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1))
    header: list[str] = []
    header_row = 0
    for header_row, cells in reader:
        if any(c.strip() for c in cells):
            header = [c.strip() for c in cells]
            break
    return Table(header, reader, encoding, delimiter, text, header_row)
