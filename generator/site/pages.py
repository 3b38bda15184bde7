"""Every page of the site, rendered on every core for a large site.

Pure: a Context (the model and its history) in, SitePages out.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from generator.history.values import Digest
from generator.reading.rule_codes import RULES
from generator.runtime.parallel import available_cores, map_items
from generator.site.alignment import alignment
from generator.site.dashboard import attention_pages, dashboard, needs_attention
from generator.site.entity_pages import objective_pages, people_index, people_pages, team_index, team_pages
from generator.site.history_pages import changelog_pages, week_parts
from generator.site.index_pages import objectives_index, tag_pages
from generator.site.learnings import learnings_pages
from generator.site.page_inputs import Selection, made_every_time
from generator.site.periods import current_period, ordered_periods, period_pages
from generator.site.render import NavPlace, Renderer, SitePage
from generator.site.views import Context

HOW_TO_EDIT_RANK = 90
MIN_ENTITIES_PER_CORE = 500  # below this, starting processes costs more than it saves


def build_pages(ctx: Context, *, guide: dict[str, Any], stale: Sequence = (), weekly: Sequence[Digest] | None = None,
                directory_urls: bool = True, only: Selection | None = None,
                earlier: Mapping[str, SitePage] | None = None) -> list[SitePage]:
    """Every generated page of the site, sorted by path.

    ``guide`` feeds "How to edit OKRs": ``{"reference": schema_docs.reference(...), "source": "okrs"}``;
    ``stale`` is the history's stale key results as of the build; ``weekly`` the changelog's digests (None: no changelog pages);
    ``only``: of the pages of one thing (objective, team, person, tag, period, week) only those it names,
    and every other page (see page_inputs); ``earlier``: the pages of the build before, by path, of
    which those made every time are reused while what they read is the same (see Renderer).
    """
    renderer = Renderer(ctx, directory_urls=directory_urls, earlier=earlier, made_every_time=made_every_time)
    objectives = [ctx.objectives[k] for k in sorted(ctx.objectives)]
    current = current_period(objectives, ctx)
    periods = ordered_periods(objectives, ctx)
    # Every page stands alone: a large site renders them on every core, the longest
    # first (the results are the same as in one process, and sorted).
    entities = len(objectives) + len(ctx.people.persons) + len(ctx.people.teams)
    workers = None if entities >= MIN_ENTITIES_PER_CORE * 2 and only is None else 1
    chunks = 4 * min(available_cores(), 8) if workers is None else 1
    groups = [(kind, 0, 1) for kind in ("changelog", "attention", "periods", "alignment", "indexes",
                                        "objectives-index", "tags", "how-to-edit", "learnings")]
    groups += [(kind, k, chunks) for kind in ("objectives", "people", "teams") for k in range(chunks)]
    shared = (renderer, objectives, periods, current, list(stale), guide, None if weekly is None else list(weekly), only)
    pages = [page for group in map_items(_page_group, groups, shared, min_items=1, workers=workers) for page in group]
    return sorted(pages, key=lambda p: p.path)


def _page_group(group: tuple[str, int, int], shared: tuple) -> list[SitePage]:
    """The pages of one kind (for objectives, people and teams: share ``index`` of ``count``)."""
    kind, index, count = group
    r, objectives, periods, current, stale, guide, weekly, only = shared
    share = (index, count)
    if kind == "changelog":
        return changelog_pages(r, weekly, only=only) if weekly is not None else []
    if kind == "attention":  # the dashboard and the "Needs attention" pages: one finding of it
        found = needs_attention(r.ctx, objectives, current, stale)
        return [dashboard(r, found), *attention_pages(r, found)]
    if kind == "objectives-index":
        return objectives_index(r, objectives, periods)
    if kind == "tags":
        return tag_pages(r, objectives, periods, only=only)
    if kind == "periods":
        return period_pages(r, objectives, periods, current, only=only)
    if kind == "alignment":
        return alignment(r, objectives, periods)
    if kind == "indexes":
        return [page for name, make in (("teams/index", team_index), ("people/index", people_index))
                if only is None or only.wants("pages", name) for page in make(r, objectives)]
    if kind == "learnings":
        return learnings_pages(r, objectives) if only is None or only.wants("pages", "learnings") else []
    if kind == "how-to-edit":
        if only is not None and not only.wants("pages", "how-to-edit"):
            return []
        return [r.render("how-to-edit", "how_to_edit.html", "How to edit OKRs",
                         nav=NavPlace("How to edit OKRs", HOW_TO_EDIT_RANK),
                         reference=guide["reference"], source=guide["source"], rules=sorted(RULES.items()))]
    if kind == "objectives":
        return objective_pages(r, objectives, share=share, weeks=week_parts(weekly) if weekly is not None else {},
                               only=only)
    if kind == "people":
        return people_pages(r, objectives, periods, share=share, only=only)
    return team_pages(r, objectives, periods, share=share, only=only)
