"""What a file is, judged from its first bytes (never its name), and what to say when it is not a register.

A register arrives as text (CSV, possibly UTF-16 from Excel's "Unicode text") or, once the Excel
reader is installed, as a workbook. Anything else gets one plain sentence saying what the file is
and what to do instead.
"""

from __future__ import annotations

EXPORT_AGAIN = "Export the register from your management information system (MIS) as a spreadsheet or CSV."

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files: .xls, .doc
ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"

# (first bytes, what the file is) for files that are never registers.
_NOT_REGISTERS = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a picture (PNG)"),
    (b"\xff\xd8\xff", "a picture (JPEG)"),
    (b"GIF8", "a picture (GIF)"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"Rar!", "a compressed (RAR) file"),
    (b"7z\xbc\xaf", "a compressed (7-Zip) file"),
)

WORKBOOK_KINDS = ("xlsx", "xls", "ods")
WORKBOOK_NAMES = {
    "xlsx": "an Excel workbook (.xlsx)",
    "xls": "an Excel 97-2003 workbook (.xls)",
    "ods": "an OpenDocument spreadsheet (.ods)",
}


def workbook_kind(data: bytes) -> str | None:
    """'xlsx', 'xls' or 'ods' for a spreadsheet workbook; None for anything else."""
    if data.startswith(ZIP):
        if ODS_MIMETYPE in data[:200]:
            return "ods"
        if b"xl/workbook" in data or b"xl/worksheets" in data:
            return "xlsx"
        return None
    if data.startswith(OLE) and _ole_is_workbook(data):
        return "xls"
    return None


def _ole_is_workbook(data: bytes) -> bool:
    """An OLE file holds Excel if its directory names a 'Workbook' or 'Book' stream (UTF-16 names)."""
    return "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data


def not_a_register(data: bytes) -> str | None:
    """A sentence saying what this file is and what to do, if it is plainly not a register; else None.

    Workbooks are not judged here: the reader reads them when it can (see `workbook_kind`).
    """
    for magic, what in _NOT_REGISTERS:
        if data.startswith(magic):
            return f"This is {what}. {EXPORT_AGAIN}"
    if data.startswith(ZIP) and workbook_kind(data) is None:
        if b"word/" in data:
            return f"This is a Word document. {EXPORT_AGAIN}"
        return "This is a ZIP archive. Unzip it and choose the register file inside."
    if data.startswith(OLE) and "EncryptedPackage".encode("utf-16-le") in data:
        return ("This workbook is protected with a password. Open it in Excel, save a copy without the "
                "password (or as 'CSV UTF-8') and try again.")
    if data.startswith(OLE) and workbook_kind(data) is None:
        return f"This is an older Microsoft Office file, not a spreadsheet. {EXPORT_AGAIN}"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")):
        return ("This is a web page (HTML), though it may be named .xls. Open it in Excel, "
                "save it as 'CSV UTF-8' and try again.")
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        return ("This is an Excel 2003 XML spreadsheet. Open it in Excel, save it as 'CSV UTF-8' "
                "and try again.")
    return None


def nul_rich(data: bytes) -> bool:
    """Text without a byte order mark but with NUL bytes all through it: UTF-16 without a BOM, or binary."""
    sample = data[:4096]
    return len(sample) >= 4 and sample.count(0) * 8 >= len(sample)
