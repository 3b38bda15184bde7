"""/okrs.json: the current state, machine readable."""

from __future__ import annotations

import json

from generator.site.views import Context


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
