"""`okrs serve`'s live-reload server: MkDocs' own, told of a change at once.

MkDocs finds changes by scanning every watched file every half second, so an edit waits
a quarter of a second on average, plus the scan, before its rebuild starts (and a faster
scan of a large organisation's files would take the time of the rebuilds it waits for).
Where the system reports changes itself (inotify on Linux, FSEvents on macOS,
ReadDirectoryChangesW on Windows) this server hears of them at once. MkDocs' scan stays,
at its own pace: some file systems (network shares, folders shared into a virtual
machine) report nothing, and there it still finds the edit. Imported by `okrs serve`
only: MkDocs is loaded by then.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

import watchdog.events
import watchdog.observers
from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.okrs")


class QuickerReloadServer(LiveReloadServer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The system's own reports of changes, from serve() on. Not before: its observer runs a
        # thread from the start, and while another thread runs the first build does not fork
        # its parallel parts (runtime/parallel.can_fork): 1.7x slower at 1,000 objectives.
        self.reported: Any = None
        self._reported_watches: dict[str, Any] = {}
        self._seen: dict[str, tuple[int, int] | None] = {}  # path -> (mtime, size) last told of
        self._heard, self._scanned = _handler(self._report), _handler(self._scan)

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """MkDocs' watch, with two handlers: the scan's and the reports'."""
        path = os.path.abspath(path)
        if not (func is None or func is self.builder):
            raise TypeError("Plugins can no longer pass a 'func' parameter to watch().")
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1
        self._watch_refs[path] = self.observer.schedule(self._scanned, path, recursive=recursive)
        if self.reported is not None:  # a watch added while serving
            self._report_on(path)

    def unwatch(self, path: str) -> None:
        super().unwatch(path)
        for gone in self._reported_watches.keys() - self._watched_paths.keys():
            self.reported.unschedule(self._reported_watches.pop(gone))

    def serve(self, *, open_in_browser: bool = False) -> None:
        try:
            self.reported = watchdog.observers.Observer()
            for path in self._watched_paths:  # what MkDocs' scan watches, the same way
                self._report_on(path)
            self.reported.start()
        except OSError as err:  # e.g. the inotify limit reached: the scan alone, as in MkDocs
            log.info(f"okrs: the system does not report file changes here ({err}); looking for them "
                     f"every {self.observer.timeout:g} s")
            self.reported = None
            self._reported_watches.clear()
        super().serve(open_in_browser=open_in_browser)

    def shutdown(self, wait: bool = False) -> None:
        if self.reported is not None and self.reported.is_alive():
            self.reported.stop()
            if wait:
                self.reported.join()
        super().shutdown(wait=wait)

    def _report_on(self, path: str) -> None:
        try:
            self._reported_watches[path] = self.reported.schedule(
                self._heard, path, recursive=self._watch_refs[path].is_recursive, event_filter=CHANGES)
        except OSError as err:  # a path gone since, or no more inotify watches: the scan finds it
            log.debug(f"okrs: no change reports for {path}: {err}")

    def _report(self, event: Any) -> None:
        """The system says a file changed: a rebuild, always (a second report of one change
        comes before the build starts, which MkDocs waits 0.1 s of quiet for)."""
        self._rebuild(_states(event))

    def _scan(self, event: Any) -> None:
        """The scan found a change: a rebuild unless a report told of the same change
        already (else that change would be built twice, the second time for nothing)."""
        states = _states(event)
        if any(self._seen.get(path, ()) != state for path, state in states.items()):
            self._rebuild(states)

    def _rebuild(self, states: dict[str, tuple[int, int] | None]) -> None:
        """What MkDocs' own scan does on a change: ask the build loop for a rebuild."""
        with self._rebuild_cond:
            self._seen.update(states)
            self._want_rebuild = True
            self._rebuild_cond.notify_all()


# The reports that are changes: not the file reads (opened, closed without a write) of every build.
CHANGES = [watchdog.events.FileCreatedEvent, watchdog.events.FileModifiedEvent, watchdog.events.FileDeletedEvent,
           watchdog.events.FileMovedEvent, watchdog.events.FileClosedEvent]


def _handler(on_change: Callable[[Any], None]) -> watchdog.events.FileSystemEventHandler:
    def on_any_event(event: Any) -> None:
        if not event.is_directory:  # as in MkDocs: a folder changes when a file in it does
            on_change(event)

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = on_any_event  # type: ignore[method-assign]
    return handler


def _states(event: Any) -> dict[str, tuple[int, int] | None]:
    """The files an event names, each as it is now: (modified time, size), or None if gone."""
    paths = [event.src_path] + ([event.dest_path] if getattr(event, "dest_path", "") else [])
    states: dict[str, tuple[int, int] | None] = {}
    for path in paths:
        path = os.fsdecode(path)
        try:
            status = os.stat(path)
            states[path] = (status.st_mtime_ns, status.st_size)
        except OSError:
            states[path] = None
    return states
