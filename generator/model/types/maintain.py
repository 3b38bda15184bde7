"""Maintain key results: keep a value within bounds ("unsubscribe rate at most 1%",
"weekly cloud spend between $40k and $50k").

Progress is 1 while the value is within the bounds, else 0. Status: within the bounds
on track; outside by at most 10% of the bound at risk; further off track.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Callable

from generator.model.status import AT_RISK, OFF_TRACK, ON_TRACK, STATUS_WORDS, Verdict, whole_percent
from generator.model.types.base import FieldChange, KeyResultType, ValuePart, ValuesView
from generator.model.types.metric import plain_number
from generator.model.units import with_unit

if TYPE_CHECKING:
    from generator.model.core import KeyResult, Period

# How far outside a bound, as a share of the bound, is still only at risk.
AT_RISK_MARGIN = 0.10


class Maintain(KeyResultType):
    name = "maintain"
    fields = ("at_least", "at_most", "current", "unit")

    def value(self, kr: KeyResult) -> float | None:
        return kr.current

    def progress(self, kr: KeyResult) -> float:
        return 1.0 if outside_by(kr) == 0 else 0.0

    def finished(self, kr: KeyResult) -> bool:
        return False  # within bounds today says nothing of next week: it still needs check-ins

    def series_value(self, kr: KeyResult) -> float | None:
        return kr.current

    def verdict(self, kr: KeyResult, *, as_of: date, period: Period | None) -> Verdict:
        value = _shown(kr.current, kr.unit)
        share = outside_by(kr)
        if share is None:
            return Verdict(OFF_TRACK, f"{STATUS_WORDS[OFF_TRACK]}: no current value to compare with the bounds")
        if share == 0:
            return Verdict(ON_TRACK, f"{STATUS_WORDS[ON_TRACK]}: {value} is within {bounds_text(kr)}")
        status = AT_RISK if share <= AT_RISK_MARGIN + 1e-9 else OFF_TRACK
        below = kr.at_least is not None and kr.current < kr.at_least
        side, bound = ("below the lower bound", kr.at_least) if below else ("above the upper bound", kr.at_most)
        how_far = f"{whole_percent(share)}% " if share != float("inf") else ""
        limit = f"up to {whole_percent(AT_RISK_MARGIN)}% outside is at risk"
        return Verdict(status, f"{STATUS_WORDS[status]}: {value} is {how_far}{side} {_shown(bound, kr.unit)} "
                               f"({limit})")

    def field_changes(self, before: KeyResult, after: KeyResult) -> list[FieldChange]:
        return [
            FieldChange("target", "at_least", before.at_least, after.at_least,
                        bound_direction(before.at_least, after.at_least, lower=True)),
            FieldChange("target", "at_most", before.at_most, after.at_most,
                        bound_direction(before.at_most, after.at_most, lower=False)),
            FieldChange("target", "unit", before.unit, after.unit),
            FieldChange("progress", "current", before.current, after.current),
        ]

    def values_view(self, kr: KeyResult, *, number: Callable[[float | None], str]) -> ValuesView:
        return ValuesView((
            ValuePart(with_unit(number(kr.current), kr.unit), label="current", strong=True),
            ValuePart(f"to stay {bounds_text(kr, number=number)}"),
        ), css_class="okrs-values", separator=", ")


def outside_by(kr: KeyResult) -> float | None:
    """How far the value lies outside its bounds, as a share of the bound it crosses
    (0 within them, infinity past a bound of 0); None without a value."""
    value = kr.current
    if value is None:
        return None
    for bound, outside in ((kr.at_least, kr.at_least is not None and value < kr.at_least),
                           (kr.at_most, kr.at_most is not None and value > kr.at_most)):
        if outside:
            distance = abs(value - bound)
            return distance / abs(bound) if bound else float("inf")
    return 0.0


def bounds_text(kr: KeyResult, *, number: Callable[[float | None], str] = plain_number) -> str:
    """"at most 1%", "at least 99.95%", "between $40k and $50k"."""
    low, high = (with_unit(number(b), kr.unit) if b is not None else None for b in (kr.at_least, kr.at_most))
    if low and high:
        return f"between {low} and {high}"
    return f"at least {low}" if low else f"at most {high}"


def bound_direction(before: float | None, after: float | None, *, lower: bool) -> str | None:
    """A wider band (a lower floor, a higher ceiling, a bound removed) is eased; narrower, raised."""
    if before == after:
        return None
    if before is None or after is None:
        return "eased" if after is None else "raised"
    wider = after < before if lower else after > before
    return "eased" if wider else "raised"


def _shown(value: float | None, unit: str | None) -> str:
    return with_unit(plain_number(value), unit)
