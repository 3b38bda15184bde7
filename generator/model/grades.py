"""Scores and grade bands of closed periods.

After a period ends, a key result's or objective's progress at the period's end is its
score (0.0 to 1.0, two decimals), and the score falls in a grade band. Dropped
objectives are kept for the record but have no score and count in no average.
``objective_score`` is the one place that decides an objective's score: a score written
into the file (``score:``, by ``okrs close``) is its commitment and wins.
"""

from __future__ import annotations

import math
from typing import Iterable

from generator.model.core import DRAFT, DROPPED, KeyResult, Objective

MISSED, PROGRESS, DELIVERED = "missed", "progress", "delivered"
GRADE_LABELS = {MISSED: "Missed", PROGRESS: "Progress", DELIVERED: "Delivered"}
# The lower edge of each band, best first: 0.7 and up is delivered, 0.4 to under 0.7 progress.
_BANDS = ((0.7, DELIVERED), (0.4, PROGRESS), (0.0, MISSED))


def two_decimals(fraction: float) -> float:
    """Rounded half up to two decimals (the epsilon absorbs float noise like 0.565)."""
    return math.floor(fraction * 100 + 0.5 + 1e-9) / 100


def key_result_score(key_result: KeyResult) -> float:
    return two_decimals(key_result.progress)


def objective_score(objective: Objective) -> float | None:
    """The objective's score; None when it counts for none (dropped, or a draft never committed to)."""
    if objective.declared_status in (DROPPED, DRAFT):
        return None
    if objective.score is not None:
        return two_decimals(objective.score)
    return two_decimals(objective.progress)


def grade(score: float) -> str:
    """The band of a score: missed (< 0.4), progress (0.4 to < 0.7), delivered (>= 0.7)."""
    for floor, band in _BANDS:
        if score >= floor - 1e-9:
            return band
    return MISSED


def mean_score(objectives: Iterable[Objective]) -> float | None:
    """The mean score of the objectives that have one (dropped ones are left out), two decimals."""
    scores = [score for score in map(objective_score, objectives) if score is not None]
    return two_decimals(sum(scores) / len(scores)) if scores else None
