"""The values the history gives: ISO weeks, series points, stale key results, weekly digests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from typing import TYPE_CHECKING

from generator.history.diff import Change

if TYPE_CHECKING:
    from generator.history.closings import PeriodClosing

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
    closings: tuple[PeriodClosing, ...] = ()  # the periods whose scores were committed this week
