"""What each page of the site reads, so that a rebuild makes again only the pages whose
inputs changed (``build.build_site_model(..., previous=...)``).

Pure: two states of the objectives in, a ``Selection`` of pages out. A page is named by
its key, ``(kind, name)``: ``("objectives", id)``, ``("teams", id)``, ``("people", id)``,
``("tags", slug)``, ``("periods", name)``, ``("changelog", week id)``, and the pages of
the whole site that read little of each objective (``SITE_PAGE_READS``) ``("pages",
path)``; every other page (dashboard, attention, alignment, the objectives' and periods'
indexes) reads all of every objective and is made every time. What a page of
each kind reads:

- an objective's page: itself, its parent, its children, what it continues and what
  continues it (their ids: a link appears when such an objective appears);
- a team's page: the objectives of the team and of its sub-teams;
- a person's page: the objectives they own, own a key result of, or contribute to;
- a tag's page: the objectives with the tag; a period's page: the objectives in it;
- a week of the changelog: of the objectives its changes, stale key results and closings
  name, whether they are there, their key results' ids and their titles (the rest comes
  from the history, which is the same, or everything is made again); the changelog's
  index reads the weeks' counts only, which come from the history.

A page is made again when what it reads in the old or the new state meets the changed
objectives: so a page that loses or gains an objective is made again too.

A long list is paged (``paging``): its later pages (``tags/x/2``, ``teams/2``,
``objectives/ID/aligned/2`` …) have the key of its first page and are made with it, all
of them, so rows that move between pages, and pages that come or go, follow the edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from generator.history.values import Digest
from generator.model import retrospective
from generator.model.core import Objective, People
from generator.site import paging
from generator.site.render import SitePage
from generator.site.views import ALIGNED
from generator.site.rollups import descendants, sub_teams

PageKey = tuple[str, str]
ENTITY_KINDS = ("objectives", "teams", "people", "tags", "periods", "changelog")
# The indexes paged as SECTION/2, SECTION/3 … (the tags', periods' and changelog's are one page).
PAGED_INDEXES = frozenset({"objectives/index", "teams/index", "people/index"})
# Pages of the whole site and what they read of each objective: made again when that
# differs for a changed objective (or it appears or goes).
SITE_PAGE_READS: dict[str, Callable[[Objective], Any]] = {
    "teams/index": lambda o: o.team,  # objectives per team
    "people/index": lambda o: (o.owner, tuple(kr.owner for kr in o.key_results)),  # owned, per person
    "tags/index": lambda o: o.tags,  # objectives per tag (the tags' page names are the same)
    "changelog/index": lambda o: None,  # the weeks' counts: the history's
    "how-to-edit": lambda o: None,  # the schemas and rules
    # the retrospectives, all of an objective that has one (the rest: none, the same)
    "learnings": lambda o: o if retrospective.split(o.body)[1] is not None else None,
}


@dataclass(frozen=True)
class Selection:
    """The pages of each kind to make (by key name); the pages of no kind are always made."""

    objectives: frozenset[str] = frozenset()
    teams: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()  # slugs
    periods: frozenset[str] = frozenset()
    changelog: frozenset[str] = frozenset()  # week ids
    pages: frozenset[str] = frozenset()  # of SITE_PAGE_READS

    def wants(self, kind: str, name: str) -> bool:
        """Whether the page ``(kind, name)`` is to be made."""
        return name in getattr(self, kind)


def page_key(path: str) -> PageKey | None:
    """The key of a page by its path (``objectives/a/b.md`` -> ``("objectives", "a/b")``);
    None for a page made every time (an index, the dashboard, ...). A later page of a paged
    list has the key of the list's first page (``tags/x/2`` -> ``("tags", "x")``)."""
    name = first_page(path.removesuffix(".md"))
    if name in SITE_PAGE_READS:
        return "pages", name
    section, _, rest = name.partition("/")
    if section not in ENTITY_KINDS or not rest or rest == "index":
        return None
    return section, rest


def made_every_time(path: str) -> bool:
    """Whether the page at ``path`` is made on every build (no key: it reads all of every
    objective); the renderer reuses it while what it was made of is the same."""
    return page_key(path) is None


def merged_pages(previous: Sequence[SitePage], made: Sequence[SitePage], only: Selection) -> list[SitePage]:
    """The pages ``made`` again and the ``previous`` ones not to be made again, by path."""
    kept = [p for p in previous if (key := page_key(p.path)) is not None and not only.wants(*key)]
    return sorted([*kept, *made], key=lambda p: p.path)


def first_page(name: str) -> str:
    """The first page of the paged list whose later page is ``name`` (``teams/2`` ->
    ``teams/index``, ``periods/2026-Q4/3`` -> ``periods/2026-Q4``, ``objectives/a/b/aligned/2``
    -> ``objectives/a/b``); ``name`` itself for any other page."""
    later = paging.numbered(name)
    if later is None:
        return name
    folder = later[0]
    if folder in SITE_PAGE_READS:  # learnings/2
        return folder
    section, _, rest = folder.partition("/")
    if not rest:  # objectives/2: an index's (a tag, period or week named "2" is tags/2 …)
        return f"{section}/index" if f"{section}/index" in PAGED_INDEXES else name
    if section == "objectives":  # objectives/a/2 is the objective a/2, objectives/a/aligned/2 a's list
        return folder.removesuffix(f"/{ALIGNED}") if folder.endswith(f"/{ALIGNED}") else name
    return folder if section in ("tags", "periods", "changelog") and "/" not in rest else name


def changed_objectives(old: Mapping[str, Objective], new: Mapping[str, Objective],
                       old_stale: Mapping[str, frozenset[str]], new_stale: Mapping[str, frozenset[str]]) -> set[str]:
    """The ids of the objectives that differ, appeared or disappeared (or whose stale key
    results differ) between two states."""
    changed = {ident for ident in old.keys() | new.keys() if old.get(ident) != new.get(ident)}
    changed |= {ident for ident in old_stale.keys() | new_stale.keys()
                if old_stale.get(ident, frozenset()) != new_stale.get(ident, frozenset())}
    return changed


def week_mentions(weekly: Sequence[Any]) -> dict[str, frozenset[str]]:
    """Per week id, the objectives its changelog page names (and looks up); of a week kept
    from the last build (``history_views.KeptWeek``), those it named."""
    found = {}
    for digest in weekly:
        if not isinstance(digest, Digest):
            found[digest.week.id] = digest.mentions
            continue
        ids = {c.objective for c in digest.changes} | {s.objective for s in digest.stale}
        ids |= {i for closing in digest.closings for i, _ in closing.scores}
        found[digest.week.id] = frozenset(ids)
    return found


def affected_pages(changed: set[str], states: Iterable[Mapping[str, Objective]], *, people: People,
                   slugs: Mapping[str, str], weeks: Mapping[str, frozenset[str]]) -> Selection:
    """The pages that read one of the ``changed`` objectives in any of the ``states``
    (the old and the new objectives; the people, tags' slugs and weeks are the same in both)."""
    states = list(states)
    covering = _covering_teams(people)
    objectives, teams, persons, tags, periods = set(), set(), set(), set(), set()
    for state in states:
        for objective in state.values():
            if objective.parent in changed or objective.carried_from in changed:
                objectives.add(objective.id)  # it shows its parent / links what it continues
        for ident in changed & state.keys():
            o = state[ident]
            objectives.update(i for i in (o.id, o.parent, o.carried_from) if i)  # they list it / link it
            teams.update(covering.get(o.team, ()))
            persons.update((o.owner, *(kr.owner for kr in o.key_results), *o.contributors))
            tags.update(slugs[t] for t in o.tags if t in slugs)
            periods.add(o.period)
    named = {ident for ident in changed if len({_as_named(s.get(ident)) for s in states}) > 1}
    changelog = {week for week, ids in weeks.items() if ids & named}
    site_pages = {page for page, read in SITE_PAGE_READS.items()
                  if any(len({_absent_or(read, s.get(ident)) for s in states}) > 1 for ident in changed)}
    return Selection(objectives=frozenset(objectives), teams=frozenset(teams), people=frozenset(persons),
                     tags=frozenset(tags), periods=frozenset(periods), changelog=frozenset(changelog),
                     pages=frozenset(site_pages))


def _absent_or(read: Callable[[Objective], Any], objective: Objective | None) -> Any:
    """What a page reads of an objective; a marker of its own for none."""
    return ("absent",) if objective is None else ("present", read(objective))


def _as_named(objective: Objective | None) -> tuple | None:
    """What a changelog week reads of an objective it names."""
    return None if objective is None else (objective.title, tuple(kr.id for kr in objective.key_results))


def _covering_teams(people: People) -> dict[str, set[str]]:
    """Per team, the teams whose page shows its objectives: itself and the teams above it."""
    children = sub_teams(people)
    covering: dict[str, set[str]] = {}
    for team in people.teams:
        for below in (team, *descendants(team, children)):
            covering.setdefault(below, set()).add(team)
    return covering
