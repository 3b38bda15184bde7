"""What one build of the site model read and made, kept for the next build (``okrs serve``
rebuilds after an edit): the next build makes again only what the changed objectives
reach (``page_inputs``) and reuses the rest as it is.

Everything that is not an objective (the people registry, the history, the as-of date,
the configuration and periods, the site's address and link style, the schemas) is one
``key``: when any of it differs, every page is made again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from generator.config import Config
from generator.history.values import Digest
from generator.model.core import Objective, People
from generator.site.views import Context


@dataclass(frozen=True, eq=False)
class SiteMemo:
    """The inputs of one build and what the next may reuse of it."""

    key: tuple  # everything global (``global_key``)
    objectives: Mapping[str, Objective]  # the objectives the pages were made of
    stale: Mapping[str, frozenset[str]]  # per objective, its stale key results
    slugs: Mapping[str, str]  # the tags' page names
    ctx: Context  # with the views it computed
    weekly: tuple[Digest, ...] | None  # the changelog's digests (history and as-of date only)
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


def reused_objectives(old: Mapping[str, Objective], new: Mapping[str, Objective],
                      changed: set[str]) -> dict[str, Objective]:
    """The new objectives, the unchanged ones as the old objects (equal, and their views
    are computed already)."""
    return {ident: objective if ident in changed else old[ident] for ident, objective in new.items()}
