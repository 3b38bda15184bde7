"""The changelog pages and the RSS feed of the site."""

from __future__ import annotations

from generator.history.changelog import render_feed
from generator.history.values import Digest
from generator.site.history_views import week_summary, week_view
from generator.site.page_inputs import Selection
from generator.site.render import NavPlace, Renderer, SitePage
from generator.site.views import Context

CHANGELOG_RANK = 50


def changelog_pages(renderer: Renderer, weekly: list[Digest], *, only: Selection | None = None) -> list[SitePage]:
    """/changelog/ (weeks newest first) and one page per week (of ``only``: those it names)."""
    ctx = renderer.ctx
    weeks = [week_summary(d) for d in weekly]
    pages = []
    if only is None or only.wants("pages", "changelog/index"):
        pages.append(renderer.render("changelog/index", "changelog_index.html", "Changelog",
                                     nav=NavPlace("Changelog", CHANGELOG_RANK), weeks=weeks))
    for index, digest in enumerate(weekly):
        if only is not None and not only.wants("changelog", digest.week.id):
            continue
        week = week_view(ctx, digest)
        newer = weeks[index - 1]["page"] if index > 0 else None
        older = weeks[index + 1]["page"] if index + 1 < len(weeks) else None
        pages.append(renderer.render(week["page"], "changelog_week.html", f"Week {week['id']}",
                                     week=week, newer=newer, older=older))
    return pages


def feed(ctx: Context, weekly: list[Digest], *, site_url: str) -> str:
    """The RSS feed: complete weeks only, so an item never changes once published."""
    return render_feed([d for d in weekly if d.week.end < ctx.as_of], site_url=site_url, people=ctx.people)
