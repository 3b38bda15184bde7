"""The dashboard: the current period at a glance, this week's movers, stale key results."""

from __future__ import annotations

from generator.model.core import DRAFT, Objective
from generator.site import history_views, views
from generator.site.periods import in_period
from generator.site.render import NavPlace, Renderer, SitePage

DASHBOARD_RANK = 0


def dashboard(r: Renderer, objectives: list[Objective], current: str | None, stale: list) -> SitePage:
    ctx = r.ctx
    now = in_period(objectives, current)
    teams = []
    for team_id in sorted({o.team for o in now}):
        mine = [o for o in now if o.team == team_id]
        teams.append({"team": views.person_view(team_id, ctx.people), "objectives": len(mine),
                      "progress": views.mean_progress(mine)})
    period = ctx.period(current) if current else None
    movers_heading, movers = history_views.movers(ctx)
    return r.render(
        "index", "dashboard.html", "OKR dashboard", nav=NavPlace("Dashboard", DASHBOARD_RANK),
        movers_heading=movers_heading, movers=movers, stale=history_views.stale_rows(ctx, stale),
        period=current,
        period_span={"start": period.start.isoformat(), "end": period.end.isoformat(),
                     "elapsed": views.percent(period.elapsed(ctx.as_of))} if period else None,
        overall=views.mean_progress(now),
        objectives=[views.objective_view(o, ctx, with_key_results=False) for o in now
                    if o.declared_status not in (DRAFT,)],
        counts=views.status_counts(now, ctx),
        teams=teams,
        attention=views.attention(now, ctx),
    )
