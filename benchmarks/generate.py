"""Write made-up registers for benchmarks: `python -m benchmarks.generate PUPILS [DAYS]`
(from the repository root, as every benchmark: they import the tests' workbook writer as tests.workbooks)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from attendtoolkit.synthetic import generate, long_csv, wide_csv

DATA = Path(__file__).parent / "data"


def write(pupils: int, days: int = 190, seed: int = 1) -> tuple[Path, Path]:
    """Long and wide CSVs for `pupils` x `days`, cached in benchmarks/data/."""
    DATA.mkdir(exist_ok=True)
    long_path = DATA / f"long-{pupils}x{days * 2}.csv"
    wide_path = DATA / f"wide-{pupils}x{days * 2}.csv"
    if not (long_path.exists() and wide_path.exists()):
        register = generate(pupils, days, seed)
        long_path.write_text(long_csv(register), encoding="utf-8")
        wide_path.write_text(wide_csv(register), encoding="utf-8")
    return long_path, wide_path


def write_workbook(wide_path: Path) -> Path:
    """The wide register as an Excel workbook (every cell text, as an MIS export holds marks), cached beside it."""
    path = wide_path.with_suffix(".xlsx")
    if not path.exists():
        from tests.workbooks import xlsx
        with wide_path.open(encoding="utf-8", newline="") as f:
            path.write_bytes(xlsx({"Register": list(csv.reader(f))}))
    return path


if __name__ == "__main__":
    for path in write(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 190):
        print(path, f"{path.stat().st_size / 1e6:.1f} MB")
