"""`okrs serve` at 1,000 objectives: seconds from saving an edit to the served page showing it.

    python tests/benchmarks/bench_serve.py [--objectives 1000] [--edits 5] [--root DIR]

Makes an `okrs demo` repository (or uses --root, which it edits), starts `okrs serve`
through build_probe.py, and edits one objective's title --edits times, waiting each time
until the objective's page as served shows the new title. Prints the first build, every
reload and their median (the goal: at most 2 s at 1,000 objectives), and our own part of
each rebuild.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_site  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objectives", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--root", type=Path, default=None, help="an existing repository to serve (it is edited)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okrs-bench-serve-") as tmp:
        work = Path(tmp)
        root = args.root
        if root is None:
            root, _ = bench_site.make_repository(work / "repo", objectives=args.objectives,
                                                 commits=args.objectives * 3)
        result = bench_site.measure_serve(root, work, args.edits)
    print(json.dumps(result))
    print(f"first build {result['first_build']:.1f} s; reloads "
          + ", ".join(f"{r:.2f}" for r in result["reloads"])
          + f" s; median {statistics.median(result['reloads']):.2f} s (goal <= 2 s); "
          f"ours {result['ours']:.2f} s of a rebuild")
    return 0


if __name__ == "__main__":
    sys.exit(main())
