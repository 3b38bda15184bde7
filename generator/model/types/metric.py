"""Metric key results: a number moved from start to target (the default type)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Callable

from generator.model.types.base import FieldChange, KeyResultType, ValuePart, ValuesView, by_progress

if TYPE_CHECKING:
    from generator.model.core import KeyResult

# Units written right after the number, with no space: 12%, not 12 %.
_UNSPACED_UNITS = ("%", "‰", "pp")


class Metric(KeyResultType):
    name = "metric"
    fields = ("start", "target", "current", "unit")

    def value(self, kr: KeyResult) -> float | None:
        """The current value (its start when no check-in yet)."""
        return kr.start if kr.current is None else kr.current

    def progress(self, kr: KeyResult) -> float:
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
        return _side(self.value(kr), kr.start) * _side(kr.target, kr.start) < 0

    def decreasing(self, kr: KeyResult) -> bool:
        return kr.target < kr.start

    def series_value(self, kr: KeyResult) -> float | None:
        return self.value(kr)

    def field_changes(self, before: KeyResult, after: KeyResult) -> list[FieldChange]:
        direction = goal_direction(before, after)
        return [
            FieldChange("target", "start", before.start, after.start, direction),
            FieldChange("target", "target", before.target, after.target, direction),
            FieldChange("target", "unit", before.unit, after.unit),
            FieldChange("progress", "current", self.value(before), self.value(after)),
        ]

    def values_view(self, kr: KeyResult, *, number: Callable[[float | None], str]) -> ValuesView:
        return ValuesView((
            ValuePart(number(kr.start), label="start"),
            ValuePart(number(self.value(kr)), label="current", strong=True),
            ValuePart(number(kr.target) + unit_suffix(kr.unit), label="target"),
        ), css_class="okrs-values")


def unit_suffix(unit: str | None) -> str:
    """The unit as written after a number: " ms", or "%" with no space."""
    if not unit:
        return ""
    return unit if unit in _UNSPACED_UNITS else f" {unit}"


def goal_direction(before: KeyResult, after: KeyResult) -> str | None:
    """Moving the goalposts of a metric (its start or target): "eased" when the value it
    had before would count for more progress under the new goal, "raised" when for less.

    Judged by the old value, so that a check-in in the same change does not hide it.
    When the progress does not move (no value yet, or past the target either way), the
    distance from start to target says it: shorter is eased.
    """
    old_value_new_goal = replace(after, current=before.current)  # no value yet: still none
    direction = by_progress(before.progress, old_value_new_goal.progress)
    if direction is not None:
        return direction
    old, new = abs(before.target - before.start), abs(after.target - after.start)
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
