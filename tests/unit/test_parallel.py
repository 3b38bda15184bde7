"""Work across cores gives what one process gives: same results, same order, same findings."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from pathlib import Path

import pytest

from required import required_in_ci

from generator.runtime import parallel
from generator.config import load_config
from generator.reading.loader import load_repository

DATA = Path(__file__).resolve().parents[1] / "data" / "invalid"
PARENT = os.getpid()


def square(item: int, shared: int) -> tuple[int, int]:
    return item * item + shared, os.getpid()


def die_in_a_worker(item: int, shared: None) -> int:
    if os.getpid() != PARENT:
        os._exit(3)  # a worker killed (out of memory, say) mid-run
    return item


def needs_fork(test):
    """Without fork (or with other threads running) skip locally; with CI set fail instead,
    as the browser tests do: CI must run the parallel paths, not skip them unnoticed."""
    @functools.wraps(test)
    def run_with_fork(*args, **kwargs):
        if not parallel.can_fork():
            required_in_ci("needs fork and a single thread", what="the parallel tests")
        return test(*args, **kwargs)

    return run_with_fork


@needs_fork
def test_results_come_back_in_order_from_several_processes():
    results = parallel.map_items(square, list(range(500)), 7, min_items=10, workers=2)
    assert [value for value, _ in results] == [i * i + 7 for i in range(500)]
    assert {pid for _, pid in results} - {PARENT}, "the work ran in worker processes"


def test_small_inputs_stay_in_this_process():
    results = parallel.map_items(square, list(range(50)), 0, min_items=100, workers=2)
    assert {pid for _, pid in results} == {PARENT}


def test_no_fork_while_other_threads_run():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
        results = parallel.map_items(square, list(range(100)), 0, min_items=10, workers=2)
    finally:
        stop.set()
        thread.join()
    assert {pid for _, pid in results} == {PARENT}


@needs_fork
def test_a_dead_worker_means_the_work_is_done_here():
    assert parallel.map_items(die_in_a_worker, list(range(40)), None, min_items=10, workers=2) == list(range(40))


@needs_fork
def test_an_error_in_a_worker_reaches_the_caller():
    with pytest.raises(ZeroDivisionError):
        parallel.map_items(divide, [1, 2, 0, 3], None, min_items=2, workers=2)


def divide(item: int, shared: None) -> float:
    return 1 / item


# --- the loader: parallel and serial give the same findings and model -------------------


def broken_repository(repo, valid_objective: str) -> None:
    """Many files, many of them broken in every way the data cases know, plus references
    the registry lacks (checked again with it) and rules across files (parents)."""
    for case in sorted(DATA.iterdir()):
        for copy in range(3):
            shutil.copy(case, repo.write(f"2026-Q4/cases-{copy}/{case.name}", ""))
    for index in range(60):
        text = valid_objective
        if index % 5 == 1:
            text = text.replace("owner: bob", f"owner: nobody{index}")
        if index % 5 == 2:
            text = text.replace("period: 2026-Q4", f"period: 2026-Q4\nparent: 2026-Q4/payments/o{index + 1}")
        if index % 5 == 3:
            text = text.replace("team: payments", "team: nowhere")
        if index % 7 == 0:
            text = text.replace("current: 540", "current: 540\n    current: 541")
        repo.objective(f"2026-Q4/payments/o{index}.md", text)
    for name, parent in (("a", "b"), ("b", "a")):
        repo.objective(f"2026-Q4/payments/loop/{name}.md",
                       valid_objective.replace("period: 2026-Q4", f"period: 2026-Q4\nparent: 2026-Q4/payments/loop/{parent}"))
    repo.write("2026-Q4/big.md", valid_objective + "x" * (1024 * 1024))


@needs_fork
def test_parallel_and_serial_loads_are_identical(repo, valid_objective, monkeypatch):
    broken_repository(repo, valid_objective)
    config = load_config(repo.root)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    serial = load_repository(config)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 4)
    started = []
    original = parallel.Pending.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        started.append(self.parallel)

    monkeypatch.setattr(parallel.Pending, "__init__", spy)
    both = load_repository(config)
    assert started[0], "the second load ran across processes"
    assert len(serial.findings) > 120
    assert {f.code for f in serial.findings} >= {"parent-unknown", "parent-cycle", "owner-unknown", "team-unknown",
                                                 "duplicate-key", "schema", "file-too-large", "front-matter"}
    assert both.findings == serial.findings == sorted(serial.findings)
    assert both.objectives == serial.objectives and len(serial.objectives) > 10
    assert both.files_read == serial.files_read
    check_only = load_repository(config, with_model=False)
    assert check_only.findings == serial.findings and check_only.objectives == {}


# --- the history walk: blobs parsed ahead on every core give the same history --------------


@needs_fork
def test_a_walk_that_parses_ahead_across_processes_equals_one_that_does_not(tmp_path, monkeypatch):
    from gitrepo import okr_history

    from generator.history import walk as history
    from generator.history.changelog import render_json
    from generator.config import Config

    def comparable(walked):
        state = {k: v for k, v in vars(walked).items() if k != "config" and not k.startswith("_")}  # not its caches
        return {**state, "digests": [render_json(walked.digest(week)) for week in walked.weeks]}

    root = tmp_path / "repo"
    okr_history(root)
    monkeypatch.setattr(history, "PARSE_AHEAD_BLOBS", 10**9)
    one = history.read_history(Config(root=root))
    monkeypatch.setattr(history, "PARSE_AHEAD_BLOBS", 1)
    monkeypatch.setattr(history.ParsedAhead, "WINDOW", 3)  # several windows, several pools
    forked = []
    original = parallel.Pending.__init__
    monkeypatch.setattr(parallel.Pending, "__init__",
                        lambda self, *a, **k: original(self, *a, **k) or forked.append(self.parallel))
    ahead = history.read_history(Config(root=root))
    assert any(forked) and len(forked) > 1
    assert comparable(ahead) == comparable(one) and one.warnings
