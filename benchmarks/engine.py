"""Engine benchmark: each engine's time as a ratio to a bare `csv` parse of the same file, same run.

    .venv/bin/python -m benchmarks.engine --pupils 1500          # a large school (from the repository root)
    .venv/bin/python -m benchmarks.engine --pupils 16000         # a local authority
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


from attendtoolkit import analyse
from benchmarks.generate import write


def bare_parse(data: bytes) -> int:
    """The baseline: decode and split the file into rows, nothing else."""
    return sum(1 for _ in csv.reader(data.decode("utf-8").splitlines()))


def engine(data: bytes, name: str, kind: str) -> dict:
    return analyse(data, name, engine=kind)


def peak_memory(path: Path, kind: str) -> float:
    """Peak resident memory (GB) of a fresh process that reads and classifies the file."""
    # VmHWM, not ru_maxrss: ru_maxrss keeps the parent's peak across fork and exec
    code = ("import re, sys; from attendtoolkit import analyse; analyse(sys.argv[1], engine=sys.argv[2]); "
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
    args = parser.parse_args()
    import pandas  # noqa: F401  imported before timing: the import is not the engine's work

    engine(write(10, 10)[0].read_bytes(), "warm.csv", "pandas")
    print(f"{args.pupils} pupils x {args.days * 2} sessions; min and median of {args.repeats} runs; "
          "ratio = min / min of the bare csv parse")
    print(f"{'file':<26}{'MB':>7}{'csv parse':>17}{'python':>17}{'ratio':>7}{'pandas':>17}{'ratio':>7}  same")
    for path in write(args.pupils, args.days):
        data = Path(path).read_bytes()
        base, _ = timed(args.repeats, bare_parse, data)
        t_py, r_py = timed(args.repeats, engine, data, path.name, "python")
        t_pd, r_pd = timed(args.repeats, engine, data, path.name, "pandas")
        same = json.dumps(r_py) == json.dumps(r_pd)
        shown = lambda t: f"{t[0]:.2f}/{t[1]:.2f} s"  # noqa: E731
        print(f"{path.name:<26}{len(data) / 1e6:>7.1f}{shown(base):>17}{shown(t_py):>17}{t_py[0] / base[0]:>6.1f}x"
              f"{shown(t_pd):>17}{t_pd[0] / base[0]:>6.1f}x  {same}")
        if args.memory:
            print(f"{'':<26}peak memory: python {peak_memory(path, 'python'):.2f} GB, "
                  f"pandas {peak_memory(path, 'pandas'):.2f} GB")


if __name__ == "__main__":
    main()
