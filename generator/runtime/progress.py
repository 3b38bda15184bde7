"""A progress line for long steps, for the adapters (the command line and the MkDocs plugin).

Shown only to a person watching: on a terminal, outside CI. It rewrites one line of
stderr in place, at most ten times a second, and clears it when the step ends, so that
logs and pipes never see it.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


def wanted(stream: TextIO | None = None) -> bool:
    """True when a person is watching ``stream`` (stderr): a terminal, not CI, not a dumb one."""
    stream = stream or sys.stderr
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced by something without a terminal
        return False
    return interactive and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


class ProgressLine:
    """``line.update("history", 120, 3000)`` ... ``line.done()``; silent when not ``wanted``."""

    def __init__(self, stream: TextIO | None = None, *, interval: float = 0.1) -> None:
        self.stream = stream or sys.stderr
        self.enabled = wanted(self.stream)
        self.interval = interval
        self._last = 0.0
        self._shown = False

    def update(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.interval and done < total:
            return
        self._last = now
        percent = f" ({100 * done // total}%)" if total else ""
        self.stream.write(f"\r\x1b[Kokrs: {label} {done:,}/{total:,}{percent}")
        self.stream.flush()
        self._shown = True

    def callback(self, label: str):
        """A ``(done, total)`` callback for the library, under ``label``."""
        return lambda done, total: self.update(label, done, total)

    def done(self) -> None:
        """Clear the line (before anything else is printed)."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
