"""The history parts of the site as template values: movers, stale lists, logs, weeks.

Pure like views.py: a Context with its History in, plain values out.
"""

from __future__ import annotations

from typing import Any

from generator.site import views
from generator.history.changelog import authors, describe, subject
from generator.history.values import Digest, Week
from generator.site.views import Context


def _available(ctx: Context) -> bool:
    return ctx.history is not None and ctx.history.available


def published_weeks(ctx: Context) -> list[Week]:
    """The weeks of the changelog, newest first: up to the as-of week."""
    if not _available(ctx):
        return []
    return sorted((w for w in ctx.history.weeks if w.start <= ctx.as_of), key=lambda w: w.start, reverse=True)


def _kr_page(ctx: Context, objective_id: str) -> str | None:
    return views.objective_page(objective_id) if objective_id in ctx.objectives else None


def movers(ctx: Context, *, limit: int = 5) -> tuple[str, list[dict[str, Any]]]:
    """(heading, rows): the biggest progress moves of the last complete week, the week the
    digest covers (the current week is still open: on a Monday it would be empty)."""
    week = Week.of(ctx.as_of).previous
    heading = f"Last week's biggest movers ({week.id})"
    if not _available(ctx):
        return heading, []
    changes = [c for c in ctx.history.biggest_movers(week, limit=limit) if c.key_result]
    return heading, [{
        "title": subject(c), "page": _kr_page(ctx, c.objective), "key_result": c.key_result,
        "owner": views.person_view(c.owner, ctx.people) if c.owner else None,
        "before": views.percent(c.progress_before or 0), "after": views.percent(c.progress_after or 0),
        "delta": views.percent(c.progress_after or 0) - views.percent(c.progress_before or 0),
    } for c in changes]


def stale_rows(ctx: Context, stale: list) -> list[dict[str, Any]]:
    return [{
        "title": s.key_result_title or s.key_result, "page": _kr_page(ctx, s.objective),
        "objective_title": s.objective_title or s.objective, "objective_page": _kr_page(ctx, s.objective),
        "key_result": s.key_result, "owner": views.person_view(s.owner, ctx.people),
        "last_checkin": s.last_checkin.isoformat() if s.last_checkin else None,
    } for s in stale]


def objective_log(ctx: Context, objective_id: str) -> list[dict[str, Any]]:
    """The objective's history table, newest first: the weeks the changelog publishes
    (up to the as-of week), so every week links to its page."""
    if not _available(ctx):
        return []
    published = {week.id for week in published_weeks(ctx)}
    rows = []
    for change in reversed(ctx.history.objective_log(objective_id)):
        if change.week not in published:
            continue
        commit = change.commits[-1] if change.commits else None
        rows.append({
            "week": change.week, "subject": subject(change), "text": describe(change, ctx.people),
            "kind": change.kind, "author": ", ".join(authors(change)),
            "sha": commit.sha[:7] if commit else "", "date": commit.date.date().isoformat() if commit else "",
            "message": commit.subject if commit else "",
        })
    return rows


def week_view(ctx: Context, digest: Digest) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    for change in digest.changes:
        group = groups.setdefault(change.objective, {
            "objective": change.objective, "title": change.objective_title or change.objective,
            "page": _kr_page(ctx, change.objective), "rows": [], "commits": {},
        })
        group["rows"].append({
            "subject": subject(change), "key_result": change.key_result, "kind": change.kind,
            "text": describe(change, ctx.people), "direction": change.direction,
            "owner": views.person_view(change.owner, ctx.people) if change.owner else None,
            "delta": (views.percent(change.progress_after or 0) - views.percent(change.progress_before or 0))
            if change.kind == "progress" else None,
        })
        for commit in change.commits:
            group["commits"][commit.sha] = {"sha": commit.sha[:7], "author": commit.author,
                                            "date": commit.date.date().isoformat(), "subject": commit.subject}
    for group in groups.values():
        group["commits"] = sorted(group["commits"].values(), key=lambda c: (c["date"], c["sha"]))
    return {
        "id": digest.week.id, "start": digest.week.start.isoformat(), "end": digest.week.end.isoformat(),
        "page": f"changelog/{digest.week.id}", "groups": [groups[k] for k in sorted(groups)],
        "changes": len(digest.changes), "objectives": len(groups),
        "stale": stale_rows(ctx, digest.stale),
        "eased": sum(1 for c in digest.changes if c.kind == "target" and c.direction == "eased"),
    }


def digests(ctx: Context) -> list[Digest]:
    return [ctx.history.digest(week, as_of=ctx.as_of) for week in published_weeks(ctx)]
