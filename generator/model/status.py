"""Statuses and the rules that map progress, pace and confidence to them.

Its own module so that key-result types (model/types/) and the core model share the
rules without importing each other.
"""

from __future__ import annotations

ON_TRACK, AT_RISK, OFF_TRACK, DONE = "on-track", "at-risk", "off-track", "done"
DRAFT, ACTIVE, DROPPED = "draft", "active", "dropped"
# Worst first: an objective's status is the worst of its key results'.
_SEVERITY = {OFF_TRACK: 0, AT_RISK: 1, ON_TRACK: 2, DONE: 3}


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
