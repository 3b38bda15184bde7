"""git -> weekly snapshots, check-ins, time series and changes: one walk, one blob cache.

The walk reads the first-parent log of HEAD under the source folder once (renames on),
streams only the blobs that changed, parses each distinct blob once, and keeps one
running state of the objectives. At every ISO week end (in the configured time zone) it
keeps a snapshot: a shallow copy of the state, so unchanged objectives are shared.

Objectives are tracked by *lineage* (an internal number): a renamed file keeps its
lineage, so a moved objective keeps its history and shows as `moved`, not as removed
and added.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from generator.reading import schemas
from generator.config import Config
from generator.reading.findings import ERROR, WARNING, Finding
from generator.history.diff import Change, CommitInfo, diff_objective, is_check_in
from generator.runtime.gc_pause import paused_gc
from generator.history.gitlog import (BlobReader, FileChange, GitRepository, HistoryUnavailable, LogEntry, descends_from, head_commit,
                     open_repository, read_log)
from generator.reading.loader import check_objective, is_objective_path, objective_from_data
from generator.model.core import ACTIVE, KeyResult, Objective, parse_period
from generator.runtime.parallel import can_fork, map_items

if TYPE_CHECKING:
    from generator.runtime.cache import Store
    from generator.reading.fastschema import QuickValidator
    from generator.reading.frontmatter import Document

__all__ = ["Week", "Point", "StaleKeyResult", "Digest", "History", "read_history"]


@dataclass(frozen=True, order=True, slots=True)
class Week:
    """An ISO week, Monday to Sunday: ``2026-W47``."""

    start: date
    id: str = field(compare=False)
    end: date = field(compare=False)

    @classmethod
    def of(cls, day: date) -> Week:
        year, number, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return cls(start, f"{year}-W{number:02d}", start + timedelta(days=6))

    @classmethod
    def parse(cls, text: str) -> Week:
        """``2026-W47`` -> the week; ValueError if it is not an ISO week."""
        try:
            year, number = text.split("-W")
            if len(year) != 4 or len(number) != 2:
                raise ValueError
            return cls.of(date.fromisocalendar(int(year), int(number), 1))
        except OverflowError:
            raise ValueError(f"{text!r} is out of range: it ends after 9999-12-31") from None
        except ValueError:
            raise ValueError(f"{text!r} is not an ISO week like 2026-W47") from None

    @property
    def previous(self) -> Week:
        return Week.of(self.start - timedelta(days=7))

    @property
    def next(self) -> Week:
        return Week.of(self.start + timedelta(days=7))

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True, slots=True)
class Point:
    """A key result's state after a commit that moved it."""

    date: date
    value: float | bool | None  # current (metric) or done (milestone)
    progress: float
    confidence: float | None
    commit: str


@dataclass(frozen=True, slots=True)
class StaleKeyResult:
    objective: str
    key_result: str
    owner: str
    last_checkin: date | None  # None: never checked in since it was added
    objective_title: str = ""
    key_result_title: str = ""

    def as_dict(self) -> dict:
        return {"objective": self.objective, "key_result": self.key_result, "owner": self.owner,
                "last_checkin": self.last_checkin.isoformat() if self.last_checkin else None}


@dataclass(frozen=True, slots=True)
class Digest:
    """One week of the changelog: what changed, and what went stale."""

    week: Week
    changes: list[Change]
    stale: list[StaleKeyResult]
    stale_after_weeks: int = 2


class History:
    """The OKRs' git history, or why there is none (``available`` False, ``reason``)."""

    def __init__(self, config: Config, *, reason: str | None = None) -> None:
        self.config = config
        self.available = reason is None
        self.reason = reason
        self.warnings: list[Finding] = []
        self.commits = 0
        self.first_week: Week | None = None
        self.last_week: Week | None = None
        self._as_of_week: Week | None = None
        self._snapshot_starts: list[date] = []
        self._snapshots: list[dict[int, Objective]] = []
        self._week_steps: dict[str, list[tuple[int, Change]]] = defaultdict(list)
        self._steps: dict[int, list[Change]] = defaultdict(list)
        self._lineage: dict[str, int] = {}
        self._series: dict[tuple[int, str], list[Point]] = defaultdict(list)
        self._checkins: dict[tuple[int, str], list[CommitInfo]] = defaultdict(list)
        self._first_seen: dict[tuple[int, str], date] = {}
        self._week_warnings: dict[str, list[Finding]] = defaultdict(list)
        self._changes: dict[str, list[Change]] = {}

    # -- weeks and snapshots ------------------------------------------------------------

    @property
    def weeks(self) -> list[Week]:
        """Every ISO week from the first commit's to the last commit's (or the as-of) week."""
        if self.first_week is None:
            return []
        last = max(filter(None, (self.last_week, self._as_of_week)))
        weeks, week = [], self.first_week
        while week <= last:
            weeks.append(week)
            week = week.next
        return weeks

    def snapshot(self, week: Week | str) -> dict[str, Objective]:
        """The objectives at the end of ``week`` (at its last commit), by id."""
        return {obj.id: obj for obj in self._state_at(_week(week)).values()}

    def _state_at(self, week: Week) -> dict[int, Objective]:
        index = bisect.bisect_right(self._snapshot_starts, week.start)
        return self._snapshots[index - 1] if index else {}

    # -- changes ------------------------------------------------------------------------

    def changes_in_week(self, week: Week | str) -> list[Change]:
        """Snapshot of the week before vs this week's, each change with the commits behind it."""
        week = _week(week)
        if week.id in self._changes:
            return list(self._changes[week.id])
        before, after = self._state_at(week.previous), self._state_at(week)
        touched: dict[tuple, list[CommitInfo]] = defaultdict(list)
        for lineage, step in self._week_steps.get(week.id, ()):
            for key in ((lineage, step.key_result, step.kind), (lineage, step.key_result)):
                if step.commits[0] not in touched[key]:
                    touched[key].append(step.commits[0])
        changes = []
        for lineage in set(before) | set(after):
            for change in diff_objective(before.get(lineage), after.get(lineage)):
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
        return sorted(self._week_warnings.get(_week(week).id, ()))

    def objective_log(self, objective_id: str) -> list[Change]:
        """Every change the commits made to one objective, oldest first (one commit each)."""
        lineage = self._lineage.get(objective_id)
        return list(self._steps.get(lineage, ())) if lineage is not None else []

    def digest(self, week: Week | str, *, as_of: date | None = None) -> Digest:
        """The changelog of a week; stale key results as of the week's end (or ``as_of`` if earlier)."""
        week = _week(week)
        when = min(week.end, as_of) if as_of else week.end
        stale = self.stale(when, self.snapshot(week), self.config.stale_after_weeks)
        return Digest(week, self.changes_in_week(week), stale, self.config.stale_after_weeks)

    # -- key results --------------------------------------------------------------------

    def series(self, objective_id: str, kr_id: str) -> list[Point]:
        """The key result's points, oldest first: one per commit that moved its value,
        progress or confidence (following renames of its objective)."""
        lineage = self._lineage.get(objective_id)
        return list(self._series.get((lineage, kr_id), ())) if lineage is not None else []

    def last_checkin(self, objective_id: str, kr_id: str, *, as_of: date | None = None) -> CommitInfo | None:
        """The last commit (on or before ``as_of``) that set current, done, confidence or note."""
        lineage = self._lineage.get(objective_id)
        for commit in reversed(self._checkins.get((lineage, kr_id), ())):
            if as_of is None or commit.date.date() <= as_of:
                return commit
        return None

    def stale(self, as_of: date, objectives: Mapping[str, Objective], stale_after_weeks: int) -> list[StaleKeyResult]:
        """Key results of active objectives in a running period, not done, whose last
        check-in (or, never checked in, their addition) is more than N weeks before ``as_of``."""
        limit = timedelta(weeks=stale_after_weeks)
        found = []
        for objective_id in sorted(objectives):
            objective = objectives[objective_id]
            period = parse_period(objective.period, self.config.periods)
            if objective.declared_status != ACTIVE or (period and not period.contains(as_of)):
                continue
            lineage = self._lineage.get(objective_id)
            for kr in objective.key_results:
                if kr.progress >= 1.0 or lineage is None:
                    continue
                last = self.last_checkin(objective_id, kr.id, as_of=as_of)
                since = last.date.date() if last else self._first_seen.get((lineage, kr.id))
                if since is not None and as_of - since > limit:
                    found.append(StaleKeyResult(objective_id, kr.id, kr.owner, last and last.date.date(),
                                                objective.title, kr.title))
        return found


def _week(week: Week | str) -> Week:
    return Week.parse(week) if isinstance(week, str) else week


Progress = Callable[[int, int], None]  # (commits walked, commits to walk)


def read_history(config: Config, *, repo_root: Path | None = None, as_of: date | None = None,
                 cache: Store | None = None, progress: Progress | None = None) -> History:
    """Walk the git history of the source folder; never raises for a missing or shallow repository.

    With a ``cache``, the walk goes on from the commit the last run reached, when HEAD
    descends from it; ``progress`` is told how far the walk is, now and then.
    """
    try:
        with paused_gc():
            history = _read_history(config, repo_root=repo_root, cache=cache, progress=progress)
    except HistoryUnavailable as err:
        return History(config, reason=str(err))
    if as_of is not None:
        history._as_of_week = Week.of(as_of)
    return history


def _read_history(config: Config, *, repo_root: Path | None, cache: Store | None,
                  progress: Progress | None) -> History:
    repository = open_repository(repo_root or config.root)
    toplevel = repository.toplevel.resolve()
    source = _relative_to(config.source_dir.resolve(), toplevel)
    root = _relative_to(config.root.resolve(), toplevel)
    if source is None or root is None:
        raise HistoryUnavailable(f"{config.source_dir} is outside the git repository {toplevel}")
    history = History(config)
    walk = _Walk(history, repository, source=source, root=root)
    head = head_commit(repository)
    since, key = None, ""
    if cache is not None:
        from generator.history import cache as history_cache

        key = history_cache.cache_key(walk, schemas.schema_path(config.root, schemas.OBJECTIVE).read_bytes())
        since = history_cache.restore(cache, key, walk)
        if since is not None and not descends_from(repository, since, head):
            history = History(config)  # a rewritten history: walk it all again
            walk, since = _Walk(history, repository, source=source, root=root), None
    walk.run(read_log(repository, source or ".", head=head, since=since), progress=progress)
    # A date clamped for being in the future is a judgement of today: a later walk from the
    # start may not clamp it, so such a walk is not kept for later runs to go on from.
    if cache is not None and since != head and not walk.future_dates:
        history_cache.save(cache, key, walk, head)
    return history


def _relative_to(path: Path, top: Path) -> str | None:
    try:
        relative = path.relative_to(top).as_posix()
        return "" if relative == "." else relative
    except ValueError:
        return None


class _Walk:
    """One pass over the log: the running state, snapshots at week ends, steps, series."""

    def __init__(self, history: History, repository: GitRepository, *, source: str, root: str) -> None:
        self.history = history
        self.repository = repository
        self.source_prefix = source + "/" if source else ""
        self.root_prefix = root + "/" if root else ""
        self.check = schemas.quick_validator(history.config.root, schemas.OBJECTIVE)
        self.tz = history.config.tz
        self.state: dict[int, Objective] = {}
        self.paths: dict[str, int] = {}  # objective file path -> lineage (also while it does not parse)
        self.next_lineage = 0
        self.cache: dict[str, Objective | None] = {}
        self.uses: Counter[str] = Counter()
        self.unparsable: set[str] = set()  # blobs that did not parse (warned about once)
        self.week: Week | None = None
        self.latest: datetime | None = None
        self.now = datetime.now(self.tz)
        self.future_dates = False  # a commit's date was clamped for being after now

    def run(self, log: list[LogEntry], *, progress: Progress | None = None) -> None:
        order = []
        for entry in log:
            for old, new, sha in filter(None, map(self._classify, entry.files)):
                if new is not None and sha is not None:
                    if sha not in self.uses:
                        order.append(sha)
                    self.uses[sha] += 1
        if len(order) >= PARSE_AHEAD_BLOBS and can_fork():  # many blobs: parse them on every core
            reader: BlobReader | _ParsedAhead = _ParsedAhead(self.repository, order, self._first_paths(log), self.check)
        else:
            reader = BlobReader(self.repository, order)
        bounds = _later_bounds(log, self.tz)
        try:
            for done, entry in enumerate(log):
                if progress is not None and done % 100 == 0:
                    progress(done, len(log))
                self._commit(entry, reader, bounds[done])
        finally:
            reader.close()
        if progress is not None:
            progress(len(log), len(log))
        if self.week is not None:
            self._close_week()
        history = self.history
        history.commits += len(log)  # a walk that goes on from a saved one adds to it
        history.warnings.sort()

    def _first_paths(self, log: list[LogEntry]) -> dict[str, tuple[str, str]]:
        """(id, path) of each blob where the walk first reads it."""
        first: dict[str, tuple[str, str]] = {}
        for entry in log:
            for _, new, sha in filter(None, map(self._classify, entry.files)):
                if new is not None and sha is not None and sha not in first:
                    first[sha] = (new[len(self.source_prefix):-3], new[len(self.root_prefix):])
        return first

    def _classify(self, change: FileChange) -> tuple[str | None, str | None, str | None] | None:
        """(old objective path, new objective path, blob to read or None); None if no objective."""
        old = change.old_path if change.old_path and self._is_objective(change.old_path) else None
        new = change.new_path if change.new_path and change.new_is_file and self._is_objective(change.new_path) \
            else None
        if old is None and new is None:
            return None
        read = new is not None and (old is None or change.new_sha != change.old_sha)
        return old, new, change.new_sha if read else None

    def _is_objective(self, path: str) -> bool:
        return path.startswith(self.source_prefix) and is_objective_path(path[len(self.source_prefix):])

    def _commit(self, entry: LogEntry, reader: BlobReader, later: datetime | None) -> None:
        when, clamped = self._date(entry, later)
        # Dates on a branch can go backwards (clock skew, rebases): the order of the
        # first-parent chain decides, so a commit never lands in an earlier week.
        self.latest = when if self.latest is None or when > self.latest else self.latest
        week = Week.of(self.latest.date())
        if self.week is None:
            self.history.first_week = week
        elif week != self.week:
            self._close_week()
        self.week = week
        self.history.last_week = week
        commit = self._commit_info(entry, when)
        if clamped:
            self._warn(self.history.config.source, 1, 1, "history-date", commit, clamped)
        for old, new, sha in filter(None, map(self._classify, entry.files)):
            self._file(commit, old, new, sha, reader)

    def _date(self, entry: LogEntry, later: datetime | None) -> tuple[datetime, str]:
        """The commit's date in the configured zone, and why it was clamped ("" if it was not).

        Clamped: a date that cannot be represented (git takes any, up to year 10000 and
        past); a date after that of a commit made later on the branch (``later``: the
        earliest date of the commits after it), which would otherwise pull every later
        commit into its week through the running latest date; and, for the newest commits,
        a date more than a year ahead of today (a fixed timeline such as `okrs demo` may
        run a few months ahead; year 2100 is a broken clock). A clamped date becomes the
        date of the commit before it (today for the first commit), so the commit keeps its
        place in the branch's order.
        """
        reason = "cannot be represented"
        try:
            if entry.date is not None:
                when = entry.date.astimezone(self.tz)
                Week.of(when.date()).next  # the week of a commit and the one after must exist
                if later is not None and when > later + CLOCK_SLACK:
                    reason = f"is after the date {later.date().isoformat()} of a later commit"
                else:
                    if later is None and when > self.now + CLOCK_SLACK:
                        self.future_dates = True  # judged against today: a later walk may judge it again
                    if later is not None or when <= self.now + FUTURE_LIMIT:
                        return when, ""
                    reason = "is more than a year in the future"
        except (OverflowError, ValueError):  # beyond year 9999 once in the configured zone
            pass
        clamped = self.latest or self.now
        return clamped, (f"its date {entry.date_text or '(none)'} {reason}; the history counts it as made on "
                         f"{clamped.date().isoformat()}, "
                         + ("the date of the commit before it" if self.latest else "today")
                         + "; fix the clock of the machine that made it")

    @staticmethod
    def _commit_info(entry: LogEntry, when: datetime) -> CommitInfo:
        return CommitInfo(entry.sha, entry.author, entry.email, when, entry.subject)

    def _file(self, commit: CommitInfo, old: str | None, new: str | None, sha: str | None,
              reader: BlobReader) -> None:
        lineage = self.paths.pop(old) if old is not None and old in self.paths else None
        if new is None:
            self._apply(commit, lineage, None)
            return
        if lineage is None:
            lineage = self.next_lineage
            self.next_lineage += 1
        self.paths[new] = lineage
        previous = self.state.get(lineage)
        ident, rel = new[len(self.source_prefix):-3], new[len(self.root_prefix):]
        parsed = self._parse(sha, ident, rel, commit, reader) if sha is not None else None
        try:
            self._apply(commit, lineage, _placed(parsed or previous, ident, rel))
        except Exception as err:  # noqa: BLE001 - an old blob's values no check ever saw: never a crash
            if parsed is None:
                raise  # the previous state failed: a bug here, not bad input
            self._warn(rel, 1, 1, "history-unparsable", commit,
                       f"the file cannot be compared with its previous version ({err!r}); "
                       "the history keeps its previous valid state")
            self._apply(commit, lineage, _placed(previous, ident, rel))

    def _parse(self, sha: str, ident: str, rel: str, commit: CommitInfo,
               reader: BlobReader | _ParsedAhead) -> Objective | None:
        if sha in self.cache:
            parsed = self.cache[sha]
        elif sha in self.unparsable:  # seen before this walk went on from a saved one: warned already
            reader.next_blob(sha)
            parsed = None
        else:
            if isinstance(reader, _ParsedAhead):
                outcome = reader.next_outcome(sha)
            else:
                outcome = read_blob((reader.next_blob(sha), ident, rel), self.check)
            parsed = self._outcome(outcome, rel, commit)
            if parsed is None:
                self.unparsable.add(sha)
        self.uses[sha] -= 1
        if self.uses[sha] > 0:  # the blob comes back later (a revert, a copy): keep it
            self.cache[sha] = parsed
        else:
            self.cache.pop(sha, None)
        return parsed

    def _outcome(self, outcome: Objective | Finding, rel: str, commit: CommitInfo) -> Objective | None:
        """The parsed objective; or None, and a warning about the commit that broke the file."""
        if isinstance(outcome, Objective):
            return outcome
        self._warn(rel, outcome.line, outcome.column, "history-unparsable", commit,
                   f"the file does not parse: {outcome.message}; the history keeps its previous valid state")
        return None

    def _warn(self, rel: str, line: int, column: int, code: str, commit: CommitInfo, text: str) -> None:
        """A history warning about one commit, kept with the week the commit counts in."""
        warning = Finding(rel, line, column, WARNING, code,
                          f"at commit {commit.sha[:12]} ({commit.date.date().isoformat()}, \"{commit.subject}\") {text}")
        self.history.warnings.append(warning)
        self.history._week_warnings[self.week.id].append(warning)

    def _apply(self, commit: CommitInfo, lineage: int | None, new: Objective | None) -> None:
        if lineage is None:
            return
        old = self.state.get(lineage)
        if old is new:
            return
        # Everything is computed before anything is changed: a failure leaves the state whole.
        steps = diff_objective(old, new, week=self.week.id, commits=(commit,))
        moves = self._key_results(commit, lineage, old, new) if new is not None else []
        if new is None:
            del self.state[lineage]
        else:
            self.state[lineage] = new
            self.history._lineage[new.id] = lineage
        self.history._steps[lineage].extend(steps)
        self.history._week_steps[self.week.id].extend((lineage, step) for step in steps)
        day = commit.date.date()
        for key, point, checked_in in moves:
            self.history._first_seen.setdefault(key, day)
            if point is not None:
                self.history._series[key].append(point)
            if checked_in:
                self.history._checkins[key].append(commit)

    @staticmethod
    def _key_results(commit: CommitInfo, lineage: int, old: Objective | None,
                     new: Objective) -> list[tuple[tuple[int, str], Point | None, bool]]:
        """Per key result: its key, its new point (None if it did not move), and whether
        the commit is a check-in of it."""
        previous = {kr.id: kr for kr in old.key_results} if old else {}
        day = commit.date.date()
        moves = []
        for kr in new.key_results:
            before = previous.get(kr.id)
            point = None
            if before is None or _moved(before, kr):
                point = Point(day, bool(kr.done) if kr.is_milestone else kr.value, kr.progress, kr.confidence,
                              commit.sha)
            moves.append(((lineage, kr.id), point, is_check_in(before, kr)))
        return moves

    def _close_week(self) -> None:
        history = self.history
        history._snapshot_starts.append(self.week.start)
        history._snapshots.append(dict(self.state))


CLOCK_SLACK = timedelta(days=1)  # clocks a little off are no reason to move a commit
FUTURE_LIMIT = timedelta(days=366)


def _later_bounds(log: list[LogEntry], tz) -> list[datetime | None]:
    """For each commit, the earliest representable date among the commits after it."""
    bounds: list[datetime | None] = [None] * len(log)
    earliest: datetime | None = None
    for index in range(len(log) - 1, -1, -1):
        bounds[index] = earliest
        when = log[index].date
        try:
            if when is not None:
                when = when.astimezone(tz)
                Week.of(when.date()).next
                earliest = when if earliest is None or when < earliest else earliest
        except (OverflowError, ValueError):
            pass
    return bounds
PARSE_AHEAD_BLOBS = 2000  # below this many blobs, one process parses them sooner than a pool starts


def read_blob(item: tuple[bytes | None, str, str], check: QuickValidator) -> Objective | Finding:
    """A historic blob (its bytes, the objective's id and path) as an objective, or its first error."""
    raw, ident, rel = item
    if raw is None:
        return Finding(rel, 1, 1, ERROR, "history-unparsable", "git does not have the file's content")
    # Historic blobs are untrusted input that no check ever saw: whatever goes wrong
    # reading one becomes a warning, never a crash of the build.
    try:
        document, findings = check_objective(raw, check, path=rel)
        problems = [f for f in findings if f.severity == ERROR]
        if document is not None and not problems:
            problems = _unusable_numbers(document, rel)
        if document is not None and not problems:
            objective = objective_from_data(ident, document, path=rel)
            objective.progress  # noqa: B018 - any arithmetic failure surfaces here, on this blob
            return objective
    except Exception as err:  # noqa: BLE001 - e.g. a looser custom schema, a nesting bomb, an overflow
        problems = [Finding(rel, 1, 1, ERROR, "schema", f"cannot be read as an objective: {err!r}")]
    return min(problems)


_NUMBERS = ("start", "target", "current", "confidence", "weight")


def _unusable_numbers(document: Document, rel: str) -> list[Finding]:
    """Numbers of an old blob that the history cannot compute with: beyond a float (a
    400-digit integer) or not finite. Older versions of the checks accepted them; the
    history skips such a version rather than carry them into sums, series and the cache."""
    found = []
    for index, kr in enumerate(document.data.get("key_results") or ()):
        for name in _NUMBERS:
            value = kr.get(name) if isinstance(kr, dict) else None
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            try:
                finite = math.isfinite(value)  # an int beyond a float raises here
            except OverflowError:
                finite = False
            if not finite:
                line, column = document.value_at(("key_results", index, name))
                found.append(Finding(rel, line, column, ERROR, "history-unparsable",
                                     f"key result {kr.get('id')!r}: {name} is not a number the history can "
                                     "compute with (infinite, NaN, or beyond 1e308)"))
    return found


class _ParsedAhead:
    """The walk's blobs, read from git and parsed ahead of it on every core, a window at a
    time (so memory stays bounded); handed out in the order the walk asks for them."""

    WINDOW = 4096

    def __init__(self, repository: GitRepository, order: list[str], first: dict[str, tuple[str, str]],
                 check: QuickValidator) -> None:
        self.repository, self.order, self.first, self.check = repository, order, first, check
        self.position = 0
        self.ready: dict[str, Objective | Finding] = {}

    def next_outcome(self, sha: str) -> Objective | Finding:
        while sha not in self.ready:
            window = self.order[self.position:self.position + self.WINDOW]
            if not window:
                raise HistoryUnavailable(f"blob {sha} was not among those to read")
            self.position += len(window)
            reader = BlobReader(self.repository, window)
            try:
                raws = [reader.next_blob(blob) for blob in window]
            finally:
                reader.close()  # its feeding thread ends before the workers are forked
            items = [(raw, *self.first[blob]) for raw, blob in zip(raws, window)]
            self.ready.update(zip(window, map_items(read_blob, items, self.check, min_items=1)))
        return self.ready.pop(sha)

    def next_blob(self, sha: str) -> None:
        """A blob the walk skips (it did not parse before): drop its outcome."""
        self.next_outcome(sha)

    def close(self) -> None:
        self.ready.clear()


def _placed(objective: Objective | None, ident: str, rel: str) -> Objective | None:
    """The objective under the id and path its file has now (renames move it)."""
    if objective is not None and (objective.id != ident or objective.path != rel):
        return replace(objective, id=ident, path=rel)
    return objective


def _moved(before: KeyResult, after: KeyResult) -> bool:
    return (before.value != after.value or before.done != after.done or before.progress != after.progress
            or before.confidence != after.confidence)
