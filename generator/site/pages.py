"""Model (+ history) -> the site's generated pages, rendered with Jinja2 templates.

Pure: data in, strings out. The MkDocs adapter turns these into MkDocs files.
Every value from a file reaches the output through autoescaping templates, or through
``narrative_html`` (Markdown with raw HTML disabled; past the limits of narrative.py,
escaped plain text), or JSON encoding.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterator

import jinja2
import markdown

from generator.site import history_views
from generator.site import views
from generator.reading.narrative import narrative_problem
from generator.model.core import DRAFT, DROPPED, Objective
from generator.runtime.parallel import available_cores, map_items
from generator.reading.rules import RULES
from generator.site.views import Context


HTML_MARKER = "<!-- okrs: generated HTML -->"  # the first line of every page body


@dataclass(frozen=True)
class GeneratedPage:
    """One page: ``uri`` like ``teams/platform.md``; ``edit_path`` for the edit link."""

    uri: str
    title: str
    content: str
    edit_path: str | None = None


def page_url(page: str, *, directory_urls: bool = True) -> str:
    """``teams/platform`` -> ``teams/platform/``; ``index`` -> ``''`` (or ``.html`` files)."""
    if not directory_urls:
        return page + ".html"
    if page == "index" or page.endswith("/index"):
        return page[: -len("index")]
    return page + "/"


def relative_link(from_page: str, to_page: str, *, directory_urls: bool = True, anchor: str = "") -> str:
    """The link from one generated page to another, relative so the site works anywhere."""
    source = page_url(from_page, directory_urls=directory_urls)
    base = source if not source or source.endswith("/") else posixpath.dirname(source)
    target = page_url(to_page, directory_urls=directory_urls)
    rel = _relpath(target or ".", base.rstrip("/") or ".")
    if not target or target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for the site's own relative paths, without its two abspath calls
    (a site links a hundred thousand times); anything unusual takes posixpath's way."""
    if path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    path, start = path.rstrip("/") or ".", start.rstrip("/") or "."  # as normpath does
    parts = [] if path == "." else path.split("/")
    base = [] if start == "." else start.split("/")
    if any(p in ("", ".", "..") for p in parts) or any(p in ("", ".", "..") for p in base):
        return posixpath.relpath(path, start)
    common = 0
    for mine, theirs in zip(parts, base):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env


def _narrative_converter() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    # Raw HTML in a narrative is shown as text, never passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_SafeLinks(md), "okrs-safe-links", 0)  # after the inline links
    return md


_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}


def safe_url(url: str) -> bool:
    """Relative, http(s) or mailto: never javascript:, data: and the like.

    Browsers decode entities and drop tabs, newlines and spaces before reading the scheme,
    so `java&#x09;script:` must be refused as well.
    """
    plain = "".join(ch for ch in html.unescape(url) if ord(ch) > 0x20)
    scheme = _URL_SCHEME.match(plain)
    return scheme is None or scheme[1].lower() in _SAFE_SCHEMES


class _SafeLinks(markdown.treeprocessors.Treeprocessor):
    """A narrative's links and images keep safe URLs only; an unsafe one is dropped."""

    def run(self, root):
        for element in root.iter():
            for attribute in ("href", "src"):
                url = element.get(attribute)
                if url is not None and not safe_url(url):
                    del element.attrib[attribute]


def narrative_html(text: str) -> str:
    if not text.strip():
        return ""
    if narrative_problem(text) is not None:  # okrs check warns: narrative-too-complex
        return plain_narrative_html(text)
    converter = _shared_converter()
    converter.reset()  # one converter for every narrative: making one costs more than converting
    try:
        return converter.convert(text)
    except RecursionError:  # nesting the limits did not foresee: shown, as text, rather than lost
        return plain_narrative_html(text)


def plain_narrative_html(text: str) -> str:
    """A narrative too complex to render as Markdown, as escaped preformatted text."""
    return f'<pre class="okrs-narrative-plain" style="white-space: pre-wrap">{html.escape(text, quote=False)}</pre>'


@lru_cache(maxsize=1)
def _shared_converter() -> markdown.Markdown:
    return _narrative_converter()


class Renderer:
    """Renders templates for one site: knows the link style and the shared context."""

    def __init__(self, ctx: Context, *, directory_urls: bool = True) -> None:
        self.ctx = ctx
        self.directory_urls = directory_urls

    def render(self, page: str, template: str, title: str, **values: Any) -> GeneratedPage:
        def link(target: str | None, anchor: str = "") -> str | None:
            if target is None:
                return None
            return relative_link(page, target, directory_urls=self.directory_urls, anchor=anchor)

        def file(path: str) -> str:
            """A link to a file of the site (not a page), like changelog/feed.xml."""
            url = page_url(page, directory_urls=self.directory_urls)
            base = url if not url or url.endswith("/") else posixpath.dirname(url)
            return _relpath(path, base.rstrip("/") or ".")

        values.setdefault("history_note", history_note(self.ctx.history))
        for optional in ("log", "stale", "movers"):
            values.setdefault(optional, [])
        values.setdefault("movers_heading", "This week's biggest movers")
        body = _environment().get_template(template).render(
            link=link, file=file, title=title, as_of=self.ctx.as_of.isoformat(), **values
        )
        # Front matter sets the page title; MkDocs themes print it unescaped, so escape it here.
        front = "---\n" + "title: " + json.dumps(html.escape(title, quote=False)) + "\n---\n"
        # The body is complete HTML: the marker lets the MkDocs adapter pass it through unparsed.
        return GeneratedPage(uri=page + ".md", title=title, content=front + HTML_MARKER + "\n" + body)


def history_note(history: Any) -> str | None:
    """What to say where history would be shown but is not available."""
    if history is None:
        return "History is not shown: this build did not read the git history."
    if not getattr(history, "available", False):
        return getattr(history, "reason", None) or "History is unavailable."
    return None


def current_period(objectives: list[Objective], ctx: Context) -> str | None:
    """The period that contains the as-of date (the shortest such), else the latest one."""
    names = sorted({o.period for o in objectives})
    spans = [(ctx.period(n), n) for n in names]
    containing = [(p.days, n) for p, n in spans if p and p.contains(ctx.as_of)]
    if containing:
        return min(containing)[1]
    started = [(p.start, n) for p, n in spans if p and p.start <= ctx.as_of]
    return max(started)[1] if started else (names[-1] if names else None)


def ordered_periods(objectives: list[Objective], ctx: Context) -> list[str]:
    """Newest first (by start date, then name)."""
    names = {o.period for o in objectives}

    def key(name: str) -> tuple:
        period = ctx.period(name)
        return (period.start.toordinal() if period else 0, name)

    return sorted(names, key=key, reverse=True)


def build_pages(ctx: Context, *, guide: dict[str, Any], stale: list = (), directory_urls: bool = True,
                extra: Callable[[Renderer], list[GeneratedPage]] | None = None) -> list[GeneratedPage]:
    """Every generated page of the site, sorted by uri.

    ``guide`` feeds "How to edit OKRs": ``{"reference": schema_docs.reference(...), "source": "okrs"}``;
    ``stale`` is the history's stale key results as of the build.
    """
    renderer = Renderer(ctx, directory_urls=directory_urls)
    objectives = [ctx.objectives[k] for k in sorted(ctx.objectives)]
    current = current_period(objectives, ctx)
    periods = ordered_periods(objectives, ctx)
    # Every page stands alone: a large site renders them on every core, the longest
    # first (the results are the same as in one process, and sorted).
    entities = len(objectives) + len(ctx.people.persons) + len(ctx.people.teams)
    workers = None if entities >= MIN_ENTITIES_PER_CORE * 2 else 1
    chunks = 4 * min(available_cores(), 8) if workers is None else 1
    groups = [(kind, 0, 1) for kind in ("extra", "dashboard", "periods", "alignment", "indexes", "how-to-edit")]
    groups += [(kind, k, chunks) for kind in ("objectives", "people", "teams") for k in range(chunks)]
    shared = (renderer, objectives, periods, current, stale, guide, extra)
    pages = [page for group in map_items(_page_group, groups, shared, min_items=1, workers=workers) for page in group]
    return sorted(pages, key=lambda p: p.uri)


MIN_ENTITIES_PER_CORE = 500  # below this, starting processes costs more than it saves


def _page_group(group: tuple[str, int, int], shared: tuple) -> list[GeneratedPage]:
    """The pages of one kind (for objectives, people and teams: share ``index`` of ``count``)."""
    kind, index, count = group
    r, objectives, periods, current, stale, guide, extra = shared
    share = (index, count)
    if kind == "extra":
        return extra(r) if extra is not None else []
    if kind == "dashboard":
        return [_dashboard(r, objectives, current, stale)]
    if kind == "periods":
        return _period_pages(r, objectives, periods, current)
    if kind == "alignment":
        return [_alignment(r, objectives, periods)]
    if kind == "indexes":
        return [_team_index(r, objectives), _people_index(r, objectives)]
    if kind == "how-to-edit":
        return [r.render("how-to-edit", "how_to_edit.html", "How to edit OKRs",
                         reference=guide["reference"], source=guide["source"], rules=sorted(RULES.items()))]
    if kind == "objectives":
        return _objective_pages(r, objectives, share=share)
    if kind == "people":
        return _people_pages(r, objectives, periods, share=share)
    return _team_pages(r, objectives, periods, share=share)


def _in_period(objectives: list[Objective], period: str | None) -> list[Objective]:
    return [o for o in objectives if o.period == period]


def _dashboard(r: Renderer, objectives: list[Objective], current: str | None, stale: list) -> GeneratedPage:
    ctx = r.ctx
    now = _in_period(objectives, current)
    teams = []
    for team_id in sorted({o.team for o in now}):
        mine = [o for o in now if o.team == team_id]
        teams.append({"team": views.person_view(team_id, ctx.people), "objectives": len(mine),
                      "progress": views.mean_progress(mine)})
    period = ctx.period(current) if current else None
    movers_heading, movers = history_views.movers(ctx)
    return r.render(
        "index", "dashboard.html", "OKR dashboard",
        movers_heading=movers_heading, movers=movers, stale=history_views.stale_rows(ctx, stale),
        period=current,
        period_span={"start": period.start.isoformat(), "end": period.end.isoformat(),
                     "elapsed": views.percent(period.elapsed(ctx.as_of))} if period else None,
        overall=views.mean_progress(now),
        objectives=[views.objective_view(o, ctx, with_key_results=False) for o in now
                    if o.declared_status not in (DRAFT,)],
        counts=views.status_counts(now, ctx),
        teams=teams,
        attention=views.attention(now, ctx),
    )


def _objective_pages(r: Renderer, objectives: list[Objective], *,
                     share: tuple[int, int] = (0, 1)) -> list[GeneratedPage]:
    ctx = r.ctx
    children: dict[str, list[Objective]] = {}
    for objective in objectives:
        if objective.parent:
            children.setdefault(objective.parent, []).append(objective)
    pages = []
    for objective in objectives[share[0]::share[1]]:
        parent = ctx.objectives.get(objective.parent) if objective.parent else None
        page = r.render(
            views.objective_page(objective.id), "objective.html", objective.title,
            objective=views.objective_view(objective, ctx),
            parent=views.objective_view(parent, ctx, with_key_results=False) if parent else None,
            children=[views.objective_view(c, ctx, with_key_results=False) for c in children.get(objective.id, [])],
            narrative=jinja2.utils.markupsafe.Markup(narrative_html(objective.body)),
            log=history_views.objective_log(ctx, objective.id),
        )
        pages.append(GeneratedPage(page.uri, page.title, page.content, edit_path=objective.path))
    return pages


def _by_period(objectives: list[Objective], periods: list[str], ctx: Context) -> list[dict[str, Any]]:
    groups = []
    for name in periods:
        mine = _in_period(objectives, name)
        if mine:
            period = ctx.period(name)
            groups.append({"period": name, "page": f"periods/{name}",
                           "closed": bool(period and period.is_closed(ctx.as_of)),
                           "objectives": [views.objective_view(o, ctx) for o in mine]})
    return groups


def _team_pages(r: Renderer, objectives: list[Objective], periods: list[str], *,
               share: tuple[int, int] = (0, 1)) -> list[GeneratedPage]:
    ctx = r.ctx
    pages = []
    for team in list(ctx.people.teams.values())[share[0]::share[1]]:
        mine = [o for o in objectives if o.team == team.id]
        subteams = [views.person_view(t.id, ctx.people) for t in ctx.people.teams.values() if t.parent == team.id]
        pages.append(r.render(
            f"teams/{team.id}", "team.html", team.name,
            team={"id": team.id, "name": team.name,
                  "lead": views.person_view(team.lead, ctx.people) if team.lead else None,
                  "members": [views.person_view(m, ctx.people) for m in team.members],
                  "parent": views.person_view(team.parent, ctx.people) if team.parent else None,
                  "subteams": subteams},
            groups=_by_period(mine, periods, ctx),
        ))
    return pages


def _team_index(r: Renderer, objectives: list[Objective]) -> GeneratedPage:
    ctx = r.ctx
    count: dict[str, int] = {}
    for o in objectives:
        count[o.team] = count.get(o.team, 0) + 1
    rows = [{"team": views.person_view(team.id, ctx.people),
             "parent": views.person_view(team.parent, ctx.people) if team.parent else None,
             "lead": views.person_view(team.lead, ctx.people) if team.lead else None,
             "objectives": count.get(team.id, 0)} for team in ctx.people.teams.values()]
    return r.render("teams/index", "teams_index.html", "Teams", teams=rows)


def _people_index(r: Renderer, objectives: list[Objective]) -> GeneratedPage:
    ctx = r.ctx
    owned: dict[str, int] = {}
    key_results: dict[str, int] = {}
    for o in objectives:
        owned[o.owner] = owned.get(o.owner, 0) + 1
        for kr in o.key_results:
            key_results[kr.owner] = key_results.get(kr.owner, 0) + 1
    teams_of = _teams_of(ctx)
    rows = [{"person": views.person_view(person.id, ctx.people),
             "teams": [views.person_view(t, ctx.people) for t in teams_of.get(person.id, [])],
             "objectives": owned.get(person.id, 0), "key_results": key_results.get(person.id, 0)}
            for person in ctx.people.persons.values()]
    return r.render("people/index", "people_index.html", "People", people=rows)


def _teams_of(ctx: Context) -> dict[str, list[str]]:
    """Each person's teams, in the registry's order."""
    teams_of: dict[str, list[str]] = {}
    for t in ctx.people.teams.values():
        for member in dict.fromkeys(t.members):
            teams_of.setdefault(member, []).append(t.id)
    return teams_of


def _people_pages(r: Renderer, objectives: list[Objective], periods: list[str], *,
                  share: tuple[int, int] = (0, 1)) -> list[GeneratedPage]:
    ctx = r.ctx
    pages = []
    open_ids = _open_ids(objectives, ctx)
    owned_by: dict[str, list[Objective]] = {}
    key_results_of: dict[str, list[tuple[Objective, Any]]] = {}
    contributed_by: dict[str, list[Objective]] = {}
    for o in objectives:  # one pass, not one per person: a large organisation has many
        owned_by.setdefault(o.owner, []).append(o)
        for kr in o.key_results:
            key_results_of.setdefault(kr.owner, []).append((o, kr))
        for who in dict.fromkeys(o.contributors):
            contributed_by.setdefault(who, []).append(o)
    teams_of = _teams_of(ctx)
    for person in list(ctx.people.persons.values())[share[0]::share[1]]:
        owned = owned_by.get(person.id, [])
        key_results = [views.key_result_view(o, kr, ctx) for o, kr in key_results_of.get(person.id, [])]
        contributes = contributed_by.get(person.id, [])
        teams = [views.person_view(t, ctx.people) for t in teams_of.get(person.id, [])]
        # The accountability view: running periods first, stale key results first within them.
        stale_first = sorted(key_results, key=lambda v: (v["objective"]["id"] not in open_ids,
                                                         not v["stale"], v["ref"]))
        pages.append(r.render(
            f"people/{person.id}", "person.html", person.name,
            person={"id": person.id, "name": person.name, "email": person.email, "github": person.github,
                    "teams": teams},
            owned=[views.objective_view(o, ctx, with_key_results=False) for o in owned],
            key_results=stale_first,
            contributes=[views.objective_view(o, ctx, with_key_results=False) for o in contributes],
        ))
    return pages


def _open_ids(objectives: list[Objective], ctx: Context) -> set[str]:
    """Objectives whose period is not over: shown before the archive."""
    result = set()
    for o in objectives:
        period = ctx.period(o.period)
        if not (period and period.is_closed(ctx.as_of)):
            result.add(o.id)
    return result


def _period_pages(r: Renderer, objectives: list[Objective], periods: list[str], current: str | None) -> list[GeneratedPage]:
    ctx = r.ctx
    pages, rows = [], []
    for name in periods:
        mine = _in_period(objectives, name)
        period = ctx.period(name)
        closed = bool(period and period.is_closed(ctx.as_of))
        teams = []
        for team_id in sorted({o.team for o in mine}):
            team_objectives = [o for o in mine if o.team == team_id]
            teams.append({"team": views.person_view(team_id, ctx.people),
                          "objectives": [views.objective_view(o, ctx) for o in team_objectives]})
        summary = {"period": name, "page": f"periods/{name}", "closed": closed, "current": name == current,
                   "start": period.start.isoformat() if period else None,
                   "end": period.end.isoformat() if period else None,
                   "progress": views.mean_progress(mine),
                   "score": _score(mine) if closed else None,
                   "objectives": len(mine), "counts": views.status_counts(mine, ctx)}
        pages.append(r.render(f"periods/{name}", "period.html", f"Period {name}", summary=summary, teams=teams))
        rows.append(summary)
    pages.append(r.render("periods/index", "periods_index.html", "Periods", periods=rows))
    return pages


def _score(objectives: list[Objective]) -> str | None:
    counted = [o for o in objectives if o.declared_status not in (DRAFT, DROPPED)]
    if not counted:
        return None
    return f"{sum(o.progress for o in counted) / len(counted):.1f}"


def _alignment(r: Renderer, objectives: list[Objective], periods: list[str]) -> GeneratedPage:
    ctx = r.ctx
    ids = {o.id for o in objectives}
    children: dict[str | None, list[Objective]] = {}
    for objective in objectives:
        parent = objective.parent if objective.parent in ids else None
        children.setdefault(parent, []).append(objective)

    groups = []
    for name in periods:
        roots = [o for o in children.get(None, []) if o.period == name]
        if roots:
            groups.append({"period": name, "page": f"periods/{name}",
                           "events": alignment_events(roots, children, ctx)})
    # Objectives aligned across periods hang under their parent's period.
    return r.render("alignment", "alignment.html", "Alignment", groups=groups)


def alignment_events(roots: list[Objective], children: dict[str | None, list[Objective]],
                     ctx: Context) -> list[dict[str, Any]]:
    """The alignment trees under ``roots``, depth first, as a flat list the template loops
    over: ``{"open": True, "objective": view, "nested": bool}`` when a node starts and
    ``{"open": False, "nested": bool}`` when it ends (``nested``: it has children).

    Without recursion, in Python or in the template: an alignment chain can be
    thousands of objectives deep, far deeper than either's recursion limit.
    """
    events: list[dict[str, Any]] = []
    on_path: set[str] = set()  # the node and its ancestors: a child among them is a loop

    def enter(objective: Objective) -> tuple[Objective, bool, Iterator[Objective]]:
        on_path.add(objective.id)
        below = [c for c in children.get(objective.id, []) if c.id not in on_path]
        events.append({"open": True, "objective": views.objective_view(objective, ctx, with_key_results=False),
                       "nested": bool(below)})
        return objective, bool(below), iter(below)

    for root in roots:
        stack = [enter(root)]
        while stack:
            objective, nested, rest = stack[-1]
            child = next(rest, None)
            if child is not None:
                stack.append(enter(child))
                continue
            stack.pop()
            on_path.discard(objective.id)
            events.append({"open": False, "nested": nested})
    return events


def state_json(ctx: Context) -> str:
    """/okrs.json: the current state, machine readable."""
    objectives = []
    for ident in sorted(ctx.objectives):
        objective = ctx.objectives[ident]
        period = ctx.period(objective.period)  # the statuses the views show, without the rest of the views
        objectives.append({
            "id": ident, "title": objective.title, "owner": objective.owner, "team": objective.team,
            "period": objective.period, "parent": objective.parent,
            "status": objective.status(as_of=ctx.as_of, period=period),
            "declared_status": objective.declared_status, "progress": round(objective.progress, 4),
            "contributors": list(objective.contributors), "tags": list(objective.tags),
            "source": objective.path,
            "key_results": [{
                "id": kr.id, "title": kr.title, "owner": kr.owner, "type": kr.type,
                "start": kr.start, "target": kr.target, "current": kr.value, "unit": kr.unit,
                "done": kr.done, "confidence": kr.confidence, "weight": kr.weight, "note": kr.note,
                "progress": round(kr.progress, 4),
                "status": objective.key_result_status(kr, as_of=ctx.as_of, period=period),
            } for kr in objective.key_results],
        })
    state = {
        "as_of": ctx.as_of.isoformat(),
        "objectives": objectives,
        "people": {p.id: {"name": p.name, "email": p.email, "github": p.github} for p in ctx.people.persons.values()},
        "teams": {t.id: {"name": t.name, "lead": t.lead, "members": list(t.members), "parent": t.parent}
                  for t in ctx.people.teams.values()},
    }
    # Served as JSON, not HTML; still escaped so that no viewer can take it for markup.
    text = json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
