"""Work on a council's pupils split into contiguous parts, made on several cores at once.

This process does the first part itself while forked copies of it do the others; each copy hands
back what it made (pickled, through a temporary file) and this process takes the parts in order,
so the outcome is the one a single process gives. Without os.fork (Pyodide, Windows) everything
is done here.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import tempfile
import traceback
from collections.abc import Callable


def can_fork() -> bool:
    return hasattr(os, "fork")


def split(items: list, parts: int) -> list[list]:
    """`items` in at most `parts` contiguous, non-empty parts (one part, perhaps empty, at least);
    a single part where the system cannot fork."""
    parts = parts if can_fork() else 1
    size = -(-len(items) // max(parts, 1)) or 1
    return [items[i:i + size] for i in range(0, len(items), size)] or [items]


def mapped(items: list, fn: Callable, parts: int) -> list:
    """[fn(item) for item in items], the parts after the first in forked copies of this process
    (fn's results must pickle)."""
    return [x for part in each_part(items, lambda part: [fn(x) for x in part], parts) for x in part]


def each_part(items: list, fn: Callable[[list], object], parts: int, meanwhile: Callable[[], object] | None = None
              ) -> list:
    """[fn(part) for part in split(items, parts)], the parts after the first in forked copies of
    this process (fn's results must pickle): for work done on a whole part at once, such as the
    numpy checks of a part's pupils (engine/batch.py). `meanwhile()`, if given, runs here after
    the first part, while the copies finish theirs."""
    first, *rest = split(items, parts)
    copies = [Copy(lambda part=part: fn(part)) for part in rest]
    try:
        out = [fn(first)]
        if meanwhile is not None:
            meanwhile()
        for copy in copies:
            out.append(copy.result())
        return out
    finally:
        for copy in copies:
            copy.close()


class Copy:
    """A forked copy of this process running `work()`; `result()` waits for it and gives what work
    returned (or raises what it raised)."""

    def __init__(self, work: Callable[[], object]):
        self._pickled = tempfile.TemporaryFile("w+b")
        self._result = None
        sys.stdout.flush(), sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the copy: never returns, and never runs this process's exit code
            gc.disable()  # a collection would touch every object inherited, copying all their memory
            code = 0
            try:
                pickle.dump((True, work()), self._pickled)
            except BaseException as error:  # handed to this process, which raises it
                traceback.print_exc()
                pickle.dump((False, error), self._pickled)
                code = 1
            finally:
                self._pickled.flush()
            os._exit(code)

    def result(self):
        if self._result is None:
            if self.pid:
                os.waitpid(self.pid, 0)
                self.pid = 0
            self._pickled.seek(0)
            try:
                self._result = pickle.load(self._pickled)
            except EOFError:
                raise RuntimeError("a worker process stopped before it finished its part (out of memory?)") from None
        ok, value = self._result
        if not ok:
            raise value
        return value

    def close(self) -> None:
        if self.pid:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = 0
        self._pickled.close()
