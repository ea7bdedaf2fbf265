"""Python's cycle collector paused while a register's results are made."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """Pause the cycle collector (a context manager or a decorator). The pipeline makes millions of
    small objects and no cycles worth collecting, and each automatic collection scans every object
    made so far, so its cost grows with the register: a fifth of the reading time for a long file,
    and a quarter of the writing time for a council's streamed results. Reference counting still
    frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
