"""What a walk of the git history found, as one frozen value.

The walk (``walk.py``) produces it, ``History`` (``queries.py``) only reads it, and the
cache (``cache.py``) stores it field by field, so a later walk can go on from where this
one stopped. Lineages are the walk's numbers for objectives: a renamed file keeps its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Mapping

from generator.history.diff import Change, CommitInfo
from generator.history.values import Point, Week
from generator.model.core import Objective
from generator.reading.findings import Finding

KeyResultKey = tuple[int, str]  # (lineage, key result id)


@dataclass(frozen=True, slots=True)
class HistoryState:
    """The history of the OKRs up to one commit. Its mappings are never changed once made."""

    commits: int = 0  # commits walked
    first_week: Week | None = None  # of the first commit
    last_week: Week | None = None  # of the last commit (a walk that goes on adds to its snapshot)
    snapshot_starts: tuple[date, ...] = ()  # the start of each week that has a snapshot, ascending
    snapshots: tuple[Mapping[int, Objective], ...] = ()  # the objectives by lineage at the end of that week
    week_steps: Mapping[str, tuple[tuple[int, Change], ...]] = field(default_factory=dict)  # per week id: (lineage, change)
    steps: Mapping[int, tuple[Change, ...]] = field(default_factory=dict)  # per lineage, one change per commit
    lineage: Mapping[str, int] = field(default_factory=dict)  # objective id -> lineage
    series: Mapping[KeyResultKey, tuple[Point, ...]] = field(default_factory=dict)
    checkins: Mapping[KeyResultKey, tuple[CommitInfo, ...]] = field(default_factory=dict)
    first_seen: Mapping[KeyResultKey, date] = field(default_factory=dict)  # the day a key result was added
    week_warnings: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict)  # per week id
    warnings: tuple[Finding, ...] = ()  # sorted
    # Where the walk stopped: what a walk that goes on from here starts with.
    objectives: Mapping[int, Objective] = field(default_factory=dict)  # the running state, by lineage
    paths: Mapping[str, int] = field(default_factory=dict)  # objective file path -> lineage (also while it does not parse)
    next_lineage: int = 0
    latest: datetime | None = None  # the latest commit date so far (dates on a branch can go backwards)
    unparsable: frozenset[str] = frozenset()  # blobs that did not parse (warned about once)
