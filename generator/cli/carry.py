"""`okrs carry PERIOD NEXT [--team TEAM]`: new objective files in NEXT for what goes on."""

from __future__ import annotations

import argparse
import sys

from generator.cli.arguments import CommandError, add_root, period_named, repository_config
from generator.lifecycle.carry import plan_carry
from generator.model.core import parse_period
from generator.reading.findings import has_errors
from generator.reading.loader import load_repository
from generator.reading.pipeline import check_bytes, file_check, read_objective
from generator.reading.report import render_findings, summary_line, visible
from generator.reading.rules import SEGMENT
from generator.reading.suggestions import did_you_mean


def add_command(commands: argparse._SubParsersAction) -> None:
    text = ("carry the objectives of PERIOD that are neither done nor dropped into NEXT: new files with "
            "carried_from:, the same owners, and the key results not yet met (a metric starts at its last value)")
    sub = commands.add_parser("carry", help=text, description=text)
    sub.add_argument("period", metavar="PERIOD", help="the period to carry from, e.g. 2026-Q3")
    sub.add_argument("next", metavar="NEXT", help="the period to carry into, e.g. 2026-Q4")
    sub.add_argument("--team", default=None, help="only this team's objectives (a team id from people.yaml)")
    add_root(sub)
    sub.set_defaults(run=run_carry)


def run_carry(args: argparse.Namespace) -> int:
    try:
        return _carry(args)
    except CommandError as err:
        print(f"okrs: {visible(str(err), keep=chr(10))}", file=sys.stderr)
        return 2


def _carry(args: argparse.Namespace) -> int:
    config = repository_config(args.root)
    period = period_named(args.period, config)
    following = parse_period(args.next, config.periods)
    if following is None or not SEGMENT.fullmatch(args.next):  # it becomes a folder name
        raise CommandError(f"NEXT {args.next!r} is not a period: use a quarter like 2026-Q4, a half like 2026-H2, "
                           "a year like 2026, or a period configured in mkdocs.yml")
    if following.start <= period.start:
        raise CommandError(f"{following.name} does not come after {period.name}: carry into a later period")
    repository = load_repository(config)
    if has_errors(repository.findings):
        sys.stdout.write(render_findings(repository.errors, "text"))
        print(f"okrs: not carrying: {summary_line(repository.findings, repository.files_read)}; fix the errors first",
              file=sys.stderr)
        return 1
    if args.team is not None and args.team not in repository.people.teams:
        raise CommandError(f"unknown team '{args.team}'{did_you_mean(args.team, repository.people.teams)}")
    mine = {i: o for i, o in repository.objectives.items() if o.period == period.name}
    data = {i: read_objective((config.root / o.path).read_bytes()).data for i, o in mine.items()}
    carried = plan_carry(mine, data, period=period, next_period=following.name, team=args.team)
    if not carried:
        whose = f" of team {args.team}" if args.team else ""
        print(f"okrs: nothing to carry: every objective{whose} of {period.name} is done, dropped or fully met",
              file=sys.stderr)
        return 0
    targets = {c.id: config.source_dir / f"{c.id}.md" for c in carried}
    rel = {ident: path.relative_to(config.root).as_posix() for ident, path in targets.items()}
    existing = sorted(rel[i] for i, path in targets.items() if path.exists() or path.is_symlink())
    if existing:
        raise CommandError("not carrying: these files exist already, and carry never overwrites "
                           "(nothing was written):\n" + "\n".join(f"  {path}" for path in existing))
    shared = file_check(config, people=repository.people, today=True)  # the check okrs check makes
    findings = []
    for c in carried:
        findings += check_bytes(c.text.encode("utf-8"), ident=c.id, path=rel[c.id], shared=shared).findings
    if has_errors(findings):  # e.g. an owner who has left: nothing is written
        raise CommandError("not carrying: the new files would not check clean (nothing was written):\n"
                           + render_findings(findings, "text").rstrip())
    for c in carried:
        targets[c.id].parent.mkdir(parents=True, exist_ok=True)
        with targets[c.id].open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(c.text)
        print(rel[c.id])
    for c in carried:
        notes = []
        if c.met:
            notes.append(f"left out, met already: {', '.join(c.met)}")
        if c.parent_left:
            notes.append(f"its parent {c.parent_left} was not carried: set parent: to an objective of {following.name}")
        if notes:
            print(f"okrs: {rel[c.id]}: {'; '.join(notes)}", file=sys.stderr)
    print(f"okrs: carried {len(carried)} objective{'s' if len(carried) != 1 else ''} from {period.name} into "
          f"{following.name}; review the new files (targets, confidence) and commit them", file=sys.stderr)
    return 0
