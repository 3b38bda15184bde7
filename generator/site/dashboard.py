"""The dashboard: the current period at a glance, as short at 10,000 objectives as at 10.

Headline numbers, the period's burn-up chart, progress by team following the team
hierarchy, the worst key results (capped, with a link to the full "Needs attention"
page), the movers of the last complete week, and a capped list of stale key results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.history.values import Week
from generator.model.core import DRAFT, Objective, Period, percent
from generator.site import history_views, paging, views
from generator.site.attention import DASHBOARD_LIMIT, attention_rows
from generator.site.charts import BurnUpPoint, burn_up_svg, burn_up_words
from generator.site.periods import in_period
from generator.site.render import NavPlace, Renderer, SitePage
from generator.site.rollups import team_tree
from generator.site.views import Context

DASHBOARD_RANK = 0
ATTENTION_PAGE = "attention"
TREE_DEPTH = 3  # levels of the team tree on the dashboard


@dataclass(frozen=True)
class Attention:
    """The current period's objectives and what of them needs attention: found once for
    the dashboard and the "Needs attention" pages, which both list it."""

    current: str | None
    now: list[Objective]
    period: Period | None
    closed: bool
    rows: list[dict[str, Any]]  # off track and at risk, worst first (none once the period is closed)
    stale: list[dict[str, Any]]


def needs_attention(ctx: Context, objectives: list[Objective], current: str | None, stale: list) -> Attention:
    now = in_period(objectives, current)
    period = ctx.period(current) if current else None
    closed = bool(period and period.is_closed(ctx.as_of))
    # A closed period is graded, not chased: nothing of it "needs attention" any more.
    return Attention(current, now, period, closed, [] if closed else attention_rows(now, ctx),
                     history_views.stale_rows(ctx, stale))


def dashboard(r: Renderer, found: Attention) -> SitePage:
    ctx, now, period, current = r.ctx, found.now, found.period, found.current
    attention, stale_rows = found.rows, found.stale
    movers_heading, movers = history_views.movers(ctx)
    key_results = [kr for o in now if o.declared_status != DRAFT for kr in o.key_results]
    # The top levels of the team tree, each team with at most CAP sub-teams: its page has the rest.
    teams = team_tree(now, ctx, width=paging.CAP, depth=TREE_DEPTH)
    return r.render(
        "index", "dashboard.html", "OKR dashboard", nav=NavPlace("Dashboard", DASHBOARD_RANK),
        movers_heading=movers_heading, movers=movers,
        stale=stale_rows[:DASHBOARD_LIMIT], stale_total=len(stale_rows),
        period=current, closed=found.closed,
        period_span={"start": period.start.isoformat(), "end": period.end.isoformat(),
                     "elapsed": views.percent(period.elapsed(ctx.as_of))} if period else None,
        overall=views.mean_progress(now),
        expected=percent(period.elapsed(ctx.as_of)) if period else None,
        headline={"objectives": len([o for o in now if o.declared_status != DRAFT]),
                  "key_results": len(key_results)},
        counts=views.status_counts(now, ctx),
        burn_up=_burn_up(ctx, now, current, period) if period else None,
        teams=teams[:paging.CAP], teams_more=max(0, len(teams) - paging.CAP),
        attention=attention[:DASHBOARD_LIMIT], attention_total=len(attention),
        attention_page=ATTENTION_PAGE, stale_page=stale_page(len(stale_rows), len(attention)),
    )


def attention_pages(r: Renderer, found: Attention) -> list[SitePage]:
    """Every key result of the current period that needs attention, worst first, then every
    stale one: one list, paged (``attention``, ``attention/2`` …)."""
    attention, stale_rows = found.rows, found.stale
    rows = [("attention", row) for row in attention] + [("stale", row) for row in stale_rows]
    pages = []
    for part in paging.split(ATTENTION_PAGE, rows):
        pages.append(r.render(part.page, "attention.html", paging.titled("Needs attention", part),
                              period=found.current, closed=found.closed, first=part.number == 1, pager=part.pager,
                              attention=[row for kind, row in part.rows if kind == "attention"],
                              attention_total=len(attention), stale_total=len(stale_rows),
                              stale=[row for kind, row in part.rows if kind == "stale"]))
    return pages


def stale_page(stale_total: int, attention_total: int) -> str:
    """The "Needs attention" page where its stale key results begin."""
    return paging.page_of(ATTENTION_PAGE, attention_total if stale_total else 0)


def burn_up_points(ctx: Context, now: list[Objective], name: str, period: Period) -> list[BurnUpPoint]:
    """Overall progress at the end of each week of the period that ended before the as-of
    date (from the history's weekly snapshots), then now (the files as they are)."""
    until = min(ctx.as_of, period.end)
    points = []
    history = ctx.history
    if history is not None and history.available:
        week = Week.of(period.start)
        while week.end < until:
            snapshot = [o for o in history.snapshot(week).values() if o.period == name]
            if views.counted(snapshot):  # none before the first commit, or before the first objective
                points.append(BurnUpPoint(max(week.end, period.start), _mean(snapshot), week.id))
            week = week.next
    if views.counted(now):
        points.append(BurnUpPoint(until, _mean(now), "as of " + until.isoformat()))
    return points


def _mean(objectives: list[Objective]) -> float:
    mine = views.counted(objectives)
    return sum(o.progress for o in mine) / len(mine)


def _burn_up(ctx: Context, now: list[Objective], name: str, period: Period) -> dict[str, Any]:
    points = burn_up_points(ctx, now, name, period)
    title = burn_up_words(points, period, as_of=ctx.as_of)
    return {
        "svg": Markup(burn_up_svg(points, period, as_of=ctx.as_of, title=title)),
        "title": title,
        "rows": [{"label": p.label, "date": p.day.isoformat(), "progress": percent(p.progress),
                  "expected": percent(period.elapsed(p.day))} for p in reversed(points)],
    }
