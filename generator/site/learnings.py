"""The Learnings page (/learnings/): the retrospectives of closed objectives, misses first.

A miss is something to learn from, so the lowest scores lead; dropped objectives (no
score) follow, then those of ended periods not scored yet. Ten closed years hold
thousands: the list is paged (``learnings/2`` …), ``PER_PAGE`` retrospectives a page.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.model import retrospective
from generator.model.core import Objective
from generator.model.grades import DELIVERED, MISSED, PROGRESS, objective_score
from generator.site import paging, views
from generator.site.narrative import narrative_html
from generator.site.render import NavPlace, Renderer, SitePage

LEARNINGS_RANK = 70
PER_PAGE = 50  # retrospectives a page: each is a few paragraphs


def learnings_pages(r: Renderer, objectives: list[Objective]) -> list[SitePage]:
    """The Learnings page, and its later pages when there are more than ``PER_PAGE``."""
    entries = [entry for o in objectives if (entry := _entry(r, o)) is not None]
    entries.sort(key=lambda e: (e["rank"], e["sort_score"], e["id"]))
    bands = [e["grade"]["grade"] for e in entries if e["grade"]]
    counts = [{**views.status_view(band), "count": bands.count(band)} for band in (MISSED, PROGRESS, DELIVERED)]
    return [r.render(part.page, "learnings.html", paging.titled("Learnings", part),
                     nav=NavPlace("Learnings", LEARNINGS_RANK) if part.number == 1 else None,
                     entries=part.rows, counts=[c for c in counts if c["count"]], pager=part.pager)
            for part in paging.split("learnings", entries, PER_PAGE)]


def _entry(r: Renderer, objective: Objective) -> dict[str, Any] | None:
    """The objective's retrospective as values, if it has one and its period is over."""
    _, text = retrospective.split(objective.body)
    ended = objective.score is not None or r.ctx.period_closed(objective.period)
    if text is None or not ended:
        return None
    score = objective_score(objective)  # the one written by okrs close, else the progress at the end
    answers = [{"question": a.question,
                "html": Markup(narrative_html(a.markdown)) if a.written else None}
               for a in retrospective.answers(text)]
    # Scored first (lowest first), then dropped or draft (no score).
    rank = 0 if score is not None else 1
    return {
        "id": objective.id, "anchor": objective.id.replace("/", "-"), "title": objective.title,
        "page": views.objective_page(objective.id), "period": objective.period,
        "period_page": f"periods/{objective.period}",
        "team": views.person_view(objective.team, r.ctx.people),
        "owner": views.person_view(objective.owner, r.ctx.people),
        "score": f"{score:.2f}" if score is not None else None,
        "recorded": objective.score is not None,
        "grade": views.closed_grade(score),
        "status": views.status_view(objective.declared_status),
        "answers": answers, "written": any(a["html"] for a in answers),
        "rank": rank, "sort_score": score if score is not None else 0.0,
    }
