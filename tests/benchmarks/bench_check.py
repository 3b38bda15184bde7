"""Benchmark: `okrs check` on an `okrs demo` repository against libyaml alone.

Run by hand (not collected by pytest); `run_all.py` runs it with the other stages:

    python tests/benchmarks/bench_check.py [--objectives 10000] [--runs 5]

Both sides are whole processes, so interpreter start-up counts on both. The floor is a
process that reads the same objective files, splits off their front matter and composes
it with PyYAML's C loader (``yaml.compose`` with ``CSafeLoader``: nodes with their
marks, which any checker that reports lines needs), doing nothing else. `okrs check`
also reads the people registry, validates every file against the schema and applies
every rule.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import OKRS, ROOT, Sample, interleaved, median_seconds, peak_mb, run  # noqa: E402

FLOOR = r"""
import os, sys, yaml
count = 0
for folder, folders, files in os.walk(sys.argv[1]):
    folders[:] = [f for f in folders if not f.startswith(".")]
    for name in files:
        if name.endswith(".md") and name != "README.md":
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                text = handle.read()
            yaml.compose(text.split("\n---\n", 1)[0][4:], Loader=yaml.CSafeLoader)
            count += 1
print(count)
"""


def make_repository(target: Path, objectives: int, *, seed: int = 1) -> Path:
    """An `okrs demo` repository of ``objectives`` objectives (few commits: check reads no history)."""
    from generator.demo.repository import create_demo

    create_demo(target, weeks=1, objectives=objectives, seed=seed, commits=0, template_root=ROOT)
    return target


def measure(root: Path, runs: int) -> dict:
    """Medians of `okrs check` and of the floor, interleaved; peak memory of each."""
    floor = lambda: run([sys.executable, "-c", FLOOR, root / "okrs"])  # noqa: E731
    check = lambda: run([*OKRS, "check", "--root", root], check_codes=(0,))  # noqa: E731
    floor(), check()  # warm the file cache for both alike
    floors, checks = interleaved([floor, check], runs)
    files = int(floors[0].stdout.strip())
    return {"files": files, "ours": median_seconds(checks), "floor": median_seconds(floors),
            "ours_mb": peak_mb(checks), "floor_mb": peak_mb(floors), "output": _summary(checks[0])}


def _summary(sample: Sample) -> str:
    return sample.stderr.strip().splitlines()[-1] if sample.stderr.strip() else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objectives", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okrs-bench-") as tmp:
        started = time.perf_counter()
        root = make_repository(Path(tmp) / "demo", args.objectives)
        print(f"okrs demo: {args.objectives} objectives in {time.perf_counter() - started:.1f} s")
        result = measure(root, args.runs)
    print(f"{result['files']} objective files, median of {args.runs} runs ({result['output']})")
    print(f"floor (read + libyaml compose, whole process): {result['floor']:.3f} s, {result['floor_mb']:.0f} MB")
    print(f"okrs check (whole process):                    {result['ours']:.3f} s, {result['ours_mb']:.0f} MB")
    print(f"ratio: {result['ours'] / result['floor']:.2f}x (goal at 10,000 objectives: <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
