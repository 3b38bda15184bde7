"""Keep a history walk between runs, and go on from where it stopped.

After a walk, its whole state (the History and the walk's running state) is saved with
the commit it reached. The next run restores it and walks only the commits made since,
when the new HEAD descends from that commit along the first-parent chain; otherwise (a
rewritten history, a force push, another branch) it walks from the start. Either way
the History is the same as a walk from the start would give: the tests and the
benchmark compare them.

This module knows the internals of ``history.History`` and ``history._Walk``: it is
their storage, kept apart so that history.py stays about history.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from generator.runtime.cache import Store, digest
from generator.history.values import Point, Week
from generator.history.records import (BAD_RECORD, change_from_record, change_record, commit_from_record, commit_record,
                      finding_from_record, finding_record, number, objective_from_record, objective_record)

if TYPE_CHECKING:
    from generator.history.walk import _Walk

HISTORY = "history"


def cache_key(walk: _Walk, schema: bytes) -> str:
    """What a walk depends on besides the commits: where the OKRs are, the weeks' time zone,
    and the schema that decides which historic files parse."""
    config = walk.history.config
    return digest(walk.source_prefix, walk.root_prefix, config.timezone, schema)


def save(store: Store, key: str, walk: _Walk, head: str) -> bool:
    return store.save(HISTORY, key, _record(walk, head))


def restore(store: Store, key: str, walk: _Walk) -> str | None:
    """Put a saved walk into ``walk`` (fresh) and return the commit it reached; None (and
    ``walk`` untouched) when there is no usable one."""
    record = store.load(HISTORY, key)
    if not isinstance(record, dict):
        return None
    try:
        head = record["head"]
        restored = _restored(record, walk)
    except BAD_RECORD:
        return None
    if not isinstance(head, str):
        return None
    history = walk.history
    for name, value in restored["history"].items():
        setattr(history, name, value)
    for name, value in restored["walk"].items():
        setattr(walk, name, value)
    if walk.week is not None:  # the last week's snapshot is taken again when the walk ends
        history._snapshot_starts.pop()
        history._snapshots.pop()
    return head


# -- to JSON ------------------------------------------------------------------------------


class _Tables:
    """Shared values stored once: snapshots share objectives, changes share commits."""

    def __init__(self) -> None:
        self.commits: list[list] = []
        self.objectives: list[list] = []
        self.changes: list[list] = []
        self._index: dict[tuple[str, int], int] = {}
        self._keep: list[Any] = []  # keeps the objects alive, so that no id() is reused meanwhile

    def _intern(self, kind: str, table: list[list], value: Any, make: Any) -> int:
        key = (kind, id(value))
        if key not in self._index:
            self._keep.append(value)
            self._index[key] = len(table)
            table.append(make(value))
        return self._index[key]

    def commit(self, commit: Any) -> int:
        return self._intern("commit", self.commits, commit, commit_record)

    def objective(self, objective: Any) -> int:
        return self._intern("objective", self.objectives, objective, objective_record)

    def change(self, change: Any) -> int:
        for commit in change.commits:
            self.commit(commit)
        indexes = {id(c): self._index[("commit", id(c))] for c in change.commits}
        return self._intern("change", self.changes, change, lambda c: change_record(c, indexes))


def _record(walk: _Walk, head: str) -> dict[str, Any]:
    history, tables = walk.history, _Tables()
    state = {
        "commits": history.commits,
        "first_week": _week_record(history.first_week), "last_week": _week_record(history.last_week),
        "snapshots": [[start.isoformat(), [[lineage, tables.objective(o)] for lineage, o in snapshot.items()]]
                      for start, snapshot in zip(history._snapshot_starts, history._snapshots)],
        "week_steps": [[week, [[lineage, tables.change(c)] for lineage, c in steps]]
                       for week, steps in history._week_steps.items()],
        "steps": [[lineage, [tables.change(c) for c in steps]] for lineage, steps in history._steps.items()],
        "lineage": list(history._lineage.items()),
        "series": [[lineage, kr, [[p.date.isoformat(), p.value, p.progress, p.confidence, p.commit] for p in points]]
                   for (lineage, kr), points in history._series.items()],
        "checkins": [[lineage, kr, [tables.commit(c) for c in commits]]
                     for (lineage, kr), commits in history._checkins.items()],
        "first_seen": [[lineage, kr, day.isoformat()] for (lineage, kr), day in history._first_seen.items()],
        "week_warnings": [[week, [finding_record(f) for f in found]] for week, found in history._week_warnings.items()],
        "warnings": [finding_record(f) for f in history.warnings],
    }
    running = {
        "state": [[lineage, tables.objective(o)] for lineage, o in walk.state.items()],
        "paths": list(walk.paths.items()),
        "next_lineage": walk.next_lineage,
        "week": _week_record(walk.week),
        "latest": walk.latest.isoformat() if walk.latest else None,
        "unparsable": sorted(walk.unparsable),
    }
    return {"head": head, "commits": tables.commits, "objectives": tables.objectives, "changes": tables.changes,
            "history": state, "walk": running}


def _week_record(week: Week | None) -> str | None:
    return week.start.isoformat() if week else None


# -- from JSON ----------------------------------------------------------------------------


def _restored(record: dict[str, Any], walk: _Walk) -> dict[str, dict[str, Any]]:
    """The attributes of the History and of the walk; raises on any record that does not fit."""
    tz = walk.history.config.tz
    commits = [commit_from_record(c, tz) for c in record["commits"]]
    objectives = [objective_from_record(o) for o in record["objectives"]]
    changes = [change_from_record(c, commits) for c in record["changes"]]
    saved, running = record["history"], record["walk"]
    week_steps: defaultdict[str, list] = defaultdict(list)
    for week, steps in saved["week_steps"]:
        week_steps[_text(week)] = [(int(lineage), changes[i]) for lineage, i in steps]
    steps: defaultdict[int, list] = defaultdict(list)
    for lineage, indexes in saved["steps"]:
        steps[int(lineage)] = [changes[i] for i in indexes]
    series: defaultdict[tuple[int, str], list] = defaultdict(list)
    for lineage, kr, points in saved["series"]:
        series[(int(lineage), _text(kr))] = [
            Point(date.fromisoformat(d), _point_value(value), float(number(progress)),
                  None if confidence is None else number(confidence), _text(sha))
            for d, value, progress, confidence, sha in points]
    checkins: defaultdict[tuple[int, str], list] = defaultdict(list)
    for lineage, kr, indexes in saved["checkins"]:
        checkins[(int(lineage), _text(kr))] = [commits[i] for i in indexes]
    week_warnings: defaultdict[str, list] = defaultdict(list)
    for week, found in saved["week_warnings"]:
        week_warnings[_text(week)] = [finding_from_record(f) for f in found]
    latest = running["latest"]
    return {
        "history": {
            "commits": int(saved["commits"]),
            "first_week": _week(saved["first_week"]), "last_week": _week(saved["last_week"]),
            "_snapshot_starts": [date.fromisoformat(start) for start, _ in saved["snapshots"]],
            "_snapshots": [{int(lineage): objectives[i] for lineage, i in snapshot} for _, snapshot in saved["snapshots"]],
            "_week_steps": week_steps, "_steps": steps,
            "_lineage": {_text(ident): int(lineage) for ident, lineage in saved["lineage"]},
            "_series": series, "_checkins": checkins,
            "_first_seen": {(int(lineage), _text(kr)): date.fromisoformat(d) for lineage, kr, d in saved["first_seen"]},
            "_week_warnings": week_warnings,
            "warnings": [finding_from_record(f) for f in saved["warnings"]],
        },
        "walk": {
            "state": {int(lineage): objectives[i] for lineage, i in running["state"]},
            "paths": {_text(path): int(lineage) for path, lineage in running["paths"]},
            "next_lineage": int(running["next_lineage"]),
            "week": _week(running["week"]),
            "latest": datetime.fromisoformat(latest).astimezone(tz) if latest is not None else None,
            "unparsable": {_text(sha) for sha in running["unparsable"]},
        },
    }


def _week(start: str | None) -> Week | None:
    return None if start is None else Week.of(date.fromisoformat(start))


def _point_value(value: Any) -> float | bool | None:
    """A point's value: a metric's number, a milestone's true/false, or null."""
    return value if value is None or isinstance(value, bool) else number(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value
