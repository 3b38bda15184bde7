"""Metric key results: a number moved from start to target (the default type), maybe
towards a stretch goal beyond the target, maybe without a start while its baseline is
being measured ("baseline pending": no progress yet)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Callable

from generator.model.status import ON_TRACK, Verdict, combined, confidence_reason, confidence_status
from generator.model.types.base import FieldChange, KeyResultType, ValuePart, ValuesView, by_progress
from generator.model.units import currency_symbol, unit_on_every_number, with_unit

if TYPE_CHECKING:
    from datetime import date

    from generator.model.core import KeyResult, Period

BASELINE_PENDING = "baseline pending"


class Metric(KeyResultType):
    name = "metric"
    fields = ("start", "target", "stretch", "current", "unit")

    def value(self, kr: KeyResult) -> float | None:
        """The current value (its start when no check-in yet)."""
        return kr.start if kr.current is None else kr.current

    def progress(self, kr: KeyResult) -> float:
        if kr.start is None:  # baseline pending: nothing to measure progress from yet
            return 0.0
        if kr.target == kr.start:  # refused by the rules; never divide by it
            return 0.0
        value = self.value(kr)
        try:
            fraction = (value - kr.start) / (kr.target - kr.start)
        except OverflowError:  # an integer beyond a float's range (an old file no check saw)
            fraction = _exact_fraction(value, kr.start, kr.target)
        return min(1.0, max(0.0, fraction)) if fraction == fraction else 0.0  # NaN (inf - inf): no progress

    def below_start(self, kr: KeyResult) -> bool:
        """Slid to the wrong side of its start."""
        # Signs, not a product: comparisons are exact for any int or float, a product can overflow.
        if kr.start is None or self.value(kr) is None:
            return False
        return _side(self.value(kr), kr.start) * _side(kr.target, kr.start) < 0

    def decreasing(self, kr: KeyResult) -> bool:
        return kr.start is not None and kr.target < kr.start

    def baseline_pending(self, kr: KeyResult) -> bool:
        return kr.start is None

    def verdict(self, kr: KeyResult, *, as_of: date, period: Period | None) -> Verdict:
        if kr.start is not None:
            return super().verdict(kr, as_of=as_of, period=period)
        # No start, no pace to judge: the owner's confidence, when given, is all there is.
        parts = [(ON_TRACK, f"{BASELINE_PENDING}, no start value yet, so no progress to judge")]
        if kr.confidence is not None:
            parts.append((confidence_status(kr.confidence), confidence_reason(kr.confidence)))
        return combined(parts)

    def done_reason(self, kr: KeyResult) -> str:
        return f"the target {with_unit(plain_number(kr.target), kr.unit)} is reached"

    def stretch_progress(self, kr: KeyResult) -> float | None:
        """How far the value went from the target towards the stretch goal, 0 to 1."""
        if kr.stretch is None or kr.start is None or kr.stretch == kr.target:
            return None
        if _side(kr.stretch, kr.target) != _side(kr.target, kr.start):  # a "stretch" short of the target
            return None
        value = self.value(kr)
        try:
            fraction = (value - kr.target) / (kr.stretch - kr.target)
        except OverflowError:
            fraction = _exact_fraction(value, kr.target, kr.stretch)
        return min(1.0, max(0.0, fraction)) if fraction == fraction else 0.0

    def series_value(self, kr: KeyResult) -> float | None:
        return self.value(kr)

    def field_changes(self, before: KeyResult, after: KeyResult) -> list[FieldChange]:
        direction = goal_direction(before, after)
        return [
            FieldChange("target", "start", before.start, after.start, direction),
            FieldChange("target", "target", before.target, after.target, direction),
            FieldChange("target", "stretch", before.stretch, after.stretch, stretch_direction(before, after)),
            FieldChange("target", "unit", before.unit, after.unit),
            FieldChange("progress", "current", self.value(before), self.value(after)),
        ]

    def values_view(self, kr: KeyResult, *, number: Callable[[float | None], str]) -> ValuesView:
        every = unit_on_every_number(kr.unit)

        def shown(value: float | None, *, last: bool = False) -> str:
            return with_unit(number(value), kr.unit) if every or last else number(value)

        parts = [
            ValuePart(BASELINE_PENDING if kr.start is None else shown(kr.start), label="start"),
            ValuePart(shown(self.value(kr)), label="current", strong=True),
            ValuePart(shown(kr.target, last=kr.stretch is None), label="target"),
        ]
        if kr.stretch is not None:
            parts.append(ValuePart("stretch " + shown(kr.stretch, last=True)))
        return ValuesView(tuple(parts), css_class="okrs-values")


def unit_suffix(unit: str | None) -> str:
    """The unit as written after a number: " ms", or "%" with no space; "" for a
    currency, which goes before the number (see ``with_unit``)."""
    if not unit or currency_symbol(unit) is not None:
        return ""
    return with_unit("", unit)


def plain_number(value: float | None) -> str:
    """A number as a reason text shows it: 4,200, 0.7, 1.5e+06."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"


def goal_direction(before: KeyResult, after: KeyResult) -> str | None:
    """Moving the goalposts of a metric (its start or target): "eased" when the value it
    had before would count for more progress under the new goal, "raised" when for less.

    Judged by the old value, so that a check-in in the same change does not hide it.
    When the progress does not move (no value yet, or past the target either way), the
    distance from start to target says it: shorter is eased.
    """
    if before.start is None or after.start is None:  # a baseline measured (or dropped) is no new goal
        return None
    old_value_new_goal = replace(after, current=before.current)  # no value yet: still none
    direction = by_progress(before.progress, old_value_new_goal.progress)
    if direction is not None:
        return direction
    old, new = abs(before.target - before.start), abs(after.target - after.start)
    return "eased" if new < old else "raised" if new > old else None


def stretch_direction(before: KeyResult, after: KeyResult) -> str | None:
    """A stretch goal moved: nearer the target (or gone) is eased, further (or new) is raised."""
    if before.stretch == after.stretch:
        return None
    if before.stretch is None or after.stretch is None:
        return "raised" if after.stretch is not None else "eased"
    old, new = abs(before.stretch - before.target), abs(after.stretch - after.target)
    return "eased" if new < old else "raised" if new > old else None


def _side(value: float, origin: float) -> int:
    """-1, 0 or 1: where ``value`` lies from ``origin``."""
    return (value > origin) - (value < origin)


def _exact_fraction(value: float, start: float, target: float) -> float:
    """How far ``value`` went from ``start`` to ``target``, clamped to 0..1 (as progress is),
    for numbers too large for float arithmetic: exact rationals, so the answer is right."""
    try:
        start_ = Fraction(start)
        fraction = (Fraction(value) - start_) / (Fraction(target) - start_)
        return float(min(Fraction(1), max(Fraction(0), fraction)))
    except (OverflowError, ValueError, ZeroDivisionError):  # infinity or NaN: no progress can be told
        return 0.0
