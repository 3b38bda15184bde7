"""Issue 14's goals at scale: our part linear from 1,000 to 10,000 objectives, the whole
`okrs build` at 10,000 near a plain MkDocs build of as many pages, in bounded memory.

    python tests/benchmarks/bench_scale.py [--sizes 1000,3000,10000] [--runs 2] [--keep DIR]

For each size: an `okrs demo` repository (6 weeks of check-ins, five commits per
objective), then cold `okrs build`s (no cache) interleaved with plain MkDocs builds of a
project of as many plain pages with the same theme and navigation shape (bench_site's
reference). Prints, per size: our seconds per objective and its ratio to the smallest
size's (goal at 10,000: at most 1.3x), the whole build against plain MkDocs (goal at
10,000: at most 1.5x), the peak memory of the build (goal at 10,000: at most 1.5 GB), and
a warm rebuild after one edited objective (the page cache and the history cache in use).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_site  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(root: Path, as_of: str, work: Path, runs: int) -> dict:
    cold, plain = [], []
    site = work / "site"
    for index in range(runs):
        if index == 0:
            cold.append(bench_site.probe_build(root, site, as_of, cache=False))
            megabytes, pages = bench_site.site_size(site)
            project = bench_site.plain_project(work / "plain", pages)
            plain.append(bench_site.plain_build(project, work / "plain-site"))
        elif index % 2:
            plain.append(bench_site.plain_build(project, work / "plain-site"))
            cold.append(bench_site.probe_build(root, site, as_of, cache=False))
        else:
            cold.append(bench_site.probe_build(root, site, as_of, cache=False))
            plain.append(bench_site.plain_build(project, work / "plain-site"))
    bench_site.probe_build(root, site, as_of, cache=True)  # the caches of this state, warm
    bench_site.retitle(bench_site.objective_to_edit(root), "for the warm rebuild")
    warm = bench_site.probe_build(root, work / "site-warm", as_of, cache=True)
    median = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    return {"pages": pages, "mb": megabytes, "ours": median(cold, "ours"), "total": median(cold, "total"),
            "mkdocs": median(cold, "mkdocs"), "peak_mb": max(r["peak_mb"] for r in cold),
            "plain": statistics.median(plain), "warm_total": warm["total"], "warm_ours": warm["ours"],
            "runs": len(cold)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,3000,10000")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None, help="make the repositories here and keep them")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    with tempfile.TemporaryDirectory(prefix="okrs-bench-scale-") as tmp:
        work = args.keep or Path(tmp)
        for objectives in sizes:
            log(f"{objectives:,} objectives: making the repository")
            root, as_of = bench_site.make_repository(work / f"repo-{objectives}", objectives=objectives,
                                                     commits=objectives * 5)
            log(f"{objectives:,} objectives: measuring")
            results[objectives] = measure(root, as_of, work / f"work-{objectives}", args.runs)
            log(json.dumps(results[objectives]))
    base = results[sizes[0]]
    print("| objectives | pages | ours | per objective | vs smallest | whole build | plain MkDocs | whole / plain "
          "| peak memory | warm rebuild (ours) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for objectives, r in results.items():
        per = r["ours"] / objectives
        print(f"| {objectives:,} | {r['pages']:,} | {r['ours']:.1f} s | {1000 * per:.2f} ms "
              f"| {per / (base['ours'] / sizes[0]):.2f}x | {r['total']:.1f} s | {r['plain']:.1f} s "
              f"| {r['total'] / r['plain']:.2f}x | {r['peak_mb']:.0f} MB | {r['warm_total']:.1f} s "
              f"({r['warm_ours']:.1f} s) |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
