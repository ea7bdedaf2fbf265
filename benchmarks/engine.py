"""Engine benchmark: each engine's time as a ratio to a bare `csv` parse of the same file, same run.

    .venv/bin/python -m benchmarks.engine --pupils 1500          # a large school (from the repository root)
    .venv/bin/python -m benchmarks.engine --pupils 16000         # a local authority
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


from attendtoolkit import analyse
from attendtoolkit.api import PARALLEL_FROM
from attendtoolkit.gc_paused import gc_paused
from attendtoolkit.partitions import default_workers
from attendtoolkit.results.contract import write_json
from benchmarks.generate import write


def bare_parse(data: bytes) -> int:
    """The baseline: decode and split the file into rows, nothing else."""
    return sum(1 for _ in csv.reader(data.decode("utf-8").splitlines()))


class _Hashed:
    """A text stream that writes to a file and keeps the sha256 of what it wrote."""

    def __init__(self, f):
        self.f, self.hash = f, hashlib.sha256()

    def write(self, text: str) -> None:
        self.f.write(text)
        self.hash.update(text.encode("utf-8"))


def engine(path: Path, kind: str, workers: int = 1) -> str:
    """The full pipeline as `classify FILE -o out.json --workers N` runs it: read the file from the
    disk, classify, write the results' JSON a pupil at a time, with the cycle collector paused
    throughout as the CLI pauses it. The JSON's sha256."""
    with gc_paused(), tempfile.TemporaryFile("w", encoding="utf-8") as f:
        result = analyse(path, engine=kind, stream=True, workers=workers)
        out = _Hashed(f)
        write_json(result, out)
    return out.hash.hexdigest()


def duckdb_groupby(path: Path) -> int | None:
    """The comparison the issue sets: DuckDB counting a long file's marks by pupil and mark (None
    without duckdb, which is installed for the benchmark only)."""
    try:
        import duckdb
    except ImportError:
        return None
    sql = f"select UPN, Mark, count(*) from read_csv('{path}', all_varchar = true) group by all"
    return len(duckdb.sql(sql).fetchall())


def peak_memory(path: Path, kind: str) -> float:
    """Peak resident memory (GB) of a fresh process that reads and classifies the file."""
    # VmHWM, not ru_maxrss: ru_maxrss keeps the parent's peak across fork and exec
    code = ("import os, re, sys; from attendtoolkit import analyse; from attendtoolkit.results.contract import write_json; "
            "write_json(analyse(sys.argv[1], engine=sys.argv[2], stream=True), open(os.devnull, 'w')); "
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    out = subprocess.run([sys.executable, "-c", code, str(path), kind], check=True, capture_output=True, text=True)
    return int(out.stdout.split()[-1]) / 1e6  # kB


def timed(repeats: int, fn, *args):
    """(min, median) seconds over `repeats` runs, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return (min(times), statistics.median(times)), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=1500)
    parser.add_argument("--days", type=int, default=190)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory", action="store_true", help="also the peak memory of each engine (fresh processes)")
    parser.add_argument("--file", type=Path, help="a register to measure instead of generated ones "
                        "(a council's file: see benchmarks/generate.py)")
    parser.add_argument("--engines", default="python,pandas", help="engines to run, comma-separated")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="processes for a register of %d pupils or more (default: the cores, %%(default)s here)"
                        % PARALLEL_FROM)
    args = parser.parse_args()
    import pandas  # noqa: F401  imported before timing: the import is not the engine's work

    engine(write(10, 10)[0], "pandas")
    print(f"{args.pupils} pupils x {args.days * 2} sessions; min and median of {args.repeats} runs; "
          f"ratio = min / min of the bare csv parse (one core); engines on {args.workers} core(s) from "
          f"{PARALLEL_FROM:,} pupils")
    kinds = args.engines.split(",")
    shown = lambda t: f"{t[0]:.2f}/{t[1]:.2f} s"  # noqa: E731
    print(f"{'file':<30}{'MB':>7}{'csv parse':>17}" + "".join(f"{k:>17}{'ratio':>7}" for k in kinds) + "  same")
    for path in [args.file] if args.file else write(args.pupils, args.days):
        data = Path(path).read_bytes()
        base, _ = timed(args.repeats, bare_parse, data)
        times, results = {}, {}
        for kind in kinds:
            times[kind], results[kind] = timed(args.repeats, engine, Path(path), kind, args.workers)
        same = len(set(results.values())) == 1
        print(f"{path.name:<30}{len(data) / 1e6:>7.1f}{shown(base):>17}"
              + "".join(f"{shown(times[k]):>17}{times[k][0] / base[0]:>6.1f}x" for k in kinds) + f"  {same}")
        if "long" in path.name:
            duck, found = timed(args.repeats, duckdb_groupby, path)
            if found is not None:
                print(f"{'':<30}DuckDB group-by {shown(duck)}: "
                      + ", ".join(f"{k} {times[k][0] / duck[0]:.1f}x" for k in kinds))
        if args.memory:
            del data, results
            print(f"{'':<30}peak memory: " + ", ".join(f"{k} {peak_memory(path, k):.2f} GB" for k in kinds))


if __name__ == "__main__":
    main()
