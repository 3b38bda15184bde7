"""Run one function over many items on every core, for the large inputs that pay for it.

Forked worker processes inherit the caller's state (the compiled schema, the people
registry) instead of receiving it pickled, and send back only their compact results.
Below ``min_items`` (a pool costs tens of milliseconds to start), without ``fork``
(Windows, macOS' default) or with other threads running (forking them is unsafe), the
items are handled in this process: the results are the same, in the same order.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any, Callable, Generic, Sequence, TypeVar

if TYPE_CHECKING:  # imported when a pool is started: a small run does not pay for them
    from concurrent.futures import Future, ProcessPoolExecutor

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 2000  # below this many items one process is faster than starting a pool
_CHUNKS_PER_WORKER = 4  # small enough chunks to even out the workers, few enough to cost little

_job: tuple[Callable[[Any, Any], Any], Any] | None = None  # in a worker: what to run


def available_cores() -> int:
    """The cores this process may run on (not the machine's count, under a CPU limit)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Forking is available and safe: only the main thread runs."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class Pending(Generic[Result]):
    """Work started by ``start_map``; ``results()`` waits for it (the caller may work meanwhile)."""

    def __init__(self, function: Callable[[Any, Any], Result], items: Sequence[Any], shared: Any,
                 workers: int) -> None:
        self._function, self._items, self._shared = function, items, shared
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future] = []
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            from concurrent.futures.process import BrokenProcessPool

            size = -(-len(items) // (workers * _CHUNKS_PER_WORKER))
            # With fork, the workers inherit the function and the shared state: nothing is pickled.
            self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_set_job, initargs=(function, shared))
            try:
                self._futures = [self._pool.submit(_run_chunk, items[start:start + size])
                                 for start in range(0, len(items), size)]
            except BrokenProcessPool:
                self.close()

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def results(self) -> list[Result]:
        """The results in the order of the items."""
        if self._pool is not None:
            from concurrent.futures.process import BrokenProcessPool

            try:
                return [result for future in self._futures for result in future.result()]
            except BrokenProcessPool:  # a worker died (killed, out of memory): do it here instead
                pass
            finally:
                self.close()
        return [self._function(item, self._shared) for item in self._items]

    def close(self) -> None:
        """Stop the workers (results() does it; call it when giving up before that)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def start_map(function: Callable[[Item, Any], Result], items: Sequence[Item], shared: Any, *,
              min_items: int | None = None, workers: int | None = None) -> Pending[Result]:
    """Start ``[function(item, shared) for item in items]``, across cores when that pays.

    ``function`` must be a module-level function; ``shared`` is read-only state that the
    workers inherit; the results must be picklable. ``min_items`` defaults to MIN_ITEMS.
    """
    min_items = MIN_ITEMS if min_items is None else min_items
    workers = min(workers or available_cores(), max(1, len(items) // max(1, min_items // 2)))
    if len(items) < min_items or workers < 2 or not can_fork():
        workers = 1
    return Pending(function, items, shared, workers)


def map_items(function: Callable[[Item, Any], Result], items: Sequence[Item], shared: Any, *,
              min_items: int | None = None, workers: int | None = None) -> list[Result]:
    """``[function(item, shared) for item in items]``, across cores when that pays."""
    return start_map(function, items, shared, min_items=min_items, workers=workers).results()


def _set_job(function: Callable[[Any, Any], Any], shared: Any) -> None:
    global _job
    _job = (function, shared)


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _job is not None, "the pool's initializer sets the job"
    function, shared = _job
    return [function(item, shared) for item in chunk]
