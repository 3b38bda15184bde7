"""Milestone key results: done or not, by a due date (default: the period's end).

Not judged by pace: progress stays 0 until done, so pace would turn every milestone red
a quarter into the period. Before the due date the owner's confidence decides, or,
without one, how much of the time to the due date has passed.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Callable

from generator.model.status import (AT_RISK, DONE, OFF_TRACK, ON_TRACK, STATUS_WORDS, Verdict, confidence_reason,
                                    confidence_status, whole_percent)
from generator.model.types.base import FieldChange, KeyResultType, ValuePart, ValuesView

if TYPE_CHECKING:
    from generator.model.core import KeyResult, Period

# Share of the time from the period's start to the due date after which an unfinished
# milestone without a confidence is at risk.
NEAR_DUE = 0.75


class Milestone(KeyResultType):
    name = "milestone"
    fields = ("done", "due")

    def progress(self, kr: KeyResult) -> float:
        return 1.0 if kr.done else 0.0

    def due_date(self, kr: KeyResult, period: Period | None) -> date | None:
        return kr.due or (period.end if period else None)

    def verdict(self, kr: KeyResult, *, as_of: date, period: Period | None) -> Verdict:
        if kr.done:
            return Verdict(DONE, f"{STATUS_WORDS[DONE]}: the milestone is done")
        due = self.due_date(kr, period)
        if due is not None and as_of > due:
            return Verdict(OFF_TRACK, f"{STATUS_WORDS[OFF_TRACK]}: the due date {due.isoformat()} has passed, "
                                      "not done yet")
        when = f"due {due.isoformat()}" if due else "no due date"
        if kr.confidence is not None:
            status = confidence_status(kr.confidence)
            return Verdict(status, f"{STATUS_WORDS[status]}: {confidence_reason(kr.confidence)}, {when}")
        share = time_to_due_elapsed(period.start if period else None, due, as_of)
        if share is None:
            return Verdict(ON_TRACK, f"{STATUS_WORDS[ON_TRACK]}: not done yet, {when}")
        if share < NEAR_DUE - 1e-9:
            return Verdict(ON_TRACK, f"{STATUS_WORDS[ON_TRACK]}: {when}, {whole_percent(share)}% of the time "
                                     "to it has passed")
        return Verdict(AT_RISK, f"{STATUS_WORDS[AT_RISK]}: the due date {due.isoformat()} is near, not done yet")

    def series_value(self, kr: KeyResult) -> bool:
        return bool(kr.done)

    def field_changes(self, before: KeyResult, after: KeyResult) -> list[FieldChange]:
        return [
            # As ISO text: a change goes into JSON (the changelog, the history cache) as it is.
            FieldChange("target", "due", _iso(before.due), _iso(after.due), due_direction(before.due, after.due)),
            FieldChange("progress", "done", bool(before.done), bool(after.done)),
        ]

    def values_view(self, kr: KeyResult, *, number: Callable[[float | None], str]) -> ValuesView:
        text = "Milestone: done" if kr.done else "Milestone: not done yet"
        if kr.due is not None:
            text += f", due {kr.due.isoformat()}"
        return ValuesView((ValuePart(text),))


def time_to_due_elapsed(start: date | None, due: date | None, as_of: date) -> float | None:
    """Fraction of the days from ``start`` to ``due`` (both included) passed at the end of
    ``as_of``, 0 to 1; None when either end is unknown."""
    if start is None or due is None:
        return None
    total = max((due - start).days + 1, 1)
    passed = min(max((as_of - start).days + 1, 0), total)
    return passed / total


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def due_direction(before: date | None, after: date | None) -> str | None:
    """A later due date (or none, meaning the period's end) eases the milestone."""
    if before == after:
        return None
    if before is None or after is None:  # the period's end is the latest a due date can be, mostly
        return "eased" if after is None else "raised"
    return "eased" if after > before else "raised"
