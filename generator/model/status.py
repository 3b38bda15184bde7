"""Statuses and the rules that map progress, pace and confidence to them, with the
words that say why.

Its own module so that key-result types (model/types/) and the core model share the
rules without importing each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ON_TRACK, AT_RISK, OFF_TRACK, DONE = "on-track", "at-risk", "off-track", "done"
DRAFT, ACTIVE, DROPPED = "draft", "active", "dropped"
# Worst first: an objective's status is the worst of its key results'.
_SEVERITY = {OFF_TRACK: 0, AT_RISK: 1, ON_TRACK: 2, DONE: 3}
# How a reason starts: "at risk: ...".
STATUS_WORDS = {ON_TRACK: "on track", AT_RISK: "at risk", OFF_TRACK: "off track", DONE: "done",
                DRAFT: "draft", DROPPED: "dropped", ACTIVE: "active"}
PACE_ON_TRACK_MARGIN, PACE_AT_RISK_MARGIN = 0.10, 0.25
CONFIDENCE_ON_TRACK, CONFIDENCE_AT_RISK = 0.7, 0.4


@dataclass(frozen=True, slots=True)
class Verdict:
    """A status and the reason for it in words ("at risk: 40% done, ...")."""

    status: str
    reason: str


def whole_percent(fraction: float) -> int:
    """Whole percent, rounded half up (the epsilon absorbs float noise like 0.565*100)."""
    return math.floor(fraction * 100 + 0.5 + 1e-9)


def pace_status(progress: float, expected: float) -> str:
    # The epsilon keeps the thresholds inclusive despite float noise (0.4 - 0.10 > 0.3).
    if progress >= expected - PACE_ON_TRACK_MARGIN - 1e-9:
        return ON_TRACK
    if progress >= expected - PACE_AT_RISK_MARGIN - 1e-9:
        return AT_RISK
    return OFF_TRACK


def confidence_status(confidence: float) -> str:
    if confidence >= CONFIDENCE_ON_TRACK:
        return ON_TRACK
    if confidence >= CONFIDENCE_AT_RISK:
        return AT_RISK
    return OFF_TRACK


def worst(statuses: list[str]) -> str:
    return min(statuses, key=_SEVERITY.__getitem__) if statuses else ON_TRACK


def pace_reason(progress: float, expected: float, *, below_start: bool = False) -> str:
    """The facts behind a pace status: "40% done, 59% of the period elapsed (expected 49% or more)"."""
    done = "below start (0% done)" if below_start else f"{whole_percent(progress)}% done"
    text = f"{done}, {whole_percent(expected)}% of the period elapsed"
    floor = expected - PACE_ON_TRACK_MARGIN
    return text + (f" (expected {whole_percent(floor)}% or more)" if floor > 1e-9 else "")


def confidence_reason(confidence: float) -> str:
    return f"confidence {whole_percent(confidence)}%"


def combined(parts: list[tuple[str, str]]) -> Verdict:
    """The worst of several (status, facts) and the facts that made it so; on track, all of them."""
    status = worst([status for status, _ in parts])
    facts = [text for part_status, text in parts if part_status == status or status == ON_TRACK]
    return Verdict(status, f"{STATUS_WORDS[status]}: {'; '.join(facts)}")
