"""The alignment page: every period's objectives as trees of parents and children."""

from __future__ import annotations

from typing import Any, Iterator

from generator.model.core import Objective
from generator.site import views
from generator.site.render import NavPlace, Renderer, SitePage
from generator.site.views import Context

ALIGNMENT_RANK = 20


def alignment(r: Renderer, objectives: list[Objective], periods: list[str]) -> SitePage:
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
    return r.render("alignment", "alignment.html", "Alignment", nav=NavPlace("Alignment", ALIGNMENT_RANK),
                    groups=groups)


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
