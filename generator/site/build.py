"""The site as data: every page, file and the navigation, for any static site generator.

``build_site_model`` is the one entry point; the MkDocs adapter only maps its result.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Union

from generator.config import Config
from generator.reading import schemas
from generator.reading.loader import Repository
from generator.history.values import Digest
from generator.site.history_pages import feed, week_parts
from generator.site.history_views import KeptWeek, WeekOfChangelog, kept_week, published_weeks
from generator.site.index_pages import OBJECTIVES_DATA, objectives_data, tag_slugs
from generator.site.page_inputs import merged_pages, week_mentions
from generator.site.pages import build_pages
from generator.site.periods import current_period, ordered_periods
from generator.site.render import SitePage
from generator.site.schema_docs import reference
from generator.site.site_memo import (SiteMemo, global_key, history_marks, marks_after, rebuild_plan, stale_by_objective,
                                      week_marks)
from generator.site.state_json import seed_entries, state_entries, state_json
from generator.site.views import Context, carry_views

NavItem = dict[str, Union[str, list[Any]]]  # {title: path} or {title: [path | {title: path}, ...]}


@dataclass(frozen=True)
class SiteModel:
    pages: list[SitePage]  # sorted by path
    files: dict[str, str]  # other files of the site by path: okrs.json, changelog/feed.xml
    nav: list[NavItem]
    memo: SiteMemo | None = field(default=None, compare=False, repr=False)  # for the next build to reuse


def build_site_model(repository: Repository, history: Any, config: Config, *, as_of: date,
                     site_url: str = "", directory_urls: bool = True,
                     previous: SiteModel | None = None) -> SiteModel:
    """The whole site of a loaded repository (free of errors) and its history (or None).

    With ``previous`` (the model of an earlier build in this process), only the pages whose
    inputs changed are made again (see page_inputs); the result equals a build without it.
    """
    available = history is not None and history.available
    guide = {"reference": reference(schemas.load_schema(config.root, schemas.OBJECTIVE),
                                    schemas.load_schema(config.root, schemas.PEOPLE)),
             "source": config.source}
    listed = [repository.objectives[k] for k in sorted(repository.objectives)]
    ordering = Context(people=repository.people, objectives=repository.objectives,
                       periods=dict(config.periods), as_of=as_of)
    periods, current = ordered_periods(listed, ordering), current_period(listed, ordering)
    key = global_key(people=repository.people, history=history, config=config, as_of=as_of, site_url=site_url,
                     directory_urls=directory_urls, guide=guide, periods=periods, current=current)
    old = previous.memo if previous is not None and previous.memo is not None and previous.memo.key == key else None
    head = getattr(history, "head", None) if available else None
    same_walk = old is not None and old.ctx is not None and old.weekly is not None and head is not None \
        and old.head == head
    if same_walk:
        history = old.ctx.history  # the same walk (same HEAD, same options): its answers are computed already
    stale = history.stale(as_of, repository.objectives, config.stale_after_weeks) if available else []
    stale_of = stale_by_objective(stale)
    slugs = tag_slugs([t for o in listed for t in o.tags])
    if same_walk:
        weekly, feed_xml = old.weekly, old.feed
    else:
        walked = replace(ordering, history=history)
        kept = kept_weeks(old, history)  # the weeks before the last one no commit since changed
        weekly = tuple(kept.get(week.id) or history.digest(week, as_of=as_of) for week in published_weeks(walked))
        feed_xml = feed(walked, list(weekly), site_url=site_url)
    if same_walk:  # the same history and digests: the same marks (serve: an edit costs what it reaches)
        fresh = {i: o for i, o in repository.objectives.items() if i not in old.marks}
        marks = {**{i: old.marks[i] for i in repository.objectives.keys() & old.marks.keys()},
                 **history_marks(history, fresh, week_parts(list(weekly)))}
        weeks = old.weeks
    else:  # another walk: what a commit since the old build's touched is marked again
        weeks = week_marks(weekly)
        marks = marks_after(old, history, repository.objectives, week_parts(list(weekly)), weeks)
    objectives, only = dict(repository.objectives), None
    if old is not None:
        objectives, only = rebuild_plan(old, repository.objectives, marks=marks, stale=stale_of, slugs=slugs,
                                        people=repository.people, weeks=weeks)
    ctx = Context(people=repository.people, objectives=objectives, periods=dict(config.periods),
                  as_of=as_of, history=history,
                  stale_refs=frozenset(f"{s.objective}#{s.key_result}" for s in stale))
    if old is not None and old.ctx is not None:
        carry_views(old.ctx, ctx)
    elif old is not None:  # a model from the build cache: its okrs.json entries of the objectives kept
        seed_entries(ctx, old.entries, old.objectives)
    earlier = {p.path: p for p in previous.pages} if old is not None else {}
    # A kept week whose page is made again (it names an objective edited since) needs its digest.
    weekly = tuple(made_again(history, d, as_of) if only is None or only.wants("changelog", d.week.id) else d
                   for d in weekly)
    made = build_pages(ctx, guide=guide, stale=stale, weekly=weekly, directory_urls=directory_urls, only=only,
                       earlier=earlier)
    pages = made if previous is None or only is None else merged_pages(previous.pages, made, only)
    files = {"okrs.json": state_json(ctx), "changelog/feed.xml": feed_xml}
    data = objectives_data(ctx, [ctx.objectives[k] for k in sorted(ctx.objectives)], periods,
                           directory_urls=directory_urls)
    if data is not None:  # the objectives index has several pages: its filters search this
        files[OBJECTIVES_DATA] = data
    mentions = week_mentions(weekly)
    memo = SiteMemo(key=key, objectives=objectives, marks=marks, stale=stale_of, slugs=slugs, weeks=weeks,
                    week_mentions=mentions, feed=feed_xml,
                    made=frozenset(p.path for p in made if earlier.get(p.path) is not p),
                    head=head, ctx=ctx, weekly=weekly, entries=state_entries(ctx),
                    kept={d.week.id: kept_week(d, mark=weeks[d.week.id], mentions=mentions[d.week.id])
                          for d in weekly})
    return SiteModel(pages=pages, files=files, nav=navigation(pages), memo=memo)


def kept_weeks(old: SiteMemo | None, history: Any) -> dict[str, KeptWeek]:
    """The weeks of ``old``'s changelog (a build with the same key) whose digests this
    history vouches are the same, as ``old`` kept them. The same key means the same last
    week of the history: every commit since ``old`` landed in it."""
    if old is None or history is None or not history.available or history.last_week is None:
        return {}
    quiet = history.quiet_weeks(old.head, before=history.last_week)
    return {w: old.kept[w] for w in quiet if w in old.kept}


def made_again(history: Any, week: WeekOfChangelog, as_of: date) -> Digest:
    """The digest of a week of the changelog, made again if it was kept."""
    return history.digest(week.week, as_of=as_of) if isinstance(week, KeptWeek) else week


def navigation(pages: list[SitePage]) -> list[NavItem]:
    """A shallow navigation from the pages' places: sections with index pages, not every
    objective (see README). Titles are plain text; escaping them is the adapter's concern."""
    placed = sorted((p for p in pages if p.nav_section is not None), key=lambda p: p.nav_section.rank)
    nav: list[NavItem] = []
    sections: dict[str, NavItem] = {}
    for page in placed:
        place = page.nav_section
        if not place.grouped:
            nav.append({place.section: page.path})
            continue
        if place.section not in sections:
            sections[place.section] = {place.section: []}
            nav.append(sections[place.section])
        sections[place.section][place.section].append(page.path if place.entry is None else {place.entry: page.path})
    return nav
