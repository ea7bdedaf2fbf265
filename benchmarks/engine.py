"""Engine benchmark: each engine's time as a ratio to a bare `csv` parse of the same file, same run.

    .venv/bin/python benchmarks/engine.py --pupils 1500          # a large school
    .venv/bin/python benchmarks/engine.py --pupils 16000         # a local authority
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

from generate import write

from attendtoolkit import analyse


def bare_parse(data: bytes) -> int:
    """The baseline: decode and split the file into rows, nothing else."""
    return sum(1 for _ in csv.reader(data.decode("utf-8").splitlines()))


def engine(data: bytes, name: str, kind: str) -> dict:
    return analyse(data, name, engine=kind)


def best_of(repeats: int, fn, *args):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=1500)
    parser.add_argument("--days", type=int, default=190)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import pandas  # noqa: F401  imported before timing: the import is not the engine's work

    engine(write(10, 10)[0].read_bytes(), "warm.csv", "pandas")
    print(f"{args.pupils} pupils x {args.days * 2} sessions, best of {args.repeats}")
    print(f"{'file':<26}{'MB':>7}{'csv parse':>11}{'python':>9}{'ratio':>7}{'pandas':>9}{'ratio':>7}  same")
    for path in write(args.pupils, args.days):
        data = Path(path).read_bytes()
        base, _ = best_of(args.repeats, bare_parse, data)
        t_py, r_py = best_of(args.repeats, engine, data, path.name, "python")
        t_pd, r_pd = best_of(args.repeats, engine, data, path.name, "pandas")
        same = json.dumps(r_py) == json.dumps(r_pd)
        print(f"{path.name:<26}{len(data) / 1e6:>7.1f}{base:>10.2f}s{t_py:>8.2f}s{t_py / base:>6.1f}x"
              f"{t_pd:>8.2f}s{t_pd / base:>6.1f}x  {same}")


if __name__ == "__main__":
    main()
