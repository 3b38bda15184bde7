"""The history parts of the site as template values: movers, stale lists, logs, weeks.

Pure like views.py: a Context with its History in, plain values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence, Union

from generator.site import views
from generator.history.changelog import BriefWeek, authors, describe, subject
from generator.history.closings import PeriodClosing
from generator.model.grades import MISSED, grade
from generator.history.values import Digest, Week
from generator.model.core import Objective
from generator.model.types.metric import unit_suffix
from generator.site.kr_chart import KeyResultChart, key_result_chart
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


def _kr_anchor(ctx: Context, objective_id: str, kr_id: str | None) -> str:
    """The key result's id on its objective's page: "" once it is gone from the objective
    (an old week's link then opens the page, not a fragment that matches nothing)."""
    objective = ctx.objectives.get(objective_id)
    if objective is None or not any(kr.id == kr_id for kr in objective.key_results):
        return ""
    return f"kr-{kr_id}"


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
        "anchor": _kr_anchor(ctx, c.objective, c.key_result),
        "owner": views.person_view(c.owner, ctx.people) if c.owner else None,
        "before": views.percent(c.progress_before or 0), "after": views.percent(c.progress_after or 0),
        "delta": views.percent(c.progress_after or 0) - views.percent(c.progress_before or 0),
    } for c in changes]


def stale_rows(ctx: Context, stale: list) -> list[dict[str, Any]]:
    return [{
        "title": s.key_result_title or s.key_result, "page": _kr_page(ctx, s.objective),
        "objective_title": s.objective_title or s.objective, "objective_page": _kr_page(ctx, s.objective),
        "key_result": s.key_result, "owner": views.person_view(s.owner, ctx.people),
        "anchor": _kr_anchor(ctx, s.objective, s.key_result),
        "last_checkin": s.last_checkin.isoformat() if s.last_checkin else None,
    } for s in stale]


def objective_log(ctx: Context, objective_id: str) -> list[dict[str, Any]]:
    """The objective's history, newest first, one row per commit: who, when and what it
    changed, one line per key result ("p99 latency: 520 → 480 ms (…), confidence 60% →
    70%"). Only the weeks the changelog publishes (up to the as-of week), so every row
    links to its week's page."""
    if not _available(ctx):
        return []
    published = {week.id for week in published_weeks(ctx)}
    commits: dict[str, dict[str, Any]] = {}
    for change in ctx.history.objective_log(objective_id):  # oldest first
        if change.week not in published:
            continue
        commit = change.commits[-1] if change.commits else None
        key = commit.sha if commit else f"week {change.week}"
        row = commits.setdefault(key, {
            "week": change.week, "authors": [], "sha": commit.sha[:7] if commit else "",
            "date": commit.date.date().isoformat() if commit else "", "message": commit.subject if commit else "",
            "subjects": {},
        })
        for who in authors(change):
            if who not in row["authors"]:
                row["authors"].append(who)
        row["subjects"].setdefault(subject(change), []).append(_change_words(change, ctx))
    rows = []
    for row in reversed(list(commits.values())):  # newest commit first
        rows.append({**row, "author": ", ".join(row.pop("authors")),
                     "changes": [{"subject": name, "text": ", ".join(words)}
                                 for name, words in row.pop("subjects").items()]})
    return rows


def _change_words(change: Any, ctx: Context) -> str:
    """A change in words, confidence as a percent as everywhere on the site."""
    if change.kind == "confidence":
        if change.after is None:
            return "confidence removed"
        if change.before is None:
            return f"confidence set to {views.percent(change.after)}%"
        return f"confidence {views.percent(change.before)}% → {views.percent(change.after)}%"
    return describe(change, ctx.people)


def key_result_charts(ctx: Context, objective: Objective) -> dict[str, KeyResultChart]:
    """Each key result's progress-over-time chart, by key-result id (none without history)."""
    period = ctx.period(objective.period)
    if not _available(ctx) or period is None:
        return {}
    charts = {}
    for kr in objective.key_results:
        unit = unit_suffix(kr.unit)

        def value_text(value: float | bool | None, unit: str = unit) -> str:
            if isinstance(value, bool):
                return "done" if value else "not done"
            return "–" if value is None else views.number(value) + unit

        milestone = kr.kind.name == "milestone"  # done or not: no pace to keep
        paced = kr.kind.name == "metric"  # a maintained bound or a milestone has no pace line
        charts[kr.id] = key_result_chart(
            ctx.history.series(objective.id, kr.id), period, as_of=ctx.as_of, label=kr.title,
            value_text=value_text, level_of=kr.kind.sparkline_level, pace=paced,
            due=getattr(kr, "due", None) if milestone else None,
            start_text=value_text(kr.start) if paced and kr.start is not None else None,
            target_text=value_text(kr.target) if paced and kr.target is not None else None)
    return charts


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
    return {**week_summary(digest), "groups": [groups[k] for k in sorted(groups)],
            "stale": stale_rows(ctx, digest.stale), "closings": closing_rows(ctx, digest.closings)}


@dataclass(frozen=True)
class KeptWeek:
    """A week of the changelog whose digest is the one the last build made (see
    ``History.quiet_weeks``): what the pages and the next build read of it, kept by that
    build, instead of the digest made again. A page that shows the week makes its digest."""

    week: Week
    mark: str  # its digest's fingerprint (site_memo.week_marks)
    summary: dict[str, Any]  # week_summary
    changed: tuple[str, ...]  # the objectives its changes name, sorted (week_objectives)
    mentions: frozenset[str]  # the objectives its page names (page_inputs.week_mentions)
    brief: BriefWeek  # what the feed shows of it


WeekOfChangelog = Union[Digest, KeptWeek]


def week_objectives(digest: WeekOfChangelog) -> tuple[str, ...]:
    """The objectives a week's changes name, sorted."""
    return digest.changed if isinstance(digest, KeptWeek) else tuple(sorted({c.objective for c in digest.changes}))


def brief_of(digest: WeekOfChangelog) -> BriefWeek:
    """What the feed shows of a week."""
    return digest.brief if isinstance(digest, KeptWeek) else BriefWeek.of(digest)


def kept_week(digest: WeekOfChangelog, *, mark: str, mentions: frozenset[str]) -> KeptWeek:
    """A week as a later build keeps it (itself, if it was kept already)."""
    if isinstance(digest, KeptWeek):
        return digest
    return KeptWeek(digest.week, mark, week_summary(digest), week_objectives(digest), mentions, brief_of(digest))


def week_summary(digest: WeekOfChangelog) -> dict[str, Any]:
    """A week's line in the changelog's index: its dates and counts (from the history alone)."""
    if isinstance(digest, KeptWeek):
        return dict(digest.summary)
    return {
        "id": digest.week.id, "start": digest.week.start.isoformat(), "end": digest.week.end.isoformat(),
        "page": f"changelog/{digest.week.id}",
        "changes": len(digest.changes), "objectives": len({c.objective for c in digest.changes}),
        "stale_count": len(digest.stale),
        "eased": sum(1 for c in digest.changes if c.kind == "target" and c.direction == "eased"),
    }


def closing_rows(ctx: Context, found: Sequence[PeriodClosing]) -> list[dict[str, Any]]:
    """The periods closed in a week (their scores were committed in it), for the week's page."""
    return [{"period": c.period, "page": f"periods/{c.period}", "summary": c.summary(),
             "lowest": [{"title": ctx.objectives[i].title, "page": views.objective_page(i), "score": f"{s:.2f}"}
                        for i, s in sorted(c.scores, key=lambda pair: (pair[1], pair[0]))
                        if grade(s) == MISSED and i in ctx.objectives][:3]}
            for c in found]

