"""Timing and memory of whole processes, for the benchmarks (run by hand, never by pytest).

Every measurement is a median of several runs, and the runs of the things compared are
interleaved (a, b, a, b, ...; the order flips each round), so that a noisy, shared
machine slows both alike. Peak memory is the largest resident set of the process and of
the worker processes it waited for (Linux ``wait4``), through a small launcher.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parents[2]  # the checkout: its mkdocs.yml, schema/ and theme make the demos
OKRS = [sys.executable, "-m", "generator.cli"]


@dataclass
class Sample:
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str
    returncode: int


# Linux counts a new program's peak memory from the process it was forked from: a child
# of this (large) runner would report the runner's size. A small launcher forks instead,
# times the program and reports its peak: what the program itself used, plus ~10 MB.
LAUNCHER = r"""
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": time.perf_counter() - started, "peak_kb": usage.ru_maxrss,
               "code": os.waitstatus_to_exitcode(status)}, out)
"""


def run(command: Sequence[str | os.PathLike], *, env: dict[str, str] | None = None,
        check_codes: tuple[int, ...] = (0,)) -> Sample:
    """Run a process to its end: wall time, peak memory (MB), output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run([sys.executable, "-c", LAUNCHER, report.name, *map(str, command)], stdout=out, stderr=err,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
        measured = json.loads(Path(report.name).read_text())
        out.seek(0)
        err.seek(0)
        sample = Sample(measured["seconds"], measured["peak_kb"] / 1024, out.read().decode(errors="replace"),
                        err.read().decode(errors="replace"), measured["code"])
    if sample.returncode not in check_codes:
        raise SystemExit(f"{' '.join(map(str, command))[:200]} failed ({sample.returncode}):\n"
                         f"{sample.stdout[-2000:]}\n{sample.stderr[-3000:]}")
    return sample


def interleaved(measurements: Sequence[Callable[[], Sample]], runs: int) -> list[list[Sample]]:
    """``runs`` samples of each measurement, interleaved; the order flips every round."""
    samples: list[list[Sample]] = [[] for _ in measurements]
    for round_ in range(runs):
        order = list(range(len(measurements)))
        for index in (order if round_ % 2 == 0 else order[::-1]):
            samples[index].append(measurements[index]())
    return samples


def median_seconds(samples: Sequence[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def peak_mb(samples: Sequence[Sample]) -> float:
    return max(s.peak_mb for s in samples)
