"""Pause Python's cyclic garbage collector while bulk data is read or built.

Reading thousands of files, or a saved history, allocates millions of small objects that
are all kept or freed by reference counting: none sits in a cycle. Meanwhile the cyclic
collector would scan the growing heap again and again (a third of the time of a check).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
