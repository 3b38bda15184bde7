"""Issue 14's archive: ten closed years plus a current quarter build cold, and a rebuild
after one check-in of the current quarter costs at most 1.5x a build of that quarter alone.

    python tests/benchmarks/bench_archive.py [--objectives 2440] [--closed-years 10] [--runs 1]
                                             [--keep DIR] [--json FILE]

Makes two `okrs demo` repositories of the same seed and size (6 weeks of check-ins, five
commits per objective of the current quarter): one with ``--closed-years`` of closed
quarters before the current one (``--objectives`` in each: 2,440 and 10 years are about
100,000 objectives), one without (the current quarter alone). Measures, per run:

a. a cold `okrs build` (no cache) of the archive: whole seconds, our part, peak memory, pages;
b. a rebuild of the archive after one check-in (a key result's `current` of a current
   objective changed and committed), with the caches that (a) left, into the site folder of
   (a) as a user's next build is (after one more build, untimed, which leaves the spare
   site folder that the builds after it build into);
c. a cold `okrs build` of the current quarter alone: the baseline.

Prints the figures of each and the ratio b / c (goal: at most 1.5). Medians over --runs.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_site  # noqa: E402
from bench_scale import log  # noqa: E402

GOAL = 1.5


def make(target: Path, *, objectives: int, closed_years: int) -> tuple[Path, str, float]:
    """A demo repository, its as-of date and the seconds it took to make."""
    started = time.perf_counter()
    root, as_of = bench_site.make_repository(target, objectives=objectives, commits=objectives * 5,
                                             closed_years=closed_years)
    return root, as_of, time.perf_counter() - started


def current_period(root: Path) -> str:
    subjects = subprocess.run(["git", "log", "--format=%s"], cwd=root, capture_output=True, text=True,
                              check=True).stdout
    return re.search(r"^Set up the (\S+) OKRs$", subjects, re.MULTILINE)[1]


def objective_to_check_in(root: Path) -> Path:
    """An objective of the current period whose first key result has a `current` value."""
    files = sorted((root / "okrs" / current_period(root)).rglob("*.md"))
    for path in files[len(files) // 2:] + files[:len(files) // 2]:
        values = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                  if line.strip().startswith(("current:", "done:"))]
        if values and values[0].startswith("current:"):
            return path
    raise SystemExit(f"no objective of the current period of {root} has a metric to check in")


def measure(archive: Path, alone: Path, as_of: str, work: Path, runs: int) -> dict:
    cold, warm, base = [], [], []
    edited = objective_to_check_in(archive)
    log(f"the check-in edits {edited.relative_to(archive).as_posix()}")
    for index in range(runs):
        log(f"run {index + 1}: (a) cold build of the archive")
        cold.append(bench_site.probe_build(archive, work / "site-archive", as_of, cache=False))
        megabytes, pages = bench_site.site_size(work / "site-archive")
        cold[-1].update(pages=pages, mb=megabytes)
        log(json.dumps(cold[-1]))
        # The same site folder again, as a user builds it day after day: the build after the
        # cold one leaves the site it replaced beside it (the spare the next build builds into).
        bench_site.probe_build(archive, work / "site-archive", as_of, cache=True, keep_site=True)
        bench_site.check_in(edited, 900_001 + index)
        bench_site.commit_on(archive, as_of, f"Check in for run {index + 1}", minute=index)
        log(f"run {index + 1}: (b) rebuild after one check-in")
        warm.append(bench_site.probe_build(archive, work / "site-archive", as_of, cache=True, keep_site=True))
        log(json.dumps(warm[-1]))
        log(f"run {index + 1}: (c) cold build of the current period alone")
        base.append(bench_site.probe_build(alone, work / "site-alone", as_of, cache=False))
        megabytes, pages = bench_site.site_size(work / "site-alone")
        base[-1].update(pages=pages, mb=megabytes)
        log(json.dumps(base[-1]))

    def summary(rows: list[dict]) -> dict:
        keys = ("total", "ours", "mkdocs", "process", "pages", "mb")
        return {**{k: statistics.median(r[k] for r in rows) for k in keys if k in rows[0]},
                "peak_mb": max(r["peak_mb"] for r in rows)}

    result = {"cold": summary(cold), "rebuild": summary(warm), "alone": summary(base), "runs": runs}
    result["ratio"] = result["rebuild"]["total"] / result["alone"]["total"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objectives", type=int, default=2440, help="objectives of each period (default 2440)")
    parser.add_argument("--closed-years", type=int, default=10, help="years of closed quarters (default 10)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="make the repositories here and keep them")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okrs-bench-archive-") as tmp:
        work = args.keep or Path(tmp)
        size = f"{args.objectives:,} objectives a period, {args.closed_years} closed years"
        log(f"{size}: making the archive demo")
        archive, as_of, made = make(work / "repo-archive", objectives=args.objectives, closed_years=args.closed_years)
        objectives = sum(1 for p in (archive / "okrs").rglob("*.md") if p.name != "README.md")
        log(f"made in {made:.1f} s: {objectives:,} objectives")
        log(f"{size}: making the current period alone")
        alone, _, made_alone = make(work / "repo-alone", objectives=args.objectives, closed_years=0)
        log(f"made in {made_alone:.1f} s")
        result = measure(archive, alone, as_of, work / "work", args.runs)
    result.update(objectives=objectives, per_period=args.objectives, closed_years=args.closed_years,
                  generation=made, generation_alone=made_alone)
    log(json.dumps(result))
    print(f"{objectives:,} objectives ({args.objectives:,} a period, {args.closed_years} closed years), "
          f"made in {made:.1f} s; median of {args.runs} run(s)")
    print("| build | pages | whole | ours | MkDocs | peak memory |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, key in (("(a) cold, with the archive", "cold"), ("(b) after one check-in, with the archive", "rebuild"),
                       ("(c) cold, the current period alone", "alone")):
        r = result[key]
        pages = f"{r['pages']:,}" if "pages" in r else ""
        print(f"| {label} | {pages} | {r['total']:.1f} s | {r['ours']:.1f} s | {r['mkdocs']:.1f} s "
              f"| {r['peak_mb']:.0f} MB |")
    verdict = "met" if result["ratio"] <= GOAL else "not met"
    print(f"rebuild / current period alone: {result['ratio']:.2f}x (goal <= {GOAL}x: {verdict})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
