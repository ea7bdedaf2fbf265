"""Write made-up registers for benchmarks: `python -m benchmarks.generate PUPILS [DAYS]`
(from the repository root, as every benchmark: they import the tests' workbook writer as tests.workbooks)."""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

from attendtoolkit import synthetic
from attendtoolkit.synthetic import generate, long_csv, wide_csv

DATA = Path(__file__).parent / "data"


def generator_version() -> str:
    """Eight hex digits of a hash of the generator's source (attendtoolkit/synthetic.py). Each cached register's
    name ends in it, so a change to the generator (as when N marks older than 5 school days became O) writes new
    registers instead of timing stale ones."""
    return hashlib.sha256(Path(synthetic.__file__).read_bytes()).hexdigest()[:8]


def cached(kind: str, pupils: int, sessions: int, suffix: str = ".csv") -> Path:
    """Where the register of this kind and size from the current generator is kept; the same register from
    an earlier generator (or from before names carried the version) is deleted."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"{kind}-{pupils}x{sessions}-{generator_version()}{suffix}"
    stem = f"{kind}-{pupils}x{sessions}"
    for old in DATA.glob(f"{stem}*{suffix}"):
        if old != path and (old.stem == stem or old.stem.startswith(stem + "-")):
            old.unlink()
    return path


def write(pupils: int, days: int = 190, seed: int = 1) -> tuple[Path, Path]:
    """Long and wide CSVs for `pupils` x `days`, cached in benchmarks/data/ for the current generator."""
    long_path = cached("long", pupils, days * 2)
    wide_path = cached("wide", pupils, days * 2)
    if not (long_path.exists() and wide_path.exists()):
        register = generate(pupils, days, seed)
        long_path.write_text(long_csv(register), encoding="utf-8")
        wide_path.write_text(wide_csv(register), encoding="utf-8")
    return long_path, wide_path


def write_large(pupils: int, days: int = 190, block: int = 2000) -> Path:
    """A long CSV of a council's size, written a block of pupils at a time (never whole in memory),
    cached in benchmarks/data/ for the current generator; delete it after (230,000 pupils is about 7 GB)."""
    path = cached("council-long", pupils, days * 2)
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as f:
        for n, start in enumerate(range(0, pupils, block)):
            found = generate(min(block, pupils - start), days, seed=n + 1)
            for i, pupil in enumerate(found):
                pupil["pupil_id"] = f"P{start + i + 1:06d}"
            text = long_csv(found)
            f.write(text if n == 0 else text[text.index("\n") + 1:])  # the header once
    partial.rename(path)
    return path


def write_workbook(wide_path: Path) -> Path:
    """The wide register as an Excel workbook (every cell text, as an MIS export holds marks), cached beside it
    (its name carries the wide register's, so the generator's version too)."""
    path = wide_path.with_suffix(".xlsx")
    for old in wide_path.parent.glob("*.xlsx"):  # workbooks of registers no longer cached
        if not old.with_suffix(".csv").exists():
            old.unlink()
    if not path.exists():
        from tests.workbooks import xlsx
        with wide_path.open(encoding="utf-8", newline="") as f:
            path.write_bytes(xlsx({"Register": list(csv.reader(f))}))
    return path


if __name__ == "__main__":
    pupils, days = int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 190
    for path in write(pupils, days) if pupils <= 20000 else [write_large(pupils, days)]:
        print(path, f"{path.stat().st_size / 1e6:.1f} MB")
