"""Every benchmark of issue 6, one command, one table of ratios.

    python tests/benchmarks/run_all.py [--quick] [--runs N] [--json FILE]

On a fresh clone (with the package installed), it makes `okrs demo` repositories in a
temporary folder and measures, each against a floor or reference measured in the same
run (these machines are shared and noisy: ratios, never absolute goals):

- `okrs check` at 1,000 / 10,000 / 100,000 objectives vs reading + libyaml-composing
  the same front matter (whole processes);
- the history walk of 3,000 commits vs git log + cat-file --batch + libyaml; Python
  memory at 1,000 and 3,000 commits;
- a cold site build of 1,000 objectives: our own work (load + history + pages) vs
  MkDocs' own time, a plain MkDocs build of as many plain pages with the same theme,
  and the output per page at two sizes;
- an incremental build (one objective edited and committed) vs the cold build, checked
  byte for byte against a cold build of the same state;
- `okrs serve`: seconds from saving one edited objective to the served page showing it.

--quick uses smaller sizes (a few minutes instead of about fifteen). Medians of --runs
runs, interleaved with their floor.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_check  # noqa: E402
import bench_history  # noqa: E402
import bench_site  # noqa: E402

FULL = {"check": [1000, 10000, 100000], "history": (500, [1000, 3000]), "site": (1000, 3000), "small_site": 500,
        "serve_edits": 3}
QUICK = {"check": [300, 1000, 3000], "history": (200, [300, 1000]), "site": (200, 600), "small_site": 100,
         "serve_edits": 2}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs")
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (default 5, quick 3)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON")
    parser.add_argument("--keep", type=Path, default=None, help="make the repositories here and keep them")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    runs = args.runs or (3 if args.quick else 5)
    site_runs = max(2, runs - 2)
    results: dict = {"quick": args.quick, "runs": runs}
    with tempfile.TemporaryDirectory(prefix="okrs-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results["check"] = {}
        for objectives in sizes["check"]:
            log(f"check: making {objectives:,} objectives")
            root = bench_check.make_repository(work / f"check-{objectives}", objectives)
            log(f"check: measuring {objectives:,} objectives")
            results["check"][objectives] = bench_check.measure(root, runs if objectives < 50000 else max(2, runs - 2))
        count, commits = sizes["history"]
        log(f"history: {count} objectives, {commits} commits")
        repos = bench_history.make_repositories(work / "history", objectives=count, commits=commits, weeks=6)
        results["history"] = bench_history.measure(repos, runs)
        count, commits = sizes["site"]
        log(f"site: {count} objectives, {commits} commits")
        root, as_of = bench_site.make_repository(work / "site", objectives=count, commits=commits)
        results["site"] = bench_site.measure_site(root, as_of, work, site_runs)
        small, small_as_of = bench_site.make_repository(work / "small-site", objectives=sizes["small_site"],
                                                        commits=commits * sizes["small_site"] // count)
        results["small_site"] = dict(zip(("mb", "pages"), bench_site.measure_size(small, small_as_of,
                                                                                  work / "site-small")))
        log("incremental builds")
        results["incremental"] = bench_site.measure_incremental(root, as_of, work, site_runs)
        log("okrs serve")
        results["serve"] = bench_site.measure_serve(root, work, sizes["serve_edits"])
    print(table(results, sizes))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


def table(r: dict, sizes: dict) -> str:
    rows = [("stage", "size", "ours", "floor / reference", "ratio", "goal", "peak memory")]
    for objectives, c in r["check"].items():
        rows.append(("okrs check (process)", f"{objectives:,} objectives", f"{c['ours']:.2f} s", f"{c['floor']:.2f} s",
                     f"{c['ours'] / c['floor']:.2f}x", "<= 1.5x at 10,000" if objectives == sizes["check"][1] else "",
                     f"{c['ours_mb']:.0f} MB (floor {c['floor_mb']:.0f} MB)"))
    h = r["history"]
    memory = ", ".join(f"{commits:,} commits: {m['peak']:.1f} MiB" for commits, m in h["memory"].items())
    rows.append(("history walk", f"{h['commits']:,} commits", f"{h['ours']:.2f} s", f"{h['floor']:.2f} s",
                 f"{h['ours'] / h['floor']:.2f}x", "<= 2x", f"peak (Python) {memory}"))
    s, count = r["site"], sizes["site"][0]
    rows.append(("site build: ours", f"{count:,} objectives", f"{s['ours']:.2f} s", f"MkDocs {s['mkdocs']:.2f} s",
                 f"{100 * s['ours'] / s['mkdocs']:.0f}%", "<= 25%", f"{s['peak_mb']:.0f} MB"))
    rows.append(("  of which load/on_config", "", f"{s['load']:.2f} / {s['on_config']:.2f} s", "", "", "", ""))
    rows.append(("site build: whole", f"{s['pages']:,} pages", f"{s['total']:.2f} s",
                 f"plain MkDocs {s['plain']:.2f} s", f"{s['total'] / s['plain']:.2f}x", "reference",
                 f"{s['plain_pages']:,} plain pages"))
    small = r["small_site"]
    rows.append(("output per page", f"{small['pages']:,} / {s['pages']:,} pages",
                 f"{1000 * small['mb'] / small['pages']:.1f} / {1000 * s['mb'] / s['pages']:.1f} kB",
                 f"plain {1000 * s['plain_mb'] / s['plain_pages']:.1f} kB", "", "linear",
                 f"{small['mb']:.0f} / {s['mb']:.0f} MB"))
    i = r["incremental"]
    rows.append(("incremental build: ours", "1 objective edited", f"{i['ours']:.2f} s", f"cold {i['cold_ours']:.2f} s",
                 f"{100 * i['ours'] / i['cold_ours']:.0f}%", "<= 10%",
                 "identical to cold: " + ("yes" if i["identical"] else "NO")))
    rows.append(("incremental build: whole", "", f"{i['total']:.2f} s", f"cold {i['cold_total']:.2f} s",
                 f"{100 * i['total'] / i['cold_total']:.0f}%", "", f"ours = {100 * i['ours'] / i['cold_total']:.1f}% of cold whole"))
    v = r["serve"]
    rows.append(("okrs serve reload", f"{count:,} objectives", f"{v['reload']:.2f} s", f"first build {v['first_build']:.1f} s",
                 "", "feels live?", f"ours {v['ours']:.2f} s of it"))
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
