"""What one build of the site model read and made, kept for the next build (``okrs serve``
rebuilds after an edit): the next build makes again only what the changed objectives
reach (``page_inputs``) and reuses the rest as it is.

Everything that is not an objective (the people registry, the history, the as-of date,
the configuration and periods, the site's address and link style, the schemas) is one
``key``: when any of it differs, every page is made again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Mapping

from generator.config import Config
from generator.history.values import Digest
from generator.model.core import Objective, People
from generator.site.page_inputs import Selection, affected_pages, changed_objectives
from generator.site.views import Context


@dataclass(frozen=True, eq=False)
class SiteMemo:
    """The inputs of one build and what the next may reuse of it."""

    key: tuple  # everything global (``global_key``)
    stale: Mapping[str, frozenset[str]]  # per objective, its stale key results
    slugs: Mapping[str, str]  # the tags' page names
    ctx: Context  # the objectives the pages were made of, with the views computed of them
    weekly: tuple[Digest, ...]  # the changelog's digests (history and as-of date only)
    week_mentions: Mapping[str, frozenset[str]]  # per week, the objectives its page names
    feed: str  # changelog/feed.xml (digests, people, site address only)
    made: frozenset[str]  # the paths of the pages this build made (the others it reused)


def global_key(*, people: People, history: Any, config: Config, as_of: date, site_url: str,
               directory_urls: bool, guide: Any, periods: list[str], current: str | None) -> tuple:
    """Everything a page may read besides the objectives, as one comparable value; the
    periods' order and the current period come from the objectives but reach every page."""
    return (people, history_identity(history), config, as_of, site_url, directory_urls, guide,
            tuple(periods), current)


def history_identity(history: Any) -> Any:
    """A cheap value equal for two readings of the same history: the commit the walk
    reached and what it found (a history without a known HEAD equals nothing)."""
    if history is None:
        return None
    if not history.available:
        return ("unavailable", history.reason)
    head = getattr(history, "head", None)
    if head is None:
        return object()
    return (head, history.commits, history.first_week, history.last_week, history.as_of_week,
            tuple(history.warnings))


def stale_by_objective(stale: list) -> dict[str, frozenset[str]]:
    """The stale key results' ids per objective."""
    found: dict[str, set[str]] = {}
    for s in stale:
        found.setdefault(s.objective, set()).add(s.key_result)
    return {ident: frozenset(krs) for ident, krs in found.items()}


def rebuild_plan(old: SiteMemo, objectives: Mapping[str, Objective], *, stale: Mapping[str, frozenset[str]],
                 slugs: Mapping[str, str], people: People) -> tuple[dict[str, Objective], Selection]:
    """For a build after ``old`` with the same key: the objectives to build with (the
    unchanged ones as the old objects: equal, and their views are computed already) and
    the pages to make again."""
    before = old.ctx.objectives
    changed = changed_objectives(before, objectives, old.stale, stale)
    reused = {ident: objective if ident in changed else before[ident] for ident, objective in objectives.items()}
    only = affected_pages(changed, (before, reused), people=people, slugs={**old.slugs, **slugs},
                          weeks=old.week_mentions)
    if old.slugs != slugs:  # a tag's page name depends on the other tags
        only = replace(only, tags=frozenset(old.slugs.values()) | frozenset(slugs.values()),
                       pages=only.pages | {"tags/index"})
    return reused, only
