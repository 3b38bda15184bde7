"""What needs attention: off-track and at-risk key results, worst first.

Worst first means off track before at risk, then the furthest behind the expected pace
(the fraction of the period elapsed minus the progress), then the lowest confidence
(none given counts as 100%), then by reference so the order is repeatable. The dashboard shows the first ``DASHBOARD_LIMIT``; the "Needs attention"
page shows them all.
"""

from __future__ import annotations

from typing import Any, Iterable

from generator.model.core import ACTIVE, AT_RISK, OFF_TRACK, KeyResult, Objective, percent
from generator.site import views
from generator.site.views import Context

DASHBOARD_LIMIT = 10
SEVERITY = {OFF_TRACK: 0, AT_RISK: 1}


def behind_pace(objective: Objective, kr: KeyResult, ctx: Context) -> float:
    """How far the key result is behind the expected pace, 0..1 (negative: ahead of it)."""
    period = ctx.period(objective.period)
    expected = period.elapsed(ctx.as_of) if period else 0.0
    return expected - kr.progress


def attention_rows(objectives: Iterable[Objective], ctx: Context) -> list[dict[str, Any]]:
    """Off-track then at-risk key results of active objectives, worst first; each view has
    ``behind`` (a metric's points behind the expected pace, 0 when on or ahead of it; None
    for other types, which are not judged by pace)."""
    found = []
    for objective in objectives:
        if objective.declared_status != ACTIVE:
            continue
        for kr in objective.key_results:
            view = views.key_result_view(objective, kr, ctx)
            if view["status"]["key"] in SEVERITY:
                gap = behind_pace(objective, kr, ctx)
                # Ties (many milestones at 0%) go to the least confident owner first.
                confidence = kr.confidence if kr.confidence is not None else 1.0
                # Only a metric is judged by pace; a milestone's or a bound's reason says why instead.
                behind = max(percent(gap), 0) if kr.type == "metric" else None
                found.append((SEVERITY[view["status"]["key"]], -gap, confidence, view["ref"],
                              {**view, "behind": behind}))
    return [row for *_, row in sorted(found, key=lambda item: item[:4])]


def person_attention(rows: list[dict[str, Any]], open_ids: set[str]) -> list[dict[str, Any]]:
    """A person's key results that need them, from their key-result views: off track, at
    risk or stale, in periods still running; worst first, stale ones after the rest."""
    mine = [v for v in rows if v["objective"]["id"] in open_ids
            and (v["status"]["key"] in SEVERITY or v["stale"])]
    return sorted(mine, key=lambda v: (SEVERITY.get(v["status"]["key"], 2), v["progress"], v["ref"]))
