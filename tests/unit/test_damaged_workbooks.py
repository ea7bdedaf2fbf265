"""A damaged Excel 97-2003 (.xls) file, or an .xlsx with a stray value far away, is one plain message,
never a crash of the whole program.

python-calamine trusts the sizes and sector chains inside an .xls (an OLE compound file); a damaged
one can make it ask for gigabytes of memory, which stops the program with no error to catch
(calamine issue 714). read/ole.py checks them against the file first. The file here is
tests/files/register-long.xls (scripts/make_workbooks.py): 512-byte sectors, the table of sectors
(FAT) in sector 24, the directory in sector 25 (the root entry, then the Workbook stream of 12,288
bytes from sector 0).
"""

import io
import struct
import zipfile

import pytest

from attendtoolkit import RegisterError, analyse
from attendtoolkit.read.ole import ole_problem
from attendtoolkit.read.sheet_extent import MAX_CELLS, sheet_reach

from ..conftest import ROOT
from ..workbooks import xlsx

XLS = (ROOT / "tests" / "files" / "register-long.xls").read_bytes()
DIRECTORY = 26 * 512  # sector 25, after the 512-byte header
WORKBOOK_ENTRY = DIRECTORY + 128
FAT = 25 * 512  # sector 24


def patched(at: int, value: int, data: bytes = XLS) -> bytes:
    out = bytearray(data)
    struct.pack_into("<I", out, at, value)
    return bytes(out)


def test_the_sound_workbook_passes_the_check():
    assert ole_problem(XLS) is None


@pytest.mark.parametrize("data,problem", [
    (XLS[:300], "it is shorter than its header"),
    (patched(44, 1_000_000), "its header counts more sectors than the file holds"),
    (patched(76, 5000), "its table of sectors points outside the file"),
    (patched(48, 4000), "its directory of streams is broken"),
    (patched(WORKBOOK_ENTRY + 120, 0xFFFF0000), "a stream in it is bigger than the file"),
    (patched(FAT + 4 * 3, 1), "a stream in it is broken"),  # sector 3 of the Workbook stream points back to 1
    (patched(WORKBOOK_ENTRY + 116, 9999), "a stream in it is broken"),
], ids=["cut short", "sector count", "FAT outside", "directory outside", "stream size", "loop", "stream start"])
def test_each_kind_of_damage_is_named(data, problem):
    assert ole_problem(data) == problem


def test_a_damaged_xls_is_one_plain_message():
    pytest.importorskip("python_calamine")
    with pytest.raises(RegisterError) as info:
        analyse(patched(WORKBOOK_ENTRY + 120, 0xFFFF0000), "register.xls")
    assert str(info.value) == (
        "register.xls: this looks like an Excel 97-2003 workbook (.xls) but it is damaged (a stream in it is bigger "
        "than the file), so it cannot be read. Export the register again from your MIS and try again.")


def test_the_calculator_gets_no_sheets_for_a_damaged_xls():
    from attendtoolkit.read.workbook import sheet_names
    assert sheet_names(patched(FAT + 4 * 3, 1)) == []


# -- A stray value far from the register in an .xlsx ----------------------------------------------

def sheet_xml_patched(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with its first sheet's XML changed, as another program might have written it."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info, body.replace(old, new) if info.filename == "xl/worksheets/sheet1.xml" else body)
    return out.getvalue()


REGISTER = xlsx({"Register": [["UPN", "Date", "Session", "Mark"], ["A1", "02/09/2024", "AM", "/"]]})
FAR_VALUE = sheet_xml_patched(REGISTER, b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')


def test_a_value_in_the_last_cell_of_a_sheet_is_one_plain_message_not_a_crash():
    """Laid out as a grid, A1 to XFD1048576 would be 17,179,869,184 cells (16,384 columns by 1,048,576 rows)."""
    pytest.importorskip("python_calamine")
    with pytest.raises(RegisterError) as info:
        analyse(FAR_VALUE, "register.xlsx")
    assert str(info.value) == (
        "register.xlsx: the sheet 'Register' reaches column XFD and row 1,048,576, far beyond any register, so reading "
        "it would take 17,179,869,184 cells. Something was typed far from the register: in Excel, press Ctrl+End to go "
        "to the last cell used, delete the rows and columns past the register, save and try again (or save the "
        "register as 'CSV UTF-8').")


@pytest.mark.parametrize("old,new", [
    (b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>'),  # formatted, empty
    (b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>'),  # a used range from formatting
], ids=["formatted cell", "used range"])
def test_formatting_far_away_with_nothing_in_it_is_read(old, new):
    pytest.importorskip("python_calamine")
    data = sheet_xml_patched(REGISTER, old, new)
    assert sheet_reach(data, "Register") is None
    assert analyse(data, "register.xlsx")["totals"]["pupils"] == 1


def test_a_register_sized_sheet_is_within_reach():
    assert sheet_reach((ROOT / "examples" / "register-wide.xlsx").read_bytes(), "Attendance") is None
    assert sheet_reach(FAR_VALUE, "Register") == ("XFD", 1_048_576, 16_384 * 1_048_576)
    assert MAX_CELLS >= 2_000 * 400  # 2,000 pupils with 400 columns each
