"""Model (+ history) -> plain values ready for templates.

Templates hold markup only; every number, percentage, status and label they show is
computed here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import is_
from typing import Any, Callable

from markupsafe import Markup

from generator.site.sparkline import render_sparkline
from generator.model.core import (ACTIVE, AT_RISK, DONE, DRAFT, DROPPED, OFF_TRACK, ON_TRACK, KeyResult, Objective,
                    People, Period, parse_period, percent)
from generator.model.grades import (DELIVERED, GRADE_LABELS, MISSED, PROGRESS, grade, key_result_score, mean_score,
                                    objective_score, score_text)
from generator.model.types.metric import unit_suffix

STATUS_LABELS = {
    ON_TRACK: "On track", AT_RISK: "At risk", OFF_TRACK: "Off track",
    DONE: "Done", DRAFT: "Draft", DROPPED: "Dropped", ACTIVE: "Active", **GRADE_LABELS,
}
# A symbol beside every status, so colour is never the only signal.
STATUS_SYMBOLS = {
    ON_TRACK: "●", AT_RISK: "▲", OFF_TRACK: "■", DONE: "✔", DRAFT: "✎", DROPPED: "✕", ACTIVE: "●",
    "delivered": "★", "progress": "◐", "missed": "○",
}


@dataclass(frozen=True)
class Context:
    """Everything a view needs besides the thing it shows."""

    people: People
    objectives: dict[str, Objective]
    periods: dict[str, Period]
    as_of: date
    history: Any = None  # history.History (maybe unavailable, with its reason), or None
    stale_refs: frozenset[str] = frozenset()  # "objective#kr" of stale key results
    # Views already computed for this context: many pages show the same objective.
    memo: dict = field(default_factory=dict, compare=False, repr=False, init=False)

    def period(self, name: str) -> Period | None:
        return parse_period(name, self.periods)

    def period_closed(self, name: str | None) -> bool:
        """Whether the period ``name`` has ended by the as-of date (False for none, or no period)."""
        period = self.period(name) if name else None
        return period is not None and period.is_closed(self.as_of)


def number(value: float | int | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"


def status_view(status: str) -> dict[str, str]:
    return {"key": status, "label": STATUS_LABELS.get(status, status), "symbol": STATUS_SYMBOLS.get(status, "")}


def person_view(ident: str, people: People) -> dict[str, Any]:
    if ident in people.persons:
        return {"id": ident, "name": people.persons[ident].name, "page": f"people/{ident}", "kind": "person"}
    if ident in people.teams:
        return {"id": ident, "name": people.teams[ident].name, "page": f"teams/{ident}", "kind": "team"}
    return {"id": ident, "name": ident, "page": None, "kind": "unknown"}


def objective_page(ident: str) -> str:
    return f"objectives/{ident}"


ALIGNED = "aligned"  # objectives/ID/aligned/2 …: the objectives aligned to ID past its page's first


def aligned_pages(ident: str) -> str:
    """The base of the paged list of the objectives aligned to ``ident`` (page 1 is its own page)."""
    return f"{objective_page(ident)}/{ALIGNED}"


def key_result_site_anchor(objective_id: str, kr_id: str) -> str:
    """An HTML id for a key result unique on any page, however many objectives it lists:
    "." cannot occur in a path segment or a key-result id, so none can collide. (On the
    objective's own page the row keeps the shorter ``kr-<id>`` that links point at.)"""
    return f"kr-{objective_id.replace('/', '.')}.{kr_id}"


def remembered(ctx: Context, kind: str, things: tuple, make: Callable[[], Any]) -> Any:
    """A value computed once per context and objects (many pages show the same objective),
    the objective first of ``things``; never to be changed by its callers."""
    key = (kind, *map(id, things))
    hit = ctx.memo.get(key)
    if hit is None or not all(map(is_, hit[0], things)):  # an id reused by a new object
        hit = ctx.memo[key] = (things, make())
    return hit[1]


def _cached(ctx: Context, kind: str, things: tuple, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A view computed once per context and objects; each caller gets its own shallow copy."""
    return dict(remembered(ctx, kind, things, make))


def carry_views(old: Context, new: Context) -> None:
    """Give ``new`` the views ``old`` computed of the objectives both hold (the same objects).

    For a context that differs from ``old`` in its objectives only: what else a view reads
    (people, periods, as-of date, history) must be the same, and the objectives whose stale
    key results differ must be new objects."""
    for key, (things, view) in old.memo.items():
        objective = things[0]
        if isinstance(objective, Objective) and new.objectives.get(objective.id) is objective:
            new.memo[key] = (things, view)


def key_result_view(objective: Objective, kr: KeyResult, ctx: Context) -> dict[str, Any]:
    return _cached(ctx, "key_result", (objective, kr), lambda: _key_result_view(objective, kr, ctx))


def objective_view(objective: Objective, ctx: Context, *, with_key_results: bool = True) -> dict[str, Any]:
    kind = "objective+key_results" if with_key_results else "objective"
    return _cached(ctx, kind, (objective,), lambda: _objective_view(objective, ctx, with_key_results=with_key_results))


def closed_grade(score: float | None) -> dict[str, Any] | None:
    """A closed period's score and grade band as shown: "0.45", Progress."""
    if score is None:
        return None
    band = grade(score)
    return {"score": f"{score:.2f}", "grade": band, **status_view(band)}


def _key_result_view(objective: Objective, kr: KeyResult, ctx: Context) -> dict[str, Any]:
    period = ctx.period(objective.period)
    closed = bool(period and period.is_closed(ctx.as_of)) and objective.declared_status != DROPPED
    graded = closed_grade(key_result_score(kr)) if closed else None
    # A graded key result shows its grade: its live verdict is not worked out (ten closed years of them).
    verdict = None if graded else objective.key_result_verdict(kr, as_of=ctx.as_of, period=period)
    pct = percent(kr.progress)
    stretch = kr.stretch_progress
    view = {
        "id": kr.id,
        "ref": f"{objective.id}#{kr.id}",
        "site_anchor": key_result_site_anchor(objective.id, kr.id),
        "title": kr.title,
        "owner": person_view(kr.owner, ctx.people),
        "values_view": kr.kind.values_view(kr, number=number),  # what the values macro shows
        "start": number(kr.start),
        "current": number(kr.value),
        "target": number(kr.target),
        "unit": kr.unit or "",
        "unit_suffix": unit_suffix(kr.unit),
        "direction": "decrease" if kr.decreasing else "increase",
        "done": bool(kr.done),
        "progress": pct,
        "below_start": kr.below_start,
        "confidence": None if kr.confidence is None else percent(kr.confidence),
        "weight": number(kr.weight) if kr.weight != 1 else None,
        "note": kr.note,
        # A closed period shows grades, not live status: the badge is the grade band.
        "status": {k: graded[k] for k in ("key", "label", "symbol")} if graded else status_view(verdict.status),
        "status_reason": f"score {graded['score']}: its progress at the period's end" if graded else verdict.reason,
        "score": graded and graded["score"],
        "grade": graded and graded["grade"],
        "baseline_pending": kr.baseline_pending,
        "stretch_progress": None if stretch is None else percent(stretch),
        "closed": closed,
        "period_closed": bool(period and period.is_closed(ctx.as_of)),  # dropped ones too: no check-in dates
        "objective": {"id": objective.id, "title": objective.title, "page": objective_page(objective.id)},
        "last_checkin": None,
        "sparkline": None,
    }
    view["stale"] = view["ref"] in ctx.stale_refs and not closed
    history = ctx.history
    if history is not None and history.available:
        checkin = history.last_checkin(objective.id, kr.id, as_of=ctx.as_of)
        if checkin is not None and not closed:  # no "last check-in" on a closed period
            view["last_checkin"] = {"date": checkin.date.date().isoformat(), "sha": checkin.sha[:7],
                                    "author": checkin.author}
        if period is not None:
            view["sparkline"] = Markup(render_sparkline(history.series(objective.id, kr.id), period,
                                                        as_of=ctx.as_of, label=kr.title,
                                                        level_of=kr.kind.sparkline_level))
    return view


def _objective_view(objective: Objective, ctx: Context, *, with_key_results: bool = True) -> dict[str, Any]:
    period = ctx.period(objective.period)
    closed = bool(period and period.is_closed(ctx.as_of))
    graded = closed_grade(objective_score(objective)) if closed else None
    verdict = None if graded else objective.verdict(as_of=ctx.as_of, period=period)  # graded: its grade shows
    view = {
        "id": objective.id,
        "title": objective.title,
        "page": objective_page(objective.id),
        "owner": person_view(objective.owner, ctx.people),
        "team": person_view(objective.team, ctx.people),
        "period": objective.period,
        "period_page": f"periods/{objective.period}",
        "closed": closed,
        "score": graded and graded["score"],
        "grade": graded and graded["grade"],
        "status": {k: graded[k] for k in ("key", "label", "symbol")} if graded else status_view(verdict.status),
        "status_reason": (f"score {graded['score']}: " + ("the score its owner committed at closing"
                                                          if objective.score is not None
                                                          else "its progress at the period's end"))
                         if graded else verdict.reason,
        "progress": percent(objective.progress),
        "contributors": [person_view(c, ctx.people) for c in objective.contributors],
        "tags": list(objective.tags),
        "source": objective.path,
        "key_result_count": len(objective.key_results),
    }
    if with_key_results:
        view["key_results"] = [key_result_view(objective, kr, ctx) for kr in objective.key_results]
    return view


def status_counts(objectives: list[Objective], ctx: Context) -> list[dict[str, Any]]:
    """How many objectives have each status; in a closed period, each grade band (as their pages show)."""
    counts: dict[str, int] = {}
    for objective in objectives:
        status = remembered(ctx, "counted_status", (objective,), lambda: _counted_status(objective, ctx))
        counts[status] = counts.get(status, 0) + 1
    order = [ON_TRACK, AT_RISK, OFF_TRACK, DONE, DELIVERED, PROGRESS, MISSED, DRAFT, DROPPED]
    return [{**status_view(s), "count": counts[s]} for s in order if counts.get(s)]


def _counted_status(objective: Objective, ctx: Context) -> str:
    """The status an objective counts as: in a closed period, its grade band."""
    period = ctx.period(objective.period)
    score = objective_score(objective) if period and period.is_closed(ctx.as_of) else None
    return grade(score) if score is not None else objective.status(as_of=ctx.as_of, period=period)


def counted(objectives: list[Objective]) -> list[Objective]:
    """The objectives that count towards a mean or a score: not drafts, not dropped."""
    return [o for o in objectives if o.declared_status not in (DRAFT, DROPPED)]


def mean_progress(objectives: list[Objective]) -> int | None:
    """Mean progress of the objectives that count, in percent."""
    mine = counted(objectives)
    return percent(sum(o.progress for o in mine) / len(mine)) if mine else None


def period_score(objectives: list[Objective]) -> str | None:
    """The score of a closed period: the mean score of its objectives, dropped ones left out."""
    mean = mean_score(counted(objectives))
    return None if mean is None else score_text(mean)
