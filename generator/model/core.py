"""Objectives, key results, people, teams and periods; progress and status.

Pure data and arithmetic: no files, no printing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, timedelta
from fractions import Fraction
from typing import Mapping

# The statuses and their rules are re-exported here: most of the package reads them from the core.
from generator.model.status import (ACTIVE, AT_RISK, DONE, DRAFT, DROPPED, OFF_TRACK, ON_TRACK,  # noqa: F401
                                    STATUS_WORDS, Verdict, confidence_status, pace_status, worst)
from generator.model.types import KeyResultType, type_of
from generator.model.types.milestone import Milestone


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str | None = None
    github: str | None = None
    left: date | None = None  # the day they left the organisation (people.yaml `left:`)

    def has_left(self, as_of: date) -> bool:
        return self.left is not None and self.left <= as_of


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
    stretch: float | None = None  # metric: a goal beyond the target
    at_least: float | None = None  # maintain: the bounds to stay within
    at_most: float | None = None
    due: date | None = None  # milestone: default its period's end

    @property
    def kind(self) -> KeyResultType:
        """The rules of its type (metric, milestone, ...): see generator.model.types."""
        return type_of(self)

    @property
    def value(self) -> float | None:
        """A metric's current value (its start when no check-in yet); None for types without one."""
        return type_of(self).value(self)

    @property
    def series_value(self) -> float | bool | None:
        """The value a point of its history records: a metric's current, a milestone's done."""
        return type_of(self).series_value(self)

    @cached_property  # frozen: computed once (the dashboard, indexes and rollups ask again and again)
    def progress(self) -> float:
        return type_of(self).progress(self)

    @property
    def is_milestone(self) -> bool:
        """Transitional, for history/walk.py's one use (owned elsewhere): it switches to
        ``series_value`` at merge, and then this property goes. Nothing else may use it."""
        return isinstance(type_of(self), Milestone)

    @property
    def below_start(self) -> bool:
        """A metric that slid to the wrong side of its start."""
        return type_of(self).below_start(self)

    @property
    def decreasing(self) -> bool:
        return type_of(self).decreasing(self)

    @property
    def finished(self) -> bool:
        """Met for good (no check-in due): a done milestone, a metric at its target; never a maintain one."""
        return type_of(self).finished(self)

    @property
    def baseline_pending(self) -> bool:
        """A metric without a start yet: no progress, "baseline pending"."""
        return type_of(self).baseline_pending(self)

    @property
    def stretch_progress(self) -> float | None:
        """Progress from the target towards its stretch goal, 0 to 1 (None without one)."""
        return type_of(self).stretch_progress(self)

    def status(self, *, as_of: date, period: Period | None) -> str:
        """on-track / at-risk / off-track / done, as of a date, for an active key result."""
        return type_of(self).status(self, as_of=as_of, period=period)

    def verdict(self, *, as_of: date, period: Period | None) -> Verdict:
        """Its status and the reason for it in words."""
        return type_of(self).verdict(self, as_of=as_of, period=period)


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
    score: float | None = None  # written by `okrs close`: the period's committed score (see model/grades.py)
    score_reason: str | None = None  # why a score differs from the computed one (a manual adjustment)
    carried_from: str | None = None  # the id of the earlier objective this one continues (`okrs carry`)

    @cached_property  # frozen: computed once
    def progress(self) -> float:
        try:
            total = sum(kr.weight for kr in self.key_results)
            if not total:
                return 0.0
            mean = sum(kr.progress * kr.weight for kr in self.key_results) / total
            if math.isfinite(total) and math.isfinite(mean):  # an overflowing total makes any mean wrong
                return mean
        except OverflowError:  # an integer weight beyond a float's range
            pass
        return _exact_mean([(kr.progress, kr.weight) for kr in self.key_results])

    def key_result_status(self, key_result: KeyResult, *, as_of: date, period: Period | None) -> str:
        """A key result's status; those of draft and dropped objectives follow the objective."""
        if self.declared_status in (DRAFT, DROPPED):
            return self.declared_status
        return key_result.status(as_of=as_of, period=period)

    def status(self, *, as_of: date, period: Period | None) -> str:
        if self.declared_status in (DONE, DROPPED, DRAFT):
            return self.declared_status
        return worst([kr.status(as_of=as_of, period=period) for kr in self.key_results])

    def key_result_verdict(self, key_result: KeyResult, *, as_of: date, period: Period | None) -> Verdict:
        if self.declared_status in (DRAFT, DROPPED):
            return Verdict(self.declared_status, _DECLARED_REASONS[self.declared_status])
        return key_result.verdict(as_of=as_of, period=period)

    def verdict(self, *, as_of: date, period: Period | None) -> Verdict:
        """Its status and why: its declared one, else its worst key result's, named."""
        if self.declared_status in (DONE, DROPPED, DRAFT):
            return Verdict(self.declared_status, _DECLARED_REASONS[self.declared_status])
        verdicts = [(kr, kr.verdict(as_of=as_of, period=period)) for kr in self.key_results]
        status = worst([v.status for _, v in verdicts])
        if status in (ON_TRACK, DONE):  # nothing to single out
            every = "done" if status == DONE else "on track or done"
            return Verdict(status, f"{STATUS_WORDS[status]}: every key result is {every}")
        named = [f"key result '{kr.title}' — {v.reason.split(': ', 1)[-1]}" for kr, v in verdicts if v.status == status]
        if len(named) > 1:
            named = [named[0] + f" (and {len(named) - 1} more {STATUS_WORDS[status]})"]
        return Verdict(status, f"{STATUS_WORDS[status]}: {named[0]}" if named else f"{STATUS_WORDS[status]}")

    def owners(self) -> set[str]:
        return {self.owner} | {kr.owner for kr in self.key_results}


_DECLARED_REASONS = {
    DONE: "done: marked done by its owner (status: done)",
    DROPPED: "dropped: no longer pursued (status: dropped); left out of every score and average",
    DRAFT: "draft: not committed to yet (status: draft)",
}


def _exact_mean(weighted: list[tuple[float, float]]) -> float:
    """The weighted mean when the float sums overflow (weights like 1e308): exact rational
    arithmetic. Non-finite weights have no meaningful mean: 0.0, never NaN."""
    try:
        pairs = [(Fraction(progress), Fraction(weight)) for progress, weight in weighted]
    except (OverflowError, ValueError):  # an infinite or NaN weight
        return 0.0
    total = sum(weight for _, weight in pairs)
    if not total:
        return 0.0
    return float(sum(progress * weight for progress, weight in pairs) / total)
