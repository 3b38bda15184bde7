"""/okrs.json: the current state, machine readable."""

from __future__ import annotations

import json
from typing import Mapping

from generator.model.core import DROPPED, KeyResult, Objective, Period
from generator.model.grades import grade, key_result_score, objective_score
from generator.site.views import Context, remembered

ENTRY = "okrs.json"  # the kind of value ``remembered`` keeps: an objective's entry, as text


def state_json(ctx: Context) -> str:
    """/okrs.json: the current state, machine readable."""
    state = {
        "as_of": ctx.as_of.isoformat(),
        "objectives": [],
        "people": {p.id: {"name": p.name, "email": p.email, "github": p.github} for p in ctx.people.persons.values()},
        "teams": {t.id: {"name": t.name, "lead": t.lead, "members": list(t.members), "parent": t.parent}
                  for t in ctx.people.teams.values()},
    }
    text = _escaped(json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False))
    if not ctx.objectives:
        return text + "\n"
    # Each objective's entry is written once per context (and kept for a rebuild), as
    # json.dumps writes it inside the list, two levels in, and escaped: the file is put
    # together once (at ten closed years 80 MB; each pass over it took about a second).
    entries = [remembered(ctx, ENTRY, (ctx.objectives[i],), lambda i=i: _escaped(_entry_text(ctx.objectives[i], ctx)))
               for i in sorted(ctx.objectives)]
    head, tail = text.split('\n "objectives": [],', 1)  # a line break in a value is written "\\n"
    return "".join([head, '\n "objectives": [\n', ",\n".join(entries), "\n ],", tail, "\n"])


def _escaped(text: str) -> str:
    """Served as JSON, not HTML; still escaped so that no viewer can take it for markup."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def state_entries(ctx: Context) -> dict[str, str]:
    """The entries ``state_json`` wrote (escaped), by objective id: kept with the site model."""
    return {things[0].id: text for key, (things, text) in ctx.memo.items() if key[0] == ENTRY}


def seed_entries(ctx: Context, entries: Mapping[str, str], kept: Mapping[str, Objective]) -> None:
    """Give ``ctx`` the ``entries`` an earlier build wrote, for the objectives it holds as
    that build's objects (``kept``: unchanged). An entry reads the objective, the periods
    and the as-of date only, and those are the same when the earlier model is reused at all."""
    for ident, text in entries.items():
        objective = ctx.objectives.get(ident)
        if objective is not None and objective is kept.get(ident):
            ctx.memo[(ENTRY, id(objective))] = ((objective,), text)


def _entry_text(objective: Objective, ctx: Context) -> str:
    """One objective's entry as json.dumps(indent=1) writes it two levels in."""
    text = json.dumps(_entry(objective, ctx), indent=1, sort_keys=True, ensure_ascii=False)
    return "  " + text.replace("\n", "\n  ")


def _entry(objective: Objective, ctx: Context) -> dict:
    """One objective, its statuses as the views show them (without the rest of the views)."""
    period = ctx.period(objective.period)
    verdict = objective.verdict(as_of=ctx.as_of, period=period)
    closed = bool(period and period.is_closed(ctx.as_of))
    entry = {
        "id": objective.id, "title": objective.title, "owner": objective.owner, "team": objective.team,
        "period": objective.period, "parent": objective.parent,
        "status": verdict.status, "status_reason": verdict.reason,
        "declared_status": objective.declared_status, "progress": round(objective.progress, 4),
        "contributors": list(objective.contributors), "tags": list(objective.tags),
        "source": objective.path,
        "key_results": [_key_result(objective, kr, ctx, period=period, closed=closed)
                        for kr in objective.key_results],
    }
    if closed:  # a closed period's grades; a dropped objective has none (null)
        score = objective_score(objective)
        entry["score"], entry["grade"] = score, None if score is None else grade(score)
    return entry


def _key_result(objective: Objective, kr: KeyResult, ctx: Context, *, period: Period | None, closed: bool) -> dict:
    verdict = objective.key_result_verdict(kr, as_of=ctx.as_of, period=period)
    stretch = kr.stretch_progress
    entry = {
        "id": kr.id, "title": kr.title, "owner": kr.owner, "type": kr.type,
        "start": kr.start, "target": kr.target, "current": kr.value, "unit": kr.unit,
        "done": kr.done, "confidence": kr.confidence, "weight": kr.weight, "note": kr.note,
        "stretch": kr.stretch, "at_least": kr.at_least, "at_most": kr.at_most,
        "due": kr.due and kr.due.isoformat(), "baseline_pending": kr.baseline_pending,
        "progress": round(kr.progress, 4),
        "stretch_progress": None if stretch is None else round(stretch, 4),
        "status": verdict.status, "status_reason": verdict.reason,
    }
    if closed:
        score = None if objective.declared_status == DROPPED else key_result_score(kr)
        entry["score"], entry["grade"] = score, None if score is None else grade(score)
    return entry
