"""The team hierarchy with its objectives rolled up: a parent team counts its sub-teams'.

Pure: the people registry and objectives in, plain values out (for the dashboard's
"Progress by team" and the team pages).
"""

from __future__ import annotations

from typing import Any, Iterable

from generator.model.core import Objective, People
from generator.site import views
from generator.site.views import Context


def sub_teams(people: People) -> dict[str | None, list[str]]:
    """Each team's direct sub-teams in the registry's order; key None: the top-level teams.
    A team whose parent is unknown, or that sits in a loop of parents, counts as top level."""
    children: dict[str | None, list[str]] = {}
    for team in people.teams.values():
        parent = team.parent if team.parent in people.teams and not _in_loop(team.id, people) else None
        children.setdefault(parent, []).append(team.id)
    return children


def _in_loop(team_id: str, people: People) -> bool:
    seen, at = set(), team_id
    while at is not None and at in people.teams:
        if at in seen:
            return True
        seen.add(at)
        at = people.teams[at].parent
    return False


def descendants(team_id: str, children: dict[str | None, list[str]]) -> list[str]:
    """The team's sub-teams, theirs, and so on, depth first (not the team itself)."""
    found: list[str] = []
    stack = list(reversed(children.get(team_id, [])))
    seen = {team_id}
    while stack:
        at = stack.pop()
        if at in seen:
            continue
        seen.add(at)
        found.append(at)
        stack.extend(reversed(children.get(at, [])))
    return found


def team_tree(objectives: Iterable[Objective], ctx: Context, *, root: str | None = None,
              width: int | None = None, depth: int | None = None) -> list[dict[str, Any]]:
    """The top-level teams (or ``root``'s sub-teams), each with its rolled-up numbers and
    its sub-teams, recursively; teams with no objective of their own or below are left out.
    ``width``: at most so many sub-teams under a team, ``depth``: levels shown; each node's
    ``more`` counts the sub-teams left out (its page lists them all)."""
    by_team: dict[str, list[Objective]] = {}
    for objective in objectives:
        by_team.setdefault(objective.team, []).append(objective)
    children = sub_teams(ctx.people)
    for team in by_team:  # an objective's team missing from the registry: shown at the top
        if team not in ctx.people.teams:
            children.setdefault(None, []).append(team)

    def node(team_id: str, seen: frozenset[str]) -> dict[str, Any] | None:
        own = by_team.get(team_id, [])
        below = [n for n in (node(c, seen | {c}) for c in children.get(team_id, []) if c not in seen) if n]
        everything = own + [o for n in below for o in n["all"]]
        if not everything:
            return None
        return {"team": views.person_view(team_id, ctx.people), "own": len(own), "all": everything,
                "objectives": len(everything), "progress": views.mean_progress(everything),
                "counts": views.status_counts(everything, ctx), "children": below}

    start = [root] if root is not None else []
    tops = [n for n in (node(t, frozenset({*start, t})) for t in children.get(root, [])) if n]
    return [_without_objectives(n, width, None if depth is None else depth - 1) for n in tops]


def _without_objectives(node: dict[str, Any], width: int | None, depth: int | None) -> dict[str, Any]:
    """The template needs numbers, not the objectives themselves; and no more sub-teams
    than ``width`` nor levels than ``depth`` below this one."""
    below = [] if depth is not None and depth <= 0 else node["children"][:width]
    return {**{k: v for k, v in node.items() if k != "all"},
            "more": len(node["children"]) - len(below),
            "children": [_without_objectives(c, width, None if depth is None else depth - 1) for c in below]}
