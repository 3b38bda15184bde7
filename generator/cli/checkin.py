"""`okrs checkin`: record a key result's progress in its file (and commit it), or be asked
about each of yours on a terminal. The edit itself is generator/lifecycle/checkin.py.

Exit status: 0 written (or nothing to change), 1 the result would not check clean (the
findings are printed, nothing is written), 2 usage: an unknown REF, a bad value.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli.checkin_session import (EXAMPLE_REF, CheckinUsage, Session, commit, ensure_committable,
                                           parse_number)
from generator.cli.checkin_terminal import ask_and_check_in
from generator.config import Config, ConfigError, load_config
from generator.lifecycle.checkin import (CheckinRefused, CheckinValues, UnknownKeyResult, UnreadableFile,
                                         commit_message, describe, errors_in)
from generator.reading.loader import objective_files, objective_id
from generator.reading.report import one_line, render_findings
from generator.reading.rules import SEGMENT
from generator.reading.suggestions import did_you_mean


def add_command(commands: argparse._SubParsersAction) -> None:
    text = ("record a check-in: set a key result's current value (or done), confidence and note in its file, "
            "changing nothing else; without REF, on a terminal, asks about each of your active key results")
    sub = commands.add_parser("checkin", help=text, description=text)
    sub.add_argument("ref", nargs="?", default=None, metavar="REF",
                     help=f"OBJECTIVE_ID#KR_ID, e.g. {EXAMPLE_REF}")
    sub.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                     help="the repository (default: the current directory)")
    value = sub.add_mutually_exclusive_group()
    value.add_argument("--current", default=None, metavar="V", help="the latest measured value (metric key results)")
    value.add_argument("--done", choices=("true", "false"), default=None, help="milestone key results")
    sub.add_argument("--confidence", default=None, metavar="C",
                     help="your belief, 0 to 1, that the key result will be hit (0.7 is 70%%)")
    sub.add_argument("--note", default=None, metavar="TEXT", help="the check-in comment (quoted for YAML as needed)")
    sub.add_argument("--commit", action="store_true",
                     help="commit the changed file alone: \"Check-in: TITLE: OLD → NEW\"")
    sub.add_argument("--as", dest="person", default=None, metavar="PERSON",
                     help="without REF: whose key results to ask about (default: the person whose email "
                          "is `git config user.email`)")
    sub.set_defaults(run=run_checkin)


def run_checkin(args: argparse.Namespace) -> int:
    try:
        config = _config(args.root)
        values = _values(args)
        if args.ref is None:
            return ask_and_check_in(args, config, values)
        return _one(args, config, values)
    except CheckinUsage as err:
        print(f"okrs: {one_line(str(err))}", file=sys.stderr)
        return 2


def _config(root: Path) -> Config:
    root = root.resolve()
    if not root.is_dir():
        raise CheckinUsage(f"--root {root}: no such directory")
    try:
        config = load_config(root)
    except ConfigError as err:
        raise CheckinUsage(str(err)) from None
    if not config.source_dir.is_dir():
        raise CheckinUsage(f"{config.source_dir} does not exist; OKR files live in {config.source}/")
    return config


def _values(args: argparse.Namespace) -> CheckinValues:
    return CheckinValues(
        current=None if args.current is None else parse_number(args.current, what="--current"),
        done=None if args.done is None else args.done == "true",
        confidence=None if args.confidence is None else parse_number(args.confidence, what="--confidence"),
        note=args.note,
    )


# -- one key result, from the command line ------------------------------------------------

def _one(args: argparse.Namespace, config: Config, values: CheckinValues) -> int:
    if args.person is not None:
        raise CheckinUsage("--as is for being asked about your key results (without REF); drop it or the REF")
    if not values.given():
        raise CheckinUsage("nothing to check in: give --current V (or --done true|false), --confidence C "
                           "and/or --note TEXT")
    ident, key_result = _split_ref(args.ref)
    session = Session.open(config)
    path = _objective_path(config, ident)
    try:
        edit, findings = session.apply(path, key_result, values)
    except UnknownKeyResult as err:
        raise CheckinUsage(f"{args.ref}: {err}") from None
    except UnreadableFile:
        return _refuse(session, path, session.findings(path, session.text(path)), "the file does not check clean now")
    except CheckinRefused as err:
        raise CheckinUsage(f"{args.ref}: {err}") from None
    if not edit.changes:
        print(f"okrs: {args.ref} already has those values; nothing written", file=sys.stderr)
        return 0
    if errors_in(findings):
        return _refuse(session, path, findings, "the file would not check clean")
    if args.commit:
        ensure_committable(config.root, [session.rel(path)])
    session.write()
    print(f"{session.rel(path)}: {one_line(key_result)}: {one_line(describe(edit))}")
    _print_warnings(findings)
    if args.commit:
        print(f"okrs: committed {commit(config.root, [session.rel(path)], commit_message([edit]))}", file=sys.stderr)
    return 0


def _refuse(session: Session, path: Path, findings: list, why: str) -> int:
    sys.stdout.write(render_findings(findings, "text"))
    print(f"okrs: not checked in: {why}; {session.rel(path)} is unchanged", file=sys.stderr)
    return 1


def _print_warnings(findings: list) -> None:
    if findings:
        sys.stderr.write(render_findings(findings, "text"))


def _split_ref(ref: str) -> tuple[str, str]:
    ident, hash_mark, key_result = ref.partition("#")
    ident = ident.strip("/").removesuffix(".md")
    if not hash_mark or not ident or not key_result:
        raise CheckinUsage(f"REF {ref!r} is not OBJECTIVE_ID#KR_ID, e.g. {EXAMPLE_REF}")
    return ident, key_result


def _objective_path(config: Config, ident: str) -> Path:
    path = config.source_dir / f"{ident}.md"
    if all(SEGMENT.fullmatch(part) for part in ident.split("/")) and path.is_file():
        return path
    known = [objective_id(p.relative_to(config.source_dir).as_posix()) for p in objective_files(config.source_dir)]
    raise CheckinUsage(f"no objective '{ident}' in {config.source}/{did_you_mean(ident, known)}")
