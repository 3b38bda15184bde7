"""The Learnings page (/learnings/): the retrospectives of closed objectives, misses first.

A miss is something to learn from, so the lowest scores lead; dropped objectives (no
score) follow, then those of ended periods not scored yet.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.model import retrospective
from generator.model.core import Objective
from generator.model.score import DELIVERED, MISSED, PROGRESS, grade, objective_score, score_text
from generator.site import views
from generator.site.narrative import narrative_html
from generator.site.render import NavPlace, Renderer, SitePage

LEARNINGS_RANK = 70
# Grades shown with the colours (and symbols) of the statuses they resemble.
GRADE_BADGES = {
    MISSED: {"key": "off-track", "label": "Missed", "symbol": "■"},
    PROGRESS: {"key": "at-risk", "label": "Progress", "symbol": "▲"},
    DELIVERED: {"key": "done", "label": "Delivered", "symbol": "✔"},
}


def learnings_page(r: Renderer, objectives: list[Objective]) -> SitePage:
    entries = [entry for o in objectives if (entry := _entry(r, o)) is not None]
    entries.sort(key=lambda e: (e["rank"], e["sort_score"], e["id"]))
    counts = {name: sum(1 for e in entries if e["grade"] and e["grade"]["label"] == badge["label"])
              for name, badge in GRADE_BADGES.items()}
    return r.render("learnings", "learnings.html", "Learnings", nav=NavPlace("Learnings", LEARNINGS_RANK),
                    entries=entries, counts=[{**GRADE_BADGES[g], "count": counts[g]} for g in GRADE_BADGES if counts[g]])


def _entry(r: Renderer, objective: Objective) -> dict[str, Any] | None:
    """The objective's retrospective as values, if it has one and its period is over."""
    _, text = retrospective.split(objective.body)
    period = r.ctx.period(objective.period)
    ended = objective.score is not None or bool(period and period.is_closed(r.ctx.as_of))
    if text is None or not ended:
        return None
    score = objective.score if objective.score is not None else objective_score(objective)
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
        "score": score_text(score) if score is not None else None,
        "recorded": objective.score is not None,
        "grade": GRADE_BADGES[grade(score)] if score is not None else None,
        "status": views.status_view(objective.declared_status),
        "answers": answers, "written": any(a["html"] for a in answers),
        "rank": rank, "sort_score": score if score is not None else 0.0,
    }
