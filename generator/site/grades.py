"""A closed period's grades as the site shows them: the score (0.00 to 1.00, two
decimals) and its band.

Bands as SPEC Part 2 names them: ``missed`` below 0.4, ``progress`` from 0.4 to below
0.7, ``delivered`` from 0.7. Dropped objectives get no grade (they count in no score).
"""

from __future__ import annotations

from typing import Any

from generator.model.core import DRAFT, DROPPED, KeyResult, Objective

BANDS = (("missed", 0.4), ("progress", 0.7), ("delivered", float("inf")))  # (band, upper bound, exclusive)
BAND_LABELS = {"missed": "Missed", "progress": "Progress", "delivered": "Delivered"}
# A symbol beside every band, so colour is never the only signal (as for statuses).
BAND_SYMBOLS = {"missed": "○", "progress": "◐", "delivered": "●"}


def grade_band(score: float) -> str:
    for band, below in BANDS:
        if score < below:
            return band
    return BANDS[-1][0]


def grade_view(score: float) -> dict[str, Any]:
    """A score as the templates show it: "0.62", band "progress"."""
    rounded = round(min(max(score, 0.0), 1.0), 2)
    band = grade_band(rounded)  # the band of the score as shown, so 0.695 reads 0.70 delivered
    return {"score": f"{rounded:.2f}", "band": band, "label": BAND_LABELS[band], "symbol": BAND_SYMBOLS[band]}


def objective_grade(objective: Objective) -> dict[str, Any] | None:
    """The objective's grade once its period is closed; None for a dropped objective (or
    a draft: neither counts in any score)."""
    if objective.declared_status in (DROPPED, DRAFT):
        return None
    return grade_view(objective.progress)


def key_result_grade(objective: Objective, kr: KeyResult) -> dict[str, Any] | None:
    if objective.declared_status in (DROPPED, DRAFT):
        return None
    return grade_view(kr.progress)
