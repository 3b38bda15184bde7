"""`okrs checkin`: record a key result's progress in its file (and commit it), or be asked
about each of yours on a terminal. The edit itself is generator/lifecycle/checkin.py.

Exit status: 0 written (or nothing to change), 1 the result would not check clean (the
findings are printed, nothing is written), 2 usage: an unknown REF, a bad value.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator.config import Config, ConfigError, load_config
from generator.lifecycle.checkin import (CheckinEdit, CheckinRefused, CheckinValues, UnknownKeyResult, UnreadableFile,
                                         checkin_findings, commit_message, describe, edit_key_result, errors_in,
                                         shown)
from generator.model.core import Objective, People, parse_period
from generator.reading import schemas
from generator.reading.frontmatter import MAX_FILE_BYTES, MAX_NUMBER
from generator.reading.loader import PEOPLE_FILE, load_people, load_repository, objective_files, objective_id
from generator.reading.report import one_line, render_findings
from generator.reading.rules import SEGMENT, did_you_mean

EXAMPLE_REF = "2026-Q4/platform/reliability#p99-latency"


class CheckinUsage(Exception):
    """Exit 2 with the message."""


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


@dataclass
class _Session:
    """What a check-in needs to read, check and write files of one repository."""

    config: Config
    people: People | None
    check: object = None
    texts: dict[Path, str] = field(default_factory=dict)  # files read (and edited) so far
    edits: dict[Path, list[CheckinEdit]] = field(default_factory=dict)

    @classmethod
    def open(cls, config: Config) -> _Session:
        people, _ = load_people(config)
        return cls(config, people, schemas.validator(config.root, schemas.OBJECTIVE))

    def rel(self, path: Path) -> str:
        return path.relative_to(self.config.root).as_posix()

    def text(self, path: Path) -> str:
        if path not in self.texts:
            if path.is_symlink() or not path.is_file():
                raise CheckinUsage(f"{self.rel(path)} is not a regular file; okrs checkin does not follow links")
            raw = path.read_bytes()
            if len(raw) > MAX_FILE_BYTES:
                raise CheckinUsage(f"{self.rel(path)} is over the 1 MiB limit; run `okrs check`")
            try:
                self.texts[path] = raw.decode("utf-8")  # a BOM stays, as U+FEFF
            except UnicodeDecodeError:
                raise UnreadableFile("the file is not valid UTF-8") from None
        return self.texts[path]

    def findings(self, path: Path, text: str) -> list:
        config = self.config
        return checkin_findings(text.encode("utf-8"), ident=objective_id(self.rel(path)[len(config.source) + 1:]),
                                path=self.rel(path), check=self.check, people=self.people,
                                ownership=config.ownership, max_key_results=config.max_key_results,
                                periods=config.periods, people_path=f"{config.source}/{PEOPLE_FILE}")

    def apply(self, path: Path, key_result: str, values: CheckinValues) -> tuple[CheckinEdit, list]:
        """The edit and the new file's findings; kept for writing only when it has no error."""
        edit = edit_key_result(self.text(path), key_result=key_result, values=values)
        findings = self.findings(path, edit.text) if edit.changes else []
        if edit.changes and not errors_in(findings):
            self.texts[path] = edit.text
            self.edits.setdefault(path, []).append(edit)
        return edit, findings

    def write(self) -> list[Path]:
        paths = sorted(self.edits)
        for path in paths:
            _replace_file(path, self.texts[path])
        return paths


def run_checkin(args: argparse.Namespace) -> int:
    try:
        config = _config(args.root)
        values = _values(args)
        if args.ref is None:
            return _interactive(args, config, values)
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


_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def parse_number(text: str, *, what: str) -> int | float:
    """A number as typed: 480, 0.7, -1.5e3 (ASCII digits only)."""
    text = text.strip()
    if _INT.fullmatch(text):
        number: int | float = int(text)
    elif _FLOAT.fullmatch(text):
        number = float(text)
    else:
        raise CheckinUsage(f"{what} {text!r} is not a number like 480 or 0.7")
    if abs(number) > MAX_NUMBER:
        raise CheckinUsage(f"{what} {text} is too large: numbers must be at most 1e15 in size")
    return number


# -- one key result, from the command line ------------------------------------------------

def _one(args: argparse.Namespace, config: Config, values: CheckinValues) -> int:
    if args.person is not None:
        raise CheckinUsage("--as is for being asked about your key results (without REF); drop it or the REF")
    if not values.given():
        raise CheckinUsage("nothing to check in: give --current V (or --done true|false), --confidence C "
                           "and/or --note TEXT")
    ident, key_result = _split_ref(args.ref)
    session = _Session.open(config)
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
        _ensure_committable(config.root, [session.rel(path)])
    session.write()
    print(f"{session.rel(path)}: {one_line(key_result)}: {one_line(describe(edit))}")
    _print_warnings(findings)
    if args.commit:
        print(f"okrs: committed {_commit(config.root, [session.rel(path)], commit_message([edit]))}", file=sys.stderr)
    return 0


def _refuse(session: _Session, path: Path, findings: list, why: str) -> int:
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


# -- every key result of one person, asked on a terminal ----------------------------------

def _interactive(args: argparse.Namespace, config: Config, values: CheckinValues) -> int:
    if values.given():
        raise CheckinUsage(f"give the REF of the key result (e.g. {EXAMPLE_REF}) with --current, --done, "
                           "--confidence or --note")
    if not sys.stdin.isatty():
        raise CheckinUsage(f"give a REF (OBJECTIVE_ID#KR_ID, e.g. {EXAMPLE_REF}); without one, okrs checkin "
                           "asks on a terminal")
    session = _Session.open(config)
    if session.people is None:
        raise CheckinUsage(f"cannot read {config.source}/{PEOPLE_FILE}; run `okrs check` to see why")
    person = _current_person(config.root, session.people, args.person)
    mine = _active_key_results(config, person)
    name = session.people.name_of(person)
    if not mine:
        print(f"okrs: {name} ({person}) owns no active key result of an open period; nothing to ask")
        return 0
    print(f"Check-in for {name} ({person}): {len(mine)} active key result(s). Press Enter to keep a value.")
    try:
        for objective, key_result in mine:
            _ask_about(session, config.source_dir / f"{objective.id}.md", objective, key_result)
    except (EOFError, KeyboardInterrupt):
        print("\nokrs: stopped; nothing written", file=sys.stderr)
        return 130
    edits = [edit for path in sorted(session.edits) for edit in session.edits[path]]
    if not edits:
        print("okrs: nothing changed; nothing written")
        return 0
    rels = [session.rel(path) for path in sorted(session.edits)]
    if args.commit:
        _ensure_committable(config.root, rels)
    session.write()
    print(f"okrs: checked in {len(edits)} key result(s) in {len(rels)} file(s)")
    if args.commit:
        print(f"okrs: committed {_commit(config.root, rels, commit_message(edits))}")
    return 0


def _current_person(root: Path, people: People, given: str | None) -> str:
    if given is not None:
        if given not in people.persons:
            raise CheckinUsage(f"--as {given}: no such person in people.yaml{did_you_mean(given, people.persons)}")
        return given
    email = _git(root, "config", "user.email", check=False).strip()
    if not email:
        raise CheckinUsage("who are you? `git config user.email` is not set; pass --as PERSON")
    found = [pid for pid, person in people.persons.items() if (person.email or "").lower() == email.lower()]
    if len(found) != 1:
        how = "no one" if not found else f"{len(found)} people ({', '.join(found)})"
        raise CheckinUsage(f"`git config user.email` is {email}, and {how} in people.yaml has that email; "
                           "pass --as PERSON")
    return found[0]


def _active_key_results(config: Config, person: str) -> list:
    """(objective, key result) the person owns, in active objectives of periods not yet over."""
    repository = load_repository(config)
    today = config.today()
    found = []
    for ident in sorted(repository.objectives):
        objective = repository.objectives[ident]
        period = parse_period(objective.period, config.periods)
        if objective.declared_status != "active" or (period is not None and period.is_closed(today)):
            continue
        for key_result in objective.key_results:
            if key_result.owner == person and not (key_result.type == "milestone" and key_result.done):
                found.append((objective, key_result))
    return found


def _ask_about(session: _Session, path: Path, objective: Objective, key_result) -> None:
    """Ask for each field until the answers check clean; Enter keeps the value shown (the
    file's, or the answer given before a failed check)."""
    ref = f"{objective.id}#{key_result.id}"
    print(f"\n{one_line(ref)}: {one_line(key_result.title)}")
    milestone = key_result.type == "milestone"
    answers = {"current": None, "done": None, "confidence": None, "note": None}
    while True:
        if milestone:
            done = answers["done"] if answers["done"] is not None else key_result.done
            answers["done"] = _ask(f"  done? (y/n) [{'y' if done else 'n'}]: ", _yes_no, answers["done"])
        else:
            target = shown("current", key_result.target, unit=key_result.unit)
            now = key_result.current if key_result.current is not None else key_result.start
            answers["current"] = _ask(f"  current (target {target}) [{_default(answers['current'], now)}]: ",
                                      lambda t: parse_number(t, what="current"), answers["current"])
        answers["confidence"] = _ask(
            f"  confidence, 0 to 1 [{_default(answers['confidence'], key_result.confidence)}]: ",
            lambda t: parse_number(t, what="confidence"), answers["confidence"])
        answers["note"] = _ask(f"  note [{one_line(_default(answers['note'], key_result.note or ''))}]: ",
                               lambda t: t, answers["note"])
        values = CheckinValues(**answers)
        if not values.given():
            return
        try:
            edit, findings = session.apply(path, key_result.id, values)
        except CheckinRefused as err:
            print(f"  okrs: {one_line(str(err))}; skipped")
            return
        if not errors_in(findings):
            if edit.changes:
                print(f"  ok: {one_line(describe(edit))}")
            return
        sys.stdout.write(render_findings(errors_in(findings), "text"))
        print("  that would not check clean; try again (Enter keeps a value)")


def _default(answer: object, current: object) -> str:
    value = answer if answer is not None else current
    return "" if value is None else str(value)


def _ask(prompt: str, convert: Callable[[str], object], kept: object = None):
    """The converted answer, ``kept`` for an empty one; asks again after a bad one."""
    while True:
        answer = input(prompt).strip()
        if not answer:
            return kept
        try:
            return convert(answer)
        except CheckinUsage as err:
            print(f"  {err}")


def _yes_no(text: str) -> bool:
    if text.lower() in ("y", "yes", "true"):
        return True
    if text.lower() in ("n", "no", "false"):
        return False
    raise CheckinUsage("answer y or n")


# -- files and git ------------------------------------------------------------------------

def _replace_file(path: Path, text: str) -> None:
    """Write all or nothing: a temporary file beside it, renamed over it (same mode)."""
    mode = path.stat().st_mode & 0o7777
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".checkin", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _git(root: Path, *args: str, check: bool = True) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except FileNotFoundError:
        raise CheckinUsage("--commit needs git, which is not installed") from None
    if check and result.returncode:
        raise CheckinUsage(f"git {args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def _ensure_committable(root: Path, rels: list[str]) -> None:
    """--commit commits these files alone: they must hold no other uncommitted edit."""
    _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    dirty = _git(root, "status", "--porcelain", "--", *rels).strip()
    if dirty:
        raise CheckinUsage(f"--commit: {', '.join(rels)} has uncommitted changes; commit them first "
                           "(or check in without --commit); nothing written")


def _commit(root: Path, rels: list[str], message: str) -> str:
    _git(root, "add", "--", *rels)
    _git(root, "commit", "-q", "-m", message, "--", *rels)
    return _git(root, "rev-parse", "--short", "HEAD").strip()
