"""Milestone key results: done or not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from generator.model.types.base import FieldChange, KeyResultType, ValuePart, ValuesView

if TYPE_CHECKING:
    from generator.model.core import KeyResult


class Milestone(KeyResultType):
    name = "milestone"
    fields = ("done",)

    def progress(self, kr: KeyResult) -> float:
        return 1.0 if kr.done else 0.0

    def series_value(self, kr: KeyResult) -> bool:
        return bool(kr.done)

    def field_changes(self, before: KeyResult, after: KeyResult) -> list[FieldChange]:
        return [FieldChange("progress", "done", bool(before.done), bool(after.done))]

    def values_view(self, kr: KeyResult, *, number: Callable[[float | None], str]) -> ValuesView:
        return ValuesView((ValuePart("Milestone: done" if kr.done else "Milestone: not done yet"),))
