"""The changelog pages and the RSS feed of the site."""

from __future__ import annotations

from generator.history.changelog import render_feed
from generator.history.values import Digest
from generator.site import paging
from generator.site.history_views import WeekOfChangelog, brief_of, week_objectives, week_summary, week_view
from generator.site.page_inputs import Selection
from generator.site.render import NavPlace, Renderer, SitePage
from generator.site.views import Context

CHANGELOG_RANK = 50
FEED_WEEKS = 26  # weeks in the feed: half a year


def changelog_pages(renderer: Renderer, weekly: list[WeekOfChangelog], *, only: Selection | None = None
                    ) -> list[SitePage]:
    """/changelog/ (weeks newest first) and one page per week (of ``only``: those it names;
    a kept week is one it does not name)."""
    ctx = renderer.ctx
    weeks = [week_summary(d) for d in weekly]
    pages = []
    if only is None or only.wants("pages", "changelog/index"):
        pages.append(renderer.render("changelog/index", "changelog_index.html", "Changelog",
                                     nav=NavPlace("Changelog", CHANGELOG_RANK), weeks=weeks))
    for index, digest in enumerate(weekly):
        if only is not None and not only.wants("changelog", digest.week.id):
            continue
        assert isinstance(digest, Digest), f"the page of {digest.week.id} shows its digest"
        week = week_view(ctx, digest)
        newer = weeks[index - 1]["page"] if index > 0 else None
        older = weeks[index + 1]["page"] if index + 1 < len(weeks) else None
        # A busy week is long: its objectives, then its stale key results, as one paged list.
        rows = [("group", g) for g in week["groups"]] + [("stale", s) for s in week["stale"]]
        for part in paging.split(week["page"], rows):
            shown = {**week, "groups": [g for kind, g in part.rows if kind == "group"],
                     "stale": [s for kind, s in part.rows if kind == "stale"]}
            pages.append(renderer.render(part.page, "changelog_week.html", paging.titled(f"Week {week['id']}", part),
                                         week=shown, newer=newer, older=older, first=part.number == 1,
                                         pager=part.pager, stale_total=len(week["stale"])))
    return pages


def week_parts(weekly: list[WeekOfChangelog]) -> dict[str, dict[str, str]]:
    """Where each week's page lists each objective it changed: ``{week: {objective: page}}``
    (a busy week's objectives come in id order across its pages, as changelog_pages splits them)."""
    parts = {}
    for digest in weekly:
        base = f"changelog/{digest.week.id}"
        parts[digest.week.id] = {o: paging.page_of(base, i) for i, o in enumerate(week_objectives(digest))}
    return parts


def feed_weeks(ctx: Context, weekly: list[WeekOfChangelog]) -> list[WeekOfChangelog]:
    """The weeks of the RSS feed: complete weeks only, so an item never changes once
    published; the newest ``FEED_WEEKS`` of them, newest first."""
    complete = sorted((d for d in weekly if d.week.end < ctx.as_of), key=lambda d: d.week.start, reverse=True)
    return complete[:FEED_WEEKS]


def feed(ctx: Context, weekly: list[WeekOfChangelog], *, site_url: str) -> str:
    """The RSS feed of ``feed_weeks``, each its summary and a link to its page."""
    return render_feed([brief_of(d) for d in feed_weeks(ctx, weekly)], site_url=site_url, people=ctx.people,
                       brief=True)
