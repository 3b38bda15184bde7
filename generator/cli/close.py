"""`okrs close PERIOD [--as-of DATE]`: score an ended period's objectives, add retrospectives."""

from __future__ import annotations

import argparse
import sys

from generator.cli.arguments import CommandError, add_root, day, period_named, repository_config
from generator.lifecycle.close import NotEnded, plan_closing, write_closing
from generator.model.grades import DELIVERED, MISSED, PROGRESS, score_text
from generator.reading.findings import has_errors
from generator.reading.loader import load_repository
from generator.reading.report import render_findings, summary_line, visible


def add_command(commands: argparse._SubParsersAction) -> None:
    text = ("close an ended period: write each objective's score: and append a ## Retrospective "
            "section to review in a pull request")
    sub = commands.add_parser("close", help=text, description=text)
    sub.add_argument("period", metavar="PERIOD", help="the period to close, e.g. 2026-Q3")
    sub.add_argument("--as-of", type=day, default=None, metavar="DATE",
                     help="today's date for the check that the period has ended (default: today in the "
                          "configured time zone)")
    add_root(sub)
    sub.set_defaults(run=run_close)


def run_close(args: argparse.Namespace) -> int:
    try:
        return _close(args)
    except CommandError as err:
        print(f"okrs: {visible(str(err))}", file=sys.stderr)
        return 2


def _close(args: argparse.Namespace) -> int:
    config = repository_config(args.root)
    period = period_named(args.period, config)
    as_of = args.as_of or config.today()
    if not period.is_closed(as_of):
        raise CommandError(f"not closing: {period.name} has not ended. It ends on {period.end.isoformat()}; "
                           f"close it from the day after (today is {as_of.isoformat()})")
    repository = load_repository(config)
    if has_errors(repository.findings):
        sys.stdout.write(render_findings(repository.errors, "text"))
        print(f"okrs: not closing {period.name}: {summary_line(repository.findings, repository.files_read)}; "
              "fix the errors first (scores are computed from the files)", file=sys.stderr)
        return 1
    mine = {ident: o for ident, o in repository.objectives.items() if o.period == period.name}
    if not mine:
        raise CommandError(f"no objective has period: {period.name}; nothing to close")
    files = {o.path: (config.root / o.path).read_bytes() for o in mine.values()}
    try:
        closing = plan_closing(period, mine, files, as_of=as_of)
    except NotEnded as err:  # checked above; kept for a caller of the library
        raise CommandError(str(err)) from None
    write_closing(config.root, closing)
    for closed in closing.objectives:
        if closed.score_line is not None:
            print(f"{closed.path}:{closed.score_line}: score: {score_text(closed.score)} ({closed.grade})")
        elif closed.note:
            print(f"{closed.path}: no new score: {closed.note}")
        if closed.retrospective_line is not None:
            print(f"{closed.path}:{closed.retrospective_line}: ## Retrospective added")
    print(f"okrs: {_summary(closing)}", file=sys.stderr)
    return 0


def _summary(closing) -> str:
    scores = closing.scores
    counts = closing.grade_counts()
    grades = ", ".join(f"{counts[g]} {g}" for g in (DELIVERED, PROGRESS, MISSED) if counts.get(g))
    scored = (f"{len(scores)} objective{'s' if len(scores) != 1 else ''} scored "
              f"(mean {score_text(sum(scores) / len(scores))}: {grades})") if scores else "no new score"
    changed = len(closing.changed)
    if not changed:
        return f"{closing.period} was already closed: no file changed"
    return (f"closed {closing.period}: {scored}; {changed} file{'s' if changed != 1 else ''} changed. "
            "Next: write the retrospectives, review them in a pull request, then "
            f"`okrs carry {closing.period} NEXT` for what goes on")
