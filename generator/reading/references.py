"""Who and what an objective names (owners, contributors, its team) against the people registry."""

from __future__ import annotations

from datetime import date
from typing import Any, Iterator, Mapping

from generator.model.core import People, Period, parse_period
from generator.reading.findings import Finding
from generator.reading.sources import ObjectiveSource, finding_at, key_results, period_text, text_or_none
from generator.reading.suggestions import RegistrySuggestions


def _person_problem(who: str, people: People, suggest: RegistrySuggestions, *, ownership: str, role: str,
                    people_path: str) -> tuple[str, str] | None:
    """(code, message) when ``who`` cannot hold ``role``; None when it can."""
    if who in people.persons:
        return None
    if who in people.teams:
        if ownership == "individual-or-team" and role == "owner":
            return None
        if role != "owner":  # contributors are people under either ownership policy
            return ("contributor-unknown",
                    f"{role} '{who}' is a team, not a person; list the people of the team who help "
                    f"(team '{who}' is led by '{people.teams[who].lead or '?'}')")
        return ("owner-not-person",
                f"'{who}' is a team, not a person; ownership is individual, so name the one person "
                f"who leads it (team '{who}' is led by '{people.teams[who].lead or '?'}')")
    code = "owner-unknown" if role == "owner" else "contributor-unknown"
    return code, (f"{role} '{who}' is not a person in {people_path}"
                  + suggest.persons(who) + f" (or add '{who}' to {people_path})")


def reference_rules(source: ObjectiveSource, data: dict, people: People, suggest: RegistrySuggestions, *,
                     ownership: str, people_path: str) -> Iterator[Finding]:
    owner = text_or_none(data.get("owner"))
    if owner and (problem := _person_problem(owner, people, suggest, ownership=ownership, role="owner",
                                             people_path=people_path)):
        yield finding_at(source, ("owner",), *problem)
    team = text_or_none(data.get("team"))
    if team and team not in people.teams:
        yield finding_at(source, ("team",), "team-unknown",
                  f"team '{team}' is not a team in {people_path}" + suggest.teams(team))
    contributors = data.get("contributors")
    for index, who in enumerate(contributors if isinstance(contributors, list) else []):
        if text_or_none(who) and (problem := _person_problem(who, people, suggest, ownership=ownership,
                                                     role="contributor", people_path=people_path)):
            yield finding_at(source, ("contributors", index), *problem)
    for index, kr in key_results(data):
        kr_owner = text_or_none(kr.get("owner"))
        if kr_owner and (problem := _person_problem(kr_owner, people, suggest, ownership=ownership, role="owner",
                                                    people_path=people_path)):
            code, message = problem
            yield finding_at(source, ("key_results", index, "owner"), code, f"key result '{kr.get('id')}': {message}")


def departure_rules(source: ObjectiveSource, data: dict, people: People, *, as_of: date,
                    periods: Mapping[str, Period], people_path: str) -> Iterator[Finding]:
    """`owner-left`: a key result of a period still running (not ended as of ``as_of``),
    owned by someone who has left by then. Closed periods keep their owners: they are
    the record of who did the work."""
    text = period_text(data)
    period = parse_period(text, periods) if text else None
    if period is None or period.end < as_of or data.get("status") in ("done", "dropped"):
        return
    team = people.teams.get(text_or_none(data.get("team")) or "")
    for index, kr in key_results(data):
        who = people.persons.get(text_or_none(kr.get("owner")) or "")
        if who is None or not who.has_left(as_of):
            continue
        lead = people.persons.get(team.lead or "") if team is not None else None
        hint = (f"did you mean their team lead '{lead.id}'?" if lead is not None and lead.id != who.id
                and not lead.has_left(as_of) else f"name a person of the team in {people_path}")
        yield finding_at(source, ("key_results", index, "owner"), "owner-left",
                         f"key result '{kr.get('id')}': owner '{who.id}' left on {who.left.isoformat()} "
                         f"(in {people_path}), but {period.name} runs until {period.end.isoformat()}; "
                         f"hand it over: {hint}")


def references(data: Any) -> tuple[frozenset[str], frozenset[str]]:
    """(ids that must be persons, ids that must be teams) a document names: when the
    registry has them all (and none of them has left), the reference rules find nothing,
    under either ownership policy."""
    if not isinstance(data, dict):
        return frozenset(), frozenset()
    persons = [data.get("owner")]
    contributors = data.get("contributors")
    persons += contributors if isinstance(contributors, list) else []
    persons += [kr.get("owner") for _, kr in key_results(data)]
    team = text_or_none(data.get("team"))
    return frozenset(p for p in persons if text_or_none(p)), frozenset([team] if team else [])
