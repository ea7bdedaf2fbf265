"""A damaged Excel 97-2003 (.xls) file found before the Excel reader opens it.

An .xls is an OLE compound file: a header, a table of sector chains (the FAT) and a directory of
streams, each with a size. python-calamine trusts these numbers: a size or a looping chain in a
damaged file makes it ask for gigabytes of memory, which stops the whole program (no Python error
to catch). So every number it will use is checked here against the file's length first
([MS-CFB] Compound File Binary File Format, sections 2.2 to 2.6).
"""

from __future__ import annotations

import struct

HEADER = 512
ENDOFCHAIN, FREESECT = 0xFFFFFFFE, 0xFFFFFFFF
MINI_SECTOR = 64
MINI_CUTOFF = 4096  # streams smaller than this live in the mini stream
DIRECTORY_ENTRY = 128
STREAM, ROOT = 2, 5


def ole_problem(data: bytes) -> str | None:
    """What is wrong with the file's structure, in a few words; None if every size and chain fits the file."""
    if len(data) < HEADER:
        return "it is shorter than its header"
    shift = _u16(data, 30)
    if shift not in (9, 12):
        return "its sector size is not one Excel writes"
    size = 1 << shift
    sectors = max(0, -(-len(data) // size) - 1)  # sectors after the header (the last may be short)
    whole = max(0, len(data) // size - 1)  # the tables and the directory must be in whole sectors
    dir_count, fat_count, dir_start = _u32(data, 40), _u32(data, 44), _u32(data, 48)
    minifat_start, minifat_count = _u32(data, 60), _u32(data, 64)
    difat_start, difat_count = _u32(data, 68), _u32(data, 72)
    if max(dir_count, fat_count, minifat_count, difat_count) > sectors:
        return "its header counts more sectors than the file holds"

    fat_ids = [i for i in struct.unpack_from("<109I", data, 76) if i != FREESECT]
    seen: set[int] = set()
    at = difat_start
    while at not in (FREESECT, ENDOFCHAIN):
        if at >= whole or at in seen:
            return "its table of sectors points outside the file"
        seen.add(at)
        ids = list(_sector_u32s(data, at, size))
        fat_ids += [i for i in ids[:-1] if i != FREESECT]
        at = ids[-1] if ids else ENDOFCHAIN
    if len(fat_ids) > sectors or any(i >= whole for i in fat_ids):
        return "its table of sectors points outside the file"
    fat = [n for i in fat_ids for n in _sector_u32s(data, i, size)]

    directory = _chain(fat, dir_start, whole)
    if directory is None:
        return "its directory of streams is broken"
    entries = b"".join(data[(i + 1) * size:(i + 2) * size] for i in directory)
    if len(entries) < DIRECTORY_ENTRY:
        return "its directory of streams is broken"
    root_start, root_size = _entry(entries, 0, size)
    if root_size > sectors * size or (root_start != ENDOFCHAIN and _chain(fat, root_start, sectors) is None):
        return "its mini stream is broken"
    minifat_sectors = _chain(fat, minifat_start, whole)
    if minifat_sectors is None:
        return "its table of small streams is broken"
    minifat = [n for i in minifat_sectors for n in _sector_u32s(data, i, size)]
    for offset in range(0, len(entries) - DIRECTORY_ENTRY + 1, DIRECTORY_ENTRY):
        if entries[offset + 66] != STREAM:
            continue
        start, stream_size = _entry(entries, offset, size)
        if stream_size > len(data):
            return "a stream in it is bigger than the file"
        if stream_size < MINI_CUTOFF:
            if start != ENDOFCHAIN and _chain(minifat, start, root_size // MINI_SECTOR) is None:
                return "a small stream in it is broken"
        elif _chain(fat, start, sectors) is None:
            return "a stream in it is broken"
    return None


def _chain(table: list[int], start: int, limit: int) -> list[int] | None:
    """The sectors of a chain from `start` to its end; None if it leaves the file or loops."""
    out: list[int] = []
    seen: set[int] = set()
    at = start
    while at != ENDOFCHAIN:
        if at >= limit or at >= len(table) or at in seen:
            return None
        seen.add(at)
        out.append(at)
        at = table[at]
    return out


def _entry(entries: bytes, offset: int, size: int) -> tuple[int, int]:
    """(start sector, stream size) of a directory entry, the size read as the Excel reader reads it."""
    start = _u32(entries, offset + 116)
    stream_size = _u32(entries, offset + 120) if size == 512 else struct.unpack_from("<Q", entries, offset + 120)[0]
    return start, stream_size


def _sector_u32s(data: bytes, sector: int, size: int):
    chunk = data[(sector + 1) * size:(sector + 2) * size]
    return struct.unpack_from(f"<{len(chunk) // 4}I", chunk)


def _u16(data: bytes, at: int) -> int:
    return struct.unpack_from("<H", data, at)[0]


def _u32(data: bytes, at: int) -> int:
    return struct.unpack_from("<I", data, at)[0]
