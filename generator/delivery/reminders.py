"""`okrs remind`: who should check in, with which key results, as data, Markdown or JSON.

An owner is reminded when one of their key results is stale (no check-in for more than
`stale_after_weeks`), or when none of their open key results got a check-in this week.
Pure: a walked history in, data and strings out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Mapping

from generator.delivery.site_links import SiteLinks
from generator.history.changelog import escape_markdown, markdown_code
from generator.history.queries import History
from generator.history.values import Week
from generator.model.core import ACTIVE, KeyResult, Objective, People, Period, parse_period, percent
from generator.reading.report import dump_json


@dataclass(frozen=True)
class Due:
    """One key result that wants a check-in."""

    objective: str
    objective_title: str
    key_result: str
    title: str
    progress: float
    last_checkin: date | None  # None: never checked in since it was added
    stale: bool
    url: str | None


@dataclass(frozen=True)
class Reminder:
    """One owner, and their key results that want a check-in (stale ones first)."""

    owner: str
    name: str
    github: str | None
    email: str | None
    reasons: tuple[str, ...]  # "stale", "no-checkin-this-week"
    due: tuple[Due, ...]


def issue_title(week: Week) -> str:
    """The title the reminder issue of a week has: the workflow finds last week's by it."""
    return f"OKR check-in {week.id}"


def open_key_results(objectives: Mapping[str, Objective], *, as_of: date,
                     periods: Mapping[str, Period]) -> list[tuple[Objective, KeyResult]]:
    """(objective, key result) of active objectives in a running period, not yet met."""
    found = []
    for objective_id in sorted(objectives):
        objective = objectives[objective_id]
        period = parse_period(objective.period, periods)
        if objective.declared_status != ACTIVE or (period and not period.contains(as_of)):
            continue
        found += [(objective, kr) for kr in objective.key_results if kr.progress < 1.0]
    return found


def reminders(history: History, *, as_of: date, people: People | None, links: SiteLinks) -> list[Reminder]:
    """Every owner to remind as of ``as_of``, sorted by owner id."""
    config = history.config
    week = Week.of(as_of)
    snapshot = history.snapshot(week)
    stale = {(s.objective, s.key_result) for s in history.stale(as_of, snapshot, config.stale_after_weeks)}
    by_owner: dict[str, list[Due]] = {}
    checked_in: dict[str, bool] = {}
    for objective, kr in open_key_results(snapshot, as_of=as_of, periods=config.periods):
        last = history.last_checkin(objective.id, kr.id, as_of=as_of)
        last_day = last.date.date() if last else None
        this_week = last_day is not None and last_day >= week.start
        checked_in[kr.owner] = checked_in.get(kr.owner, False) or this_week
        if this_week:
            continue
        by_owner.setdefault(kr.owner, []).append(Due(
            objective.id, objective.title, kr.id, kr.title or kr.id, kr.progress, last_day,
            (objective.id, kr.id) in stale, links.key_result(objective.id, kr.id)))
    found = []
    for owner in sorted(by_owner):
        due = by_owner[owner]
        reasons = tuple(reason for reason, applies in (("stale", any(d.stale for d in due)),
                                                       ("no-checkin-this-week", not checked_in[owner])) if applies)
        if not reasons:
            continue
        person = people.persons.get(owner) if people else None
        due.sort(key=lambda d: (not d.stale, d.last_checkin or date.min, d.objective, d.key_result))
        found.append(Reminder(owner, person.name if person else owner, person and person.github,
                              person and person.email, reasons, tuple(due)))
    return found


# -- output -----------------------------------------------------------------------------


def _when(due: Due) -> str:
    return f"last check-in {due.last_checkin.isoformat()}" if due.last_checkin else "never checked in"


# GitHub refuses an issue body over 65,536 characters; the rest is room for its own additions.
ISSUE_BODY_LIMIT = 65_000


def _who(reminder: Reminder) -> str:
    # A handle is [A-Za-z0-9-] by GitHub's rules; anything else is shown as a name, not a mention.
    handle = reminder.github if reminder.github and _HANDLE.fullmatch(reminder.github) else None
    return f"@{handle} ({escape_markdown(reminder.name)})" if handle else escape_markdown(reminder.name)


def _due_line(due: Due) -> str:
    title = escape_markdown(due.title)
    shown = f"[{title}]({due.url})" if due.url else f"**{title}**"
    flag = "**stale**, " if due.stale else ""
    return (f"- {shown} ({markdown_code(f'{due.objective}#{due.key_result}')}): "
            f"{flag}{percent(due.progress)}% done, {_when(due)}")


def _owner_line(reminder: Reminder) -> str:
    """One owner in one line, for a reminder too long to list every key result."""
    stale = sum(d.stale for d in reminder.due)
    count = f"{len(reminder.due)} key result{'s' * (len(reminder.due) != 1)}" + (f", {stale} stale" if stale else "")
    first = reminder.due[0]
    title = escape_markdown(first.title)
    shown = f"[{title}]({first.url})" if first.url else f"**{title}**"
    return f"- {_who(reminder)}: {count}; first {shown}"


def render_markdown(found: list[Reminder], *, week: Week, stale_after_weeks: int,
                    limit: int = ISSUE_BODY_LIMIT) -> str:
    """The issue body: one section per owner, mentioned by @handle when people.yaml has it.

    Within ``limit`` characters: when every key result does not fit, one line per owner;
    when those do not fit either, the owners that fit and how many more there are.
    """
    head = [f"## {issue_title(week)}", ""]
    if not found:
        return "\n".join(head + ["Everyone has checked in this week. Nothing is stale.", ""])
    head += [f"{len(found)} owner{'s' * (len(found) != 1)} to check in: key results without a check-in "
             f"this week; **stale** ones have had none for more than {stale_after_weeks} weeks.",
             "Check in with `okrs checkin OBJECTIVE#KR --current VALUE`, or edit the file.", ""]
    lines = list(head)
    for reminder in found:
        lines += [f"### {_who(reminder)}", "", *map(_due_line, reminder.due), ""]
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    lines = head + ["Too many to list each key result here: each owner with how many are due "
                    "(`okrs remind --format json` lists them all).", ""]
    closing = 200
    for index, reminder in enumerate(found):
        line = _owner_line(reminder)
        if len("\n".join(lines)) + len(line) + closing > limit:
            lines.append(f"- …and {len(found) - index:,} more owners: `okrs remind --format json` lists them all")
            break
        lines.append(line)
    return "\n".join(lines + [""])


def render_json(found: list[Reminder], *, week: Week) -> str:
    return dump_json({
        "week": week.id, "title": issue_title(week),
        "owners": [{
            "owner": r.owner, "name": r.name, "github": r.github, "reasons": list(r.reasons),
            "key_results": [{"objective": d.objective, "key_result": d.key_result, "title": d.title,
                             "progress": round(d.progress, 2), "stale": d.stale,
                             "last_checkin": d.last_checkin.isoformat() if d.last_checkin else None,
                             "url": d.url} for d in r.due],
        } for r in found],
    })


# GitHub user names: letters, digits and single hyphens inside, at most 39 characters.
_HANDLE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
