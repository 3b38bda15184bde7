"""What every key-result type provides, and the defaults most types share.

A type is one object in the registry (``generator.model.types.TYPES``); ``KeyResult``
asks its type for progress, status, the value a history point records and what the
site shows, so that nothing outside model/types/ branches on a type's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Protocol

from generator.model.status import (DONE, STATUS_WORDS, Verdict, combined, confidence_reason, confidence_status,
                                    pace_reason, pace_status)

if TYPE_CHECKING:
    from generator.model.core import KeyResult, Period


class ProgressPoint(Protocol):
    date: date
    progress: float


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One changed-or-not field of a key result between two states of the same type;
    the diff keeps only those whose ``before`` and ``after`` differ."""

    kind: str  # "target" (the goal moved) or "progress" (a check-in)
    field: str
    before: Any
    after: Any
    direction: str | None = None  # "eased", "raised" or None (only for kind "target")


@dataclass(frozen=True, slots=True)
class ValuePart:
    """One piece of a key result's values as the site shows them, e.g. its current value."""

    text: str
    label: str | None = None  # said to screen readers only, before the text
    strong: bool = False


@dataclass(frozen=True, slots=True)
class ValuesView:
    """A key result's values, ready for the template: parts joined by arrows, wrapped
    in a span of ``css_class`` when there is one."""

    parts: tuple[ValuePart, ...]
    css_class: str | None = None
    separator: str = " → "  # between parts: start → current → target, or "0.7%, to stay at most 1%"


_PROGRESS_EPSILON = 1e-9  # float noise is no change of goal


def by_progress(before: float, after: float) -> str | None:
    """"eased" when the progress rose, "raised" when it fell, None when it held."""
    if after > before + _PROGRESS_EPSILON:
        return "eased"
    if after < before - _PROGRESS_EPSILON:
        return "raised"
    return None


class KeyResultType:
    """A kind of key result. Subclasses set ``name`` and ``fields`` and override what
    differs; the defaults suit a type whose progress is all there is to it."""

    name: str = ""
    fields: tuple[str, ...] = ()  # the schema fields only this type uses, in the schema's order

    def value(self, kr: KeyResult) -> float | None:
        return None

    def progress(self, kr: KeyResult) -> float:
        raise NotImplementedError

    def below_start(self, kr: KeyResult) -> bool:
        return False

    def decreasing(self, kr: KeyResult) -> bool:
        return False

    def finished(self, kr: KeyResult) -> bool:
        """Met for good, so no check-in is due: full progress, for most types."""
        return self.progress(kr) >= 1.0

    def baseline_pending(self, kr: KeyResult) -> bool:
        """A metric whose start is still being measured: no progress to tell yet."""
        return False

    def status(self, kr: KeyResult, *, as_of: date, period: Period | None) -> str:
        return self.verdict(kr, as_of=as_of, period=period).status

    def verdict(self, kr: KeyResult, *, as_of: date, period: Period | None) -> Verdict:
        """Done at full progress; otherwise the worse of the pace (progress against the
        share of the period elapsed) and the owner's confidence, with the reason."""
        progress = self.progress(kr)
        if progress >= 1.0:
            return Verdict(DONE, f"{STATUS_WORDS[DONE]}: {self.done_reason(kr)}")
        expected = period.elapsed(as_of) if period else 0.0
        parts = [(pace_status(progress, expected), pace_reason(progress, expected, below_start=self.below_start(kr)))]
        if kr.confidence is not None:
            parts.append((confidence_status(kr.confidence), confidence_reason(kr.confidence)))
        return combined(parts)

    def done_reason(self, kr: KeyResult) -> str:
        return "the target is reached"

    def stretch_progress(self, kr: KeyResult) -> float | None:
        """Progress towards a stretch goal beyond the target, for types that have one."""
        return None

    def series_value(self, kr: KeyResult) -> float | bool | None:
        """The value a point of the key result's history records."""
        raise NotImplementedError

    def sparkline_level(self, point: ProgressPoint) -> float:
        """Where a history point sits on the sparkline, 0 to 1."""
        return point.progress

    def field_changes(self, before: KeyResult, after: KeyResult) -> list[FieldChange]:
        """The type's own fields compared between two states of one key result."""
        raise NotImplementedError

    def values_view(self, kr: KeyResult, *, number: Callable[[float | None], str]) -> ValuesView:
        """What the site shows beside the progress bar; ``number`` formats a number."""
        raise NotImplementedError
