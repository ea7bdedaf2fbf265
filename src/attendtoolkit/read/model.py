"""What a register becomes once read: pupils with their details or summary, the session grid of
their marks, rejected rows and
warnings, and the messages the readers share (the pure reader and the pandas reader)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from attendtoolkit.read.dates import describe_session
from attendtoolkit.read.errors import RegisterError
from attendtoolkit.read.session_grid import SessionGrid
from attendtoolkit.read.text import DELIMITER_NAMES


@dataclass(frozen=True)
class Rejection:
    row: int
    reason: str
    column: str | None = None

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Summary:
    """Session counts given directly by a summary export."""

    possible: int
    present: int
    aea: int
    authorised: int
    unauthorised: int
    late_before_close: int | None = None
    late_after_close: int | None = None
    unexplained: int | None = None


@dataclass
class Pupil:
    pupil_id: str
    row: int
    details: dict[str, str] = field(default_factory=dict)
    summary: Summary | None = None
    detail_rows: dict[str, int] = field(default_factory=dict, repr=False, compare=False)  # detail -> its row


@dataclass
class Register:
    source: str
    shape: str
    encoding: str
    delimiter: str
    data_rows: int
    columns: dict[str, str]
    pupils: dict[str, Pupil] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    session_count: int = 0
    file_format: str = "csv"  # or the workbook's kind: xlsx, xls, ods
    sheet: str | None = None  # the workbook sheet read
    header_row: int = 1
    blank_rows: list[int] = field(default_factory=list)
    grid: SessionGrid | None = None  # the marks of a dated register (every shape but a summary)
    mark_rows: set[int] = field(default_factory=set)  # rows of a wide or weeks grid that gave a mark
    # (each row of a long register is one mark: counted in session_count or rejected)

    def last_date(self) -> date | None:
        return date.fromordinal(self.grid.days[-1]) if self.grid and self.grid.days else None

    def source_json(self) -> dict:
        return {
            "file": self.source,
            "shape": self.shape,
            "encoding": self.encoding,
            "delimiter": DELIMITER_NAMES.get(self.delimiter, self.delimiter) if self.delimiter else None,
            "data_rows": self.data_rows,
            "sessions": self.session_count,
            "columns": self.columns,
            "format": self.file_format,
            "sheet": self.sheet,
        }



def no_rows(source: str) -> RegisterError:
    return RegisterError(f"{source}: the file has a header row but no rows of pupils. "
                         "Export the register again with its rows and try again.")


def wrong_width(cells: int, header: int) -> str:
    """Why a wide-grid row with the wrong number of cells is rejected whole rather than shifted."""
    hint, fix = (("a comma inside a name?", "Put names with commas in quotes") if cells > header
                 else ("a cell missing?", "Add the missing cells"))
    return (f"This row has {cells} cells, the header has {header}: {hint} Its marks could land in the wrong "
            f"sessions, so none of them were counted. {fix}, or fix the row.")


def not_a_code(raw: str) -> str:
    return (f"'{raw.strip() or 'blank'}' is not a register code. Use a code from the 2024 code table "
            "(for example / \\ L M I O N U).")


def duplicate(pupil_id: str, key: int, first: tuple[str, int], code: str) -> str:
    """Why a second mark for the same pupil and session was not counted."""
    if first[0] == code:
        return f"Repeats row {first[1]} (same pupil, session {describe_session(key)} and mark {code}): counted once."
    return (f"Pupil {pupil_id} already has mark {first[0]} for {describe_session(key)} from row "
            f"{first[1]}; this row's mark {code} was not counted.")


NO_PUPIL_ID = "No pupil ID: the row cannot be matched to a pupil."
