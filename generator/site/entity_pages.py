"""The pages of the site's things: one per objective, team and person, and the indexes
of teams and people."""

from __future__ import annotations

from typing import Any

import jinja2

from generator.model import retrospective
from generator.model.core import Objective
from generator.model.grades import score_text
from generator.site import history_views, paging, views
from generator.site.kr_chart import KeyResultChart
from generator.site.narrative import narrative_html
from generator.site.page_inputs import Selection
from generator.site.periods import by_period
from generator.site.render import NavPlace, Renderer, SitePage
from generator.site.attention import person_attention
from generator.site.rollups import descendants, sub_teams, team_tree
from generator.site.views import Context

TEAMS_RANK = 30
PEOPLE_RANK = 40
# Material's search ranks a page's entries by this factor: an objective found by (part of)
# its title comes before the people pages that list it; team pages get the same, or
# "Platform" would list every "… in Platform" objective before the Platform team.
OBJECTIVE_SEARCH_BOOST = 5.0
TEAM_SEARCH_BOOST = OBJECTIVE_SEARCH_BOOST
TEAM_TREE_DEPTH = 2  # levels of sub-teams on a team's page


def objective_pages(r: Renderer, objectives: list[Objective], *, share: tuple[int, int] = (0, 1),
                    weeks: dict[str, dict[str, str]] | None = None, only: Selection | None = None) -> list[SitePage]:
    """One page per objective (share ``index`` of ``count``; ``only``: those it names), and its
    aligned objectives' pages past the first; ``weeks``: where each week's changelog lists
    each objective (history_pages.week_parts), for the objective's history to link there."""
    ctx = r.ctx
    children: dict[str, list[Objective]] = {}
    continued: dict[str, list[Objective]] = {}  # old id -> the objectives carried on from it
    for objective in objectives:
        if objective.parent:
            children.setdefault(objective.parent, []).append(objective)
        if objective.carried_from:
            continued.setdefault(objective.carried_from, []).append(objective)
    pages = []
    for objective in objectives[share[0]::share[1]]:
        if only is not None and not only.wants("objectives", objective.id):
            continue
        parent = ctx.objectives.get(objective.parent) if objective.parent else None
        narrative, retro = retrospective.split(objective.body)
        # Many objectives can align to one: the objective's page lists the first of them, its
        # "aligned" pages the rest.
        page = views.objective_page(objective.id)
        aligned = paging.split(views.aligned_pages(objective.id), children.get(objective.id, []), first=page)
        view = views.objective_view(objective, ctx)
        for part in aligned[1:]:
            pages.append(r.render(part.page, "aligned.html", paging.titled(f"Aligned to {objective.title}", part),
                                  objective=view, pager=part.pager,
                                  children=[views.objective_view(c, ctx, with_key_results=False) for c in part.rows]))
        pages.append(r.render(
            page, "objective.html", objective.title,
            objective=view,
            parent=views.objective_view(parent, ctx, with_key_results=False) if parent else None,
            children=[views.objective_view(c, ctx, with_key_results=False) for c in aligned[0].rows],
            children_pager=aligned[0].pager,
            narrative=jinja2.utils.markupsafe.Markup(narrative_html(narrative)),
            retrospective=jinja2.utils.markupsafe.Markup(narrative_html(retro)) if retro is not None else None,
            lineage=_lineage(objective, continued.get(objective.id, []), ctx),
            charts={k: _chart_values(c) for k, c in history_views.key_result_charts(ctx, objective).items()},
            log=[{**row, "week_page": (weeks or {}).get(row["week"], {}).get(objective.id, f"changelog/{row['week']}")}
                 for row in history_views.objective_log(ctx, objective.id)],
            source_file=objective.path,
            search_boost=OBJECTIVE_SEARCH_BOOST,
        ))
    return pages


def _chart_values(chart: KeyResultChart) -> dict[str, Any]:
    return {"svg": jinja2.utils.markupsafe.Markup(chart.svg), "summary": chart.summary, "rows": chart.rows}


def _lineage(objective: Objective, successors: list[Objective], ctx: Context) -> dict[str, Any]:
    """The carry-over links both ways, and a recorded score's stated reason."""
    def link(ident: str) -> dict[str, Any]:
        return {"id": ident, "page": views.objective_page(ident) if ident in ctx.objectives else None}

    return {"continues": link(objective.carried_from) if objective.carried_from else None,
            "continued_in": [link(o.id) for o in successors],
            "score": score_text(objective.score) if objective.score is not None else None,
            "score_reason": objective.score_reason}


def team_pages(r: Renderer, objectives: list[Objective], periods: list[str], *,
               share: tuple[int, int] = (0, 1), only: Selection | None = None) -> list[SitePage]:
    """One page per team (of ``only``: those it names): its own objectives and, rolled up, those of its sub-teams."""
    ctx = r.ctx
    children = sub_teams(ctx.people)
    by_team: dict[str, list[Objective]] = {}
    for o in objectives:  # one pass, not one per team: a large organisation has many
        by_team.setdefault(o.team, []).append(o)
    pages = []
    for team in list(ctx.people.teams.values())[share[0]::share[1]]:
        if only is not None and not only.wants("teams", team.id):
            continue
        below_ids = descendants(team.id, children)
        own = by_team.get(team.id, [])
        below = [o for t in below_ids for o in by_team.get(t, [])]
        subteams = [views.person_view(t, ctx.people) for t in children.get(team.id, [])]
        pages.append(r.render(
            f"teams/{team.id}", "team.html", team.name,
            team={"id": team.id, "name": team.name,
                  "lead": views.person_view(team.lead, ctx.people) if team.lead else None,
                  "members": [views.person_view(m, ctx.people) for m in team.members],
                  "parent": views.person_view(team.parent, ctx.people) if team.parent else None,
                  "subteams": subteams},
            groups=_team_groups(ctx, team.id, own, below, periods), search_boost=TEAM_SEARCH_BOOST,
        ))
    return pages


def _team_groups(ctx: Context, team_id: str, own: list[Objective], below: list[Objective],
                 periods: list[str]) -> list[dict[str, Any]]:
    """Per period, newest first: the team's roll-up (its objectives and its sub-teams'),
    the sub-teams' tree, and both lists of objectives. Past its newest periods
    (``paging.recent_periods``), a period is one line of a table (``earlier``: its count
    and score, linking to its objectives)."""
    groups = []
    recent = set(paging.recent_periods((o.period for o in own + below), periods)[0])
    own_by, below_by = by_period(own), by_period(below)
    for name in periods:
        mine, theirs = own_by.get(name, []), below_by.get(name, [])
        if not mine and not theirs:
            continue
        closed = ctx.period_closed(name)
        everything = mine + theirs
        if name not in recent:
            groups.append({"period": name, "page": f"periods/{name}", "closed": closed, "earlier": True,
                           "filtered": {"team": team_id, "period": name},
                           "rollup": {"objectives": len(everything), "progress": views.mean_progress(everything),
                                      "score": views.period_score(everything) if closed else None}})
            continue
        # Bounded however large the team: its own objectives up to a page's worth, the first
        # of its sub-teams' (their pages have the rest), the top of its sub-team tree; the
        # objectives index, filtered by team and period, lists them all.
        tree = team_tree(everything, ctx, root=team_id, width=paging.CAP, depth=TEAM_TREE_DEPTH) if theirs else []
        groups.append({"period": name, "page": f"periods/{name}", "closed": closed,
                       "objectives": [views.objective_view(o, ctx) for o in mine[:paging.PAGE_SIZE]],
                       "objectives_more": max(0, len(mine) - paging.PAGE_SIZE),
                       "below": [views.objective_view(o, ctx, with_key_results=False) for o in theirs[:paging.CAP]],
                       "below_more": max(0, len(theirs) - paging.CAP),
                       "filtered": {"team": team_id, "period": name},
                       "rollup": {"objectives": len(everything), "own": len(mine),
                                  "progress": views.mean_progress(everything),
                                  "score": views.period_score(everything) if closed else None,
                                  "counts": views.status_counts(everything, ctx)},
                       "tree": tree[:paging.CAP], "tree_more": max(0, len(tree) - paging.CAP), "earlier": False})
    return groups


def team_index(r: Renderer, objectives: list[Objective]) -> list[SitePage]:
    """Every team, in the registry's order, paged."""
    ctx = r.ctx
    count: dict[str, int] = {}
    for o in objectives:
        count[o.team] = count.get(o.team, 0) + 1
    rows = [{"team": views.person_view(team.id, ctx.people),
             "parent": views.person_view(team.parent, ctx.people) if team.parent else None,
             "lead": views.person_view(team.lead, ctx.people) if team.lead else None,
             "objectives": count.get(team.id, 0)} for team in ctx.people.teams.values()]
    return [r.render(part.page, "teams_index.html", paging.titled("Teams", part),
                     nav=NavPlace("Teams", TEAMS_RANK) if part.number == 1 else None, teams=part.rows, pager=part.pager)
            for part in paging.split("teams/index", rows)]


def people_index(r: Renderer, objectives: list[Objective]) -> list[SitePage]:
    """Everyone in the registry, in its order, paged."""
    ctx = r.ctx
    owned: dict[str, int] = {}
    key_results: dict[str, int] = {}
    for o in objectives:
        owned[o.owner] = owned.get(o.owner, 0) + 1
        for kr in o.key_results:
            key_results[kr.owner] = key_results.get(kr.owner, 0) + 1
    teams_of = _teams_of(ctx)
    rows = [{"person": views.person_view(person.id, ctx.people),
             "teams": [views.person_view(t, ctx.people) for t in teams_of.get(person.id, [])],
             "objectives": owned.get(person.id, 0), "key_results": key_results.get(person.id, 0)}
            for person in ctx.people.persons.values()]
    return [r.render(part.page, "people_index.html", paging.titled("People", part),
                     nav=NavPlace("People", PEOPLE_RANK) if part.number == 1 else None, people=part.rows,
                     pager=part.pager)
            for part in paging.split("people/index", rows)]


def _teams_of(ctx: Context) -> dict[str, list[str]]:
    """Each person's teams, in the registry's order."""
    teams_of: dict[str, list[str]] = {}
    for t in ctx.people.teams.values():
        for member in dict.fromkeys(t.members):
            teams_of.setdefault(member, []).append(t.id)
    return teams_of


def people_pages(r: Renderer, objectives: list[Objective], periods: list[str], *,
                  share: tuple[int, int] = (0, 1), only: Selection | None = None) -> list[SitePage]:
    """One page per person (of ``only``: those it names): what they own, own a key result of, contribute to."""
    ctx = r.ctx
    pages = []
    open_ids = _open_ids(objectives, ctx)
    owned_by: dict[str, list[Objective]] = {}
    key_results_of: dict[str, list[tuple[Objective, Any]]] = {}
    contributed_by: dict[str, list[Objective]] = {}
    for o in objectives:  # one pass, not one per person: a large organisation has many
        owned_by.setdefault(o.owner, []).append(o)
        for kr in o.key_results:
            key_results_of.setdefault(kr.owner, []).append((o, kr))
        for who in dict.fromkeys(o.contributors):
            contributed_by.setdefault(who, []).append(o)
    teams_of = _teams_of(ctx)
    for person in list(ctx.people.persons.values())[share[0]::share[1]]:
        if only is not None and not only.wants("people", person.id):
            continue
        owned = owned_by.get(person.id, [])
        own_key_results = key_results_of.get(person.id, [])
        contributes = contributed_by.get(person.id, [])
        recent, earlier = _person_periods(person.id, owned, own_key_results, contributes, periods, ctx)
        key_results = [views.key_result_view(o, kr, ctx) for o, kr in own_key_results if o.period in recent]
        running = [views.key_result_view(o, kr, ctx) for o, kr in own_key_results
                   if o.id in open_ids and o.period not in recent]  # (an old period still open)
        teams = [views.person_view(t, ctx.people) for t in teams_of.get(person.id, [])]
        # The accountability view: running periods first, stale key results first within them.
        stale_first = sorted(key_results, key=lambda v: (v["objective"]["id"] not in open_ids,
                                                         not v["stale"], v["ref"]))
        pages.append(r.render(
            f"people/{person.id}", "person.html", person.name,
            person={"id": person.id, "name": person.name, "email": person.email, "github": person.github,
                    "teams": teams},
            owned=[views.objective_view(o, ctx, with_key_results=False) for o in owned if o.period in recent],
            key_results=stale_first, attention=person_attention(key_results + running, open_ids),
            contributes=[views.objective_view(o, ctx, with_key_results=False) for o in contributes
                         if o.period in recent],
            earlier=earlier, recent=len(recent),
        ))
    return pages


def _person_periods(person: str, owned: list[Objective], key_results: list[tuple[Objective, Any]],
                    contributes: list[Objective], periods: list[str], ctx: Context
                    ) -> tuple[set[str], list[dict[str, Any]]]:
    """The periods of a person's page: the newest ones they hold anything in, shown in full
    (``paging.recent_periods``), and the earlier ones a line each: what they held there,
    counted, linking to it in the objectives index."""
    counts: dict[str, list[int]] = {}
    for index, items in enumerate(([o for o, _ in key_results], owned, contributes)):
        for objective in items:
            counts.setdefault(objective.period, [0, 0, 0])[index] += 1
    recent, earlier = paging.recent_periods(counts, periods)
    lines = []
    for name in earlier:
        key_result_count, owned_count, contributes_count = counts[name]
        lines.append({"period": name, "page": f"periods/{name}", "closed": ctx.period_closed(name),
                      "filtered": {"owner": person, "period": name}, "key_results": key_result_count,
                      "objectives": owned_count, "contributes": contributes_count})
    return set(recent), lines


def _open_ids(objectives: list[Objective], ctx: Context) -> set[str]:
    """Objectives whose period is not over: shown before the archive."""
    return {o.id for o in objectives if not ctx.period_closed(o.period)}
