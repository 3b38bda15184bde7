"""Benchmark: the history walk against the floor of what any walk must do.

Run by hand (pytest does not collect it):

    python tests/benchmarks/bench_history.py [--objectives 500] [--commits 3000] [--weeks 6] [--runs 5]

It makes two `okrs demo` repositories with the same objectives and weeks (so the same
number of weekly snapshots): one with --commits check-in commits, one with a third of
them. For the big one it times, median of --runs runs:

- the floor: `git log --raw` of the same range, `git cat-file --batch` of every changed
  objective blob, and libyaml (yaml.CSafeLoader) parsing the front matter of each;
- the walk: `generator.history.read_history` (log, blobs, validation, model, snapshots,
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
from pathlib import Path

import yaml

from generator.config import load_config
from generator.demo import create_demo
from generator.history import read_history

ROOT = Path(__file__).resolve().parents[2]
LOG = ["git", "-c", "log.showSignature=false", "log", "-z", "--first-parent", "--reverse", "--raw", "-M",
       "--no-abbrev", "--diff-merges=first-parent", "--format=%x01%H%x1f%an%x1f%ae%x1f%cI%x1f%s", "HEAD", "--",
       "okrs"]


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
        yaml.load(front_matter, Loader=yaml.CSafeLoader)
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
    history._snapshots.clear()  # what only the snapshots kept alive is freed now
    gc.collect()
    without_snapshots, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, held, held - without_snapshots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objectives", type=int, default=500)
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okrs-bench-") as tmp:
        repos = {}
        for commits in (args.commits // 3, args.commits):
            repo = Path(tmp) / f"demo-{commits}"
            start = time.perf_counter()
            create_demo(repo, weeks=args.weeks, objectives=args.objectives, seed=7, commits=commits,
                        template_root=ROOT)
            print(f"okrs demo: {args.objectives} objectives, {commits} check-in commits over {args.weeks} weeks "
                  f"in {time.perf_counter() - start:.2f} s")
            repos[commits] = repo
        big = repos[args.commits]
        blobs = floor(big)
        walk(big)  # warm the caches (schema, imports, git's own) for both sides alike
        floor_s, walk_s = median_seconds([floor, walk], big, args.runs)
        print(f"\n{walk(big)} commits, {blobs} distinct objective blobs, median of {args.runs} runs:")
        print(f"  floor (git log --raw + cat-file --batch + libyaml): {floor_s:.3f} s")
        print(f"  history walk (read_history):                      {walk_s:.3f} s")
        print(f"  ratio: {walk_s / floor_s:.2f}x (goal: <= 2x)")
        print("\nPython memory of the walk (tracemalloc, MiB), same objectives and weeks:")
        print("  commits    peak   kept  of which: snapshots  per-change records   transient (peak - kept)")
        for commits, repo in repos.items():
            peak, held, snapshots = (value / 2**20 for value in memory(repo))
            print(f"  {commits:>7} {peak:7.1f} {held:6.1f} {snapshots:20.1f} {held - snapshots:20.1f} "
                  f"{peak - held:25.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
