"""`okrs checkin` without a REF, on a terminal: asks the current user about each key
result they own in an active objective, then writes (and commits) all the answers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from generator.cli.checkin_session import (EXAMPLE_REF, CheckinUsage, Session, commit, ensure_committable, git,
                                           parse_number)
from generator.config import Config
from generator.lifecycle.checkin import CheckinRefused, CheckinValues, commit_message, describe, errors_in, shown
from generator.model.core import Objective, People, parse_period
from generator.reading.loader import load_repository
from generator.reading.pipeline import people_path
from generator.reading.report import one_line, render_findings
from generator.reading.suggestions import did_you_mean


def ask_and_check_in(args: argparse.Namespace, config: Config, values: CheckinValues) -> int:
    if values.given():
        raise CheckinUsage(f"give the REF of the key result (e.g. {EXAMPLE_REF}) with --current, --done, "
                           "--confidence or --note")
    if not sys.stdin.isatty():
        raise CheckinUsage(f"give a REF (OBJECTIVE_ID#KR_ID, e.g. {EXAMPLE_REF}); without one, okrs checkin "
                           "asks on a terminal")
    session = Session.open(config)
    if session.people is None:
        raise CheckinUsage(f"cannot read {people_path(config)}; run `okrs check` to see why")
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
        ensure_committable(config.root, rels)
    session.write()
    print(f"okrs: checked in {len(edits)} key result(s) in {len(rels)} file(s)")
    if args.commit:
        print(f"okrs: committed {commit(config.root, rels, commit_message(edits))}")
    return 0


def _current_person(root: Path, people: People, given: str | None) -> str:
    if given is not None:
        if given not in people.persons:
            raise CheckinUsage(f"--as {given}: no such person in people.yaml{did_you_mean(given, people.persons)}")
        return given
    email = git(root, "config", "user.email", check=False).strip()
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
    broken = sorted({f.path for f in repository.errors})
    if broken:
        print(f"okrs: {len(broken)} file(s) with errors are left out (run `okrs check`): {', '.join(broken[:5])}"
              + (" …" if len(broken) > 5 else ""), file=sys.stderr)
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


def _ask_about(session: Session, path: Path, objective: Objective, key_result) -> None:
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
