"""Turn the bytes of a CSV export into rows: encoding and delimiter detected, nothing lost silently.

The encoding is decided per file: a byte order mark says UTF-8, UTF-16 or UTF-32; without one the
file is UTF-8 if it can be, else Windows-1252 as Excel saves it, and a file that mixes the two is
read line by line with a warning naming the rows. Broken structure stops with a message naming the
row and column: a quote that is never closed, a cell too big to be a register cell.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from attendtoolkit.read.errors import RegisterError
from attendtoolkit.read.kind import nul_rich

# Invisible characters that change the direction text is shown in; in a name they can make it
# display as something else ("Trojan Source", CVE-2021-42574).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_CELL = 131_072  # characters in one cell: the limit of Python's csv module, far above any real register cell
MAX_ROWS_LISTED = 5
SAVE_AS_CSV = "save it as 'CSV UTF-8' and try again"

_BOMS = (  # longest first: a UTF-32 little-endian mark starts like a UTF-16 one
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)
MIXED = "utf-8 and windows-1252"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    encoding: str
    delimiter: str
    text: str  # the decoded file, for readers that parse it themselves (pandas)
    header_row: int
    header_lines: int = 1  # lines of text up to the end of the header (more than header_row if a cell has a line break)
    warnings: list[str] = field(default_factory=list)
    quoted_by_hand: bool = True  # False for a workbook's sheet: its quotes were written by us, so are sound


def without_bidi_controls(text: str) -> str:
    return text.translate(_NO_BIDI)


def rows_text(rows: list[int]) -> str:
    """`row 4` or `rows 4, 9, 12 and 3 more`."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_LISTED])
    more = len(rows) - MAX_ROWS_LISTED
    return f"rows {shown}" + (f" and {more} more" if more > 0 else "")


def decode(data: bytes, source: str = "register.csv") -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) for the bytes of a text file; RegisterError if it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding, []
            except UnicodeDecodeError as exc:
                name = encoding.split("-sig")[0].upper().replace("-LE", "").replace("-BE", "")
                raise RegisterError(
                    f"{source}: the file starts with the mark of {name} text, but byte {exc.start + len(bom) + 1:,} "
                    f"is not {name}. The file may be damaged: {SAVE_AS_CSV}."
                ) from None
    if nul_rich(data):
        raise RegisterError(
            f"{source}: the file has NUL bytes all through it, so it is either Unicode (UTF-16) text saved "
            f"without a byte order mark or not a text file at all. Open it in Excel, {SAVE_AS_CSV}."
        )
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        return _decode_lines(data, source)


def _decode_lines(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """Windows-1252, or line by line where some lines are UTF-8 with accents and others are not."""
    lines = data.splitlines(keepends=True)
    text, cp1252_rows, utf8_accented = [], [], 0
    for number, line in enumerate(lines, start=1):
        try:
            text.append(line.decode("utf-8"))
            utf8_accented += not line.isascii()
        except UnicodeDecodeError:
            text.append(line.decode("cp1252", errors="replace"))
            cp1252_rows.append(number)
    if not utf8_accented:
        return data.decode("cp1252", errors="replace"), "windows-1252", []
    verb = "is" if len(cp1252_rows) == 1 else "are"
    warning = (f"{source} mixes two encodings: {rows_text(cp1252_rows)} {verb} Windows-1252 and the rest UTF-8. "
               "Each line was read in its own encoding; check that names with accents look right in those rows.")
    return "".join(text), MIXED, [warning]


def detect_delimiter(first_line: str) -> str:
    """The delimiter that splits the header line into the most cells (comma on a tie)."""
    counts = {d: len(next(csv.reader([first_line], delimiter=d))) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], d == ","))


CHUNK = 1 << 20  # characters of text turned into lines at a time


def lines(text: str, chunk: int = CHUNK) -> Iterator[str]:
    """The lines of `text` with their endings (\\n, \\r\\n or \\r), as io.StringIO(text, newline="")
    gives them, but a chunk at a time: StringIO holds 4 bytes a character, so a whole 500 MB file
    would take 2 GB more."""
    for piece in chunks(text, chunk):
        yield from io.StringIO(piece, newline="")


def chunks(text: str, chunk: int = CHUNK) -> Iterator[str]:
    """`text` in pieces of about `chunk` characters, each ending at the end of a line."""
    start, size = 0, len(text)
    while start < size:
        end = line_end(text, start + chunk)
        yield text[start:end]
        start = end


def line_end(text: str, at: int) -> int:
    """Where the line holding position `at - 1` ends (just after its \\n, \\r\\n or \\r)."""
    if at >= len(text):
        return len(text)
    if text[at - 1] == "\r" and text[at] != "\n" or text[at - 1] == "\n":
        return at
    newline = text.find("\n", at)
    cr = text.find("\r", at, newline if newline >= 0 else len(text))  # only up to the next \n: never the whole text
    found = cr if cr >= 0 else newline
    if found < 0:
        return len(text)
    end = found + 1
    return end + 1 if text[end - 1] == "\r" and text[end:end + 1] == "\n" else end


def file_pieces(path, encoding: str, size: int = 4 << 20) -> Iterator[str]:
    """The text of a file a piece at a time, each piece ending at the end of a line, without holding
    the file. Strict: a byte that is not `encoding` raises UnicodeDecodeError (the caller then reads
    the file whole, which finds its encoding)."""
    decoder, pending = codecs.getincrementaldecoder(encoding)(), ""
    with open(path, "rb") as f:
        while True:
            block = f.read(size)
            text = pending + decoder.decode(block, final=not block)
            if not block:
                if text:
                    yield text
                return
            cut = text.rfind("\n") + 1
            if cut:
                yield text[:cut]
            pending = text[cut:]


def read_table(data: bytes, source: str = "register.csv") -> Table:
    """The header and an iterator over data rows (blank rows included, so they can be reported)."""
    text, encoding, warnings = decode(data, source)
    _check_is_text(text, source)
    return table_from_text(text, source, encoding, warnings)


def table_from_text(text: str, source: str, encoding: str | None, warnings: list[str],
                    quoted_by_hand: bool = True) -> Table:
    """The table of a decoded CSV text (`quoted_by_hand` False for text written from a workbook's cells)."""
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    delimiter = detect_delimiter(first)
    header: list[str] = []

    lines_read = [0]

    def records() -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(lines(text), delimiter=delimiter)
        number, cells = 0, None
        try:
            for cells in reader:
                number += 1
                if reader.line_num - lines_read[0] > 1 and quoted_by_hand:  # a cell with a line break in it
                    check_line_breaks(source, header, number, cells, delimiter, text)
                lines_read[0] = reader.line_num
                yield number, cells
        except csv.Error as exc:
            raise _broken(text, delimiter, source, header, number + 1, exc) from None
        if cells and text.endswith('"' + cells[-1].replace('"', '""')):  # may end inside a quoted cell
            found = locate_unclosed_quote(text, delimiter)
            if found:
                raise unclosed_quote(source, header, *found)

    rows = records()
    header_row = 0
    for header_row, cells in rows:
        if any(c.strip() for c in cells):
            header[:] = [c.strip() for c in cells]
            break
    if quoted_by_hand and any("\n" in c or "\r" in c for c in header):  # a quote left open swallows the file
        found = locate_unclosed_quote(text, delimiter)
        if found and found[0] == header_row:
            raise unclosed_quote(source, [], *found)
    return Table(header, rows, encoding, delimiter, text, header_row, lines_read[0], warnings, quoted_by_hand)


def _check_is_text(text: str, source: str) -> None:
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls >= 8 and controls * 100 > len(sample):
        raise RegisterError(
            f"{source}: this is not a text file (it holds binary data). Export the register from your "
            "management information system (MIS) as a spreadsheet or CSV."
        )


def column_name(header: list[str], index: int) -> str:
    return header[index] if index < len(header) and header[index] else f"column {index + 1}"


def unclosed_quote(source: str, header: list[str], row: int, column: int) -> RegisterError:
    return RegisterError(
        f"{source}: row {row}, column '{column_name(header, column)}': a quote mark (\") opens this cell "
        "and is never closed, so every row after it would be read into that one cell. Nothing was counted. "
        "Open the file in a text editor, remove the quote mark or add the closing one, and try again."
    )


def check_line_breaks(source: str, header: list[str], row: int, cells: list[str], delimiter: str, text: str) -> None:
    """Stop if a quoted cell runs on over what look like whole rows (two stray quotes swallow the rows between).

    A quote never closed is named first, wherever it is, as both engines find that first.
    """
    width = len(header)  # 0 while the header itself is read: any run of delimiters then counts
    for column, cell in enumerate(cells):
        if ("\n" in cell or "\r" in cell) and runs_over_rows(cell, delimiter, width):
            found = locate_unclosed_quote(text, delimiter)
            raise unclosed_quote(source, header, *found) if found else runaway_cell(source, header, row, column, cell)


def runs_over_rows(cell: str, delimiter: str, width: int) -> bool:
    """True if a line of this cell holds as many delimiters as half a row: rows read into a cell, not an address."""
    most = max(3, (width - 1) // 2)
    return any(line.count(delimiter) >= most for line in cell.splitlines())


def runaway_cell(source: str, header: list[str], row: int, column: int, cell: str) -> RegisterError:
    lines = len(cell.splitlines())
    return RegisterError(
        f"{source}: row {row}, column '{column_name(header, column)}': a quote mark (\") opens this cell and it runs on "
        f"over {lines} lines, taking in what look like whole rows. Nothing was counted. Open the file in a text "
        f"editor, check the quote marks in and after row {row}, and try again."
    )


def cell_too_big(source: str, header: list[str], row: int, column: int, length: int) -> RegisterError:
    return RegisterError(
        f"{source}: row {row}, column '{column_name(header, column)}' holds {length:,} characters, more than "
        f"the {MAX_CELL:,} a register cell can have. Check that row (something may have been pasted into "
        "it), fix it and try again."
    )


def _broken(text: str, delimiter: str, source: str, header: list[str], row: int, exc: csv.Error) -> RegisterError:
    """The plain message for a row the csv module cannot read."""
    found = locate_unclosed_quote(text, delimiter)
    if found:
        return unclosed_quote(source, header, *found)
    with _no_cell_limit():
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if number == row:
                for column, cell in enumerate(cells):
                    if len(cell) > MAX_CELL:
                        return cell_too_big(source, header, row, column, len(cell))
    return RegisterError(f"{source}: row {row} cannot be read as CSV ({exc}). Open it in Excel, {SAVE_AS_CSV}.")


@contextlib.contextmanager
def _no_cell_limit():
    old = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def locate_unclosed_quote(text: str, delimiter: str) -> tuple[int, int] | None:
    """(row, column index) of a quote that opens a cell and is never closed; None if every quote closes.

    Such a quote swallows the rest of the file, so it is in the last row the csv module returns.
    """
    lines = io.StringIO(text, newline="").readlines()
    row = start = 0
    with _no_cell_limit():
        reader = csv.reader(lines, delimiter=delimiter)
        while True:
            before = reader.line_num
            try:
                next(reader)
            except StopIteration:
                break
            row, start = row + 1, before
    column = _unclosed_cell("".join(lines[start:]), delimiter) if row else None
    return None if column is None else (row, column)


def _unclosed_cell(record: str, delimiter: str) -> int | None:
    """The index of the cell whose opening quote is never closed, following the csv module's rules."""
    ends = re.compile(f"[{re.escape(delimiter)}\r\n]")
    i, cell = 0, 0
    while i < len(record):
        if record[i] == '"':  # a quote opens a cell only at its start
            j = i + 1
            while True:
                k = record.find('"', j)
                if k < 0:
                    return cell
                if record.startswith('"', k + 1):  # "" is a quote mark inside the cell
                    j = k + 2
                    continue
                i = k + 1
                break
        end = ends.search(record, i)
        if end is None or end.group() != delimiter:
            return None
        cell, i = cell + 1, end.end()
    return None
