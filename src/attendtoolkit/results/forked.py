"""A Stream's items made on several cores at once, for a council's register.

The items are split into contiguous parts. This process makes the first part as it is written;
each other part is made at the same time by a forked copy of this process, which writes its items'
text to a temporary file and hands back what its `make` gathered on the way (`gathered()`, given to
`merge` in this process in the parts' order, after that part's items are written). The text is the
same, byte for byte, as one process makes. Without os.fork (Pyodide, Windows) everything is made
here.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator

from attendtoolkit.results.indented_json import ItemText, Text

BLOCK = 1 << 20  # characters of a part's text copied at a time


def can_fork() -> bool:
    return hasattr(os, "fork")


def made_in_parts(items: list, make: Callable[[list], Iterable], gathered: Callable[[], object],
                  merge: Callable[[object], None], parts: int) -> Callable[[ItemText], Iterator]:
    """A Stream's items function (indented_json.Stream): `make(part)` yields the JSON values of a
    part of `items`; `gathered()` is what a forked copy's `make` collected besides, and `merge` adds
    it to this process's."""
    def items_of(writer: ItemText) -> Iterator:
        split = _split(items, parts if can_fork() else 1)
        children = [_Child(part, make, gathered, writer) for part in split[1:]]
        try:
            yield from make(split[0])
            for child in children:
                yield Text(child.text())
                merge(child.result())
        finally:
            for child in children:
                child.close()
    return items_of


def _split(items: list, parts: int) -> list[list]:
    """`items` in at most `parts` contiguous, non-empty parts (one part, perhaps empty, at least)."""
    size = -(-len(items) // max(parts, 1)) or 1
    return [items[i:i + size] for i in range(0, len(items), size)] or [items]


class _Child:
    """A forked copy of this process making one part: its text in one temporary file, what it
    gathered (or the exception it raised) pickled in another."""

    def __init__(self, part: list, make, gathered, writer: ItemText):
        self.text_file = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.result_file = tempfile.TemporaryFile("w+b")
        self._result = None
        sys.stdout.flush(), sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the copy: make the part, write it, and leave without running this process's exit code
            code = 0
            try:
                _write_part(part, make, writer, self.text_file)
                pickle.dump((True, gathered()), self.result_file)
            except BaseException as error:  # handed to the parent, which raises it
                traceback.print_exc()
                pickle.dump((False, error), self.result_file)
                code = 1
            finally:
                self.result_file.flush()
            os._exit(code)

    def _wait(self) -> None:
        if self.pid:
            os.waitpid(self.pid, 0)
            self.pid = 0

    def text(self) -> Iterator[str]:
        """The part's text, in blocks, once the copy has finished (raising what the copy raised)."""
        self.result()
        self.text_file.seek(0)
        return iter(lambda: self.text_file.read(BLOCK), "")

    def result(self):
        if self._result is None:
            self._wait()
            self.result_file.seek(0)
            try:
                self._result = pickle.load(self.result_file)
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
            self._wait()
        self.text_file.close()
        self.result_file.close()


def _write_part(part: list, make, writer: ItemText, out) -> None:
    separator = ""
    for value in make(part):
        out.write(separator)
        out.write(writer.of(value))
        separator = writer.separator
    out.flush()
