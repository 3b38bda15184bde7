"""`okrs serve`'s server hears the system's reports of a changed file (inotify here) and
rebuilds at once, while MkDocs' scan would wait for its next round; reading a file, as
every build does, is no change. A real server on a free port, its scan slowed to a minute
so that only the report can start the rebuild."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import watchdog.events
import watchdog.observers
import watchdog.observers.polling

from generator.mkdocs import reload_server
from generator.mkdocs.reload_server import QuickerReloadServer


def _serving(folder: Path, site: Path, builds: list[float], *, scan_every: float = 60) -> QuickerReloadServer:
    server = QuickerReloadServer(builder=lambda: builds.append(time.monotonic()), host="127.0.0.1", port=0,
                                 root=str(site), polling_interval=scan_every)
    server.watch(str(folder))
    threading.Thread(target=server.serve, daemon=True).start()
    _wait_for(lambda: server.observer.is_alive(), 10)
    time.sleep(0.3)  # the scan's first round, taken as it starts
    return server


def _okrs(tmp_path: Path) -> tuple[Path, Path, Path]:
    folder, site = tmp_path / "okrs", tmp_path / "site"
    (folder / "2026-Q4").mkdir(parents=True)
    site.mkdir()
    objective = folder / "2026-Q4" / "growth.md"
    objective.write_text("---\nobjective: Grow\n---\n", encoding="utf-8")
    return folder, site, objective


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_an_edit_is_heard_at_once_and_a_read_is_not(tmp_path: Path) -> None:
    folder, site, objective = _okrs(tmp_path)
    builds: list[float] = []
    server = _serving(folder, site, builds)
    try:
        assert server.reported is not None, "this system reports file changes"
        objective.read_bytes()  # what a build does to every file
        assert not _wait_for(lambda: builds, 1.0), "a read started a rebuild"
        edited = time.monotonic()
        objective.write_text("---\nobjective: Grow faster\n---\n", encoding="utf-8")
        assert _wait_for(lambda: builds, 5.0), "no rebuild after the edit"
        assert builds[0] - edited < 2.0  # the scan would have waited a minute
        (folder / "2026-Q4" / "new.md").write_text("---\n---\n", encoding="utf-8")
        assert _wait_for(lambda: len(builds) == 2, 5.0), "no rebuild after a new file"
    finally:
        server.shutdown(wait=True)
    assert not server.reported.is_alive() and not server.observer.is_alive()


def test_until_it_serves_the_server_runs_no_thread_so_the_first_build_can_fork(tmp_path: Path) -> None:
    """MkDocs makes the server, then builds, then watches and serves: a thread of ours
    running before serve() would make the first build parse and render on one core."""
    from generator.runtime.parallel import can_fork

    folder, site, _ = _okrs(tmp_path)
    threads = threading.active_count()
    server = QuickerReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site))
    try:
        server.watch(str(folder))
        assert threading.active_count() == threads, [thread.name for thread in threading.enumerate()]
        if threads == 1:
            assert can_fork()
    finally:
        server.server_close()


def test_the_scan_does_not_build_again_what_a_report_told_of(tmp_path: Path) -> None:
    """A build takes longer than a round of the scan: its finding of the change a report
    told of would start a second build, for nothing. (The handlers given the events the
    observers give them, one after the other, without the timing.)"""
    folder, site, objective = _okrs(tmp_path)
    server = QuickerReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site))
    try:
        server.watch(str(folder))
        objective.write_text("---\nobjective: Grow faster\n---\n", encoding="utf-8")
        server._heard.dispatch(watchdog.events.FileModifiedEvent(str(objective)))
        assert server._want_rebuild
        server._want_rebuild = False  # the build started
        server._scanned.dispatch(watchdog.events.FileModifiedEvent(str(objective)))
        assert not server._want_rebuild, "the scan's finding of the same change asked for a second build"
        objective.write_text("---\nobjective: Grow much faster\n---\n", encoding="utf-8")
        server._scanned.dispatch(watchdog.events.FileModifiedEvent(str(objective)))
        assert server._want_rebuild, "a change that only the scan saw"
        server._want_rebuild = False
        objective.unlink()
        server._scanned.dispatch(watchdog.events.FileDeletedEvent(str(objective)))
        assert server._want_rebuild, "a file removed"
    finally:
        server.server_close()


def test_where_the_system_reports_nothing_the_scan_finds_the_edit(tmp_path: Path, monkeypatch) -> None:
    class NoReports(watchdog.observers.polling.PollingObserver):
        def start(self) -> None:
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(reload_server.watchdog.observers, "Observer", NoReports)
    folder, site, objective = _okrs(tmp_path)
    builds: list[float] = []
    server = _serving(folder, site, builds, scan_every=0.1)
    try:
        assert server.reported is None
        objective.write_text("---\nobjective: Grow faster\n---\n", encoding="utf-8")
        assert _wait_for(lambda: builds, 5.0), "the scan did not find the edit"
    finally:
        server.shutdown(wait=True)
