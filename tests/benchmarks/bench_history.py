"""Benchmark: the history walk against the floor of what any walk must do.

Run by hand (pytest does not collect it):

    python tests/benchmarks/bench_history.py [--objectives 500] [--commits 3000] [--weeks 6] [--runs 5]

It makes two `okrs demo` repositories with the same objectives and weeks (so the same
number of weekly snapshots): one with --commits check-in commits, one with a third of
them. For the big one it times, median of --runs runs:

- the floor: `git log --raw` of the same range, `git cat-file --batch` of every changed
  objective blob, and libyaml composing the front matter of each (``yaml.compose`` with
  ``CSafeLoader``, as the check's floor);
- the walk: `generator.history.walk.read_history` (log, blobs, validation, model, snapshots,
  changes, series, check-ins).

Then it measures the walk's peak Python memory (tracemalloc) on both repositories, to
show that it does not grow with the number of commits beyond the snapshots kept.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import yaml

from generator.config import load_config
from generator.demo.repository import create_demo
from generator.history.walk import read_history

ROOT = Path(__file__).resolve().parents[2]
LOG = ["git", "-c", "log.showSignature=false", "log", "-z", "--first-parent", "--reverse", "--raw", "-M",
       "--no-abbrev", "--diff-merges=first-parent", "--format=%x01%H%x1f%an%x1f%ae%x1f%cI%x1f%s", "--relative=okrs/",
       "HEAD", "--"]


def floor(repo: Path) -> int:
    """git log --raw + cat-file --batch of the changed objective blobs + libyaml; the blob count."""
    log = subprocess.run(LOG, cwd=repo, capture_output=True, check=True).stdout.decode()
    tokens = log.split("\0")
    shas, seen = [], set()
    for index, token in enumerate(tokens):
        token = token.lstrip("\n")
        if token.startswith(":"):
            meta = token.split(" ")
            path = tokens[index + (2 if meta[4][0] in "RC" else 1)]
            sha = meta[3]
            if path.endswith(".md") and not path.endswith("README.md") and meta[4] != "D" and sha not in seen:
                seen.add(sha)
                shas.append(sha)
    blobs = subprocess.run(["git", "cat-file", "--batch"], cwd=repo, input="".join(s + "\n" for s in shas).encode(),
                           capture_output=True, check=True).stdout
    position = 0
    for _ in shas:
        newline = blobs.index(b"\n", position)
        size = int(blobs[position:newline].split()[2])
        text = blobs[newline + 1:newline + 1 + size].decode("utf-8")
        position = newline + 1 + size + 1
        front_matter = text.split("\n---", 1)[0][4:]
        yaml.compose(front_matter, Loader=yaml.CSafeLoader)
    return len(shas)


def walk(repo: Path) -> int:
    history = read_history(load_config(repo))
    assert history.available, history.reason
    return history.commits


def median_seconds(functions: list, repo: Path, runs: int) -> list[float]:
    """Median time of each function; the runs alternate, so drift in the machine's load hits all alike."""
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(runs):
        for index, function in enumerate(functions):
            gc.collect()
            start = time.perf_counter()
            function(repo)
            times[index].append(time.perf_counter() - start)
    return [statistics.median(each) for each in times]


def memory(repo: Path) -> tuple[int, int, int]:
    """(peak bytes during the walk, bytes the History keeps, of which its weekly snapshots)."""
    gc.collect()
    tracemalloc.start()
    history = read_history(load_config(repo))
    held, peak = tracemalloc.get_traced_memory()
    state = replace(history.state, snapshots=())  # what only the snapshots kept alive is freed now
    del history
    gc.collect()
    without_snapshots, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del state
    return peak, held, held - without_snapshots


def make_repositories(target: Path, *, objectives: int, commits: list[int], weeks: int) -> dict[int, Path]:
    """One `okrs demo` repository per number of check-in commits, same objectives and weeks."""
    repos = {}
    for count in commits:
        repo = target / f"demo-{count}"
        create_demo(repo, weeks=weeks, objectives=objectives, seed=7, commits=count, template_root=ROOT)
        repos[count] = repo
    return repos


def measure(repos: dict[int, Path], runs: int) -> dict:
    """The walk of the largest repository against its floor; the memory of every walk."""
    big = repos[max(repos)]
    blobs = floor(big)
    walk(big)  # warm the caches (schema, imports, git's own) for both sides alike
    floor_s, walk_s = median_seconds([floor, walk], big, runs)
    memory_by_commits = {}
    for count, repo in repos.items():
        peak, held, snapshots = (value / 2**20 for value in memory(repo))
        memory_by_commits[count] = {"peak": peak, "kept": held, "snapshots": snapshots}
    return {"commits": walk(big), "blobs": blobs, "floor": floor_s, "ours": walk_s, "memory": memory_by_commits}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objectives", type=int, default=500)
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okrs-bench-") as tmp:
        repos = make_repositories(Path(tmp), objectives=args.objectives, commits=[args.commits // 3, args.commits],
                                  weeks=args.weeks)
        result = measure(repos, args.runs)
    print(f"{result['commits']} commits, {result['blobs']} distinct objective blobs, median of {args.runs} runs:")
    print(f"  floor (git log --raw + cat-file --batch + libyaml compose): {result['floor']:.3f} s")
    print(f"  history walk (read_history):                               {result['ours']:.3f} s")
    print(f"  ratio: {result['ours'] / result['floor']:.2f}x (goal: <= 2x)")
    print("\nPython memory of the walk (tracemalloc, MiB), same objectives and weeks:")
    print("  commits    peak   kept  of which: snapshots  per-change records   transient (peak - kept)")
    for commits, m in result["memory"].items():
        print(f"  {commits:>7} {m['peak']:7.1f} {m['kept']:6.1f} {m['snapshots']:20.1f} "
              f"{m['kept'] - m['snapshots']:20.1f} {m['peak'] - m['kept']:25.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
