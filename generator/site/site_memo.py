"""What one build of the site model read and made, kept for the next build (in memory
under ``okrs serve``, in the build cache across runs: ``saved_model``): the next build
makes again only what the changed objectives reach (``page_inputs``) and reuses the rest.

An objective has changed when it differs, or its stale key results do, or what the
history says of it (``History.footprint``: its log, its key results' series and last
check-ins). A week of the changelog is made again when its digest differs. Everything
else a page may read (the people registry, the as-of date, the configuration and
periods, the history's span of weeks and its warnings, the site's address and link
style, the schemas, the bounds of long lists) is one ``key``: when any of it differs,
every page is made again. A new commit thus remakes the pages of what it changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Mapping

from generator.config import Config
from generator.history.values import Digest
from generator.model.core import Objective, People
from generator.site import entity_pages, history_pages, learnings, paging
from generator.runtime.fingerprint import fingerprint, quick_fingerprint
from generator.site.page_inputs import Selection, affected_pages, changed_objectives
from generator.site.history_views import KeptWeek
from generator.site.views import Context


@dataclass(frozen=True, eq=False)
class SiteMemo:
    """The inputs of one build and what the next may reuse of it."""

    key: str  # everything global (``global_key``)
    objectives: Mapping[str, Objective]  # the objectives the pages were made of
    marks: Mapping[str, str]  # per objective, a digest of what the history says of it (``history_marks``)
    stale: Mapping[str, frozenset[str]]  # per objective, its stale key results
    slugs: Mapping[str, str]  # the tags' page names
    weeks: Mapping[str, str]  # per week id, a digest of its changelog (``Digest``)
    week_mentions: Mapping[str, frozenset[str]]  # per week, the objectives its page names
    feed: str  # changelog/feed.xml (digests, people, site address only)
    made: frozenset[str]  # the paths of the pages this build made (the others it reused)
    head: str | None = None  # the commit the history reached (None: not known)
    ctx: Context | None = None  # in memory only: the views computed, and the history walked
    weekly: tuple[Digest, ...] | None = None  # in memory only: the changelog's digests
    entries: Mapping[str, str] = field(default_factory=dict)  # okrs.json's entry of each objective
    kept: Mapping[str, KeptWeek] = field(default_factory=dict)  # per week id, what a later build keeps of it


def global_key(*, people: People, history: Any, config: Config, as_of: date, site_url: str,
               directory_urls: bool, guide: Any, periods: list[str], current: str | None) -> str:
    """Everything a page may read besides the objectives and their history, as a digest
    that is the same in every process; the periods' order and the current period come
    from the objectives but reach every page."""
    return fingerprint(["site", people, history_span(history), config, as_of, site_url, directory_urls, guide,
                        periods, current, bounds()])


def bounds() -> tuple:
    """The sizes that split and cap the lists of the pages and files a rebuild may keep
    (module constants: a test lowers them); the pages made every time read their own."""
    return (paging.PAGE_SIZE, paging.CAP, paging.NEARBY, entity_pages.TEAM_TREE_DEPTH, paging.RECENT_PERIODS,
            history_pages.FEED_WEEKS, learnings.PER_PAGE)


def history_span(history: Any) -> Any:
    """What every page may read of the history: whether there is one (or why not), its
    weeks and its warnings. What it says of each objective is in ``history_marks``."""
    if history is None:
        return None
    if not history.available:
        return ["unavailable", history.reason]
    return [history.first_week, history.last_week, history.as_of_week, history.warnings]


def history_marks(history: Any, objectives: Mapping[str, Objective],
                  parts: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """Per objective, a digest of what the history says of it and of the changelog pages
    that list it (``parts``: per week, each objective's page; none without a history)."""
    if history is None or not history.available:
        return {}
    listed: dict[str, list] = {}
    for week, pages in parts.items():
        for ident, page in pages.items():
            listed.setdefault(ident, []).append((week, page))
    return {ident: fingerprint([history.footprint(ident, tuple(kr.id for kr in o.key_results)), listed.get(ident)])
            for ident, o in objectives.items()}


def marks_after(old: SiteMemo | None, history: Any, objectives: Mapping[str, Objective],
                parts: Mapping[str, Mapping[str, str]], weeks: Mapping[str, str]) -> dict[str, str]:
    """``history_marks`` of the objectives, those of ``old`` (a build at an earlier commit)
    kept where the history vouches that they are the same: an objective no commit since
    touched (``History.touched_after``), equal to what ``old`` had, and listed in no week
    whose changelog differs. After one commit that is a few objectives, not all of them."""
    touched = history.touched_after(old.head) if old is not None and history is not None else None
    if touched is None:
        return history_marks(history, objectives, parts)
    again = set(touched) | (objectives.keys() - old.marks.keys())
    again |= {ident for ident, o in objectives.items() if old.objectives.get(ident) != o}
    for week, mark in weeks.items():
        if mark != old.weeks.get(week):
            again |= old.week_mentions.get(week, frozenset()) | parts.get(week, {}).keys()
    kept = {ident: old.marks[ident] for ident in objectives if ident not in again}
    return {**kept, **history_marks(history, {i: objectives[i] for i in again if i in objectives}, parts)}


def week_marks(weekly: tuple[Any, ...]) -> dict[str, str]:
    """Per week id, a digest of its changelog (of a week kept from the last build, the one it had).
    The quick one: a digest holds no sets, so its pickle is the same in every process (and
    a week's changelog is thousands of changes at 10,000 objectives: 3.4 s as JSON)."""
    return {d.week.id: quick_fingerprint(d) if isinstance(d, Digest) else d.mark for d in weekly}


def stale_by_objective(stale: list) -> dict[str, frozenset[str]]:
    """The stale key results' ids per objective."""
    found: dict[str, set[str]] = {}
    for s in stale:
        found.setdefault(s.objective, set()).add(s.key_result)
    return {ident: frozenset(krs) for ident, krs in found.items()}


def rebuild_plan(old: SiteMemo, objectives: Mapping[str, Objective], *, marks: Mapping[str, str],
                 stale: Mapping[str, frozenset[str]], slugs: Mapping[str, str], people: People,
                 weeks: Mapping[str, str]) -> tuple[dict[str, Objective], Selection]:
    """For a build after ``old`` with the same key: the objectives to build with (the
    unchanged ones as the old objects: equal, and their views are computed already) and
    the pages to make again."""
    before = old.objectives
    changed = changed_objectives(before, objectives, old.stale, stale)
    changed |= {ident for ident in objectives.keys() & before.keys() if old.marks.get(ident) != marks.get(ident)}
    reused = {ident: objective if ident in changed else before[ident] for ident, objective in objectives.items()}
    only = affected_pages(changed, (before, reused), people=people, slugs={**old.slugs, **slugs},
                          weeks=old.week_mentions)
    if old.slugs != slugs:  # a tag's page name depends on the other tags
        only = replace(only, tags=frozenset(old.slugs.values()) | frozenset(slugs.values()),
                       pages=only.pages | {"tags/index"})
    if weeks != old.weeks:  # the weeks are the same (the key): their changelogs differ
        only = replace(only, changelog=only.changelog | {w for w in weeks if weeks[w] != old.weeks.get(w)},
                       pages=only.pages | {"changelog/index"})
    return reused, only
