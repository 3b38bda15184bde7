"""Benchmark: `okrs check` on N generated objective files against libyaml alone.

Run by hand (not collected by pytest):

    python tests/benchmarks/bench_check.py [--objectives 1000] [--runs 5]

Both sides are whole processes, so interpreter start-up counts on both. The floor is a
process that reads the same files and parses their front matter with PyYAML's C loader
(yaml.CSafeLoader), doing nothing else.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FLOOR = r"""
import sys, yaml
from pathlib import Path
n = 0
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    text = path.read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0][4:]
    yaml.load(front, Loader=yaml.CSafeLoader)
    n += 1
print(n)
"""


def generate(root: Path, objectives: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    source = root / "okrs"
    people = [f"person{i}" for i in range(60)]
    teams = [f"team{i}" for i in range(12)]
    lines = ["people:"] + [f"  {p}: {{name: Person {p[6:]}, email: {p}@example.com}}" for p in people]
    lines += ["teams:"] + [f"  {t}: {{name: Team {t[4:]}, lead: {people[i]}, members: [{people[i]}]}}"
                           for i, t in enumerate(teams)]
    source.mkdir(parents=True)
    (source / "people.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in range(objectives):
        team = teams[i % len(teams)]
        folder = source / "2026-Q4" / team
        folder.mkdir(parents=True, exist_ok=True)
        krs = []
        for k in range(rng.randint(2, 5)):
            start = rng.randint(0, 500)
            target = start + rng.choice([-1, 1]) * rng.randint(10, 400)
            krs.append(
                f"  - id: kr-{k}\n    title: Key result {k} of objective {i}\n"
                f"    owner: {rng.choice(people)}\n    start: {start}\n    target: {target}\n"
                f"    current: {start + (target - start) * rng.random():.1f}\n    unit: ms\n"
                f"    confidence: {rng.random():.2f}\n    note: Check-in note number {k}\n"
            )
        (folder / f"objective-{i}.md").write_text(
            f"---\nobjective: Objective number {i}\nowner: {rng.choice(people)}\nteam: {team}\n"
            f"period: 2026-Q4\ntags: [bench]\nkey_results:\n{''.join(krs)}---\nWhy objective {i} matters.\n",
            encoding="utf-8",
        )


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0,):
        raise SystemExit(f"{cmd[:3]} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--objectives", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.objectives)
        okrs = [sys.executable, "-m", "generator.cli", "check", "--root", str(root)]
        floor = [sys.executable, "-c", FLOOR, str(root / "okrs")]
        ours, base = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine state
            base.append(timed(floor))
            ours.append(timed(okrs))
        o, b = statistics.median(ours), statistics.median(base)
        print(f"objectives: {args.objectives}, runs: {args.runs} (medians)")
        print(f"floor (read + libyaml parse, whole process): {b:.3f} s")
        print(f"okrs check (whole process):                  {o:.3f} s")
        print(f"ratio: {o / b:.2f}x")


if __name__ == "__main__":
    main()
