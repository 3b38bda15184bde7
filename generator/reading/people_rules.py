"""The rules inside people.yaml: leads and members are people, team parents exist and do not loop, ids do not clash,
a `left:` is a day."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from generator.reading.across_files import cycles
from generator.reading.findings import ERROR, Finding
from generator.reading.frontmatter import Document
from generator.reading.sources import text_or_none
from generator.reading.suggestions import Suggestions
from generator.reading.type_slips import shown


# Person and team ids that name a page the site makes itself: people/index is the list of
# all people, teams/index that of all teams.
RESERVED_IDS = frozenset({"index"})


def is_page_number(name: str) -> bool:
    """``2``, ``17``: the name of a later page of a paged list (``people/2``); a person,
    team or objective named so would be at the same address."""
    return name.isascii() and name.isdigit()


def left_date(value: Any) -> date | None:
    """A person's `left:` as a day: YAML reads 2026-10-31 as a date; "2026-10-31" in quotes
    is accepted too. None for anything else (a date and time is not a day)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def departures_as_text(data: Any) -> None:
    """Write each person's `left:` date as ISO text, in place: jsonschema-rs takes JSON
    values only, and the rules and the model read both forms alike."""
    persons = data.get("people") if isinstance(data, dict) else None
    for person in persons.values() if isinstance(persons, dict) else ():
        if isinstance(person, dict) and isinstance(person.get("left"), date) and left_date(person["left"]):
            person["left"] = person["left"].isoformat()


def people_rules(document: Document, *, path: str) -> list[Finding]:
    """Cross-references inside people.yaml: leads, members, team parents, id clashes."""
    data = document.data if isinstance(document.data, dict) else {}
    persons = data.get("people") if isinstance(data.get("people"), dict) else {}
    teams = data.get("teams") if isinstance(data.get("teams"), dict) else {}
    findings = []
    suggest_person, suggest_team = Suggestions(persons), Suggestions(teams)

    def at(where: tuple, code: str, message: str, *, key: bool = False) -> None:
        line, column = document.key_at(where) if key else document.value_at(where)
        findings.append(Finding(path, line, column, ERROR, code, message))

    for kind, ids, page in (("person", persons, "people"), ("team", teams, "teams")):
        for reserved in sorted(RESERVED_IDS & set(ids)):
            at((page, reserved), "reserved-id",
               f"'{reserved}' cannot be a {kind} id: {page}/{reserved} is the site's list of all {page}; "
               "choose another id", key=True)
        for number in sorted((i for i in ids if is_page_number(str(i)) and not isinstance(i, bool)), key=str):
            at((page, number), "reserved-id",
               f"'{number}' cannot be a {kind} id: {page}/{number} is a page of the site's list of all {page} "
               "once it has more than one; choose an id with a letter in it", key=True)

    for person_id, person in persons.items():
        if isinstance(person, dict) and "left" in person and left_date(person["left"]) is None:
            at(("people", person_id, "left"), "schema",
               f"person '{person_id}': left must be the day they left, like 2026-10-31, not {shown(person['left'])}")

    for team_id in sorted(set(persons) & set(teams)):
        at(("teams", team_id), "duplicate-id",
           f"'{team_id}' is both a person and a team; person and team ids must be distinct", key=True)
    parents = {}
    for team_id, team in teams.items():
        if not isinstance(team, dict):
            continue
        lead = text_or_none(team.get("lead"))
        if lead and lead not in persons:
            at(("teams", team_id, "lead"), "owner-unknown",
               f"team '{team_id}': lead '{lead}' is not listed under `people:` in {path}" + suggest_person(lead))
        members = team.get("members")
        for index, member in enumerate(members if isinstance(members, list) else []):
            if text_or_none(member) and member not in persons:
                at(("teams", team_id, "members", index), "contributor-unknown",
                   f"team '{team_id}': member '{member}' is not listed under `people:` in {path}"
                   + suggest_person(member))
        parent = text_or_none(team.get("parent"))
        if parent and parent not in teams:
            at(("teams", team_id, "parent"), "team-unknown",
               f"team '{team_id}': parent '{parent}' is not a team" + suggest_team(parent))
        elif parent:
            parents[team_id] = parent
    for start, loop in cycles(parents):
        at(("teams", start, "parent"), "parent-cycle", f"team parents form a loop: {loop}")
    return findings
