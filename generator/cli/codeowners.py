"""`okrs codeowners [--check]`: write .github/CODEOWNERS, or fail when it is out of date."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.config import load_config
from generator.lifecycle.codeowners import codeowners_text, difference_summary
from generator.reading.loader import load_people
from generator.reading.pipeline import people_path

CODEOWNERS = Path(".github") / "CODEOWNERS"


def add_command(commands: argparse._SubParsersAction) -> None:
    text = "write .github/CODEOWNERS from people.yaml: each team owns its OKR folders"
    sub = commands.add_parser("codeowners", help=text, description=text)
    sub.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                     help="the repository (default: the current directory)")
    sub.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file is out of date")
    sub.set_defaults(run=run_codeowners)


def run_codeowners(args: argparse.Namespace) -> int:
    config = load_config(args.root.resolve())
    people, _ = load_people(config)
    if people is None:
        print(f"okrs: cannot read {people_path(config)}; run `okrs check` to see why", file=sys.stderr)
        return 2
    wanted = codeowners_text(people, source=config.source)
    path = config.root / CODEOWNERS
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if args.check:
        if current == wanted:
            return 0
        print(f"okrs: {CODEOWNERS.as_posix()} is out of date ({difference_summary(current, wanted)}); "
              "run `okrs codeowners`", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(wanted, encoding="utf-8", newline="\n")
    print(CODEOWNERS.as_posix())
    return 0
