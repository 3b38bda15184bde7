"""The periods closed in a week: what `okrs close` recorded, read back from the history.

A period is closed in the week of the commit that added its scores: objectives whose
``score`` is set at the end of the week but was not at the end of the week before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from generator.model.core import DROPPED, Objective
from generator.model.grades import DELIVERED, MISSED, PROGRESS, grade, score_text, two_decimals

GRADES = (MISSED, PROGRESS, DELIVERED)  # worst first


@dataclass(frozen=True)
class PeriodClosing:
    period: str
    scores: tuple[tuple[str, float], ...]  # (objective id, score) newly recorded, by id
    dropped: int  # dropped objectives of the period (no score)

    @property
    def mean(self) -> float:
        return sum(score for _, score in self.scores) / len(self.scores)

    def grade_counts(self) -> dict[str, int]:
        counts = {name: 0 for name in GRADES}
        for _, score in self.scores:
            counts[grade(score)] += 1
        return counts

    def as_dict(self) -> dict:
        return {"period": self.period, "scored": len(self.scores), "mean": two_decimals(self.mean),
                "grades": self.grade_counts(), "dropped": self.dropped,
                "scores": [{"objective": ident, "score": score} for ident, score in self.scores]}

    def summary(self) -> str:
        """"2026-Q3 closed: 4 objectives scored, mean 0.58 (1 delivered, 2 progress, 1 missed); 1 dropped"."""
        counts = self.grade_counts()
        grades = ", ".join(f"{counts[name]} {name}" for name in reversed(GRADES))
        dropped = f"; {self.dropped} dropped" if self.dropped else ""
        n = len(self.scores)
        return (f"{self.period} closed: {n} objective{'s' if n != 1 else ''} scored, mean {score_text(self.mean)} "
                f"({grades}){dropped}")


def closings(before: Mapping[str, Objective], after: Mapping[str, Objective]) -> list[PeriodClosing]:
    """The periods whose scores appear between two snapshots (objectives by id), by name."""
    scored: dict[str, list[tuple[str, float]]] = {}
    for ident in sorted(after):
        objective = after[ident]
        earlier = before.get(ident)
        if objective.score is not None and (earlier is None or earlier.score is None):
            scored.setdefault(objective.period, []).append((ident, objective.score))
    result = []
    for period in sorted(scored):
        dropped = sum(1 for o in after.values() if o.period == period and o.declared_status == DROPPED)
        result.append(PeriodClosing(period, tuple(scored[period]), dropped))
    return result
