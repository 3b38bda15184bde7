"""Objectives, key results, people, teams and periods; progress and status.

Pure data and arithmetic: no files, no printing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping

ON_TRACK, AT_RISK, OFF_TRACK, DONE = "on-track", "at-risk", "off-track", "done"
DRAFT, ACTIVE, DROPPED = "draft", "active", "dropped"
# Worst first: an objective's status is the worst of its key results'.
_SEVERITY = {OFF_TRACK: 0, AT_RISK: 1, ON_TRACK: 2, DONE: 3}
STATUSES = (OFF_TRACK, AT_RISK, ON_TRACK, DONE, DRAFT, DROPPED)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str | None = None
    github: str | None = None


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    lead: str | None = None
    members: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class People:
    """The registry from okrs/people.yaml."""

    persons: Mapping[str, Person] = field(default_factory=dict)
    teams: Mapping[str, Team] = field(default_factory=dict)

    def name_of(self, ident: str) -> str:
        who = self.persons.get(ident) or self.teams.get(ident)
        return who.name if who else ident


@dataclass(frozen=True)
class Period:
    """A named span of days, both ends included."""

    name: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def elapsed(self, as_of: date) -> float:
        """Fraction of the period elapsed at the end of day ``as_of`` (0 before, 1 after)."""
        if as_of < self.start:
            return 0.0
        if as_of >= self.end:
            return 1.0
        return ((as_of - self.start).days + 1) / self.days

    def is_closed(self, as_of: date) -> bool:
        return as_of > self.end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


# Matched whole (fullmatch) and with [0-9], not \d: "2026-Q4\n" or a fullwidth "２０２６-Q4"
# would otherwise be a second, look-alike name for the same period.
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_HALF = re.compile(r"([0-9]{4})-H([12])")
_YEAR = re.compile(r"([0-9]{4})")


def parse_period(name: str, named: Mapping[str, Period] | None = None) -> Period | None:
    """``YYYY-Qn``, ``YYYY-Hn``, ``YYYY`` or a configured name; None if it is none of those."""
    if named and name in named:
        return named[name]
    if m := _QUARTER.fullmatch(name):
        year, quarter = int(m[1]), int(m[2])
        return Period(name, date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))
    if m := _HALF.fullmatch(name):
        year, half = int(m[1]), int(m[2])
        return Period(name, date(year, 6 * half - 5, 1), _month_end(year, 6 * half))
    if m := _YEAR.fullmatch(name):
        year = int(m[1])
        return Period(name, date(year, 1, 1), date(year, 12, 31))
    return None


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def percent(fraction: float) -> int:
    """Whole percent, rounded half up (the epsilon absorbs float noise like 0.565*100)."""
    return math.floor(fraction * 100 + 0.5 + 1e-9)


def pace_status(progress: float, expected: float) -> str:
    # The epsilon keeps the thresholds inclusive despite float noise (0.4 - 0.10 > 0.3).
    if progress >= expected - 0.10 - 1e-9:
        return ON_TRACK
    if progress >= expected - 0.25 - 1e-9:
        return AT_RISK
    return OFF_TRACK


def confidence_status(confidence: float) -> str:
    if confidence >= 0.7:
        return ON_TRACK
    if confidence >= 0.4:
        return AT_RISK
    return OFF_TRACK


def worst(statuses: list[str]) -> str:
    return min(statuses, key=_SEVERITY.__getitem__) if statuses else ON_TRACK


@dataclass(frozen=True)
class KeyResult:
    id: str
    title: str
    owner: str
    type: str = "metric"
    start: float | None = None
    target: float | None = None
    current: float | None = None
    unit: str | None = None
    done: bool | None = None
    confidence: float | None = None
    weight: float = 1.0
    note: str | None = None

    @property
    def is_milestone(self) -> bool:
        return self.type == "milestone"

    @property
    def value(self) -> float | None:
        """The current value of a metric (its start when no check-in yet)."""
        return self.start if self.current is None else self.current

    @property
    def progress(self) -> float:
        if self.is_milestone:
            return 1.0 if self.done else 0.0
        span = self.target - self.start
        if span == 0:  # refused by the rules; never divide by it
            return 0.0
        return min(1.0, max(0.0, (self.value - self.start) / span))

    @property
    def below_start(self) -> bool:
        """A metric that slid to the wrong side of its start."""
        if self.is_milestone:
            return False
        return (self.value - self.start) * (self.target - self.start) < 0

    @property
    def decreasing(self) -> bool:
        return not self.is_milestone and self.target < self.start

    def status(self, *, as_of: date, period: Period | None) -> str:
        """on-track / at-risk / off-track / done, as of a date, for an active key result."""
        if self.progress >= 1.0:
            return DONE
        expected = period.elapsed(as_of) if period else 0.0
        statuses = [pace_status(self.progress, expected)]
        if self.confidence is not None:
            statuses.append(confidence_status(self.confidence))
        return worst(statuses)


@dataclass(frozen=True)
class Objective:
    id: str
    title: str
    owner: str
    team: str
    period: str
    key_results: tuple[KeyResult, ...]
    parent: str | None = None
    declared_status: str = ACTIVE
    contributors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    body: str = ""
    path: str = ""  # relative to the repository root, e.g. okrs/2026-Q4/platform/reliability.md

    @property
    def progress(self) -> float:
        total = sum(kr.weight for kr in self.key_results)
        if not total:
            return 0.0
        return sum(kr.progress * kr.weight for kr in self.key_results) / total

    def key_result_status(self, key_result: KeyResult, *, as_of: date, period: Period | None) -> str:
        """A key result's status; those of draft and dropped objectives follow the objective."""
        if self.declared_status in (DRAFT, DROPPED):
            return self.declared_status
        return key_result.status(as_of=as_of, period=period)

    def status(self, *, as_of: date, period: Period | None) -> str:
        if self.declared_status in (DONE, DROPPED, DRAFT):
            return self.declared_status
        return worst([kr.status(as_of=as_of, period=period) for kr in self.key_results])

    def owners(self) -> set[str]:
        return {self.owner} | {kr.owner for kr in self.key_results}
