"""A damaged Excel 97-2003 (.xls) file is one plain message, never a crash of the whole program.

python-calamine trusts the sizes and sector chains inside an .xls (an OLE compound file); a damaged
one can make it ask for gigabytes of memory, which stops the program with no error to catch
(calamine issue 714). read/ole.py checks them against the file first. The file here is
tests/files/register-long.xls (scripts/make_workbooks.py): 512-byte sectors, the table of sectors
(FAT) in sector 24, the directory in sector 25 (the root entry, then the Workbook stream of 12,288
bytes from sector 0).
"""

import struct

import pytest

from attendtoolkit import RegisterError, analyse
from attendtoolkit.read.ole import ole_problem

from ..conftest import ROOT

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
