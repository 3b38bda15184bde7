"""Queries over a walked history (a ``HistoryState``): weeks, snapshots, changes, series,
check-ins, staleness. Nothing here changes the state."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from typing import Mapping

from generator.config import Config
from generator.history.closings import closings
from generator.history.diff import Change, CommitInfo, diff_objective
from generator.history.state import HistoryState
from generator.history.values import Digest, Point, StaleKeyResult, Week
from generator.model.core import ACTIVE, Objective, Period, parse_period
from generator.reading.findings import Finding


# A walk that went on from an earlier state: the commit it started after, per commit since
# its sha and the ids of the objectives whose files it touched, and the ids of those whose
# lineage the commits since changed (a file added, renamed, or made again at its path).
WentOn = tuple[str, tuple[tuple[str, frozenset[str]], ...], frozenset[str]]


class History:
    """The OKRs' git history, or why there is none (``available`` False, ``reason``).

    ``as_of_week`` extends the weeks to the week a build is as of, past the last commit;
    ``head`` is the commit the walk reached (None: not known), so that two builds can tell
    they read the same history; ``went_on``: the walk went on from an earlier state, after
    that commit, through these commits, each with the ids of the objectives it touched,
    and which of those ids took another lineage (None: a walk from the start, whose
    commits are not kept).
    """

    def __init__(self, config: Config, state: HistoryState | None = None, *, reason: str | None = None,
                 as_of_week: Week | None = None, head: str | None = None,
                 went_on: WentOn | None = None) -> None:
        self.config = config
        self.head = head
        self.went_on = went_on
        self.state = state if state is not None else HistoryState()
        self.available = reason is None
        self.reason = reason
        self.as_of_week = as_of_week
        self._changes: dict[str, list[Change]] = {}  # changes_in_week, computed once per week
        # Per snapshot (a state the walk kept, shared by the weeks without commits): its
        # objectives by id, and their ids by period (see _by_period).
        self._by_id: dict[int, tuple[dict, dict[str, Objective]]] = {}
        self._periods: dict[int, tuple[Mapping, list]] = {}

    @property
    def warnings(self) -> list[Finding]:
        """Every history warning (files that did not parse, clamped dates), sorted."""
        return list(self.state.warnings)

    @property
    def commits(self) -> int:
        return self.state.commits

    @property
    def first_week(self) -> Week | None:
        return self.state.first_week

    @property
    def last_week(self) -> Week | None:
        return self.state.last_week

    # -- weeks and snapshots ------------------------------------------------------------

    @property
    def weeks(self) -> list[Week]:
        """Every ISO week from the first commit's to the last commit's (or the as-of) week."""
        if self.first_week is None:
            return []
        last = max(filter(None, (self.last_week, self.as_of_week)))
        weeks, week = [], self.first_week
        while week <= last:
            weeks.append(week)
            week = week.next
        return weeks

    def snapshot(self, week: Week | str) -> dict[str, Objective]:
        """The objectives at the end of ``week`` (at its last commit), by id."""
        return dict(self._snapshot(_week(week)))

    def _snapshot(self, week: Week) -> dict[str, Objective]:
        """``snapshot``, made once per state and shared: not to be changed by its callers."""
        state = self._state_at(week)
        hit = self._by_id.get(id(state))
        if hit is None or hit[0] is not state:
            hit = self._by_id[id(state)] = (state, {obj.id: obj for obj in state.values()})
        return hit[1]

    def _state_at(self, week: Week) -> dict[int, Objective]:
        index = bisect.bisect_right(self.state.snapshot_starts, week.start)
        return self.state.snapshots[index - 1] if index else {}

    # -- changes ------------------------------------------------------------------------

    def changes_in_week(self, week: Week | str) -> list[Change]:
        """Snapshot of the week before vs this week's, each change with the commits behind it."""
        week = _week(week)
        if week.id in self._changes:
            return list(self._changes[week.id])
        before, after = self._state_at(week.previous), self._state_at(week)
        if before is after:  # no commit this week: the same state
            self._changes[week.id] = []
            return []
        touched: dict[tuple, list[CommitInfo]] = defaultdict(list)
        steps = self.state.week_steps.get(week.id, ())
        for lineage, step in steps:
            for key in ((lineage, step.key_result, step.kind), (lineage, step.key_result)):
                if step.commits[0] not in touched[key]:
                    touched[key].append(step.commits[0])
        changes = []
        # Only an objective a commit of the week changed can differ (not every objective of
        # ten years): a diff compares values, so a chain of commits none of which changed
        # a value (no step) ends where it began.
        for lineage in {lineage for lineage, _ in steps}:
            old, new = before.get(lineage), after.get(lineage)
            if old is new:  # the snapshots share what no commit of the week touched: nothing to compare
                continue
            for change in diff_objective(old, new):
                commits = (touched.get((lineage, change.key_result, change.kind))
                           or touched.get((lineage, change.key_result)) or [])
                changes.append(replace(change, week=week.id, commits=tuple(commits)))
        self._changes[week.id] = sorted(changes, key=Change.sort_key)
        return list(self._changes[week.id])

    def biggest_movers(self, week: Week | str, *, limit: int = 5) -> list[Change]:
        """The week's progress changes, largest move (up or down) first."""
        moves = [c for c in self.changes_in_week(week) if c.kind == "progress" and c.delta]
        return sorted(moves, key=lambda c: (-abs(c.delta), c.sort_key()))[:limit]

    def warnings_in_week(self, week: Week | str) -> list[Finding]:
        """The history warnings about commits of one week (files that did not parse)."""
        return sorted(self.state.week_warnings.get(_week(week).id, ()))

    def objective_log(self, objective_id: str) -> list[Change]:
        """Every change the commits made to one objective, oldest first (one commit each)."""
        lineage = self.state.lineage.get(objective_id)
        return list(self.state.steps.get(lineage, ())) if lineage is not None else []

    def digest(self, week: Week | str, *, as_of: date | None = None) -> Digest:
        """The changelog of a week; stale key results as of the week's end (or ``as_of`` if earlier)."""
        week = _week(week)
        when = min(week.end, as_of) if as_of else week.end
        after = self._snapshot(week)
        stale = self._stale(when, after, self.config.stale_after_weeks, self._by_period(after))
        quiet = self._state_at(week.previous) is self._state_at(week)  # no commit: no scores committed
        return Digest(week, self.changes_in_week(week), stale, self.config.stale_after_weeks,
                      () if quiet else tuple(closings(self._snapshot(week.previous), after)))

    # -- key results --------------------------------------------------------------------

    def series(self, objective_id: str, kr_id: str) -> list[Point]:
        """The key result's points, oldest first: one per commit that moved its value,
        progress or confidence (following renames of its objective)."""
        lineage = self.state.lineage.get(objective_id)
        return list(self.state.series.get((lineage, kr_id), ())) if lineage is not None else []

    def touched_after(self, commit: str | None) -> frozenset[str] | None:
        """The ids of the objectives whose ``footprint`` may differ from what a walk that
        reached ``commit`` gave: those whose files a commit after it touched, and any id
        sharing a lineage with one. None when this walk can't tell (``commit`` is not one it
        went on from or through)."""
        if commit is None or not self.available:
            return None
        if commit == self.head:
            return frozenset()
        if self.went_on is None:
            return None
        start, walked, _ = self.went_on
        shas = [sha for sha, _ in walked]
        if commit != start and commit not in shas:
            return None
        after = walked if commit == start else walked[shas.index(commit) + 1:]
        ids = set().union(*(touched for _, touched in after))
        lineages = {self.state.lineage[i] for i in ids if i in self.state.lineage}
        return frozenset(ids | {i for i, lineage in self.state.lineage.items() if lineage in lineages})

    def quiet_weeks(self, commit: str | None, *, before: Week) -> frozenset[str]:
        """The weeks before ``before`` whose ``digest`` is the one a walk that reached
        ``commit`` gave, for a caller that knows every commit since landed in ``before`` or
        later (a commit never lands in a week before the latest date so far).

        Those weeks' snapshots and steps are as they were. What their stale key results
        read besides (the ids' lineages, the check-ins, the days key results came) changed
        only for the objectives a commit since touched (``touched_after``): the weeks whose
        snapshot holds none of those, by lineage or by id (a file made again at a path
        takes a new lineage for the id); or all of them when no id took another lineage
        since ``commit`` (a check-in of an objective that was there then: at ten closed years
        the weeks of the current quarter hold it, and each would be summed up again). None of
        them when this walk can't tell what the commits since touched.
        """
        touched = self.touched_after(commit)
        if touched is None:
            return frozenset()
        if self.went_on is not None and commit == self.went_on[0] and not self.went_on[2]:
            # No id took another lineage since (the commits only edited or removed files):
            # each id reads the check-ins and first days of the lineage it had, and what the
            # commits since added to those is dated after every week before ``before``.
            return frozenset(week.id for week in self.weeks if week < before)
        lineages = {self.state.lineage.get(ident) for ident in touched}
        if None in lineages:  # an id the walk never saw: nothing to vouch for
            return frozenset()
        quiet: dict[int, bool] = {}  # per snapshot (by its place; 0: none yet), whether it holds none of them
        found = []
        for week in self.weeks:
            if not week < before:
                continue
            place = bisect.bisect_right(self.state.snapshot_starts, week.start)
            if place not in quiet:
                quiet[place] = lineages.isdisjoint(self._state_at(week).keys()) and \
                    touched.isdisjoint(self._snapshot(week))
            if quiet[place]:
                found.append(week.id)
        return frozenset(found)

    def footprint(self, objective_id: str, kr_ids: tuple[str, ...]) -> tuple:
        """A value that differs whenever what ``objective_log``, ``series`` and
        ``last_checkin`` answer for the objective (and those key results) differs, for one
        walk's options. Its lineage, and of each list its length and last entry: the lists
        grow only at their end as the walk goes on, and an entry names the commit it came
        from, which names every commit before it."""
        lineage = self.state.lineage.get(objective_id)
        if lineage is None:
            return ()

        def mark(entries: tuple) -> tuple:
            return (len(entries), entries[-1]) if entries else (0,)

        return (lineage, mark(self.state.steps.get(lineage, ())),
                *((kr, mark(self.state.series.get((lineage, kr), ())), mark(self.state.checkins.get((lineage, kr), ())))
                  for kr in kr_ids))

    def last_checkin(self, objective_id: str, kr_id: str, *, as_of: date | None = None) -> CommitInfo | None:
        """The last commit (on or before ``as_of``) that set current, done, confidence or note."""
        lineage = self.state.lineage.get(objective_id)
        for commit in reversed(self.state.checkins.get((lineage, kr_id), ())):
            if as_of is None or commit.date.date() <= as_of:
                return commit
        return None

    def stale(self, as_of: date, objectives: Mapping[str, Objective], stale_after_weeks: int) -> list[StaleKeyResult]:
        """Key results of active objectives in a running period, not done, whose last
        check-in (or, never checked in, their addition) is more than N weeks before ``as_of``."""
        return self._stale(as_of, objectives, stale_after_weeks, _grouped(objectives, self.config))

    def _stale(self, as_of: date, objectives: Mapping[str, Objective], stale_after_weeks: int,
               by_period: list[tuple[Period | None, list[str]]]) -> list[StaleKeyResult]:
        limit = timedelta(weeks=stale_after_weeks)
        found = []
        for period, ids in by_period:
            if period and not period.contains(as_of):  # only the periods running then: not ten closed years
                continue
            for objective_id in ids:
                objective = objectives[objective_id]
                if objective.declared_status != ACTIVE:
                    continue
                lineage = self.state.lineage.get(objective_id)
                for kr in objective.key_results:
                    if kr.finished or lineage is None:
                        continue
                    last = self.last_checkin(objective_id, kr.id, as_of=as_of)
                    since = last.date.date() if last else self.state.first_seen.get((lineage, kr.id))
                    if since is not None and as_of - since > limit:
                        found.append(StaleKeyResult(objective_id, kr.id, kr.owner, last and last.date.date(),
                                                    objective.title, kr.title))
        return sorted(found, key=lambda s: s.objective)  # by objective, each one's in its order (a stable sort)

    def _by_period(self, snapshot: Mapping[str, Objective]) -> list[tuple[Period | None, list[str]]]:
        """``_grouped`` of a snapshot (``_snapshot``'s), once per snapshot."""
        hit = self._periods.get(id(snapshot))
        if hit is None or hit[0] is not snapshot:
            hit = self._periods[id(snapshot)] = (snapshot, _grouped(snapshot, self.config))
        return hit[1]


def _grouped(objectives: Mapping[str, Objective], config: Config) -> list[tuple[Period | None, list[str]]]:
    """The objectives' ids by period, sorted, with the period they name."""
    groups: dict[str, list[str]] = defaultdict(list)
    for ident in sorted(objectives):
        groups[objectives[ident].period].append(ident)
    return [(parse_period(name, config.periods), ids) for name, ids in groups.items()]


def _week(week: Week | str) -> Week:
    return Week.parse(week) if isinstance(week, str) else week
