"""The site as data: every page, file and the navigation, for any static site generator.

``build_site_model`` is the one entry point; the MkDocs adapter only maps its result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Union

from generator.config import Config
from generator.reading import schemas
from generator.reading.loader import Repository
from generator.site.history_pages import feed
from generator.site.history_views import digests
from generator.site.index_pages import OBJECTIVES_DATA, objectives_data
from generator.site.pages import build_pages
from generator.site.periods import ordered_periods
from generator.site.render import SitePage
from generator.site.schema_docs import reference
from generator.site.state_json import state_json
from generator.site.views import Context

NavItem = dict[str, Union[str, list[Any]]]  # {title: path} or {title: [path | {title: path}, ...]}


@dataclass(frozen=True)
class SiteModel:
    pages: list[SitePage]  # sorted by path
    files: dict[str, str]  # other files of the site by path: okrs.json, changelog/feed.xml
    nav: list[NavItem]


def build_site_model(repository: Repository, history: Any, config: Config, *, as_of: date,
                     site_url: str = "", directory_urls: bool = True) -> SiteModel:
    """The whole site of a loaded repository (free of errors) and its history (or None)."""
    available = history is not None and history.available
    stale = history.stale(as_of, repository.objectives, config.stale_after_weeks) if available else []
    ctx = Context(people=repository.people, objectives=repository.objectives, periods=dict(config.periods),
                  as_of=as_of, history=history,
                  stale_refs=frozenset(f"{s.objective}#{s.key_result}" for s in stale))
    weekly = digests(ctx)
    guide = {"reference": reference(schemas.load_schema(config.root, schemas.OBJECTIVE),
                                    schemas.load_schema(config.root, schemas.PEOPLE)),
             "source": config.source}
    pages = build_pages(ctx, guide=guide, stale=stale, weekly=weekly, directory_urls=directory_urls)
    files = {"okrs.json": state_json(ctx), "changelog/feed.xml": feed(ctx, weekly, site_url=site_url)}
    objectives = [ctx.objectives[k] for k in sorted(ctx.objectives)]
    data = objectives_data(ctx, objectives, ordered_periods(objectives, ctx), directory_urls=directory_urls)
    if data is not None:  # the objectives index has several pages: its filters search this
        files[OBJECTIVES_DATA] = data
    return SiteModel(pages=pages, files=files, nav=navigation(pages))


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
