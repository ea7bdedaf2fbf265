"""Many registers at once: one partition per file, in this process, in local worker processes, or
on a Dask cluster. Each partition is `analyse` on one file, so the results are the same whichever
way they run, and come back in the order of the files."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from attendtoolkit.api import analyse


class PartitionError(Exception):
    """The files could not be sent to the cluster (no Dask, or no scheduler at the address)."""


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def analyse_files(paths: list[Path], options: dict, workers: int = 1, scheduler: str | None = None) -> list[dict]:
    """`analyse(path, **options)` for every file, in the files' order.

    `workers` > 1 runs the files in that many local processes; `scheduler` (a Dask scheduler's
    address, needs the `dask` extra) runs them on that cluster instead."""
    job = partial(_analyse_one, options=options)
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise PartitionError("--scheduler needs Dask: install it with pip install 'attendtoolkit[dask]'.") from None
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise PartitionError(f"no Dask scheduler answered at {scheduler} ({exc}). Check the address "
                                 "(like tcp://10.0.0.5:8786) and that the scheduler is running.") from None
        with client:
            return client.gather(client.map(job, [str(p) for p in paths], pure=False))
    if workers > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(paths))) as pool:
            return list(pool.map(job, [str(p) for p in paths]))
    return [job(str(p)) for p in paths]


def _analyse_one(path: str, options: dict) -> dict:
    return analyse(Path(path), **options)
