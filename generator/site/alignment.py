"""The alignment page: every period's objectives as trees of parents and children."""

from __future__ import annotations

from typing import Any, Iterator

from generator.model.core import Objective
from generator.site import paging, views
from generator.site.render import NavPlace, Renderer, SitePage
from generator.site.views import Context

ALIGNMENT_RANK = 20
ALIGNMENT_PAGE = "alignment"
WIDTH = 8  # objectives shown under one objective; its page lists them all
DEPTH = 4  # levels of a tree shown


def alignment(r: Renderer, objectives: list[Objective], periods: list[str]) -> list[SitePage]:
    """Every period's alignment trees, newest period first; each tree at most ``WIDTH``
    objectives wide under any node and ``DEPTH`` levels deep (the objective pages list
    the rest), paged by the objectives shown."""
    ctx = r.ctx
    ids = {o.id for o in objectives}
    children: dict[str | None, list[Objective]] = {}
    for objective in objectives:
        parent = objective.parent if objective.parent in ids else None
        children.setdefault(parent, []).append(objective)

    trees = []  # (period, the tree's events), in the page's order
    for name in periods:
        for root in (o for o in children.get(None, []) if o.period == name):
            trees.append((name, alignment_events([root], children, ctx, width=WIDTH, depth=DEPTH)))
    # Objectives aligned across periods hang under their parent's period.
    pages = []
    for part in paging.split(ALIGNMENT_PAGE, trees, weight=lambda tree: sum(1 for e in tree[1] if e["open"])):
        groups: list[dict[str, Any]] = []
        for name, events in part.rows:
            if not groups or groups[-1]["period"] != name:
                groups.append({"period": name, "page": f"periods/{name}", "events": []})
            groups[-1]["events"].extend(events)
        pages.append(r.render(part.page, "alignment.html", paging.titled("Alignment", part),
                              nav=NavPlace("Alignment", ALIGNMENT_RANK) if part.number == 1 else None,
                              groups=groups, pager=part.pager))
    return pages


def alignment_events(roots: list[Objective], children: dict[str | None, list[Objective]],
                     ctx: Context, *, width: int | None = None, depth: int | None = None) -> list[dict[str, Any]]:
    """The alignment trees under ``roots``, depth first, as a flat list the template loops
    over: ``{"open": True, "objective": view, "nested": bool}`` when a node starts and
    ``{"open": False, "nested": bool, "more": n, "objective": view}`` when it ends
    (``nested``: it has children shown or left out; ``more``: how many of its children
    are left out, past ``width`` of them or at ``depth`` levels).

    Without recursion, in Python or in the template: an alignment chain can be
    thousands of objectives deep, far deeper than either's recursion limit.
    """
    events: list[dict[str, Any]] = []
    on_path: set[str] = set()  # the node and its ancestors: a child among them is a loop
    stack: list[tuple[Objective, dict[str, Any], Iterator[Objective], int]] = []

    def enter(objective: Objective) -> tuple[Objective, dict[str, Any], Iterator[Objective], int]:
        on_path.add(objective.id)
        below = [c for c in children.get(objective.id, []) if c.id not in on_path]
        shown = [] if depth is not None and len(stack) + 1 >= depth else below[:width]
        opened = {"open": True, "objective": views.objective_view(objective, ctx, with_key_results=False),
                  "nested": bool(below)}
        events.append(opened)
        return objective, opened, iter(shown), len(below) - len(shown)

    for root in roots:
        stack.append(enter(root))
        while stack:
            objective, opened, rest, more = stack[-1]
            child = next(rest, None)
            if child is not None:
                stack.append(enter(child))
                continue
            stack.pop()
            on_path.discard(objective.id)
            events.append({"open": False, "nested": opened["nested"], "more": more, "objective": opened["objective"]})
    return events
