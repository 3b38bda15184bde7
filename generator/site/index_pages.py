"""The objectives index (``/objectives/``, every objective, filterable) and the tag pages.

The index works without script: every objective is listed. ``assets/okrs-filter.js``
adds filters by period, status, team (a parent team matches its sub-teams' objectives
too), owner (of the objective or of one of its key results) and tag, reading the rows'
``data-*`` attributes written here.
"""

from __future__ import annotations

import json
import operator
import re
import unicodedata
from collections import Counter
from typing import Any

from generator.model.core import Objective
from generator.site import paging, views
from generator.site.links import page_url
from generator.site.page_inputs import Selection
from generator.site.render import NavPlace, Renderer, SitePage
from generator.site.rollups import sub_teams
from generator.site.views import STATUS_LABELS, STATUS_SYMBOLS, Context

OBJECTIVES_RANK = 15
TAGS_RANK = 45
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def tag_slugs(tags: list[str]) -> dict[str, str]:
    """A page name for every tag: lower case ASCII letters, digits and dashes, distinct
    (a tag already written so keeps its name; others that read the same get ``-2``,
    ``-3`` in sorted order); never
    ``index``, the tags' list itself."""
    bases = {}
    for tag in set(tags):
        ascii_text = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode("ascii")
        base = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "tag"
        bases[tag] = "index-tag" if base == "index" else base
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for tag in sorted(bases, key=lambda t: (bases[t] != t, t)):  # a tag that is its own slug keeps it
        slug, n = bases[tag], 1
        while slug in taken:
            n += 1
            slug = f"{bases[tag]}-{n}"
        taken.add(slug)
        slugs[tag] = slug
    return dict(sorted(slugs.items()))


def _team_and_parents(ctx: Context) -> dict[str, list[str]]:
    """Each team with the teams above it: filtering by a parent team shows its sub-teams' rows."""
    above: dict[str, list[str]] = {}
    for parent, children in sub_teams(ctx.people).items():
        for child in children:
            above[child] = [parent] if parent else []
    chains = {}
    for team in above:
        chain, at, seen = [team], above.get(team), {team}
        while at and at[0] not in seen:
            chain.append(at[0])
            seen.add(at[0])
            at = above.get(at[0])
        chains[team] = chain
    return chains


def _row(objective: Objective, ctx: Context, chains: dict[str, list[str]], slugs: dict[str, str]) -> dict[str, Any]:
    view = views.objective_view(objective, ctx, with_key_results=False)
    owners = sorted({objective.owner} | {kr.owner for kr in objective.key_results})
    return {**view,
            "filter": {"period": objective.period, "status": view["status"]["key"],
                       "team": " ".join(chains.get(objective.team, [objective.team])),
                       "owner": " ".join(owners), "tag": " ".join(sorted(slugs[t] for t in objective.tags))},
            "tag_links": [{"name": t, "page": f"tags/{slugs[t]}"} for t in objective.tags]}


OBJECTIVES_INDEX = "objectives/index"
OBJECTIVES_DATA = "objectives/objectives.json"  # what the filters search when the index has several pages
MAX_OPTIONS = 200  # a paged index's filter with more choices is a field to type a name or id in
_ROWS = ("objectives-index-rows",)  # the index's rows in Context.memo


def _index_rows(ctx: Context, objectives: list[Objective], periods: list[str]) -> list[dict[str, Any]]:
    """The index's rows: newest period first, then by id. Made once per context for the
    same objects (its pages, then ``objectives_data``: at ten closed years 100,000 rows);
    never to be changed by its callers."""
    hit = ctx.memo.get(_ROWS)
    if hit is not None and hit[0][1] == periods and len(hit[0][0]) == len(objectives) \
            and all(map(operator.is_, hit[0][0], objectives)):
        return hit[1]
    rows = _rows_of(ctx, objectives, periods)
    ctx.memo[_ROWS] = ((list(objectives), list(periods)), rows)
    return rows


def _rows_of(ctx: Context, objectives: list[Objective], periods: list[str]) -> list[dict[str, Any]]:
    chains = _team_and_parents(ctx)
    slugs = tag_slugs([t for o in objectives for t in o.tags])
    rank = {name: i for i, name in enumerate(periods)}
    ordered = sorted(objectives, key=lambda o: (rank.get(o.period, len(rank)), o.id))
    return [_row(o, ctx, chains, slugs) for o in ordered]


def objectives_index(r: Renderer, objectives: list[Objective], periods: list[str]) -> list[SitePage]:
    """Every objective, newest period first, then by id, paged; with the filters' choices
    (over the rows of the page when it is the only one, else over ``OBJECTIVES_DATA``)."""
    ctx = r.ctx
    chains = _team_and_parents(ctx)
    slugs = tag_slugs([t for o in objectives for t in o.tags])
    rows = _index_rows(ctx, objectives, periods)
    statuses = sorted({row["filter"]["status"] for row in rows}, key=list(STATUS_LABELS).index)
    teams = sorted({t for o in objectives for t in chains.get(o.team, [o.team])},
                   key=lambda t: (ctx.people.name_of(t).casefold(), t))
    owners = sorted({p for o in objectives for p in (o.owner, *(kr.owner for kr in o.key_results))},
                    key=lambda p: (ctx.people.name_of(p).casefold(), p))
    filters = [
        {"name": "period", "label": "Period", "options": [{"value": p, "label": p} for p in periods]},
        {"name": "status", "label": "Status",
         "options": [{"value": s, "label": STATUS_LABELS[s]} for s in statuses]},
        {"name": "team", "label": "Team", "options": [{"value": t, "label": ctx.people.name_of(t)} for t in teams]},
        {"name": "owner", "label": "Owner",
         "options": [{"value": p, "label": ctx.people.name_of(p)} for p in owners]},
        {"name": "tag", "label": "Tag", "options": [{"value": slugs[t], "label": t} for t in sorted(slugs)]},
    ]
    parts = paging.split(OBJECTIVES_INDEX, rows)
    for f in filters:
        f["typed"] = False
    if len(parts) > 1:  # on every page of a large index a choice of thousands would outweigh the rows
        for f in filters:
            if len(f["options"]) > MAX_OPTIONS:
                f["typed"] = True
                f["options"] = f["options"][:1]  # the field is kept when there is anything to choose
    return [r.render(part.page, "objectives_index.html", paging.titled("Objectives", part),
                     nav=NavPlace("Objectives", OBJECTIVES_RANK) if part.number == 1 else None,
                     rows=part.rows, pager=part.pager, data=OBJECTIVES_DATA if part.pager else None,
                     filters=[f for f in filters if f["options"]], total=len(rows))
            for part in parts]


def objectives_data(ctx: Context, objectives: list[Objective], periods: list[str], *,
                    directory_urls: bool = True) -> str | None:
    """The objectives index's rows as compact JSON for its filters, when the index has
    several pages: ``{"people": {id: [name, page or ""]}, "statuses": {key: [label,
    symbol]}, "tags": {slug: [name, page]}, "pages": {"objective": "objectives/{}/", ...},
    "columns": [...], "objectives": [[...], ...]}``; pages are addresses from the site's root. None when the index is one page (its
    filters read its rows)."""
    if len(objectives) <= paging.PAGE_SIZE:
        return None
    rows = _index_rows(ctx, objectives, periods)
    people: dict[str, list[str]] = {}

    def who(view: dict[str, Any]) -> str:
        people.setdefault(view["id"], [view["name"], page_url(view["page"], directory_urls=directory_urls)
                                       if view["page"] else ""])
        return view["id"]

    for o in rows:  # the names a typed filter matches: key results' owners and parent teams too
        for ident in (o["filter"]["owner"] + " " + o["filter"]["team"]).split():
            if ident not in people:
                who(views.person_view(ident, ctx.people))

    data = {
        # An objective's team is the first of its teams (the team, then the teams above it).
        "columns": ["id", "title", "period", "status", "progress", "score", "owner", "filter_team",
                    "filter_owner", "tags"],
        "objectives": [[o["id"], o["title"], o["period"], o["status"]["key"], o["progress"], o["score"] or "",
                        who(o["owner"]), o["filter"]["team"], o["filter"]["owner"], o["filter"]["tag"]]
                       for o in rows],
        # Pages by id: "{}" stands for the objective's id, the period's name.
        "pages": {"objective": page_url(views.objective_page("{}"), directory_urls=directory_urls),
                  "period": page_url("periods/{}", directory_urls=directory_urls)},
        "statuses": {k: [STATUS_LABELS[k], STATUS_SYMBOLS.get(k, "")] for k in STATUS_LABELS},
        "tags": {slug: [tag, page_url(f"tags/{slug}", directory_urls=directory_urls)]
                 for tag, slug in tag_slugs([t for o in objectives for t in o.tags]).items()},
    }
    data["people"] = dict(sorted(people.items()))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def tag_pages(r: Renderer, objectives: list[Objective], periods: list[str], *,
              only: Selection | None = None) -> list[SitePage]:
    """One page per tag (its objectives, newest period first; of ``only``: those it names) and the list of tags."""
    ctx = r.ctx
    slugs = tag_slugs([t for o in objectives for t in o.tags])
    if not slugs:
        return []
    chains = _team_and_parents(ctx)
    rank = {name: i for i, name in enumerate(periods)}
    tagged: dict[str, list[Objective]] = {}
    for objective in objectives:  # one pass, not one per tag
        for tag in dict.fromkeys(objective.tags):
            tagged.setdefault(tag, []).append(objective)
    pages, rows = [], []
    for tag in sorted(slugs, key=lambda t: (t.casefold(), t)):
        mine = sorted(tagged[tag], key=lambda o: (rank.get(o.period, len(rank)), o.id))
        if only is None or only.wants("tags", slugs[tag]):
            pages += _tag_pages(r, tag, slugs, mine, periods, chains)
        rows.append({"name": tag, "page": f"tags/{slugs[tag]}", "objectives": len(mine)})
    if only is None or only.wants("pages", "tags/index"):
        pages.append(r.render("tags/index", "tags_index.html", "Tags", nav=NavPlace("Tags", TAGS_RANK), tags=rows))
    return pages


def _tag_pages(r: Renderer, tag: str, slugs: dict[str, str], tagged: list[Objective], periods: list[str],
               chains: dict[str, list[str]]) -> list[SitePage]:
    """A tag's pages: its objectives of the newest periods it is in (``paging.recent_periods``),
    newest first and paged, and on the first page its earlier periods a line each (the
    objectives counted, linking to them in the objectives index)."""
    ctx, slug = r.ctx, slugs[tag]
    counts = Counter(o.period for o in tagged)
    recent, earlier = paging.recent_periods(counts, periods)
    lines = [{"period": name, "page": f"periods/{name}", "objectives": counts[name],
              "filtered": {"tag": slug, "period": name}} for name in earlier]
    rows = [o for o in tagged if o.period in recent]
    return [r.render(part.page, "tag.html", paging.titled(f"Tag: {tag}", part), tag=tag, total=len(tagged),
                     pager=part.pager, recent=len(recent), earlier=lines if part.number == 1 else [],
                     has_earlier=bool(lines), first=f"tags/{slug}", listed=len(rows),
                     objectives=[_row(o, ctx, chains, slugs) for o in part.rows])
            for part in paging.split(f"tags/{slug}", rows)]
