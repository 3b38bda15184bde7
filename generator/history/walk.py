"""git -> weekly snapshots, check-ins, time series and changes: one walk, one blob cache.

The walk reads the first-parent log of HEAD under the source folder once (renames on),
streams only the blobs that changed, parses each distinct blob once, and keeps one
running state of the objectives. At every ISO week end (in the configured time zone) it
keeps a snapshot: a shallow copy of the state, so unchanged objectives are shared. What
it found is one frozen ``HistoryState``; ``History`` answers questions about it.

Objectives are tracked by *lineage* (an internal number): a renamed file keeps its
lineage, so a moved objective keeps its history and shows as `moved`, not as removed
and added.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from generator.config import Config
from generator.reading.findings import WARNING, Finding
from generator.reading.pipeline import file_check
from generator.history.diff import Change, CommitInfo, diff_objective, is_check_in
from generator.runtime.gc_pause import paused_gc
from generator.history.gitlog import (BlobReader, FileChange, GitRepository, HistoryUnavailable, LogEntry, descends_from, head_commit,
                     open_repository, read_log)
from generator.reading.loader import is_objective_path
from generator.model.core import KeyResult, Objective
from generator.runtime.parallel import can_fork
from generator.history.queries import History, WentOn
from generator.history.state import HistoryState
from generator.history.values import Point, Week
from generator.history.blobs import ParsedAhead, read_blob
from generator.history import cache as history_cache
from generator.history.records import ObjectivePool

if TYPE_CHECKING:
    from generator.runtime.cache import Store

__all__ = ["HistoryMemo", "read_history"]

Progress = Callable[[int, int], None]  # (commits walked, commits to walk)


class HistoryMemo:
    """The last walk's result, for a process that reads the history again and again
    (`okrs serve` after every edit): at the same HEAD with the same options the history is
    the same, and taking it from memory costs nothing (from the cache, seconds)."""

    def __init__(self) -> None:
        self.last: tuple[str, str, HistoryState] | None = None  # HEAD, cache key, state


def read_history(config: Config, *, repo_root: Path | None = None, as_of: date | None = None,
                 cache: Store | None = None, progress: Progress | None = None,
                 memo: HistoryMemo | None = None, pool: ObjectivePool | None = None) -> History:
    """Walk the git history of the source folder; never raises for a missing or shallow repository.

    With a ``cache``, the walk goes on from the commit the last run reached, when HEAD
    descends from it; ``progress`` is told how far the walk is, now and then; a ``memo``
    gives back its last state when HEAD and the options have not changed; the saved
    state's objectives equal to one in ``pool`` (the loader's) are that one.
    """
    as_of_week = Week.of(as_of) if as_of is not None else None
    try:
        with paused_gc():
            state, head, went_on = _read_history(config, repo_root=repo_root, cache=cache, progress=progress,
                                                 memo=memo, pool=pool)
    except HistoryUnavailable as err:
        return History(config, reason=str(err), as_of_week=as_of_week)
    return History(config, state, as_of_week=as_of_week, head=head, went_on=went_on)


def _read_history(config: Config, *, repo_root: Path | None, cache: Store | None,
                  progress: Progress | None, memo: HistoryMemo | None = None,
                  pool: ObjectivePool | None = None) -> tuple[HistoryState, str, WentOn | None]:
    """The walked state, the HEAD commit it reached, and, when it went on from an earlier
    state (saved, or in the memo), from which commit and what each commit since touched."""
    repository = open_repository(repo_root or config.root)
    toplevel = repository.toplevel.resolve()
    source = _relative_to(config.source_dir.resolve(), toplevel)
    root = _relative_to(config.root.resolve(), toplevel)
    if source is None or root is None:
        raise HistoryUnavailable(f"{config.source_dir} is outside the git repository {toplevel}")
    head = head_commit(repository)
    walk = _Walk(config, repository, source=source, root=root)
    since, key = None, ""
    if cache is not None or memo is not None:
        key = history_cache.cache_key(config, walk.shared, source=walk.source_prefix, root=walk.root_prefix)
    if memo is not None and memo.last is not None and memo.last[:2] == (head, key):
        return memo.last[2], head, (head, (), frozenset())
    before: Mapping[str, int] = {}  # the saved state's lineage of each id
    if cache is not None:
        saved = history_cache.restore(cache, key, tz=config.tz, pool=pool)
        if saved is not None and descends_from(repository, saved[1], head):  # else a rewritten history: from the start
            walk = _Walk(config, repository, source=source, root=root, start=saved[0], touched=[])
            since, before = saved[1], saved[0].lineage
    log = read_log(repository, source or ".", head=head, since=since)
    if since is not None and _dated_before(log, walk.latest, config.tz):
        # A walk from the start judges each commit's date by those of the commits after it
        # (a date after a later commit's is clamped): a commit since that is dated before
        # the latest date so far can change how it judges the commits walked before.
        walk, since = _Walk(config, repository, source=source, root=root), None
        log = read_log(repository, source or ".", head=head, since=None)
    walk.run(log, progress=progress)
    walked = len(log)
    del log  # at 50,000 commits, tens of MB
    state = walk.state()
    # A date clamped for being in the future is a judgement of today: a later walk from the
    # start may not clamp it, so such a walk is not kept for later runs to go on from.
    if cache is not None and since != head and not walk.future_dates and _worth_saving(walked, state, since):
        if state.commits >= SAVE_BEHIND_COMMITS:  # this run goes on while a child writes it
            cache.write_behind((history_cache.HISTORY,), lambda: history_cache.save(cache, key, state, head))
        else:
            history_cache.save(cache, key, state, head)
    if memo is not None and not walk.future_dates:
        memo.last = (head, key, state)
    if since is None or walk.touched is None:
        return state, head, None
    relined = frozenset(i for _, ids in walk.touched for i in ids if before.get(i) != state.lineage.get(i))
    return state, head, (since, tuple(walk.touched), relined)


def _worth_saving(walked: int, state: HistoryState, since: str | None) -> bool:
    """Whether to save the state again after walking ``walked`` commits on from a saved one:
    writing it costs as much as reading it, at 50,000 commits some seconds; walking the
    few commits since again costs far less. Saved once the walk went on by 1% (at least
    ``SAVE_AFTER_COMMITS``), and always after a walk from the start."""
    return since is None or walked >= max(SAVE_AFTER_COMMITS, state.commits // 100)


def _relative_to(path: Path, top: Path) -> str | None:
    try:
        relative = path.relative_to(top).as_posix()
        return "" if relative == "." else relative
    except ValueError:
        return None


class _Walk:
    """One pass over the log: the running state, snapshots at week ends, steps, series.

    It starts from nothing or from a saved ``HistoryState`` (``start``), works on mutable
    copies of its parts, and gives the result back as a new ``HistoryState``.
    """

    def __init__(self, config: Config, repository: GitRepository, *, source: str, root: str,
                 start: HistoryState | None = None, touched: list | None = None) -> None:
        begin = start or HistoryState()
        # Per commit walked, its sha and the ids of the objective files it touched (kept
        # when the walk goes on from a saved state: a short list).
        self.touched: list[tuple[str, frozenset[str]]] | None = touched
        self.repository = repository
        self.source = config.source  # findings about the history as a whole name the source folder
        self.source_prefix = source + "/" if source else ""
        self.root_prefix = root + "/" if root else ""
        self.shared = file_check(config)  # the checks of `okrs check`, but the references to people
        self.tz = config.tz
        self.cache: dict[str, Objective | None] = {}
        self.uses: Counter[str] = Counter()
        self.now = datetime.now(self.tz)
        self.future_dates = False  # a commit's date was clamped for being after now
        # What the walk builds, as mutable copies of the saved state's parts.
        self.commits = begin.commits
        self.first_week, self.week = begin.first_week, begin.last_week
        self.snapshot_starts = list(begin.snapshot_starts)
        self.snapshots = list(begin.snapshots)
        if self.week is not None:  # the last week's snapshot is taken again when the walk ends
            self.snapshot_starts.pop()
            self.snapshots.pop()
        self.week_steps: defaultdict[str, list[tuple[int, Change]]] = _lists(begin.week_steps)
        self.steps: defaultdict[int, list[Change]] = _lists(begin.steps)
        self.lineage = dict(begin.lineage)
        self.series: defaultdict[tuple[int, str], list[Point]] = _lists(begin.series)
        self.checkins: defaultdict[tuple[int, str], list[CommitInfo]] = _lists(begin.checkins)
        self.first_seen = dict(begin.first_seen)
        self.week_warnings: defaultdict[str, list[Finding]] = _lists(begin.week_warnings)
        self.warnings = list(begin.warnings)
        self.objectives = dict(begin.objectives)
        self.paths = dict(begin.paths)
        self.next_lineage = begin.next_lineage
        self.latest = begin.latest
        self.unparsable = set(begin.unparsable)

    def state(self) -> HistoryState:
        """What the walk found so far, as a value that no later step changes."""
        return HistoryState(
            commits=self.commits, first_week=self.first_week, last_week=self.week,
            snapshot_starts=tuple(self.snapshot_starts), snapshots=tuple(self.snapshots),
            week_steps=_tuples(self.week_steps), steps=_tuples(self.steps), lineage=dict(self.lineage),
            series=_tuples(self.series), checkins=_tuples(self.checkins), first_seen=dict(self.first_seen),
            week_warnings=_tuples(self.week_warnings), warnings=tuple(sorted(self.warnings)),
            objectives=dict(self.objectives), paths=dict(self.paths), next_lineage=self.next_lineage,
            latest=self.latest, unparsable=frozenset(self.unparsable),
        )

    def run(self, log: list[LogEntry], *, progress: Progress | None = None) -> None:
        order = []
        for entry in log:
            for old, new, sha in filter(None, map(self._classify, entry.files)):
                if new is not None and sha is not None:
                    if sha not in self.uses:
                        order.append(sha)
                    self.uses[sha] += 1
        if len(order) >= PARSE_AHEAD_BLOBS and can_fork():  # many blobs: parse them on every core
            reader: BlobReader | ParsedAhead = ParsedAhead(self.repository, order, self._first_paths(log), self.shared)
        else:
            reader = BlobReader(self.repository, order)
        dates = [_representable(entry.date, self.tz) for entry in log]
        bounds = _later_bounds(dates)
        try:
            for done, entry in enumerate(log):
                if progress is not None and done % 100 == 0:
                    progress(done, len(log))
                self._commit(entry, reader, dates[done], bounds[done])
        finally:
            reader.close()
        if progress is not None:
            progress(len(log), len(log))
        if self.week is not None:
            self._close_week()
        self.commits += len(log)  # a walk that goes on from a saved one adds to it

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

    def _commit(self, entry: LogEntry, reader: BlobReader, own: datetime | None, later: datetime | None) -> None:
        when, clamped = self._date(entry, own, later)
        # Dates on a branch can go backwards (clock skew, rebases): the order of the
        # first-parent chain decides, so a commit never lands in an earlier week.
        self.latest = when if self.latest is None or when > self.latest else self.latest
        week = Week.of(self.latest.date())
        if self.week is None:
            self.first_week = week
        elif week != self.week:
            self._close_week()
        self.week = week
        commit = self._commit_info(entry, when)
        if clamped:
            self._warn(self.source, 1, 1, "history-date", commit, clamped)
        changes = list(filter(None, map(self._classify, entry.files)))
        for old, new, sha in changes:
            self._file(commit, old, new, sha, reader)
        if self.touched is not None:
            self.touched.append((entry.sha, frozenset(path[len(self.source_prefix):-3] for change in changes
                                                      for path in change[:2] if path is not None)))

    def _date(self, entry: LogEntry, own: datetime | None, later: datetime | None) -> tuple[datetime, str]:
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
        if own is None:
            reason = "cannot be represented"
        elif later is not None and own > later + CLOCK_SLACK:
            reason = f"is after the date {later.date().isoformat()} of a later commit"
        else:
            if later is None and own > self.now + CLOCK_SLACK:
                self.future_dates = True  # judged against today: a later walk may judge it again
            if later is not None or own <= self.now + FUTURE_LIMIT:
                return own, ""
            reason = "is more than a year in the future"
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
        previous = self.objectives.get(lineage)
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
               reader: BlobReader | ParsedAhead) -> Objective | None:
        if sha in self.cache:
            parsed = self.cache[sha]
        elif sha in self.unparsable:  # seen before this walk went on from a saved one: warned already
            reader.next_blob(sha)
            parsed = None
        else:
            if isinstance(reader, ParsedAhead):
                outcome = reader.next_outcome(sha)
            else:
                outcome = read_blob((reader.next_blob(sha), ident, rel), self.shared)
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
        self.warnings.append(warning)
        self.week_warnings[self.week.id].append(warning)

    def _apply(self, commit: CommitInfo, lineage: int | None, new: Objective | None) -> None:
        if lineage is None:
            return
        old = self.objectives.get(lineage)
        if old is new:
            return
        # Everything is computed before anything is changed: a failure leaves the state whole.
        steps = diff_objective(old, new, week=self.week.id, commits=(commit,))
        moves = self._key_results(commit, lineage, old, new) if new is not None else []
        if new is None:
            del self.objectives[lineage]
        else:
            self.objectives[lineage] = new
            self.lineage[new.id] = lineage
        self.steps[lineage].extend(steps)
        self.week_steps[self.week.id].extend((lineage, step) for step in steps)
        day = commit.date.date()
        for key, point, checked_in in moves:
            self.first_seen.setdefault(key, day)
            if point is not None:
                self.series[key].append(point)
            if checked_in:
                self.checkins[key].append(commit)

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
        self.snapshot_starts.append(self.week.start)
        self.snapshots.append(dict(self.objectives))


def _lists(saved: Mapping[Any, tuple]) -> defaultdict[Any, list]:
    return defaultdict(list, ((key, list(values)) for key, values in saved.items()))


def _tuples(working: Mapping[Any, list]) -> dict[Any, tuple]:
    return {key: tuple(values) for key, values in working.items()}


CLOCK_SLACK = timedelta(days=1)  # clocks a little off are no reason to move a commit
FUTURE_LIMIT = timedelta(days=366)


def _dated_before(log: list[LogEntry], latest: datetime | None, tz) -> bool:
    """Whether a commit of ``log`` has a date before ``latest``."""
    return latest is not None and any(when is not None and when < latest
                                      for when in (_representable(entry.date, tz) for entry in log))


def _representable(when: datetime | None, tz) -> datetime | None:
    """A commit date in the configured zone, or None when it cannot be one (git takes any,
    up to year 10000 and past; the week of a commit and the one after must exist)."""
    if when is None:
        return None
    try:
        local = when.astimezone(tz)
        Week.of(local.date()).next
    except (OverflowError, ValueError):  # beyond year 9999 once in the configured zone
        return None
    return local


def _later_bounds(dates: list[datetime | None]) -> list[datetime | None]:
    """For each commit, the earliest representable date among the commits after it."""
    bounds: list[datetime | None] = [None] * len(dates)
    earliest: datetime | None = None
    for index in range(len(dates) - 1, -1, -1):
        bounds[index] = earliest
        when = dates[index]
        if when is not None and (earliest is None or when < earliest):
            earliest = when
    return bounds


SAVE_AFTER_COMMITS = 20  # see _worth_saving
SAVE_BEHIND_COMMITS = 2000  # from this many commits, writing the history costs more than forking a writer
PARSE_AHEAD_BLOBS = 2000  # below this many blobs, one process parses them sooner than a pool starts


def _placed(objective: Objective | None, ident: str, rel: str) -> Objective | None:
    """The objective under the id and path its file has now (renames move it)."""
    if objective is not None and (objective.id != ident or objective.path != rel):
        return replace(objective, id=ident, path=rel)
    return objective


def _moved(before: KeyResult, after: KeyResult) -> bool:
    return (before.value != after.value or before.done != after.done or before.progress != after.progress
            or before.confidence != after.confidence)
