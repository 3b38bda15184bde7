"""A closed objective's score and grade band.

The score is the objective's progress at its period's end, to two decimals (whole
percent, rounded half up, as the site shows progress). Dropped and draft objectives
are excluded from every score.
"""

from __future__ import annotations

from generator.model.core import DRAFT, DROPPED, Objective, percent

MISSED, PROGRESS, DELIVERED = "missed", "progress", "delivered"
GRADES = (MISSED, PROGRESS, DELIVERED)  # worst first


def rounded_score(progress: float) -> float:
    """Progress 0..1 to two decimals, rounded half up: 0.625 -> 0.63."""
    return percent(progress) / 100


def objective_score(objective: Objective) -> float | None:
    """The score its key results give (two decimals); None for dropped and draft objectives."""
    if objective.declared_status in (DROPPED, DRAFT):
        return None
    return rounded_score(objective.progress)


def grade(score: float) -> str:
    """missed (< 0.4), progress (0.4 to < 0.7), delivered (>= 0.7)."""
    hundredths = percent(score)  # compared in whole hundredths: 0.7 is 70, never 69.999...
    if hundredths >= 70:
        return DELIVERED
    if hundredths >= 40:
        return PROGRESS
    return MISSED


def score_text(score: float) -> str:
    """As written and shown: two decimals, "0.63"."""
    return f"{percent(score) / 100:.2f}"
