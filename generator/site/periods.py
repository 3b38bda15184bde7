"""The periods of the site: which is current, their order, their pages."""

from __future__ import annotations

from generator.model.core import DROPPED, Objective
from generator.model.grades import mean_score
from generator.site import paging, views
from generator.site.page_inputs import Selection
from generator.site.render import NavPlace, Renderer, SitePage
from generator.site.views import Context

# Navigation order of the sections (see build.navigation); the period pages' places are here
# because the current period has its own entry at the top and the past ones sit under Periods.
CURRENT_PERIOD_RANK = 10
PERIODS_RANK = 60


def current_period(objectives: list[Objective], ctx: Context) -> str | None:
    """The period that contains the as-of date (the shortest such), else the latest one."""
    names = sorted({o.period for o in objectives})
    spans = [(ctx.period(n), n) for n in names]
    containing = [(p.days, n) for p, n in spans if p and p.contains(ctx.as_of)]
    if containing:
        return min(containing)[1]
    started = [(p.start, n) for p, n in spans if p and p.start <= ctx.as_of]
    return max(started)[1] if started else (names[-1] if names else None)


def ordered_periods(objectives: list[Objective], ctx: Context) -> list[str]:
    """Newest first (by start date, then name)."""
    names = {o.period for o in objectives}

    def key(name: str) -> tuple:
        period = ctx.period(name)
        return (period.start.toordinal() if period else 0, name)

    return sorted(names, key=key, reverse=True)


def in_period(objectives: list[Objective], period: str | None) -> list[Objective]:
    return [o for o in objectives if o.period == period]


def by_period(objectives: list[Objective]) -> dict[str, list[Objective]]:
    """The objectives of each period, in their order: one pass, where ``in_period`` per
    period would go through all of them forty times at ten closed years."""
    grouped: dict[str, list[Objective]] = {}
    for o in objectives:
        grouped.setdefault(o.period, []).append(o)
    return grouped


def period_pages(r: Renderer, objectives: list[Objective], periods: list[str],
                 current: str | None, *, only: Selection | None = None) -> list[SitePage]:
    """One page per period, newest first (of ``only``: those it names), and the periods' index."""
    pages, rows = [], []
    past_rank = {name: PERIODS_RANK + 1 + i for i, name in enumerate(n for n in periods if n != current)}
    grouped = by_period(objectives)
    for name in periods:
        mine = grouped.get(name, [])
        summary = _period_summary(r.ctx, mine, name, current)
        rows.append(summary)
        if only is not None and not only.wants("periods", name):
            continue
        if name == current:
            # After its end the newest period is still the dashboard's, but no longer running.
            closed = r.ctx.period_closed(name)
            nav = NavPlace(f"{name} ({'closed' if closed else 'current'})", CURRENT_PERIOD_RANK)
        else:
            nav = NavPlace("Periods", past_rank[name], grouped=True, entry=name)
        # A large period's objectives (team by team) are a paged list; each page groups its part by team.
        listed = [(t["team"], o) for t in _period_teams(r.ctx, mine) for o in t["objectives"]]
        for part in paging.split(f"periods/{name}", listed):
            groups: list[dict] = []
            for team, objective in part.rows:
                if not groups or groups[-1]["team"] is not team:
                    # A team whose list began on the page before is "continued".
                    continued = not groups and part.start > 0 and listed[part.start - 1][0] is team
                    groups.append({"team": team, "objectives": [], "continued": continued})
                groups[-1]["objectives"].append(objective)
            pages.append(r.render(part.page, "period.html", paging.titled(f"Period {name}", part),
                                  nav=nav if part.number == 1 else None, summary=summary, teams=groups,
                                  pager=part.pager))
    pages.append(r.render("periods/index", "periods_index.html", "Periods",
                          nav=NavPlace("Periods", PERIODS_RANK, grouped=True), periods=rows))
    return pages


def _period_teams(ctx: Context, mine: list[Objective]) -> list[dict]:
    """A period's objectives by team, for its page."""
    by_team: dict[str, list[Objective]] = {}
    for o in mine:  # one pass, not one per team: 3,000 teams of 10,000 objectives
        by_team.setdefault(o.team, []).append(o)
    return [{"team": views.person_view(team_id, ctx.people),
             "objectives": [views.objective_view(o, ctx) for o in by_team[team_id]]} for team_id in sorted(by_team)]


def _period_summary(ctx: Context, mine: list[Objective], name: str, current: str | None) -> dict:
    """A period's numbers: its dates, progress or score, and status counts."""
    period = ctx.period(name)
    closed = bool(period and period.is_closed(ctx.as_of))
    return {"period": name, "page": f"periods/{name}", "closed": closed, "current": name == current,
            "start": period.start.isoformat() if period else None,
            "end": period.end.isoformat() if period else None,
            "progress": views.mean_progress(mine),
            "score": views.period_score(mine) if closed else None,
            "grade": _period_grade(mine) if closed else None,
            "dropped": sum(1 for o in mine if o.declared_status == DROPPED),
            "objectives": len(mine), "counts": views.status_counts(mine, ctx)}


def _period_grade(mine: list[Objective]) -> dict | None:
    """A closed period's grade as the grade macro shows it: the mean score of the
    objectives that have one (dropped ones left out), and its band."""
    graded = views.closed_grade(mean_score(mine))
    if graded is None:
        return None
    return {"score": graded["score"], "grade": graded["grade"],
            "status": {k: graded[k] for k in ("key", "label", "symbol")}}
