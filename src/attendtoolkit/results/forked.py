"""A Stream's items made on several cores at once, for a council's register (in_parts.py).

This process makes the first part's items as they are written; each other part is made at the same
time by a forked copy, which writes its items' text to a temporary file (copied as it is into a
file written here: results/contract.write_json) and hands back what its `make` gathered on the way
(`gathered()`), given to `merge` here in the parts' order after that part's items are written.
The text is the one a single process writes, byte for byte.
"""

from __future__ import annotations

import tempfile
from functools import partial
from collections.abc import Callable, Iterable, Iterator

from attendtoolkit.in_parts import Copy, split
from attendtoolkit.results.indented_json import ItemText, Text


def made_in_parts(items: list, make: Callable[[list], Iterable], gathered: Callable[[], object],
                  merge: Callable[[object], None], parts: int, meanwhile: Callable[[], object] | None = None
                  ) -> Callable[[ItemText], Iterator]:
    """A Stream's items function (indented_json.Stream): `make(part)` yields the JSON values of a
    part of `items`; `gathered()` is what a forked copy's `make` collected besides, and `merge` adds
    it to this process's. `meanwhile()`, if given, runs here after the first part's items, while
    the copies finish theirs."""
    def items_of(writer: ItemText) -> Iterator:
        first, *rest = split(items, parts)
        texts = [tempfile.TemporaryFile("w+b") for _ in rest]
        copies = [Copy(partial(_write, part, make, gathered, writer, out)) for part, out in zip(rest, texts)]
        try:
            yield from make(first)
            if meanwhile is not None:
                meanwhile()
            for copy, out in zip(copies, texts):
                found = copy.result()
                yield Text(out)
                merge(found)
        finally:
            for copy, out in zip(copies, texts):
                copy.close()
                out.close()
    return items_of


def _write(part: list, make, gathered, writer: ItemText, out):
    """In a forked copy: the part's items as UTF-8 in the binary file `out`, and what `make` gathered."""
    separator = ""
    for value in make(part):
        out.write((separator + writer.of(value)).encode("utf-8"))
        separator = writer.separator
    out.flush()
    return gathered()
